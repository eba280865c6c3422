use std::collections::BTreeMap;

use commet_fake::wire::WireReply;

use super::{recorder, wired};
use crate::form_bodies::{
    Address, Client, CreateCustomerRequest, Customer, SearchCustomersRequest,
};

#[tokio::test]
async fn a_form_body_brackets_nested_values_and_follows_its_encoding() {
    let server = recorder().await;
    server.reply(WireReply::json(200, r#"{"id":"cus_1"}"#));
    let client = wired(Client::builder(), &server);
    let body = CreateCustomerRequest::new("a+b@example.com")
        .balance(-5)
        .tax_exempt(true)
        .address(Address::new().line1("1 Main St").city("Zürich"))
        .metadata(BTreeMap::from([("order_id".to_owned(), "6735".to_owned())]))
        .expand(vec!["customer".to_owned(), "invoice".to_owned()])
        .tags(vec!["a".to_owned(), "b,c".to_owned()]);
    let customer = client.create_customer(&body).await.expect("sent");
    assert_eq!(customer.id, "cus_1");

    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/v1/customers")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.header("x-api-key"), Some("k"));
    // Stripe's bracket form: objects as `a[x]`, arrays (deepObject) as `a[]`; `tags` is
    // `form` without explode, one comma-joined field (a comma inside a value is escaped).
    assert_eq!(
        request.body_text(),
        "email=a%2Bb%40example.com&balance=-5&tax_exempt=true\
         &address%5Bline1%5D=1+Main+St&address%5Bcity%5D=Z%C3%BCrich\
         &metadata%5Border_id%5D=6735\
         &expand%5B%5D=customer&expand%5B%5D=invoice\
         &tags=a%2Cb%2Cc"
    );
}

#[tokio::test]
async fn json_is_chosen_over_form_and_json_variants_keep_their_type() {
    let server = recorder().await;
    server
        .reply(
            WireReply::status(200)
                .header("content-type", "application/json; charset=utf-8")
                .body(r#"{"id":"cus_2","email":"x@example.com"}"#),
        )
        .reply(
            // `*/*` declared: whatever type comes, JSON data decodes.
            WireReply::status(200)
                .header("content-type", "application/vnd.example.list+json")
                .body(r#"[{"id":"cus_3"}]"#),
        );
    let client = wired(Client::builder(), &server);
    let updated = client
        .update_customer("cus 2", Some(&Customer::new("cus_2")))
        .await
        .expect("sent");
    assert_eq!(updated.email.as_deref(), Some("x@example.com"));
    let found = client
        .search_customers(&SearchCustomersRequest::new().query("ann"))
        .await
        .expect("sent");
    assert_eq!(found, vec![Customer::new("cus_3")]);

    let [update, search] = server.requests().try_into().expect("two requests");
    assert_eq!(update.path(), "/v1/customers/cus%202");
    assert_eq!(update.header("content-type"), Some("application/json"));
    assert_eq!(update.body_text(), r#"{"id":"cus_2"}"#);
    assert_eq!(
        update.header("accept"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        search.header("content-type"),
        Some("application/vnd.example.search+json")
    );
    assert_eq!(search.body_text(), r#"{"query":"ann"}"#);
    assert_eq!(search.header("accept"), Some("*/*"));
}
