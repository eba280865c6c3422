//! `list_payments_stream` over real HTTP: every payment exactly once, newest first, lazily page
//! by page; transient failures retried per page; and a server whose cursors would loop (or stop
//! without a cursor) ends the stream with `Error::Pagination` instead of looping forever.

mod common;

use std::collections::HashSet;

use commet::ListPaymentsParams;
use commet_fake::{FakeCommet, Fault};
use common::{CUSTOMER, requests_to, start, status, status_body};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

/// Every `cursor` query value the fake received on `GET /payments`, in order (None: no cursor).
fn cursors(fake: &FakeCommet) -> Vec<Option<String>> {
    requests_to(fake, "GET", "/payments")
        .iter()
        .map(|r| {
            r.query.as_deref().and_then(|q| {
                q.split('&')
                    .find_map(|pair| pair.strip_prefix("cursor="))
                    .map(str::to_owned)
            })
        })
        .collect()
}

/// A 200 list page with exactly this envelope, as a fault (the fake sends it as is).
fn page(data: &[Value], rest: Value) -> Fault {
    let mut body = json!({"success": true, "data": data});
    if let (Some(body), Value::Object(rest)) = (body.as_object_mut(), rest) {
        body.extend(rest);
    }
    status_body(200, &body.to_string())
}

#[tokio::test]
async fn the_stream_yields_all_250_payments_once_newest_first() {
    let (fake, client) = start().await;
    let seeded = fake.seed_payments(None, 250);
    let expected: Vec<String> = seeded.iter().rev().cloned().collect();

    let payments: Vec<commet::Payment> = client
        .list_payments_stream(ListPaymentsParams::new().limit(100))
        .try_collect()
        .await
        .expect("every page loads");

    let ids: Vec<String> = payments.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, expected, "exactly the seeded payments, newest first");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        250,
        "no duplicates"
    );
    assert!(
        payments
            .windows(2)
            .all(|w| w[0].created_at > w[1].created_at)
    );
    // Three pages (100, 100, 50), each after the previous page's last item.
    assert_eq!(
        cursors(&fake),
        [
            None,
            Some(expected[99].clone()),
            Some(expected[199].clone())
        ]
    );
    let queries: Vec<String> = requests_to(&fake, "GET", "/payments")
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(
        queries.iter().all(|q| q.contains("limit=100")),
        "{queries:?}"
    );
}

#[tokio::test]
async fn the_stream_uses_the_default_page_size_and_the_customer_filter() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 250);
    let all: Vec<commet::Payment> = client
        .list_payments_stream(ListPaymentsParams::new())
        .try_collect()
        .await
        .expect("every page loads");
    assert_eq!(all.len(), 250);
    assert_eq!(cursors(&fake).len(), 10, "25 per page");

    let mine = fake.seed_payments(Some(CUSTOMER), 30);
    let got: Vec<String> = client
        .list_payments_stream(ListPaymentsParams::new().customer_id(CUSTOMER).limit(7))
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("every page loads");
    let expected: Vec<String> = mine.into_iter().rev().collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn the_stream_is_lazy() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 250);
    let first_three: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new().limit(100))
        .take(3)
        .collect()
        .await;
    assert_eq!(first_three.len(), 3);
    assert_eq!(fake.requests().len(), 1, "only the first page was fetched");

    fake.clear_requests();
    let stream = client.list_payments_stream(ListPaymentsParams::new());
    drop(stream);
    assert!(fake.requests().is_empty(), "nothing is sent until polled");
}

#[tokio::test]
async fn a_transient_failure_on_a_later_page_is_retried() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 250);
    // The first page passes untouched (an empty patch); the second meets two 503s.
    fake.push_fault_for("GET", "/payments", Fault::PatchResponse(json!({})));
    fake.push_fault_for("GET", "/payments", status(503));
    fake.push_fault_for("GET", "/payments", status(503));
    let all: Vec<commet::Payment> = client
        .list_payments_stream(ListPaymentsParams::new().limit(100))
        .try_collect()
        .await
        .expect("retried");
    assert_eq!(all.len(), 250);
    assert_eq!(fake.requests().len(), 5, "3 pages + 2 retries");
}

