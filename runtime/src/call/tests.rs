use super::*;
use crate::config::tests::DEFAULTS;

fn client() -> Client {
    Client::builder(DEFAULTS)
        .api_key("ck_sandbox_secret")
        .build()
        .unwrap()
}

type C = Call<serde_json::Value, serde_json::Value>;

fn invalid(call: C) -> String {
    // Every case fails before any I/O, so a current-thread runtime is plenty.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match rt.block_on(call.send()) {
        Err(Error::InvalidRequest(m)) => m,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn cr_lf_in_headers_is_rejected_before_sending() {
    let c = client();
    let m = invalid(C::new(&c, Method::GET, &["payments"]).header("x-trace", "a\r\nx-evil: 1"));
    assert!(m.contains("x-trace") && !m.contains("evil"), "{m}");
    let m = invalid(C::new(&c, Method::POST, &["payments"]).idempotency_key("k\n1"));
    assert!(m.contains("Idempotency-Key"), "{m}");
    let m = invalid(C::new(&c, Method::POST, &["payments"]).header("Idempotency-Key", "k\r"));
    assert!(m.contains("CR or LF"), "{m}");
    let m = invalid(C::new(&c, Method::GET, &["payments"]).header("Commet-Version", "x\ny"));
    assert!(m.contains("Commet-Version"), "{m}");
    invalid(C::new(&c, Method::GET, &["payments"]).header("bad name", "v"));
}

#[test]
fn bad_segments_and_bodies_are_rejected_before_sending() {
    let c = client();
    let m = invalid(C::new(&c, Method::GET, &["payments", ".."]));
    assert!(m.contains(".."), "{m}");
    invalid(C::new(&c, Method::GET, &["payments", ""]));
    let mut map = std::collections::HashMap::new();
    map.insert((1, 2), "tuple keys cannot be JSON object keys");
    let m = invalid(C::new(&c, Method::POST, &["payments"]).json(&map));
    assert!(m.contains("serialize"), "{m}");
}

#[test]
fn prepared_headers() {
    let c = client();
    let p = C::new(&c, Method::POST, &["payments", "pay 1", "cancel"])
        .query("a", "x y")
        .query("a", "2")
        .idempotent()
        .json(&serde_json::json!({"amount": 1}))
        .prepare()
        .unwrap();
    assert_eq!(
        p.url.as_str(),
        "https://commet.test/api/v1/payments/pay%201/cancel?a=x%20y&a=2"
    );
    assert_eq!(p.headers["x-api-key"], "ck_sandbox_secret");
    assert_eq!(p.headers["commet-version"], "2026-06-10");
    assert!(matches!(
        &p.body,
        Some(RequestBody::Bytes { content_type, .. }) if content_type == "application/json"
    ));
    assert_eq!(p.headers["user-agent"], DEFAULTS.user_agent);
    let key = p.headers["idempotency-key"].to_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(key).unwrap().get_version_num(), 4);
    assert!(p.safe_to_repeat && p.replayable);

    let p = C::new(&c, Method::POST, &["payments"]).prepare().unwrap();
    assert!(p.headers.get("idempotency-key").is_none() && !p.safe_to_repeat);

    let p = C::new(&c, Method::GET, &["payments"])
        .idempotent()
        .idempotency_key("k")
        .prepare()
        .unwrap();
    assert!(p.headers.get("idempotency-key").is_none() && p.safe_to_repeat);

    let p = C::new(&c, Method::POST, &["payments"])
        .idempotent()
        .header("Idempotency-Key", "from-header")
        .header("Commet-Version", "2026-07-24")
        .prepare()
        .unwrap();
    assert_eq!(p.headers["idempotency-key"], "from-header");
    assert_eq!(p.headers["commet-version"], "2026-07-24");
    let p = C::new(&c, Method::POST, &["payments"])
        .header("Idempotency-Key", "from-header")
        .idempotency_key("explicit")
        .prepare()
        .unwrap();
    assert_eq!(p.headers["idempotency-key"], "explicit");
}

