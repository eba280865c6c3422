use super::{recorder, wired};
use crate::param_styles::{Client, GetReportFormat, ListItemsParams, Range};

#[tokio::test]
async fn every_query_style_header_type_and_cookie_on_the_wire() {
    let server = recorder().await;
    let client = wired(Client::builder(), &server);
    let range = || Range::new().min(1).max(2);
    let params = ListItemsParams::new()
        .ids(vec![1, 2])
        .tags(vec!["a".to_owned(), "b c".to_owned()])
        .range(range())
        .bounds(range())
        .filter(range())
        .words(vec!["big".to_owned(), "red".to_owned()])
        .colors(vec!["red".to_owned(), "blue".to_owned()])
        .q("x&y=z")
        .session_id("s 1")
        .theme("dark")
        .x_page_size(25)
        .x_dry_run(true)
        .x_ratio(0.5)
        .x_trace("t-1");
    client.list_items(params).await.expect("sent");

    let request = server.only_request();
    assert_eq!(request.path(), "/v1/items");
    let query: Vec<&str> = request.query().expect("a query").split('&').collect();
    assert_eq!(
        query,
        [
            "ids=1",
            "ids=2",
            // form, explode false: one field, commas between items
            "tags=a,b%20c",
            // form, explode true, object: spread
            "min=1",
            "max=2",
            // form, explode false, object: name and value pairs
            "bounds=min,1,max,2",
            // deepObject
            "filter%5Bmin%5D=1",
            "filter%5Bmax%5D=2",
            "words=big%20red",
            "colors=red|blue",
            // a scalar is the same in every style, and escaped
            "q=x%26y%3Dz",
        ]
    );
    assert_eq!(request.header("x-page-size"), Some("25"));
    assert_eq!(request.header("x-dry-run"), Some("true"));
    assert_eq!(request.header("x-ratio"), Some("0.5"));
    assert_eq!(request.header("x-trace"), Some("t-1"));
    // Both cookies in one header, values escaped so a space or `;` can't split them.
    assert_eq!(
        request.header("cookie"),
        Some("session_id=s%201; theme=dark")
    );
}

#[tokio::test]
async fn path_segments_mix_text_and_variables_each_encoded_in_place() {
    let server = recorder().await;
    let client = wired(Client::builder(), &server);
    client
        .get_report(3, "q1/../../admin", &GetReportFormat::Pdf)
        .await
        .expect("sent");
    client
        .get_report(10, "sales 2026", &GetReportFormat::Csv)
        .await
        .expect("sent");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/reports/v3/q1%2F..%2F..%2Fadmin.pdf",
            "/v1/reports/v10/sales%202026.csv",
        ]
    );
}
