//! Where a client sends its requests: `.base_url(..)`, then `.environment(..)`, then the
//! `base_url_env` variable, then the document's first server, each checked on the wire against
//! servers on 127.0.0.1 that record the path they were asked for.
//!
//! The process environment is shared by every thread of a test binary, so this file holds a
//! single test, on a current-thread runtime.

use commet_runtime::reqwest::Method;
use commet_runtime::{Call, Client, ClientDefaults, NamedServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const VARIABLE: &str = "COMMET_RUNTIME_PRECEDENCE_TEST_BASE_URL";

/// A server that answers `{}` to every request and reports each request line.
async fn server(name: &'static str) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!(
        "http://{}/{name}",
        listener.local_addr().expect("an address")
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte).await, Ok(1)) {
                head.push(byte[0]);
            }
            let line = String::from_utf8_lossy(&head)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            let _ = tx.send(line);
            let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                          content-length: 2\r\nconnection: close\r\n\r\n{}";
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, rx)
}

/// A named server, as a generated `Environment` is one.
struct Named(&'static str);

impl NamedServer for Named {
    fn base_url(&self) -> String {
        self.0.to_owned()
    }
    fn name(&self) -> &'static str {
        "Named"
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_explicit_url_then_the_environment_then_the_variable_then_the_default() {
    let (default_url, mut default_rx) = server("default").await;
    let (named_url, mut named_rx) = server("named").await;
    let (variable_url, mut variable_rx) = server("variable").await;
    let (explicit_url, mut explicit_rx) = server("explicit").await;
    let defaults = ClientDefaults {
        base_url: Box::leak(default_url.into_boxed_str()),
        api_version: None,
        version_header: "X-Version",
        schemes: &[],
        security: &[],
        credentials_required: false,
        api_key_env: "COMMET_RUNTIME_PRECEDENCE_TEST_UNSET_KEY",
        bearer_token_env: "COMMET_RUNTIME_PRECEDENCE_TEST_UNSET_TOKEN",
        basic_auth_env: (
            "COMMET_RUNTIME_PRECEDENCE_UNSET_U",
            "COMMET_RUNTIME_PRECEDENCE_UNSET_P",
        ),
        base_url_env: VARIABLE,
        idempotency_header: "Idempotency-Key",
        user_agent: "precedence-test",
    };
    let named = Named(Box::leak(named_url.into_boxed_str()));
    let ping = |client: Client| async move {
        Call::<serde_json::Value, serde_json::Value>::new(&client, Method::GET, &["ping"])
            .send()
            .await
            .expect("answered");
    };
    let set = |value: &str| {
        // SAFETY: this binary has one test, on a current-thread runtime; no other thread reads
        // or writes the environment while it runs.
        unsafe { std::env::set_var(VARIABLE, value) }
    };

    // Nothing chosen: the document's first server.
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(VARIABLE) };
    ping(Client::builder(defaults).build().expect("builds")).await;
    assert_eq!(
        default_rx.recv().await.as_deref(),
        Some("GET /default/ping HTTP/1.1")
    );

    // The variable wins over the default.
    set(&variable_url);
    ping(Client::builder(defaults).build().expect("builds")).await;
    assert_eq!(
        variable_rx.recv().await.as_deref(),
        Some("GET /variable/ping HTTP/1.1")
    );

    // The environment wins over the variable.
    let client = Client::builder(defaults)
        .environment(Named(named.0))
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), named.0);
    ping(client).await;
    assert_eq!(
        named_rx.recv().await.as_deref(),
        Some("GET /named/ping HTTP/1.1")
    );

    // An explicit URL wins over all, whichever was set first.
    for builder in [
        Client::builder(defaults)
            .environment(Named(named.0))
            .base_url(&explicit_url),
        Client::builder(defaults)
            .base_url(&explicit_url)
            .environment(Named(named.0)),
    ] {
        ping(builder.build().expect("builds")).await;
        assert_eq!(
            explicit_rx.recv().await.as_deref(),
            Some("GET /explicit/ping HTTP/1.1")
        );
    }
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(VARIABLE) };
    // Nothing reached a server it was not meant for.
    assert!(default_rx.try_recv().is_err() && variable_rx.try_recv().is_err());
    assert!(named_rx.try_recv().is_err());
}