#[test]
fn the_key_is_made_with_the_call_and_is_the_one_sent() {
    let c = client();
    let call = C::new(&c, Method::POST, &["payments"]).idempotent();
    let key = call
        .get_idempotency_key()
        .expect("made by idempotent()")
        .to_owned();
    assert_eq!(call.get_idempotency_key(), Some(key.as_str()), "stable");
    assert_eq!(call.clone().get_idempotency_key(), Some(key.as_str()));
    let p = call.prepare().unwrap();
    assert_eq!(p.headers["idempotency-key"], key.as_str());
    assert_eq!(p.key.as_deref(), Some(key.as_str()));
    let other = C::new(&c, Method::POST, &["payments"]).idempotent();
    assert_ne!(
        other.get_idempotency_key(),
        Some(key.as_str()),
        "one per call"
    );
    let mine = other.idempotency_key("order-1");
    assert_eq!(mine.get_idempotency_key(), Some("order-1"));
    assert_eq!(mine.prepare().unwrap().key.as_deref(), Some("order-1"));
    let read = C::new(&c, Method::GET, &["payments"]).idempotent();
    assert_eq!(read.get_idempotency_key(), None);
    assert_eq!(
        C::new(&c, Method::POST, &["payments"]).get_idempotency_key(),
        None
    );
}

#[test]
fn call_debug_hides_header_values() {
    let c = client();
    let call = C::new(&c, Method::GET, &["payments"]).header("x-secretish", "hidden-value");
    let shown = format!("{call:?}");
    assert!(
        shown.contains("x-secretish") && !shown.contains("hidden-value"),
        "{shown}"
    );
}

#[test]
fn futures_are_send() {
    fn check<F: Future + Send>(_: F) {}
    let c = client();
    check(C::new(&c, Method::GET, &["x"]).send());
    check(C::new(&c, Method::GET, &["x"]).into_future());
}

#[test]
fn an_operation_of_its_own_header_sends_the_key_there_and_reads_it_back() {
    let c = client();
    let call = C::new(&c, Method::POST, &["orders"]).idempotent_header("PayPal-Request-Id");
    let key = call.get_idempotency_key().expect("made now").to_owned();
    let p = call.prepare().unwrap();
    assert_eq!(p.headers["paypal-request-id"], key.as_str());
    assert!(
        p.headers.get("idempotency-key").is_none(),
        "not the client's header"
    );
    assert!(p.safe_to_repeat);

    // The header set as a parameter is the user's key; `.idempotency_key(..)` wins over it.
    let call = C::new(&c, Method::POST, &["orders"])
        .header("PayPal-Request-Id", "mine")
        .idempotent_header("PayPal-Request-Id");
    assert_eq!(call.get_idempotency_key(), Some("mine"));
    let p = call.clone().prepare().unwrap();
    assert_eq!(p.headers.get_all("paypal-request-id").iter().count(), 1);
    assert_eq!(p.headers["paypal-request-id"], "mine");
    let p = call.idempotency_key("explicit").prepare().unwrap();
    assert_eq!(p.headers["paypal-request-id"], "explicit");
}

