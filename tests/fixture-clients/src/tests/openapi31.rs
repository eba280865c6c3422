use super::{encode, recorder, round_trip, wired_bearer};
use crate::openapi31::{Client, NewOrder, Order, OrderShipped, Shipping, WebhookEvent};
use commet_fake::wire::WireReply;

const ORDER: &str = r#"{"id":"o1","object":"order","quantity":2,"position":[52.5,13.4],"coupon":null,"tracking":null,"shipping":null,"priority":null}"#;

#[test]
fn type_lists_with_null_and_a_null_branch_are_optional_values() {
    let order: Order = round_trip(ORDER);
    assert_eq!(order.object, "order");
    assert_eq!(order.position, (52.5, 13.4));
    assert_eq!(order.coupon, Some(None));
    assert_eq!(order.tracking, Some(None));
    assert_eq!(order.shipping, Some(None));
    assert_eq!(order.priority, Some(None));

    let shipped: Order = round_trip(
        r#"{"id":"o1","object":"order","quantity":2,"position":[0.0,0.0],"coupon":{"code":"C"},"tracking":["1Z"],"shipping":"air","priority":3}"#,
    );
    assert_eq!(
        shipped.coupon.flatten().map(|c| c.code),
        Some("C".to_owned())
    );
    assert_eq!(shipped.tracking, Some(Some(vec!["1Z".to_owned()])));
    assert_eq!(shipped.shipping, Some(Some(Shipping::Air)));
    assert_eq!(shipped.priority, Some(Some(3)));
}

#[test]
fn a_closed_prefix_items_array_is_a_tuple_of_its_length() {
    let short = super::decode_error::<Order>(
        r#"{"id":"o1","object":"order","quantity":2,"position":[52.5]}"#,
    );
    assert!(short.contains("tuple of size 2"), "{short}");
}

#[tokio::test]
async fn null_is_sent_for_a_nullable_value_set_to_none_and_nothing_when_unset() {
    let server = recorder().await;
    server.reply(WireReply::json(201, ORDER));
    let client = wired_bearer(Client::builder(), &server);
    let order = client
        .create_order(&NewOrder::new(2, 0.25, (52.5, 13.4)).note(None))
        .await
        .expect("the order is created");
    assert_eq!(order.id, "o1");
    let request = server.only_request();
    assert_eq!(request.path(), "/v1/orders");
    assert_eq!(
        request.body_text(),
        r#"{"quantity":2,"discount":0.25,"note":null,"position":[52.5,13.4]}"#
    );
    assert_eq!(
        encode(&NewOrder::new(1, 0.5, (0.0, 0.0))),
        r#"{"quantity":1,"discount":0.5,"position":[0.0,0.0]}"#
    );
}

#[tokio::test]
async fn a_path_item_from_components_is_an_operation_with_its_shared_parameter() {
    let server = recorder().await;
    server.reply(WireReply::json(200, ORDER));
    let client = wired_bearer(Client::builder(), &server);
    client.get_order("o/1").await.expect("the order is read");
    let request = server.only_request();
    assert_eq!(request.path(), "/v1/orders/o%2F1");
    assert_eq!(request.header("authorization"), Some("Bearer k"));
}

#[test]
fn webhook_bodies_decode_with_the_same_models() {
    let event: WebhookEvent = round_trip(r#"{"type":"order.shipped","order_id":"o1"}"#);
    match event {
        WebhookEvent::OrderShipped(OrderShipped { order_id, .. }) => assert_eq!(order_id, "o1"),
        other => panic!("expected order.shipped, got {other:?}"),
    }
    let unknown: WebhookEvent = round_trip(r#"{"type":"order.lost","order_id":"o1"}"#);
    assert_eq!(unknown.event_type(), "order.lost");
}

#[test]
fn metadata_only_3_1_fields_reach_the_docs_and_constants() {
    assert_eq!(Client::API_VERSION, "2.0.0");
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.example.com/v2");
}
