use super::{BASE_URL, round_trip};
use crate::collisions::{
    Add, Add2, Client, ClientModel, GetThingParams, GetThingParams2, GetThingRequest,
    GetThingRequest2, GetThingRequest2Status, Thing, ThingStatus, ThingStatus2,
};

#[test]
fn properties_that_snake_case_alike_stay_apart() {
    let add: Add2 = round_trip(
        r#"{"add":"lower","Add":"upper","reactions-+1":1,"reactions--1":2,"reactions_plus_1":3}"#,
    );
    assert_eq!((add.add.as_str(), add.add_2.as_str()), ("lower", "upper"));
    assert_eq!(
        (
            add.reactions_plus_1,
            add.reactions_minus_1,
            add.reactions_plus_1_2
        ),
        (Some(1), Some(2), Some(3))
    );
}

#[test]
fn schemas_that_camel_case_alike_stay_apart() {
    // `add` and `Add` are two schemas; sorted by name, `Add` keeps the plain name.
    let upper: Add = round_trip(r#"{"value":1}"#);
    assert_eq!(upper.value, Some(1));
    let thing: Thing = round_trip(r#"{"status":"new","other":"a"}"#);
    assert_eq!(thing.status, Some(ThingStatus2::New));
    assert_eq!(thing.other, Some(ThingStatus::A));
}

#[test]
fn generated_names_yield_to_schema_names() {
    let client: ClientModel = round_trip(r#"{"name":"n","params":{"x":"1"},"request":{"y":"2"}}"#);
    let _: Option<GetThingParams> = client.params;
    let _: Option<GetThingRequest> = client.request;
    let body = GetThingRequest2::new().status(GetThingRequest2Status::Off);
    assert_eq!(
        commet_runtime::serde_json::to_string(&body).expect("encodes"),
        r#"{"status":"off"}"#
    );
}

#[test]
fn operations_and_parameters_that_collide_get_distinct_names() {
    let client = Client::builder()
        .api_key("k")
        .base_url(BASE_URL)
        .build()
        .expect("builds");
    let call = client.get_thing(
        "the call",
        &["i1".to_owned(), "i2".to_owned()],
        GetThingParams2::new()
            .page_size(1)
            .page_size_2(2)
            .page_size_3(3)
            .value("v"),
    );
    let debug = format!("{call:?}");
    assert!(
        debug.contains(
            r#"query: [("page-size", "1"), ("page_size", "2"), ("pageSize", "3"), ("call", "the call"), ("item", "i1"), ("item", "i2")]"#
        ),
        "{debug}"
    );
    assert!(debug.contains(r#"headers: ["value"]"#), "{debug}");
    assert!(format!("{:?}", client.get_thing_2(&GetThingRequest2::new())).contains("PUT"));
    let body = Add2::new("a", "A");
    assert!(format!("{:?}", client.get_thing_3(&body)).contains("POST"));
}
