//! How parameter values become text: OpenAPI's styles for query parameters and form bodies,
//! comma lists for headers and cookies.
//!
//! Values are serialized with serde first, so every generated type (structs, maps, enums,
//! unions, dates) is written the same way it would be in JSON, then laid out in the style.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

/// How an array or object parameter is written (OpenAPI's `style` and `explode`). Scalars are
/// the same in every style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: an exploded array repeats the name (`a=1&a=2`), an unexploded one joins with
    /// commas (`a=1,2`); an exploded object spreads its properties (`x=1&y=2`), an unexploded
    /// one lists `a=x,1,y,2`.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// An array joined with spaces.
    SpaceDelimited,
    /// An array joined with `|`.
    PipeDelimited,
    /// An object as `a[x]=1&a[y]=2`, nested as `a[x][z]=1`; arrays inside as `a[]=1` (or
    /// `a[0][x]=1` for arrays of objects), the bracket form Stripe-style servers parse.
    DeepObject,
}

/// A parameter's text: its pieces and the delimiter its style puts between them. A query
/// string keeps the delimiter literal and escapes it inside a piece, so `a,b` as one item and
/// `a` then `b` as two stay different on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pieces: Vec<String>,
    delimiter: &'static str,
}

impl Text {
    /// A single piece.
    pub(crate) fn one(text: String) -> Self {
        Self {
            pieces: vec![text],
            delimiter: "",
        }
    }

    /// The text when it is a single piece.
    pub(crate) fn single(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The pieces joined, for bodies whose encoding escapes everything alike.
    pub(crate) fn joined(&self) -> String {
        self.pieces.join(self.delimiter)
    }

    /// The text in a query string: each piece percent-encoded (all but RFC 3986's
    /// unreserved characters), delimiters as they are.
    pub(crate) fn query_encoded(&self) -> String {
        let pieces: Vec<String> = self.pieces.iter().map(|p| query_escape(p)).collect();
        pieces.join(self.delimiter)
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters: the strictest form every
/// server decodes the same way (a space is `%20`, never `+`).
pub(crate) fn query_escape(text: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, RESERVED).to_string()
}

/// A name and its text, in the order they are sent.
pub(crate) type Pairs = Vec<(Cow<'static, str>, Text)>;

/// The text of a scalar: strings as they are, numbers and booleans as JSON writes them.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Serializes `value` for a parameter; a value that can't be JSON is an error message.
pub(crate) fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("could not serialize parameter `{name}`: {e}"))
}

/// The pairs of one query parameter (or one property of a form body) in `style`.
pub(crate) fn pairs(name: Cow<'static, str>, value: &Value, style: Style) -> Pairs {
    let mut out = Pairs::new();
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(_) | Value::Object(_), Style::DeepObject) => {
            nested(&mut out, name.into_owned(), value)
        }
        (Value::Array(items), Style::Form { explode: true }) => {
            for item in items {
                match scalar_text(item) {
                    Some(text) => out.push((name.clone(), Text::one(text))),
                    // An array of objects has no form layout; brackets keep it readable.
                    None => nested(&mut out, format!("{name}[]"), item),
                }
            }
        }
        (Value::Array(items), _) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            let pieces = items.iter().map(compact_text).collect();
            out.push((
                name,
                Text {
                    pieces,
                    delimiter: separator,
                },
            ));
        }
        (Value::Object(map), Style::Form { explode: true }) => {
            for (key, v) in map {
                match scalar_text(v) {
                    Some(text) => out.push((Cow::Owned(key.clone()), Text::one(text))),
                    None => nested(&mut out, key.clone(), v),
                }
            }
        }
        (Value::Object(map), _) => {
            let pieces = map
                .iter()
                .flat_map(|(k, v)| [k.clone(), compact_text(v)])
                .collect();
            out.push((
                name,
                Text {
                    pieces,
                    delimiter: ",",
                },
            ));
        }
        (scalar, _) => {
            if let Some(text) = scalar_text(scalar) {
                out.push((name, Text::one(text)));
            }
        }
    }
    out
}

/// Brackets all the way down: `a[x][y]=1`, `a[]=1` for scalars in arrays, `a[0][x]=1` for
/// objects in arrays (the index keeps each object's fields together).
fn nested(out: &mut Pairs, prefix: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, v) in map {
                nested(out, format!("{prefix}[{key}]"), v);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        nested(out, format!("{prefix}[{i}]"), item)
                    }
                    _ => nested(out, format!("{prefix}[]"), item),
                }
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                out.push((Cow::Owned(prefix), Text::one(text)));
            }
        }
    }
}

