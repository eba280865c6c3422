//! Percent-encoding of path segments.
//!
//! Path parameters are user data (ids, external ids): each one must stay exactly one segment,
//! so `a/b` or `../customers` can never change which endpoint is called.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything except RFC 3986 "unreserved" characters is encoded, including `/`, `%`, `?` and `#`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `segment` so that it is exactly one URL path segment.
///
/// Only RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) are kept; everything else,
/// including `/`, `%`, spaces and non-ASCII characters, is percent-encoded as UTF-8.
///
/// Note that `.` and `..` cannot be made safe by encoding (URL parsers treat `%2E` as a dot),
/// which is why [`check_segment`] rejects them.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// Rejects segments that would change the shape of the path even after encoding:
/// the empty segment (`/payments/` is a different endpoint than `/payments/{id}`), `.` and `..`.
pub fn check_segment(segment: &str) -> Result<(), String> {
    match segment {
        "" => Err("empty path segment".to_owned()),
        "." | ".." => Err(format!("path segment `{segment}` is not allowed")),
        _ => Ok(()),
    }
}

/// Joins a base URL (without trailing slash) and encoded segments, validating each segment.
pub(crate) fn build_url(base: &str, segments: &[&str]) -> Result<reqwest::Url, String> {
    let base = base.trim_end_matches('/');
    let mut url =
        String::with_capacity(base.len() + segments.iter().map(|s| s.len() + 1).sum::<usize>());
    url.push_str(base);
    for segment in segments {
        check_segment(segment)?;
        url.push('/');
        // Encoded straight into the URL: no string of its own per segment.
        url.extend(utf8_percent_encode(segment, SEGMENT));
    }
    reqwest::Url::parse(&url).map_err(|e| format!("invalid request URL: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_segment("pay_1-a.b~c"), "pay_1-a.b~c");
    }

    #[test]
    fn slashes_and_dots_stay_in_one_segment() {
        assert_eq!(encode_segment("../customers"), "..%2Fcustomers");
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        let url = build_url("https://x.test/api/v1", &["payments", "../customers"]).unwrap();
        assert_eq!(url.path(), "/api/v1/payments/..%2Fcustomers");
        let segs: Vec<_> = url.path_segments().unwrap().collect();
        assert_eq!(segs, ["api", "v1", "payments", "..%2Fcustomers"]);
    }

    #[test]
    fn spaces_unicode_percent_and_reserved() {
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("ü€"), "%C3%BC%E2%82%AC");
        assert_eq!(encode_segment("100%"), "100%25");
        assert_eq!(encode_segment("%2F"), "%252F");
        assert_eq!(encode_segment("a?b#c"), "a%3Fb%23c");
        assert_eq!(encode_segment("a+b&c=d;e"), "a%2Bb%26c%3Dd%3Be");
    }

    #[test]
    fn dot_and_empty_segments_are_rejected() {
        assert!(check_segment("").is_err());
        assert!(check_segment(".").is_err());
        assert!(check_segment("..").is_err());
        assert!(check_segment("...").is_ok());
        assert!(build_url("https://x.test/v1", &["payments", ".."]).is_err());
        assert!(build_url("https://x.test/v1", &["payments", ""]).is_err());
    }

    #[test]
    fn base_url_trailing_slash_is_ignored() {
        let url = build_url("https://x.test/v1/", &["payments", "pay 1"]).unwrap();
        assert_eq!(url.as_str(), "https://x.test/v1/payments/pay%201");
    }
}
