//! Media types: whether what a server sent is what the spec declared.

use reqwest::header::{CONTENT_TYPE, HeaderMap};

use crate::envelope::Failure;

/// The type and subtype, lower case, without parameters.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// True when a body of type `sent` answers a request that expects `expected`: the same
/// type, a wildcard that covers it (`image/*`, `*/*`), or two JSON types.
pub(crate) fn matches(expected: &str, sent: &str) -> bool {
    expected.split(',').any(|one| {
        let (e, s) = (essence(one), essence(sent));
        e == s
            || e == "*/*"
            || e.strip_suffix("/*")
                .is_some_and(|family| s.split('/').next() == Some(family))
            || (is_json(&e) && is_json(&s))
    })
}

/// The failure to report when a success declared as `expected` came as something else. A
/// response without a `Content-Type` is given the benefit of the doubt.
pub(crate) fn content_type_mismatch(
    expected: Option<&str>,
    headers: &HeaderMap,
) -> Option<Failure> {
    let expected = expected?;
    let sent = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    (!matches(expected, sent)).then(|| Failure {
        path: ".".to_owned(),
        message: format!("expected a `{expected}` body, but the server sent `{sent}`"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_matching() {
        assert!(matches("application/pdf", "application/pdf"));
        assert!(matches("text/plain", "text/plain; charset=utf-8"));
        assert!(matches("image/*", "image/png"));
        assert!(matches("*/*", "application/zip"));
        assert!(matches("application/json", "application/problem+json"));
        assert!(matches("image/png, image/jpeg", "image/jpeg"));
        assert!(!matches("application/pdf", "text/html"));
        assert!(!matches("image/*", "text/html"));
    }
}
