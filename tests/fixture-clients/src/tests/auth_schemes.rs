use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use commet_fake::wire::{WireReply, WireServer};
use commet_runtime::{BoxError, Credential, Secret};

use super::recorder;
use crate::auth_schemes::{Client, ClientBuilder};

const KEY: &str = "key_live_0123456789";
const TOKEN: &str = "tok_0123456789abcdef";

fn at(builder: ClientBuilder, server: &WireServer) -> Client {
    builder
        .base_url(server.url("/v1"))
        .max_retries(0)
        .build()
        .expect("builds")
}

/// Each scheme, one call each, every credential configured: the bytes show which was sent
/// where.
#[tokio::test]
async fn each_scheme_sends_its_credential_in_its_place() {
    let server = recorder().await;
    let client = at(
        Client::builder()
            .bearer_token(TOKEN)
            .basic_auth("ann", "p@ss:word")
            .api_key(KEY)
            .credential("tenant", Credential::ApiKey(Secret::new("acme"))),
        &server,
    );
    client.get_me().await.expect("bearer");
    client.login().await.expect("basic");
    client.search().await.expect("query key");
    client.get_session().await.expect("cookie key");
    client.get_tenant().await.expect("two keys");
    client.get_health().await.expect("public");

    let [me, login, search, session, tenant, health] =
        server.requests().try_into().expect("six requests");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(me.header("authorization"), Some(bearer.as_str()));
    // base64("ann:p@ss:word")
    assert_eq!(
        login.header("authorization"),
        Some("Basic YW5uOnBAc3M6d29yZA==")
    );
    assert_eq!(search.query(), Some("api_key=key_live_0123456789"));
    assert_eq!(search.header("authorization"), None);
    assert_eq!(
        session.header("cookie"),
        Some("session=key_live_0123456789")
    );
    // A requirement that combines two schemes sends both, each with its own value.
    assert_eq!(tenant.header("x-api-key"), Some(KEY));
    assert_eq!(tenant.header("x-tenant"), Some("acme"));
    // `security: []`: nothing at all.
    for name in ["authorization", "x-api-key", "cookie"] {
        assert_eq!(health.header(name), None, "{name}");
    }
    assert_eq!(health.query(), None);
}

/// OAuth2 and OpenID Connect take a bearer token; a provider is asked before every attempt,
/// so a refreshed token is used as soon as it exists.
#[tokio::test]
async fn oauth2_and_openid_connect_use_a_token_provider() {
    let server = recorder().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = at(
        Client::builder().token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, BoxError>(format!("access-{n}")) }
        }),
        &server,
    );
    client.get_me().await.expect("oauth2");
    client.get_userinfo().await.expect("openid connect");
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer access-1", "Bearer access-2"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Of several alternatives, the first one configured is used: here only the header key.
#[tokio::test]
async fn an_alternative_is_used_when_the_first_is_not_configured() {
    let server = recorder().await;
    let client = at(Client::builder().api_key(KEY), &server);
    client.get_userinfo().await.expect("sent");
    let request = server.only_request();
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn credentials_never_show_in_debug_output_or_errors() {
    let server = recorder().await;
    server.reply(WireReply::json(500, r#"{"error":"boom"}"#));
    let client = at(
        Client::builder()
            .bearer_token(TOKEN)
            .basic_auth("ann", "p@ss:word")
            .api_key(KEY),
        &server,
    );
    let error = client.search().await.expect_err("a 500");
    let shown = format!("{client:?} {error} {error:?} {:?}", client.search());
    for secret in [TOKEN, KEY, "p@ss:word", "0123456789"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}