/// A value as one piece of text: a scalar's text, or compact JSON for anything nested.
fn compact_text(value: &Value) -> String {
    scalar_text(value).unwrap_or_else(|| value.to_string())
}

/// The `simple` style of paths, headers and cookies: a scalar's text, an array's items
/// joined with commas.
pub fn simple_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::Array(items)) => items.iter().map(compact_text).collect::<Vec<_>>().join(","),
        Ok(other) => compact_text(&other),
        Err(_) => String::new(),
    }
}

/// Percent-encodes what a cookie value may not hold (RFC 6265: controls, whitespace, `"`,
/// `,`, `;` and `\`), so a value can never end its cookie or start another.
pub(crate) fn cookie_value(value: &str) -> String {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b',')
        .add(b';')
        .add(b'\\')
        .add(b'%');
    percent_encoding::utf8_percent_encode(value, UNSAFE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(name: &'static str, v: Value, style: Style) -> String {
        pairs(Cow::Borrowed(name), &v, style)
            .into_iter()
            .map(|(k, v)| format!("{k}={}", v.joined()))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn arrays_in_every_style() {
        let v = json!(["a", 1, true]);
        assert_eq!(
            text("x", v.clone(), Style::Form { explode: true }),
            "x=a&x=1&x=true"
        );
        assert_eq!(
            text("x", v.clone(), Style::Form { explode: false }),
            "x=a,1,true"
        );
        assert_eq!(text("x", v.clone(), Style::SpaceDelimited), "x=a 1 true");
        assert_eq!(text("x", v.clone(), Style::PipeDelimited), "x=a|1|true");
        assert_eq!(text("x", v, Style::DeepObject), "x[]=a&x[]=1&x[]=true");
    }

    #[test]
    fn objects_in_every_style() {
        let v = json!({"role": "admin", "n": 5});
        assert_eq!(
            text("p", v.clone(), Style::Form { explode: true }),
            "role=admin&n=5"
        );
        assert_eq!(
            text("p", v.clone(), Style::Form { explode: false }),
            "p=role,admin,n,5"
        );
        assert_eq!(text("p", v, Style::DeepObject), "p[role]=admin&p[n]=5");
    }

    #[test]
    fn stripe_bracket_form() {
        let v = json!({"order_id": "6735", "tags": ["a", "b"], "items": [{"price": "p_1", "quantity": 2}]});
        assert_eq!(
            text("metadata", v, Style::DeepObject),
            "metadata[order_id]=6735&metadata[tags][]=a&metadata[tags][]=b&metadata[items][0][price]=p_1&metadata[items][0][quantity]=2"
        );
        assert_eq!(
            text("expand", json!(["customer"]), Style::DeepObject),
            "expand[]=customer"
        );
    }

    #[test]
    fn nulls_are_left_out_and_scalars_ignore_the_style() {
        assert_eq!(text("x", Value::Null, Style::DeepObject), "");
        assert_eq!(
            text("x", json!({"a": null, "b": 1}), Style::DeepObject),
            "x[b]=1"
        );
        assert_eq!(text("x", json!(2.5), Style::PipeDelimited), "x=2.5");
    }

    #[test]
    fn query_text_keeps_delimiters_literal_and_escapes_them_inside_pieces() {
        let encoded = |v: Value, style| {
            pairs(Cow::Borrowed("x"), &v, style)
                .into_iter()
                .map(|(k, v)| format!("{k}={}", v.query_encoded()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            encoded(json!(["a,b", "c d"]), Style::Form { explode: false }),
            ["x=a%2Cb,c%20d"]
        );
        assert_eq!(
            encoded(json!(["a|b", "c"]), Style::PipeDelimited),
            ["x=a%7Cb|c"]
        );
        assert_eq!(encoded(json!(["a", "b"]), Style::SpaceDelimited), ["x=a b"]);
        assert_eq!(query_escape("a-b.c_d~e+f/g?h"), "a-b.c_d~e%2Bf%2Fg%3Fh");
    }

    #[test]
    fn simple_and_cookie_text() {
        assert_eq!(simple_text(&["a", "b"]), "a,b");
        assert_eq!(simple_text(&7), "7");
        assert_eq!(cookie_value("a b;c=d,\"e\"%"), "a%20b%3Bc=d%2C%22e%22%25");
    }
}
