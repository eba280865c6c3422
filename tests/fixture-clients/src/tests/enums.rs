use super::{BASE_URL, decode_error, encode, round_trip};
use crate::enums::{
    Client, ListReactionsParams, Odd, Reactions, ReactionsMaybe, ReactionsMaybeNot,
};

/// Every value of the `Odd` enum, deduplicated, with its variant.
fn odd_values() -> Vec<(&'static str, Odd)> {
    vec![
        ("", Odd::Empty),
        ("1", Odd::V1),
        ("+1", Odd::Plus1),
        ("-1", Odd::Minus1),
        ("with space", Odd::WithSpace),
        ("dot.ted", Odd::DotTed),
        ("café", Odd::CafU00e9),
        ("日本", Odd::U65e5U672c),
        ("dup", Odd::Dup),
        ("UPPER", Odd::Upper),
        ("upper", Odd::Upper2),
        ("a_b", Odd::AB),
        ("a b", Odd::AB2),
        ("unknown", Odd::Unknown2),
        ("Unknown", Odd::Unknown3),
        ("Self", Odd::Self_),
        ("type", Odd::Type),
        ("quote\"d", Odd::QuoteD),
        ("back\\slash", Odd::BackSlash),
        ("back`tick", Odd::BackTick),
    ]
}

#[test]
fn every_odd_value_has_its_own_variant_and_round_trips() {
    for (wire, variant) in odd_values() {
        assert_eq!(Odd::from(wire), variant, "{wire:?}");
        assert_eq!(variant.as_str(), wire);
        assert_eq!(variant.to_string(), wire);
        let json = encode(&wire);
        let decoded: Odd = round_trip(&json);
        assert_eq!(decoded, variant, "{json}");
        let parsed: Odd = wire.parse().expect("infallible");
        assert_eq!(parsed, variant);
    }
}

#[test]
fn unknown_values_are_kept_and_sent_back_unchanged() {
    for wire in ["brand-new", "PLUS1", "Empty", " dup", "日本語"] {
        let decoded: Odd = round_trip(&encode(&wire));
        assert_eq!(decoded, Odd::Unknown(wire.to_owned()));
        assert_eq!(decoded.as_str(), wire);
    }
}

#[test]
fn only_strings_are_enum_values() {
    let error = decode_error::<Odd>("1");
    assert!(error.contains("invalid type: integer `1`"), "{error}");
}

#[test]
fn single_value_integer_and_nullable_enums() {
    let reactions: Reactions = round_trip(
        r#"{"kind":"+1","only":"fixed","maybe":null,"maybeNot":"down","level":2,"inline":"red","history":["-1","new"]}"#,
    );
    // A single-value enum is a `String`; an integer enum an integer.
    let only: &String = &reactions.only;
    assert_eq!(only, "fixed");
    assert_eq!(reactions.level, Some(2));
    assert_eq!(reactions.maybe, Some(None));
    assert_eq!(reactions.maybe_not, Some(Some(ReactionsMaybeNot::Down)));
    assert_eq!(
        reactions.history,
        Some(vec![Odd::Minus1, Odd::Unknown("new".to_owned())])
    );
    let reactions: Reactions =
        round_trip(r#"{"kind":"","only":"other","maybe":"yes","maybeNot":null}"#);
    assert_eq!(reactions.maybe, Some(Some(ReactionsMaybe::Yes)));
    assert_eq!(reactions.maybe_not, Some(None));
}

#[test]
fn enum_query_parameters_send_their_wire_values() {
    let client = Client::builder()
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds");
    let params =
        ListReactionsParams::new().kinds(vec![Odd::WithSpace, Odd::Unknown("x".to_owned())]);
    let debug = format!("{:?}", client.list_reactions(&Odd::Plus1, params));
    assert!(
        debug.contains(r#"query: [("kind", "+1"), ("kinds", "with space"), ("kinds", "x")]"#),
        "{debug}"
    );
}
