//! Naming: turns wire names from a spec into Rust identifiers.
//!
//! Case conversion is heck's. What heck can't know is Rust's: keywords, identifiers that may not
//! start with a digit, punctuation that carries meaning (`+1` vs `-1`), non-ASCII text, and names
//! that only differ in case. Every function here is total: any input gives a valid identifier.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that can't be raw identifiers; they get a trailing underscore.
const STRICT_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated module itself uses or re-exports (`pub use rt::{…}` in
/// `emit/client.rs`). A schema with one of these names would clash with them, so it gets a
/// suffix.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "ClientBuilder",
    "Error",
    "Page",
    "PageStream",
    "Outcome",
    "Response",
    "RetryPolicy",
    "BuildError",
    "Bytes",
    "Download",
    "Upload",
    "FilePart",
    "Credential",
    "From",
    "Into",
    "Self",
];

/// Method names of std traits. A setter `fn add(mut self, value: T) -> Self` looks like a
/// hand-rolled `Add` impl to clippy (`should_implement_trait`), so setters avoid these names.
pub const TRAIT_METHODS: &[&str] = &[
    "new",
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Splits words the way a person reads them before heck sees the text: `+` and a `-` that
/// stands before a digit are spoken as words, and non-ASCII characters become their code point,
/// so `reactions-+1` and `reactions--1` stay apart and `café` stays ASCII.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_is_alnum = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        match c {
            '+' => out.push_str(" plus "),
            '-' if next_is_digit && !prev_is_alnum => out.push_str(" minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if c.is_ascii() => out.push(' '),
            c => out.push_str(&format!(" u{:04x} ", c as u32)),
        }
    }
    out
}

fn escape_keyword(name: String) -> String {
    if STRICT_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The longest identifier the generator writes. Names of nested inline schemas grow with each
/// level, and spec names can be any length; past a few hundred characters rustdoc can't write
/// a type's page (file names are limited to 255 bytes), and nobody can read such a name.
pub const MAX_IDENT_LEN: usize = 64;

/// `name` cut to [`MAX_IDENT_LEN`] when it is longer, ending in a short hash of the whole name
/// so that names which only differ after the cut stay apart, the same on every run.
fn bounded(name: String, separator: &str) -> String {
    if name.len() <= MAX_IDENT_LEN {
        return name;
    }
    // FNV-1a: a fixed, platform-independent hash (std's hashers may change between releases).
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let suffix = format!("{separator}{:08x}", hash >> 32);
    // Names are ASCII by now (see `words`), so any byte index is a character boundary.
    let keep = MAX_IDENT_LEN - suffix.len();
    format!("{}{suffix}", name[..keep].trim_end_matches('_'))
}

/// A field, function or parameter name: `snake_case`, keyword-safe.
pub fn snake(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(bounded(name, "_"))
}

/// A type name: `UpperCamelCase`, never one of the names the generated module uses itself.
pub fn type_name(raw: &str) -> String {
    let mut name = camel(raw, "Type");
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// An enum variant: `UpperCamelCase`; an empty wire value becomes `Empty`.
pub fn variant(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_owned();
    }
    camel(raw, "V")
}

fn camel(raw: &str, digit_prefix: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    if STRICT_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    bounded(name, "H")
}

/// The indefinite article for a type name in prose: "An `AchDetails`", "A `Card`". The
/// sound decides, which spelling only hints at: a `U` read "you" (`User`, `Uuid`, `Url`) and
/// an initialism (`FxQuote`, `SmsCode`) are guessed from the spelling.
pub fn article(name: &str) -> &'static str {
    let Some(first) = name.chars().next() else {
        return "A";
    };
    // The first word (`Fx` in `FxQuote`): without a vowel it is said letter by letter, and
    // F, H, L, M, N, R, S and X are said starting with a vowel (an SMS, an HTML page).
    let word: String = name
        .chars()
        .enumerate()
        .take_while(|(i, c)| *i == 0 || !c.is_ascii_uppercase())
        .map(|(_, c)| c.to_ascii_lowercase())
        .collect();
    let spelled = word.len() > 1 && !word.contains(['a', 'e', 'i', 'o', 'u', 'y']);
    let vowel = match first {
        'A' | 'E' | 'I' | 'O' => true,
        'U' => !["Uni", "Use", "Usa", "Usu", "Uti", "Uu", "Ur", "Uk"]
            .iter()
            .any(|p| name.starts_with(p)),
        _ => false,
    };
    if vowel || (spelled && "FHLMNRSX".contains(first)) {
        "An"
    } else {
        "A"
    }
}

