use commet_runtime::serde_json::Value;

use super::{encode, round_trip};
use crate::one_of_untagged::{
    Contact, Identifier, Lookup, LookupInlineChoice, Mixed, Phone, Quantity,
};

#[test]
fn primitives_are_told_apart_by_type() {
    let id: Identifier = round_trip(r#""abc""#);
    assert_eq!(id, Identifier::String("abc".to_owned()));
    let id: Identifier = round_trip("42");
    assert_eq!(id, Identifier::Integer(42));
    let whole: Quantity = round_trip("3");
    assert_eq!(whole, Quantity::Integer(3));
    let fraction: Quantity = round_trip("2.5");
    assert_eq!(fraction, Quantity::Number(2.5));
}

#[test]
fn objects_are_told_apart_by_their_required_properties() {
    let email: Contact = round_trip(r#"{"address":"a@b.c"}"#);
    assert!(matches!(email, Contact::Email(_)), "{email:?}");
    let phone: Contact = round_trip(r#"{"number":"+1 555","extension":"12"}"#);
    assert!(matches!(phone, Contact::Phone(_)), "{phone:?}");
}

#[test]
fn every_kind_of_alternative_decodes() {
    let cases = [
        ("true", "Boolean"),
        (r#"["a","b"]"#, "Array"),
        (r#"{"number":"1"}"#, "Phone"),
        (r#"{"code":3}"#, "MixedVariant3"),
        (r#""text""#, "String"),
    ];
    for (json, want) in cases {
        let mixed: Mixed = round_trip(json);
        let got = match &mixed {
            Mixed::Boolean(_) => "Boolean",
            Mixed::Array(_) => "Array",
            Mixed::Phone(_) => "Phone",
            Mixed::MixedVariant3(_) => "MixedVariant3",
            Mixed::String(_) => "String",
            other => panic!("{json} must match a known alternative, not {other:?}"),
        };
        assert_eq!(got, want, "{json}");
    }
}

#[test]
fn inline_unions_of_formats_decode() {
    let lookup: Lookup =
        round_trip(r#"{"id":"x","inlineChoice":"67e55044-10b1-426f-9247-bb680e5fe0c8"}"#);
    assert!(matches!(
        lookup.inline_choice,
        Some(LookupInlineChoice::Uuid(_))
    ));
    let lookup: Lookup = round_trip(r#"{"id":1,"inlineChoice":"2026-06-10"}"#);
    assert!(matches!(
        lookup.inline_choice,
        Some(LookupInlineChoice::Date(_))
    ));
    let built = Lookup::new(Identifier::Integer(1)).hint(Mixed::Phone(Phone::new("1")));
    assert_eq!(
        commet_runtime::serde_json::to_string(&built).expect("encodes"),
        r#"{"id":1,"hint":{"number":"1"}}"#
    );
}

#[test]
fn a_value_that_matches_no_alternative_is_kept() {
    let contact: Contact = round_trip(r#"{"fax":"1"}"#);
    let unknown = contact.unknown().expect("neither an email nor a phone");
    assert_eq!(unknown.tag(), None, "an untagged union has no tag");
    assert_eq!(encode(&contact), r#"{"fax":"1"}"#);
    let id: Identifier = round_trip("true");
    assert_eq!(
        id.unknown().map(|u| u.raw().clone()),
        Some(Value::Bool(true))
    );
    assert_eq!(
        id.to_string(),
        "true",
        "a path or query value writes its JSON"
    );
    let email: Contact = round_trip(r#"{"address":"a@b.c"}"#);
    assert_eq!(email.unknown(), None);
}
