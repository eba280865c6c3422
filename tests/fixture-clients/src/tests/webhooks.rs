use commet_runtime::serde_json;

use super::round_trip;
use crate::webhooks::WebhookEvent;

#[test]
fn events_decode_by_their_type_and_unknown_ones_are_kept() {
    let done: WebhookEvent =
        round_trip(r#"{"type":"batch.completed","id":"evt_1","data":{"batch_id":"b1"}}"#);
    match &done {
        WebhookEvent::BatchCompleted(e) => assert_eq!(e.data.batch_id, "b1"),
        other => panic!("{other:?}"),
    }
    let failed: WebhookEvent = round_trip(
        r#"{"type":"batch.failed","id":"evt_2","data":{"batch_id":"b2","reason":null}}"#,
    );
    assert_eq!(failed.event_type(), "batch.failed");
    let later = r#"{"type":"batch.paused","id":"evt_3","data":{"anything":[1]}}"#;
    let unknown: WebhookEvent = round_trip(later);
    match &unknown {
        WebhookEvent::Unknown { event, data } => {
            assert_eq!(event, "batch.paused");
            assert_eq!(data["data"]["anything"][0], 1);
        }
        other => panic!("{other:?}"),
    }
    // A known type whose body doesn't fit is an error, not `Unknown`.
    let error = serde_json::from_str::<WebhookEvent>(r#"{"type":"batch.failed","id":"e"}"#)
        .expect_err("no data");
    assert!(error.to_string().contains("data"), "{error}");
}