/// The text of an identifier without its `r#` prefix, for comparing names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out names that are unique within one scope (the fields of a struct, the variants of an
/// enum, the types of a module). The first claimant keeps the plain name; later ones get `_2`,
/// `_3`, … (or `2`, `3` for camel-case names) in the order they ask, so output is deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope with names already in use.
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: names.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Claims `candidate`, or the first free variant of it.
    pub fn claim(&mut self, candidate: String) -> String {
        if self.taken.insert(bare(&candidate).to_owned()) {
            return candidate;
        }
        let base = bare(&candidate).to_owned();
        // A keyword's trailing `_` (`self_`, `Self_`) is dropped before the number: `self__2`
        // is not snake case and `Self_2` is not camel case, so both would warn.
        let stem = match base.trim_end_matches('_') {
            "" => base.as_str(),
            stem => stem,
        };
        let separator = if stem.contains('_') || stem.chars().all(|c| !c.is_uppercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|name| self.taken.insert(name.clone()))
            .unwrap_or(base)
    }

    /// Gives back a name that was claimed but not used (a schema that turned out to need no
    /// type of its own), so the next claimant gets it without a number.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(bare(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let long = "very long name ".repeat(40);
        let ty = type_name(&long);
        assert!(ty.len() <= MAX_IDENT_LEN && ty.len() > 50, "{ty}");
        assert!(ty.starts_with("VeryLongNameVeryLong"), "{ty}");
        assert_eq!(ty, type_name(&long), "deterministic");
        // Names that differ only past the cut stay apart.
        assert_ne!(
            type_name(&format!("{long}a")),
            type_name(&format!("{long}b"))
        );
        let field = snake(&long);
        assert!(field.len() <= MAX_IDENT_LEN && field.len() > 50, "{field}");
        assert!(field.starts_with("very_long_name_very"), "{field}");
        assert_ne!(snake(&format!("{long}a")), snake(&format!("{long}b")));
        assert!(variant(&long).len() <= MAX_IDENT_LEN);
        // Short names are untouched.
        assert_eq!(type_name("Payment"), "Payment");
    }

    #[test]
    fn snake_cases() {
        let table = [
            ("customerId", "customer_id"),
            ("charge-payment", "charge_payment"),
            ("doc_url", "doc_url"),
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("gen", "r#gen"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("1st", "n1st"),
            ("2fa-enabled", "n2fa_enabled"),
            ("reactions-+1", "reactions_plus_1"),
            ("reactions--1", "reactions_minus_1"),
            ("x-api-key", "x_api_key"),
            ("café", "caf_u00e9"),
            ("", "value"),
            ("$", "value"),
            ("HTTPStatus", "http_status"),
            ("a.b.c", "a_b_c"),
        ];
        for (raw, want) in table {
            assert_eq!(snake(raw), want, "snake({raw:?})");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("Payment", "Payment"),
            ("payment_status", "PaymentStatus"),
            ("charge-payment-request", "ChargePaymentRequest"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("Option", "OptionModel"),
            ("Error", "ErrorModel"),
            ("result", "ResultModel"),
            ("outcome", "OutcomeModel"),
            ("3DSecure", "Type3dSecure"),
            ("", "Value"),
            ("日本", "U65e5U672c"),
        ];
        for (raw, want) in table {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn variants() {
        let table = [
            ("requires_action", "RequiresAction"),
            ("pending", "Pending"),
            ("", "Empty"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("1", "V1"),
            ("2026-06-10", "V20260610"),
            ("Self", "Self_"),
            ("a b", "AB"),
        ];
        for (raw, want) in table {
            assert_eq!(variant(raw), want, "variant({raw:?})");
        }
    }

    #[test]
    fn collisions_are_resolved_in_order() {
        let mut fields = Scope::default();
        assert_eq!(fields.claim(snake("add")), "add");
        assert_eq!(fields.claim(snake("Add")), "add_2");
        assert_eq!(fields.claim(snake("ADD")), "add_3");
        let mut variants = Scope::default();
        assert_eq!(variants.claim(variant("add")), "Add");
        assert_eq!(variants.claim(variant("Add")), "Add2");
        let mut keywords = Scope::default();
        assert_eq!(keywords.claim(snake("type")), "r#type");
        assert_eq!(keywords.claim(snake("Type")), "type_2");
        assert_eq!(keywords.claim(snake("self")), "self_");
        assert_eq!(keywords.claim(snake("Self")), "self_2");
        let mut types = Scope::default();
        assert_eq!(types.claim(type_name("Self")), "Self_");
        assert_eq!(types.claim(type_name("self")), "Self2");
        let mut reserved = Scope::with_reserved(["Client"]);
        assert_eq!(reserved.claim("Client".to_owned()), "Client2");
    }

    #[test]
    fn every_output_is_an_identifier() {
        let hostile = [
            "", "0", "-", "+", "__", "r#x", "a-+-b", "🙂", "type", "Self", "_",
        ];
        for raw in hostile {
            for name in [snake(raw), type_name(raw), variant(raw)] {
                let parsed = syn::parse_str::<syn::Ident>(&name);
                assert!(parsed.is_ok(), "{raw:?} gave {name:?}, not an identifier");
            }
        }
    }

    #[test]
    fn articles_follow_the_sound() {
        for (name, expected) in [
            ("AchDetails", "An"),
            ("Card", "A"),
            ("EventData", "An"),
            ("IdealDetails", "An"),
            ("OrderItem", "An"),
            ("Update", "An"),
            ("User", "A"),
            ("UnitAmount", "A"),
            ("Uuid", "A"),
            ("UrlSource", "A"),
            ("SepaDebit", "A"),
            ("SsnCheck", "An"),
            ("FxQuote", "An"),
            ("HtmlPage", "An"),
            ("Shipping", "A"),
            ("StripeAccount", "A"),
            ("Klarna", "A"),
            ("Xml", "An"),
            ("", "A"),
        ] {
            assert_eq!(article(name), expected, "{name}");
        }
    }
}
