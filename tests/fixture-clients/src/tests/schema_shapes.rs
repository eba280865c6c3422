use super::{encode, recorder, round_trip, wired_bearer};
use crate::schema_shapes::{
    Client, Expression, GetInstanceParams, Instance, InstanceHealth, InstanceNetwork,
    InstanceSource, InstanceUpdate, NameOrId, SortMode, State, Sum, Tier,
};
use commet_fake::wire::WireReply;
use commet_runtime::uuid::Uuid;

const INSTANCE: &str = r#"{"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","name":"web-1","state":"running","previous_state":null,"health":null,"tier":null}"#;

#[tokio::test]
async fn an_untagged_union_parameter_is_sent_as_the_chosen_alternative_s_string() {
    let server = recorder().await;
    server.reply(WireReply::json(200, INSTANCE));
    server.reply(WireReply::json(200, INSTANCE));
    let client = wired_bearer(Client::builder(), &server);
    let id = Uuid::parse_str("6f9619ff-8b86-d011-b42d-00cf4fc964ff").expect("a uuid");
    client
        .get_instance(&NameOrId::Id(id), GetInstanceParams::new())
        .await
        .expect("found by id");
    client
        .get_instance(
            &NameOrId::Name("web-1".to_owned()),
            GetInstanceParams::new()
                .project(NameOrId::Name("a b".to_owned()))
                .sort_by(SortMode::NameDescending),
        )
        .await
        .expect("found by name");
    let requests = server.requests();
    assert_eq!(
        requests[0].path(),
        "/v1/instances/6f9619ff-8b86-d011-b42d-00cf4fc964ff"
    );
    assert_eq!(requests[0].query(), None);
    assert_eq!(requests[1].path(), "/v1/instances/web-1");
    assert_eq!(
        requests[1].query(),
        Some("project=a%20b&sort_by=name_descending")
    );
}

#[test]
fn a_one_of_of_one_value_enums_is_an_open_string_enum() {
    assert_eq!(SortMode::from("id_descending"), SortMode::IdDescending);
    assert_eq!(SortMode::NameAscending.as_str(), "name_ascending");
    let newer: SortMode = round_trip(r#""created_ascending""#);
    assert_eq!(newer, SortMode::Unknown("created_ascending".to_owned()));
}

#[test]
fn union_alternatives_decode_by_what_they_hold() {
    let id: NameOrId = round_trip(r#""6f9619ff-8b86-d011-b42d-00cf4fc964ff""#);
    assert!(matches!(id, NameOrId::Id(_)), "{id:?}");
    let name: NameOrId = round_trip(r#""web-1""#);
    assert_eq!(name, NameOrId::Name("web-1".to_owned()));
}

#[test]
fn null_branches_nullable_refs_and_enums_that_list_null_are_optional() {
    let instance: Instance = round_trip(INSTANCE);
    assert_eq!(instance.state, State::Running);
    assert_eq!(instance.previous_state, Some(None));
    assert_eq!(instance.health, Some(None));
    assert_eq!(instance.tier, Some(None));
    assert_eq!(instance.boot_disk, None);

    let instance: Instance = round_trip(
        r#"{"id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","name":"web-1","state":"stopped","previous_state":"running","health":"rebooting","tier":"large","boot_disk":{"size":10}}"#,
    );
    assert_eq!(instance.previous_state, Some(Some(State::Running)));
    assert_eq!(
        instance.health,
        Some(Some(InstanceHealth::Unknown("rebooting".to_owned())))
    );
    assert_eq!(instance.tier, Some(Some(Tier::Large)));
    assert_eq!(instance.boot_disk.flatten().map(|d| d.size), Some(10));
}

/// [`INSTANCE`] with `"name": json` added, decoded.
fn instance_with(name: &str, json: &str) -> Instance {
    round_trip(&INSTANCE.replace(r#""tier":null"#, &format!(r#""tier":null,"{name}":{json}"#)))
}

#[test]
fn properties_beside_one_of_belong_to_every_alternative() {
    let source = |json: &str| instance_with("source", json).source.expect("a source");
    match source(r#"{"kind":"disk","image":"debian-13"}"#) {
        InstanceSource::Variant0(v) => {
            assert_eq!((v.kind.as_str(), v.image.as_str()), ("disk", "debian-13"))
        }
        other => panic!("expected the image alternative, got {other:?}"),
    }
    match source(r#"{"kind":"disk","snapshot":"s-1"}"#) {
        InstanceSource::Variant1(v) => assert_eq!(v.snapshot, "s-1"),
        other => panic!("expected the snapshot alternative, got {other:?}"),
    }
    let network = instance_with("network", r#"{"kind":"ipv4","vpc":"v-1"}"#).network;
    match network.expect("a network") {
        InstanceNetwork::Private(n) => {
            assert_eq!((n.kind.as_str(), n.vpc.as_str()), ("ipv4", "v-1"))
        }
        other => panic!("expected the private alternative, got {other:?}"),
    }
    // The shared property is required in every alternative: without it, no known one fits.
    let unknown = source(r#"{"image":"debian-13"}"#);
    assert_eq!(
        unknown.unknown().map(|u| u.raw()["image"].clone()),
        Some("debian-13".into())
    );
}

#[test]
fn all_of_merges_identity_and_narrows_single_values() {
    let instance = instance_with("labels", r#"{"env":"prod"}"#);
    assert_eq!(instance.name, "web-1");
    assert_eq!(instance.labels.and_then(|l| l.env).as_deref(), Some("prod"));
    // `allOf` of a `$ref` and a narrower `maxLength` is the referenced type.
    let hostname: Option<crate::schema_shapes::Name> =
        instance_with("hostname", r#""h-1""#).hostname;
    assert_eq!(hostname.as_deref(), Some("h-1"));
}

#[tokio::test]
async fn a_nullable_union_sends_null_to_clear_and_nothing_to_keep() {
    let server = recorder().await;
    server.reply(WireReply::json(200, INSTANCE));
    let client = wired_bearer(Client::builder(), &server);
    let update = InstanceUpdate::new()
        .tier(None)
        .tags(Some(vec!["a".to_owned()]));
    client
        .update_instance(&NameOrId::Name("web-1".to_owned()), &update)
        .await
        .expect("updated");
    assert_eq!(
        server.only_request().body_text(),
        r#"{"tier":null,"tags":["a"]}"#
    );
    assert_eq!(encode(&InstanceUpdate::new()), "{}");
    assert_eq!(
        encode(&InstanceUpdate::new().tier(Some(Tier::Small))),
        r#"{"tier":"small"}"#
    );
}

#[test]
fn a_recursive_union_nests() {
    let tree: Expression = round_trip(r#"[1.5,{"left":2.0,"right":[3.0]}]"#);
    let Expression::Array(items) = tree else {
        panic!("expected an array");
    };
    assert_eq!(items[0], Expression::Number(1.5));
    assert_eq!(
        items[1],
        Expression::Sum(Sum::new(
            Expression::Number(2.0),
            Expression::Array(vec![Expression::Number(3.0)])
        ))
    );
}
