use super::{decode_error, encode, round_trip};
use crate::one_of_discriminator::{BankAccount, Card, Owner, PaymentMethod};

#[test]
fn the_tag_picks_the_variant() {
    let card: PaymentMethod = round_trip(r#"{"type":"card","last4":"4242"}"#);
    assert!(
        matches!(&card, PaymentMethod::Card(c) if c.last4 == "4242"),
        "{card:?}"
    );
    let bank: PaymentMethod = round_trip(r#"{"type":"bank_account","iban":"DE00"}"#);
    assert!(matches!(bank, PaymentMethod::BankAccount(_)), "{bank:?}");
}

#[test]
fn several_mapping_values_may_select_one_variant() {
    let sepa: PaymentMethod = round_trip(r#"{"type":"sepa_debit","iban":"FR00"}"#);
    assert!(
        matches!(&sepa, PaymentMethod::BankAccount(b) if b.r#type == "sepa_debit"),
        "{sepa:?}"
    );
}

#[test]
fn an_alternative_missing_from_the_mapping_is_selected_by_its_schema_name() {
    let wallet: PaymentMethod = round_trip(r#"{"type":"Wallet","provider":"apple"}"#);
    assert!(matches!(wallet, PaymentMethod::Wallet(_)), "{wallet:?}");
    let owner: Owner = round_trip(r#"{"kind":"Company","legalName":"ACME"}"#);
    assert!(matches!(owner, Owner::Company(_)), "{owner:?}");
}

#[test]
fn the_tag_wins_over_the_shape() {
    // This body also fits `Card`, but its tag says bank account, which lacks `iban`.
    let error = decode_error::<PaymentMethod>(r#"{"type":"bank_account","last4":"4242"}"#);
    assert!(error.contains("missing field `iban`"), "{error}");
}

#[test]
fn an_unknown_tag_is_kept_with_its_json() {
    let json = r#"{"type":"paypal","email":"a@b.c"}"#;
    let method: PaymentMethod = round_trip(json);
    let unknown = method.unknown().expect("no alternative has `paypal`");
    assert_eq!(unknown.tag(), Some("paypal"));
    assert_eq!(unknown.raw()["email"], "a@b.c");
    assert_eq!(encode(&method), json, "written back as it came");
    let known: PaymentMethod = round_trip(r#"{"type":"card","last4":"4242"}"#);
    assert_eq!(known.unknown(), None);
}

#[test]
fn a_missing_or_malformed_tag_names_the_tag() {
    let error = decode_error::<PaymentMethod>(r#"{"last4":"4242"}"#);
    assert!(error.contains("missing field `type`"), "{error}");
    let error = decode_error::<PaymentMethod>(r#"{"type":7,"last4":"4242"}"#);
    assert!(error.contains("`type` must be a string"), "{error}");
}

#[test]
fn encoding_writes_the_variant_with_its_tag() {
    let method = PaymentMethod::Card(Card::new("card", "1111"));
    assert_eq!(encode(&method), r#"{"type":"card","last4":"1111"}"#);
    let method = PaymentMethod::BankAccount(BankAccount::new("sepa_debit", "IT00"));
    assert_eq!(encode(&method), r#"{"type":"sepa_debit","iban":"IT00"}"#);
}

#[test]
fn alternatives_are_selected_by_the_tag_values_they_allow() {
    use crate::one_of_discriminator::Event;
    // An inline alternative with two values of its own.
    for tag in ["ping", "heartbeat"] {
        let ping: Event = round_trip(&format!(r#"{{"type":"{tag}"}}"#));
        assert!(matches!(ping, Event::Ping(_)), "{ping:?}");
    }
    // Two alternatives allow `message`: the first that decodes wins.
    let input: Event = round_trip(r#"{"type":"message","text":"hi"}"#);
    assert!(matches!(input, Event::InputMessage(_)), "{input:?}");
    let output: Event = round_trip(r#"{"type":"message","parts":["a"]}"#);
    assert!(matches!(output, Event::OutputMessage(_)), "{output:?}");
    // A component name is not a tag value here: the value is one this version doesn't know.
    let unknown: Event = round_trip(r#"{"type":"InputMessage","text":"hi"}"#);
    assert_eq!(
        unknown.unknown().and_then(|u| u.tag()),
        Some("InputMessage")
    );
}

#[test]
fn a_tagged_union_nested_in_another_is_selected_by_its_own_tags() {
    use crate::one_of_discriminator::{Entry, Event};
    // `message` is a `Note` first; what isn't one is tried as the nested union next.
    let note: Entry = round_trip(r#"{"type":"message","note":"n"}"#);
    assert!(matches!(note, Entry::Note(_)), "{note:?}");
    let input: Entry = round_trip(r#"{"type":"message","text":"hi"}"#);
    assert!(
        matches!(input, Entry::Event(Event::InputMessage(_))),
        "{input:?}"
    );
    let ping: Entry = round_trip(r#"{"type":"heartbeat"}"#);
    assert!(matches!(ping, Entry::Event(Event::Ping(_))), "{ping:?}");
    // A tag neither union knows is kept by the outer one.
    let unheard: Entry = round_trip(r#"{"type":"unheard-of"}"#);
    assert_eq!(unheard.unknown().and_then(|u| u.tag()), Some("unheard-of"));
}
