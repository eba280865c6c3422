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