#[tokio::test]
async fn a_lasting_failure_ends_the_stream_after_the_items_received() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 250);
    fake.push_fault_for("GET", "/payments", Fault::PatchResponse(json!({})));
    for _ in 0..3 {
        fake.push_fault_for("GET", "/payments", status(500));
    }
    let items: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new().limit(100))
        .collect()
        .await;
    assert_eq!(
        items.len(),
        101,
        "the first page, then the error, then the end"
    );
    assert!(items[..100].iter().all(Result::is_ok));
    let error = items[100].as_ref().expect_err("the second page fails");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn a_repeated_cursor_is_a_pagination_error_not_a_loop() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 30);
    let wire = fake.payments(); // oldest first
    let newest: Vec<Value> = wire.iter().rev().cloned().collect();

    // Page 1 is real (limit 10, cursor = the 10th newest). Page 2 claims more and hands back
    // the very same cursor, which would fetch page 2 forever.
    fake.push_fault_for("GET", "/payments", Fault::PatchResponse(json!({})));
    let cursor = newest[9]["id"].as_str().expect("id").to_owned();
    fake.push_fault_for(
        "GET",
        "/payments",
        page(
            &newest[10..20],
            json!({"hasMore": true, "nextCursor": cursor}),
        ),
    );

    let items: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new().limit(10))
        .collect()
        .await;
    assert_eq!(items.len(), 21, "20 payments, then the error, then the end");
    assert!(items[..20].iter().all(Result::is_ok));
    match &items[20] {
        Err(commet::Error::Pagination(message)) => {
            assert!(message.contains(&cursor), "{message}");
            let line = items[20].as_ref().expect_err("error").to_string();
            assert!(line.starts_with("pagination error: "), "{line}");
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(fake.requests().len(), 2, "no third request");
}

#[tokio::test]
async fn a_cursor_cycle_is_a_pagination_error() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 6);
    let newest: Vec<Value> = fake.payments().into_iter().rev().collect();
    let id = |i: usize| newest[i]["id"].as_str().expect("id").to_owned();
    // A → B → A: the third cursor was already followed.
    fake.push_fault(page(
        &newest[0..2],
        json!({"hasMore": true, "nextCursor": id(1)}),
    ));
    fake.push_fault(page(
        &newest[2..4],
        json!({"hasMore": true, "nextCursor": id(3)}),
    ));
    fake.push_fault(page(
        &newest[4..6],
        json!({"hasMore": true, "nextCursor": id(1)}),
    ));
    let items: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new().limit(2))
        .collect()
        .await;
    assert_eq!(items.len(), 7);
    assert!(
        matches!(items[6], Err(commet::Error::Pagination(_))),
        "{:?}",
        items[6]
    );
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn the_starting_cursor_counts_as_seen() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 4);
    let newest: Vec<Value> = fake.payments().into_iter().rev().collect();
    let start_cursor = newest[1]["id"].as_str().expect("id").to_owned();
    fake.push_fault(page(
        &newest[2..4],
        json!({"hasMore": true, "nextCursor": start_cursor}),
    ));
    let items: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new().cursor(&start_cursor).limit(2))
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(
        matches!(items[2], Err(commet::Error::Pagination(_))),
        "{:?}",
        items[2]
    );
    assert_eq!(cursors(&fake), [Some(start_cursor)]);
}

#[tokio::test]
async fn has_more_without_a_cursor_is_a_pagination_error() {
    let (fake, client) = start().await;
    fake.seed_payments(None, 3);
    let newest: Vec<Value> = fake.payments().into_iter().rev().collect();
    for rest in [
        json!({"hasMore": true}),
        json!({"hasMore": true, "nextCursor": null}),
        json!({"hasMore": true, "nextCursor": ""}),
    ] {
        fake.clear_requests();
        fake.push_fault(page(&newest, rest.clone()));
        let items: Vec<_> = client
            .list_payments_stream(ListPaymentsParams::new())
            .collect()
            .await;
        assert_eq!(items.len(), 4, "{rest}");
        assert!(items[..3].iter().all(Result::is_ok), "{rest}");
        match &items[3] {
            Err(commet::Error::Pagination(message)) => {
                assert!(message.contains("nextCursor"), "{message}");
            }
            other => panic!("{rest}: expected a pagination error, got {other:?}"),
        }
        assert_eq!(fake.requests().len(), 1, "{rest}");
    }
}

#[tokio::test]
async fn an_empty_list_is_an_empty_stream() {
    let (fake, client) = start().await;
    let items: Vec<_> = client
        .list_payments_stream(ListPaymentsParams::new())
        .collect()
        .await;
    assert!(items.is_empty());
    assert_eq!(fake.requests().len(), 1);
}
