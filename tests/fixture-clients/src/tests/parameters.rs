use commet_runtime::chrono::{NaiveDate, TimeZone, Utc};
use commet_runtime::uuid::Uuid;

use super::built;
use crate::parameters::{Client, SearchItemOrder, SearchItemParams, SearchItemSort};

fn client() -> Client {
    built(Client::builder())
}

#[test]
fn required_parameters_are_arguments_in_path_query_header_order() {
    let since = Utc.with_ymd_and_hms(2026, 6, 10, 12, 30, 0).unwrap();
    let call = client().search_item(
        "a/b",
        "q w",
        true,
        &[1, 2],
        &SearchItemSort::Desc,
        since,
        "tenant-1",
        SearchItemParams::new(),
    );
    let debug = format!("{call:?}");
    assert!(debug.contains("GET"), "{debug}");
    // The path parameter is one segment, however it is spelled.
    assert!(
        debug.contains(r#"url: Ok("http://127.0.0.1:9/v1/items/a%2Fb")"#),
        "{debug}"
    );
    assert!(
        debug.contains(
            r#"query: [("q", "q w"), ("active", "true"), ("ids", "1"), ("ids", "2"), ("sort", "desc"), ("since", "2026-06-10T12:30:00Z")]"#
        ),
        "{debug}"
    );
    // `Accept` is the client's own business; only `X-Tenant` is a parameter.
    assert!(debug.contains(r#"headers: ["X-Tenant"]"#), "{debug}");
}

#[test]
fn optional_parameters_are_sent_only_when_set() {
    let since = Utc.with_ymd_and_hms(2026, 6, 10, 0, 0, 0).unwrap();
    let params = SearchItemParams::new()
        .label("l")
        .limit(5)
        .verbose(false)
        .order(SearchItemOrder::Oldest)
        .until(since)
        .tags(vec!["x".to_owned(), "y".to_owned()])
        .x_trace("t");
    let call = client().search_item(
        "i",
        "q",
        false,
        &[],
        &SearchItemSort::Asc,
        since,
        "t",
        params,
    );
    let debug = format!("{call:?}");
    assert!(
        debug.contains(
            r#"("sort", "asc"), ("since", "2026-06-10T00:00:00Z"), ("label", "l"), ("limit", "5"), ("verbose", "false"), ("order", "oldest"), ("until", "2026-06-10T00:00:00Z"), ("tags", "x"), ("tags", "y")]"#
        ),
        "{debug}"
    );
    assert!(
        debug.contains(r#"headers: ["X-Tenant", "X-Trace"]"#),
        "{debug}"
    );
}

#[test]
fn typed_path_parameters_are_formatted_and_idempotency_is_detected() {
    let token = Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    let debug = format!("{:?}", client().delete_pin("i", -7, day, token));
    assert!(
        debug.contains(
            r#"url: Ok("http://127.0.0.1:9/v1/items/i/pins/-7/2026-06-10/67e55044-10b1-426f-9247-bb680e5fe0c8")"#
        ),
        "{debug}"
    );
    assert!(debug.contains("DELETE"), "{debug}");
    // The spec's `Idempotency-Key` header makes the operation idempotent, not a parameter.
    assert!(debug.contains("idempotent: true"), "{debug}");
    assert!(debug.contains("headers: []"), "{debug}");
}

#[test]
fn an_operation_without_parameters_takes_none() {
    let debug = format!("{:?}", client().health());
    assert!(
        debug.contains(r#"url: Ok("http://127.0.0.1:9/v1/health")"#),
        "{debug}"
    );
    assert!(debug.contains("query: []"), "{debug}");
    assert!(debug.contains("idempotent: false"), "{debug}");
}

#[test]
fn date_time_path_segments_are_rfc3339_and_alias_parameters_are_accepted() {
    let at = "2026-06-10T09:30:00Z".parse().unwrap();
    let debug = format!("{:?}", client().events_at(at, &"SKU-1".to_owned()));
    // RFC 3339 (not chrono's `2026-06-10 09:30:00 UTC`), with `:` escaped in the segment.
    assert!(
        debug.contains(r#"url: Ok("http://127.0.0.1:9/v1/events/2026-06-10T09%3A30%3A00Z")"#),
        "{debug}"
    );
    assert!(debug.contains(r#"("sku", "SKU-1")"#), "{debug}");
}
