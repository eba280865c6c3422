use super::recorder;
use crate::environments::{Client, Environment, YourOwnCheckoutVersion};

#[test]
fn every_server_is_a_named_environment_and_the_first_is_the_default() {
    assert_eq!(Environment::Sandbox.base_url(), Client::DEFAULT_BASE_URL);
    assert_eq!(Environment::Live.base_url(), "https://api.example.test/v2");
    // A templated server: its variables are typed fields, with a constructor of the defaults.
    assert_eq!(
        Environment::your_own_checkout().base_url(),
        "https://acme-checkout.example.test/v2"
    );
    let mine = Environment::YourOwnCheckout {
        prefix: "shop".to_owned(),
        version: YourOwnCheckoutVersion::V3,
    };
    assert_eq!(mine.base_url(), "https://shop-checkout.example.test/v3");
    let client = Client::builder()
        .api_key("k")
        .environment(mine)
        .build()
        .expect("builds");
    assert_eq!(
        client.runtime().base_url(),
        "https://shop-checkout.example.test/v3"
    );
    assert_eq!(
        YourOwnCheckoutVersion::default(),
        YourOwnCheckoutVersion::V2
    );
    let live = Client::builder()
        .api_key("k")
        .environment(Environment::Live)
        .build()
        .expect("builds");
    assert_eq!(live.runtime().base_url(), "https://api.example.test/v2");
    let debug = format!("{:?}", live.get_balance());
    assert!(
        debug.contains("https://api.example.test/v2/balance"),
        "{debug}"
    );
}

#[test]
fn a_variable_the_user_gives_can_not_move_requests_to_another_host() {
    for prefix in ["evil.test/x", "me@evil.test", "evil.test#", "evil.test?"] {
        let server = Environment::YourOwnCheckout {
            prefix: prefix.to_owned(),
            version: YourOwnCheckoutVersion::V2,
        };
        let url = server.base_url();
        assert!(url.ends_with("-checkout.example.test/v2"), "{url}");
        let built = Client::builder().api_key("k").environment(server).build();
        assert!(built.is_err(), "{prefix}: no client for {url}");
    }
    // A value that is a host label stays as it is.
    let server = Environment::YourOwnCheckout {
        prefix: "acme-eu".to_owned(),
        version: YourOwnCheckoutVersion::V2,
    };
    assert_eq!(
        server.base_url(),
        "https://acme-eu-checkout.example.test/v2"
    );
}

#[tokio::test]
async fn an_explicit_base_url_wins_over_the_environment_on_the_wire() {
    let server = recorder().await;
    server.reply(commet_fake::wire::WireReply::json(200, r#"{"amount":5}"#));
    let client = Client::builder()
        .api_key("k")
        .environment(Environment::Live)
        .base_url(server.url("/mine"))
        .build()
        .expect("builds");
    let balance = client.get_balance().await.expect("answered");
    assert_eq!(balance.amount, 5);
    assert_eq!(server.only_request().target, "/mine/balance");
}

#[tokio::test]
async fn an_operation_with_a_server_of_its_own_is_sent_there() {
    let client = Client::builder()
        .api_key("k")
        .environment(Environment::Live)
        .build()
        .expect("builds");
    let upload = format!("{:?}", client.upload_statement());
    assert!(
        upload.contains("http://127.0.0.1:9/files/statements"),
        "{upload}"
    );
    let list = format!("{:?}", client.list_statements());
    assert!(
        list.contains("http://127.0.0.1:9/path-level/statements"),
        "{list}"
    );
    let balance = format!("{:?}", client.get_balance());
    assert!(
        balance.contains("https://api.example.test/v2/balance"),
        "{balance}"
    );
    // Sent: nothing listens on port 9, and the error names the operation's own server.
    let error = client
        .upload_statement()
        .max_retries(0)
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("127.0.0.1:9/files/statements"),
        "{error}"
    );

    // A base URL set by hand takes every call, the operation's own too.
    let server = recorder().await;
    server.reply(commet_fake::wire::WireReply::status(204));
    let client = Client::builder()
        .api_key("k")
        .base_url(server.url("/proxy"))
        .build()
        .expect("builds");
    client.upload_statement().await.expect("answered");
    assert_eq!(server.only_request().target, "/proxy/statements");
}

#[tokio::test]
async fn an_operation_with_servers_of_its_own_takes_the_one_named_like_the_environment() {
    let client = |environment: Option<Environment>| {
        let builder = Client::builder().api_key("k");
        match environment {
            Some(e) => builder.environment(e),
            None => builder,
        }
        .build()
        .expect("builds")
    };
    let export = |client: Client| format!("{:?}", client.create_export());
    for (environment, host) in [
        (None, "sandbox-exports"),
        (Some(Environment::Sandbox), "sandbox-exports"),
        (Some(Environment::Live), "live-exports"),
        // No export host of that name: the operation's first.
        (Some(Environment::your_own_checkout()), "sandbox-exports"),
    ] {
        let shown = export(client(environment.clone()));
        assert!(
            shown.contains(&format!("http://127.0.0.1:9/{host}/exports")),
            "{environment:?}: {shown}"
        );
    }
    // Sent: nothing listens on port 9, and the error names the live export host.
    let error = client(Some(Environment::Live))
        .create_export()
        .max_retries(0)
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("127.0.0.1:9/live-exports/exports"),
        "{error}"
    );
}
