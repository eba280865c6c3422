//! Resolving local `$ref`s (`#/components/<kind>/<name>`), with cycle detection.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::diagnostic::{Diagnostic, child};

/// A schema position: either a `$ref` or an inline schema. Unifies `ReferenceOr<Schema>` and
/// `ReferenceOr<Box<Schema>>`, which openapiv3 uses in different places.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref: ...`
    Ref(&'a str),
    /// An inline schema.
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// Splits `#/components/<kind>/<name>` and returns the unescaped name.
pub fn component_name(reference: &str, kind: &str, at: &str) -> Result<String, Diagnostic> {
    let Some(local) = reference.strip_prefix('#') else {
        return Err(Diagnostic::error(
            at,
            format!("external reference `{reference}` is not supported"),
        )
        .with_help("inline the referenced document into this one; only `#/components/...` references are resolved")
        .unsupported());
    };
    let prefix = format!("/components/{kind}/");
    match local.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => {
            Ok(name.replace("~1", "/").replace("~0", "~"))
        }
        _ => Err(Diagnostic::error(
            at,
            format!("reference `{reference}` does not point into `#/components/{kind}`"),
        )
        .with_help(format!(
            "refer to a component as `#/components/{kind}/<Name>`"
        ))),
    }
}

/// The pointer of a component.
pub fn component_pointer(kind: &str, name: &str) -> String {
    child(&format!("/components/{kind}"), name)
}

/// Follows `$ref` chains of one component kind to the item, detecting cycles and dangling refs.
fn follow<'a, T>(
    start: &'a ReferenceOr<T>,
    at: &str,
    kind: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
) -> Result<(&'a T, String), Diagnostic> {
    let mut current = start;
    let mut pointer = at.to_owned();
    let mut seen = BTreeSet::new();
    loop {
        match current {
            ReferenceOr::Item(item) => return Ok((item, pointer)),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, kind, &pointer)?;
                if !seen.insert(name.clone()) {
                    return Err(Diagnostic::error(
                        at,
                        format!("`$ref` cycle: `{reference}` refers back to itself"),
                    )
                    .with_help("one of the components in the cycle must define the item"));
                }
                match lookup(&name) {
                    Some(next) => {
                        current = next;
                        pointer = component_pointer(kind, &name);
                    }
                    None => {
                        return Err(Diagnostic::error(
                            &pointer,
                            format!("`{reference}` does not exist"),
                        )
                        .with_help(format!("define `{name}` under `components.{kind}`")));
                    }
                }
            }
        }
    }
}

/// Resolves a parameter.
pub fn parameter<'a>(
    doc: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<(&'a Parameter, String), Diagnostic> {
    follow(p, at, "parameters", |name| {
        doc.components.as_ref()?.parameters.get(name)
    })
}

/// Resolves a request body.
pub fn request_body<'a>(
    doc: &'a OpenAPI,
    b: &'a ReferenceOr<RequestBody>,
    at: &str,
) -> Result<(&'a RequestBody, String), Diagnostic> {
    follow(b, at, "requestBodies", |name| {
        doc.components.as_ref()?.request_bodies.get(name)
    })
}

/// Resolves a response.
pub fn response<'a>(
    doc: &'a OpenAPI,
    r: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<(&'a Response, String), Diagnostic> {
    follow(r, at, "responses", |name| {
        doc.components.as_ref()?.responses.get(name)
    })
}

/// Resolves a schema to its definition, following `$ref` chains.
pub fn schema<'a>(
    doc: &'a OpenAPI,
    s: SchemaRef<'a>,
    at: &str,
) -> Result<(&'a Schema, String), Diagnostic> {
    match s {
        SchemaRef::Item(item) => Ok((item, at.to_owned())),
        SchemaRef::Ref(reference) => {
            // The first hop is taken here because `follow` needs a node that lives as long as
            // the document, and a bare reference string does not.
            let name = component_name(reference, "schemas", at)?;
            let schemas = doc.components.as_ref().map(|c| &c.schemas);
            let first = schemas.and_then(|s| s.get(&name)).ok_or_else(|| {
                Diagnostic::error(at, format!("`{reference}` does not exist"))
                    .with_help(format!("define `{name}` under `components.schemas`"))
            })?;
            follow(
                first,
                &component_pointer("schemas", &name),
                "schemas",
                |n| schemas.and_then(|s| s.get(n)),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names() {
        assert_eq!(
            component_name("#/components/schemas/Pay~1ment", "schemas", "").ok(),
            Some("Pay/ment".to_owned())
        );
        assert!(component_name("other.yaml#/components/schemas/A", "schemas", "").is_err());
        assert!(component_name("#/components/parameters/A", "schemas", "").is_err());
        assert!(component_name("#/definitions/A", "schemas", "").is_err());
    }
}
