use super::{decode_error, encode, round_trip};
use crate::all_of::{Dog, Named, Owner, Pet};

const PET: &str = r#"{"id":"p1","createdAt":"2026-06-10T12:00:00Z","name":"Rex","species":"dog"}"#;

#[test]
fn all_of_merges_the_properties_of_every_member() {
    let pet: Pet = round_trip(PET);
    assert_eq!(
        (pet.id.as_str(), pet.name.as_str(), pet.species.as_str()),
        ("p1", "Rex", "dog")
    );
    assert_eq!(pet.note, None);
    let error =
        decode_error::<Pet>(r#"{"id":"p1","createdAt":"2026-06-10T12:00:00Z","name":"Rex"}"#);
    assert!(error.contains("missing field `species`"), "{error}");
}

#[test]
fn a_nested_all_of_adds_its_own_requirements() {
    let error = decode_error::<Dog>(PET);
    assert!(error.contains("missing field `note`"), "{error}");
    let dog: Dog = round_trip(
        r#"{"id":"d1","createdAt":"2026-06-10T12:00:00Z","name":"Rex","note":"good","species":"dog","goodBoy":true}"#,
    );
    assert_eq!(dog.good_boy, Some(true));
    let built = Dog::new("d1", dog.created_at, "Rex", "good", "dog").good_boy(true);
    assert_eq!(built, dog);
}

#[test]
fn a_single_ref_all_of_is_the_referenced_type() {
    let owner: Owner = round_trip(&format!(r#"{{"pet":{PET},"favourite":null}}"#));
    let pet: &Pet = &owner.pet;
    assert_eq!(pet.name, "Rex");
    let favourite: Option<Option<Named>> = owner.favourite;
    assert_eq!(favourite, Some(None));
}

#[test]
fn an_inline_all_of_becomes_its_own_struct() {
    let owner: Owner = round_trip(&format!(
        r#"{{"pet":{PET},"inline":{{"name":"Bo","rank":2}}}}"#
    ));
    let inline = owner.inline.expect("inline");
    assert_eq!((inline.name.as_str(), inline.rank), ("Bo", Some(2)));
    assert!(encode(&inline).contains(r#""rank":2"#));
}
