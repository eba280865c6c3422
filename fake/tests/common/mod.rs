//! Helpers shared by the integration tests: a fake plus a reqwest client.

#![allow(dead_code)]

use std::time::Duration;

use commet_fake::FakeCommet;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// An answered request.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn error_code(&self) -> (&str, &str) {
        (
            self.body["error"]["type"].as_str().unwrap_or("<none>"),
            self.body["error"]["code"].as_str().unwrap_or("<none>"),
        )
    }

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

pub struct Api {
    pub fake: FakeCommet,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn new() -> Api {
        let fake = FakeCommet::start().await.expect("fake starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("client builds");
        Api { fake, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.fake.base_url(), path)
    }

    /// A request with the valid key.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("x-api-key", self.fake.api_key())
    }

    pub async fn get(&self, path: &str) -> Resp {
        send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        send(self.request(reqwest::Method::POST, path).json(body)).await
    }

    pub async fn post_keyed(&self, path: &str, key: &str, body: &Value) -> Resp {
        send(
            self.request(reqwest::Method::POST, path)
                .header("Idempotency-Key", key)
                .json(body),
        )
        .await
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Resp {
    let response = request.send().await.expect("request answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        text,
        body,
    }
}

/// Milliseconds since the epoch of an RFC 3339 UTC timestamp `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
pub fn parse_utc_ms(ts: &str) -> i64 {
    let num = |range: std::ops::Range<usize>| -> i64 {
        ts.get(range)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad timestamp {ts}"))
    };
    assert!(ts.ends_with('Z'), "not UTC: {ts}");
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let (hh, mm, ss) = (num(11..13), num(14..16), num(17..19));
    let millis = if ts.as_bytes().get(19) == Some(&b'.') {
        num(20..23)
    } else {
        0
    };
    // Days from 1970-01-01, counting from a March-based year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + millis
}

pub fn charge_body(customer: &str, amount: i64) -> Value {
    serde_json::json!({
        "customerId": customer,
        "amount": amount,
        "currency": "usd",
        "description": "Test charge",
    })
}
