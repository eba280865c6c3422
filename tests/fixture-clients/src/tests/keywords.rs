use commet_runtime::serde_json::{Value, json};

use super::{BASE_URL, round_trip};
use crate::keywords::{
    BoxModel, Client, Keyworded, MatchParams, OptionModel, ResultModel, Self_, SelfParams,
    StringModel, VecModel,
};

#[test]
fn keyword_fields_use_their_wire_names() {
    let value = Keyworded::new("t", "r")
        .self_("s")
        .crate_("c")
        .self_2("S")
        .r#gen("g")
        .r#async(true)
        .r#match(Self_::new().option(OptionModel::Self_))
        .super_(1)
        .r#fn(BoxModel::new().inner("i"));
    let encoded: Value = commet_runtime::serde_json::to_value(&value).expect("encodes");
    assert_eq!(
        encoded,
        json!({
            "type": "t", "ref": "r", "self": "s", "crate": "c", "Self": "S", "gen": "g",
            "async": true, "match": {"option": "self"}, "super": 1, "fn": {"inner": "i"}
        })
    );
    let decoded: Keyworded = round_trip(&encoded.to_string());
    assert_eq!(decoded, value);
    assert_eq!(decoded.r#type, "t");
    assert_eq!(decoded.self_2.as_deref(), Some("S"));
}

#[test]
fn schemas_named_like_prelude_types_do_not_shadow_them() {
    let result: ResultModel = round_trip(r#"{"ok":true,"vec":["a","b"]}"#);
    let vec: Option<VecModel> = result.vec;
    let strings: Vec<StringModel> = vec.expect("vec");
    assert_eq!(strings, ["a", "b"]);
    for (wire, want) in [
        ("Some", OptionModel::Some),
        ("None", OptionModel::None),
        ("self", OptionModel::Self_),
        ("type", OptionModel::Type),
    ] {
        assert_eq!(OptionModel::from(wire), want);
        assert_eq!(want.as_str(), wire);
    }
}

#[test]
fn keyword_operations_and_parameters_build_requests() {
    let client = Client::builder()
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds");
    let call = client.r#match(
        "a ref",
        "a type",
        &Keyworded::new("t", "r"),
        MatchParams::new().r#async(false).self_("me"),
    );
    let debug = format!("{call:?}");
    assert!(debug.contains("/v1/things/a%20ref"), "{debug}");
    assert!(
        debug.contains(r#"query: [("type", "a type"), ("async", "false")]"#),
        "{debug}"
    );
    assert!(debug.contains(r#"headers: ["self"]"#), "{debug}");
    // The operation `self` has `SelfParams`, not `Self_Params`.
    let debug = format!("{:?}", client.self_(SelfParams::new().verbose(true)));
    assert!(
        debug.contains("/v1/self") && debug.contains(r#"("verbose", "true")"#),
        "{debug}"
    );
    assert!(format!("{:?}", client.r#type()).contains("/v1/options"));
}