#[test]
fn a_body_field_key_is_filled_per_call_and_the_callers_key_wins() {
    let c = client();
    let request = serde_json::json!({"amount": 100, "note": "x"});
    let call = || {
        C::new(&c, Method::POST, &["payments"])
            .json(&request)
            .idempotent_in_body("idempotency_key")
    };
    let (first, second) = (call(), call());
    let key = first.get_idempotency_key().expect("made now").to_owned();
    assert_ne!(
        second.get_idempotency_key(),
        Some(key.as_str()),
        "one value, two calls, two keys"
    );
    let p = first.prepare().unwrap();
    let Some(RequestBody::Bytes { bytes, .. }) = &p.body else {
        panic!("a JSON body");
    };
    let sent: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(sent["idempotency_key"], key.as_str());
    assert_eq!(sent["amount"], 100);
    assert!(
        p.headers.get("idempotency-key").is_none(),
        "never in a header too"
    );
    assert_eq!(p.key.as_deref(), Some(key.as_str()));
    assert!(p.safe_to_repeat);

    // The value's own key is the caller's: every call made from it sends it.
    let keyed = serde_json::json!({"amount": 100, "idempotency_key": "order-1"});
    let call = C::new(&c, Method::POST, &["payments"])
        .json(&keyed)
        .idempotent_in_body("idempotency_key");
    assert_eq!(call.get_idempotency_key(), Some("order-1"));
    // And `.idempotency_key(..)` wins over it, in the bytes sent too.
    let p = call.idempotency_key("explicit").prepare().unwrap();
    let Some(RequestBody::Bytes { bytes, .. }) = &p.body else {
        panic!("a JSON body");
    };
    assert_eq!(
        &bytes[..],
        br#"{"amount":100,"idempotency_key":"explicit"}"#
    );

    // A body that is not a JSON object can't carry the key: refused before sending.
    let m = invalid(
        C::new(&c, Method::POST, &["payments"])
            .json(&[1, 2])
            .idempotent_in_body("idempotency_key"),
    );
    assert!(m.contains("idempotency_key"), "{m}");
    let m = invalid(C::new(&c, Method::POST, &["payments"]).idempotent_in_body("idempotency_key"));
    assert!(m.contains("no JSON body"), "{m}");
}

#[test]
fn an_operations_own_server_is_used_unless_the_base_url_was_set() {
    let url = |call: C| call.url.clone().map(|u| u.to_string());
    let plain = Client::builder(DEFAULTS).api_key("k").build().unwrap();
    let call = C::with_server(
        &plain,
        "https://files.example.test/v1/",
        &[],
        Method::GET,
        &["a b"],
    );
    assert_eq!(
        url(call).as_deref(),
        Ok("https://files.example.test/v1/a%20b")
    );
    let proxied = Client::builder(DEFAULTS)
        .api_key("k")
        .base_url("http://127.0.0.1:1/proxy")
        .build()
        .unwrap();
    let call = C::with_server(
        &proxied,
        "https://files.example.test/v1",
        &[],
        Method::GET,
        &["x"],
    );
    assert_eq!(url(call).as_deref(), Ok("http://127.0.0.1:1/proxy/x"));
    let bad = C::with_server(&plain, "ftp://files.example.test", &[], Method::GET, &["x"]);
    assert!(url(bad).is_err_and(|e| e.contains("operation's server")));
}

/// A server chosen by name, as a generated `Environment` is one.
struct Named(&'static str, &'static str);

impl crate::NamedServer for Named {
    fn base_url(&self) -> String {
        self.1.to_owned()
    }
    fn name(&self) -> &'static str {
        self.0
    }
}

#[test]
fn an_operations_own_server_follows_the_chosen_environment_by_name() {
    let url = |call: C| call.url.clone().map(|u| u.to_string());
    let named = [
        ("Sandbox", "https://files.sandbox.example.test"),
        ("Live", "https://files.example.test"),
    ];
    let on = |environment: Named| {
        let client = Client::builder(DEFAULTS)
            .api_key("k")
            .environment(environment)
            .build()
            .unwrap();
        url(C::with_server(
            &client,
            "https://files.sandbox.example.test",
            &named,
            Method::GET,
            &["x"],
        ))
    };
    assert_eq!(
        on(Named("Live", "https://api.example.test")).as_deref(),
        Ok("https://files.example.test/x")
    );
    assert_eq!(
        on(Named("Sandbox", "https://api.sandbox.example.test")).as_deref(),
        Ok("https://files.sandbox.example.test/x")
    );
    // An environment the operation has no server for: its first.
    assert_eq!(
        on(Named("Staging", "https://api.staging.example.test")).as_deref(),
        Ok("https://files.sandbox.example.test/x")
    );
}
