use commet_runtime::{ErrorBody, Page};

use super::{built, round_trip};
use crate::responses::{Client, ListWidgetsParams, Problem, Widget};

fn client() -> Client {
    built(Client::builder())
}

#[test]
fn each_success_shape_gives_the_caller_the_payload() {
    let client = client();
    // A list envelope gives a page of the items; a data envelope gives the data; a bare body
    // the body; an empty 204 nothing; a `2XX` range its body.
    let list: commet_runtime::Call<Page<Widget>, Problem> =
        client.list_widgets(ListWidgetsParams::new().limit(2));
    let created: commet_runtime::Call<Widget, Problem> = client.create_widget(&Widget::new("w"));
    let bare: commet_runtime::Call<Widget, Problem> = client.get_widget("w");
    let deleted: commet_runtime::Call<(), Problem> = client.delete_widget("w");
    let ping: commet_runtime::Call<String, commet_runtime::serde_json::Value> =
        client.ping_widget("w");
    for (call, envelope, error_envelope) in [
        (format!("{list:?}"), "List", r#"Field("error")"#),
        (format!("{created:?}"), "Data", r#"Field("error")"#),
        (format!("{bare:?}"), "Bare", "Bare"),
        (format!("{deleted:?}"), "Empty", "Bare"),
        (format!("{ping:?}"), "Bare", "Bare"),
    ] {
        assert!(call.contains(&format!("envelope: {envelope},")), "{call}");
        assert!(
            call.contains(&format!("error_envelope: {error_envelope},")),
            "{call}"
        );
    }
}

#[test]
fn a_paginated_list_has_a_stream_too() {
    let stream: commet_runtime::PageStream<Widget, Problem> =
        client().list_widgets_stream(ListWidgetsParams::new().cursor("c1"));
    assert!(format!("{stream:?}").starts_with("PageStream"));
}

#[test]
fn the_error_body_tells_the_runtime_its_type_code_and_message() {
    let problem: Problem =
        round_trip(r#"{"type":"not_found","code":"widget_missing","message":"No such widget"}"#);
    assert_eq!(problem.error_type(), Some("not_found"));
    assert_eq!(problem.code(), Some("widget_missing"));
    assert_eq!(problem.message(), Some("No such widget"));
    let problem: Problem = round_trip(r#"{"message":"m"}"#);
    assert_eq!((problem.error_type(), problem.code()), (None, None));
}

#[tokio::test]
async fn success_statuses_with_different_bodies_are_told_apart_by_status() {
    use super::{recorder, wired};
    use crate::responses::PutWidgetLabelOutcome;
    use commet_fake::wire::WireReply;

    let server = recorder().await;
    server
        .reply(WireReply::json(201, r#"{"id":"w1","size":3}"#))
        .reply(WireReply::json(202, r#"{"job":"job_9"}"#))
        .reply(WireReply::status(204))
        .reply(WireReply::json(200, r#"{"id":"w1"}"#));
    let client = wired(Client::builder(), &server);
    let created = client.put_widget_label("w1", "blue").await.expect("201");
    assert!(
        matches!(&created, PutWidgetLabelOutcome::Created(w) if w.id == "w1" && w.size == Some(3)),
        "{created:?}"
    );
    let accepted = client.put_widget_label("w1", "blue").await.expect("202");
    assert!(
        matches!(&accepted, PutWidgetLabelOutcome::Accepted(a) if a.job == "job_9"),
        "{accepted:?}"
    );
    let same = client.put_widget_label("w1", "blue").await.expect("204");
    assert_eq!(same, PutWidgetLabelOutcome::NoContent);
    // A success status the spec doesn't list is a decode error that names it.
    match client.put_widget_label("w1", "blue").await {
        Err(commet_runtime::Error::Decode(e)) => {
            assert!(e.message.contains("200"), "{e}")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(server.requests()[0].body_text(), r#""blue""#);
}
