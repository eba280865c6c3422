//! Changes to named types: structs and their fields, open enums and their values, unions,
//! aliases, multipart bodies and by-status answers.
//!
//! Structs can't be built with a literal or matched without `..` outside the generated module,
//! and enums can't be matched without a wildcard arm, in both ways the client is used (see
//! ARCHITECTURE.md): so an added response field or enum value is compatible, while an added
//! required request field, which `new` must take, is not.

use super::renames::Renames;
use super::side::{Side, rust_type};
use super::{Aspect, Class, Found};
use crate::ident::bare;
use crate::ir::{Field, ResponseShape, StatusVariant, TypeDef, TypeKind, TypeRef, Union, Variant};

pub(super) fn compare(old: &Side, new: &Side, renames: &Renames, found: &mut Found) {
    for a in &old.api.types {
        let was = old.type_at(&a.name);
        let Some(b) = new.type_def(renames.new_name(&a.name)) else {
            found
                .push(Class::Breaking, Aspect::Source, a.name.clone(), "removed")
                .was(was);
            continue;
        };
        let now = new.type_at(&b.name);
        if a.name != b.name {
            let users = methods_using(new, &b.name);
            let used = if users.is_empty() {
                String::new()
            } else {
                format!("; the signatures of {} change with it", users.join(", "))
            };
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    a.name.clone(),
                    format!("renamed to `{}` (same shape){used}", b.name),
                )
                .at(&was, &now);
        }
        type_def(old, new, renames, a, b, found);
    }
    for b in &new.api.types {
        if old.type_def(&b.name).is_none() && !renames.is_new_name(&b.name) {
            found
                .push(Class::Compatible, Aspect::Source, b.name.clone(), "added")
                .now(new.type_at(&b.name));
        }
    }
}

/// The client methods whose signatures name `type_name`: `` `Client::get_order` ``.
fn methods_using(side: &Side, type_name: &str) -> Vec<String> {
    fn mentions(side: &Side, ty: &TypeRef, name: &str) -> bool {
        match side.canon(ty) {
            TypeRef::Named(n) => n == name,
            TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::Nullable(t) => mentions(side, &t, name),
            TypeRef::Tuple(items) => items.iter().any(|t| mentions(side, t, name)),
            _ => false,
        }
    }
    let mut out = Vec::new();
    for op in &side.api.operations {
        let shape = match &op.success.shape {
            ResponseShape::Bare(t)
            | ResponseShape::Data(t)
            | ResponseShape::List(t)
            | ResponseShape::Status(t) => Some(t),
            _ => None,
        };
        let used = op.params.iter().any(|p| mentions(side, &p.ty, type_name))
            || op
                .body
                .as_ref()
                .is_some_and(|b| mentions(side, &b.ty, type_name))
            || shape.is_some_and(|t| mentions(side, t, type_name))
            || mentions(side, &side.api.error_body(op), type_name);
        if used {
            out.push(format!("`Client::{}`", bare(&op.name)));
            if let Some(s) = &op.stream {
                out.push(format!("`Client::{}`", bare(&s.method)));
            }
        }
    }
    out
}

fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum of values",
        TypeKind::Union(_) => "an enum of alternatives",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Multipart(_) => "a multipart body",
        TypeKind::Statuses(_) => "an enum of statuses",
    }
}

fn type_def(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &TypeDef,
    b: &TypeDef,
    found: &mut Found,
) {
    let subject = b.name.clone();
    let (was, now) = (old.type_at(&a.name), new.type_at(&b.name));
    found.description(&a.docs, &b.docs, subject.clone(), (&was, &now));
    found.deprecation(
        a.deprecated,
        b.deprecated,
        subject.clone(),
        "deprecated",
        (&was, &now),
    );
    let structs = matches!(
        (&a.kind, &b.kind),
        (TypeKind::Struct(_), TypeKind::Struct(_))
    );
    if structs && a.in_request && !b.in_request {
        found
            .push(
                Class::Breaking,
                Aspect::Source,
                format!("{subject}::new"),
                "removed, with the setters: the type is no longer sent in requests",
            )
            .at(&was, &now);
    } else if structs && !a.in_request && b.in_request {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("{subject}::new"),
                "added, with setters: the type is now sent in requests",
            )
            .at(&was, &now);
    }
    let same = |x, y| renames.same(old, new, x, y);
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
            let ctx = Fields {
                old,
                new,
                renames,
                a,
                b,
            };
            ctx.compare(x, y, found);
        }
        (TypeKind::Enum(x), TypeKind::Enum(y)) => values(old, new, a, b, x, y, found),
        (TypeKind::Union(x), TypeKind::Union(y)) => {
            union(old, new, renames, a, b, x, y, found);
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => {
            if !same(x, y) {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject,
                        format!(
                            "now names `{}` (was `{}`)",
                            rust_type(&new.canon(y)),
                            rust_type(&renames.in_new_names(old, x))
                        ),
                    )
                    .at(&was, &now);
            }
        }
        (TypeKind::Statuses(x), TypeKind::Statuses(y)) => {
            statuses(old, new, renames, a, b, x, y, found);
        }
        (TypeKind::Multipart(x), TypeKind::Multipart(y)) => {
            let shape = |parts: &[crate::ir::Part]| -> Vec<_> {
                parts
                    .iter()
                    .map(|p| {
                        (
                            p.name.clone(),
                            p.wire_name.clone(),
                            p.kind.clone(),
                            p.required,
                            p.content_type.clone(),
                        )
                    })
                    .collect()
            };
            if shape(x) != shape(y) {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject,
                        "its parts changed",
                    )
                    .at(&was, &now);
            }
        }
        (x, y) => {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!("is now {} (was {})", kind_word(y), kind_word(x)),
                )
                .at(&was, &now);
        }
    }
}

/// The fields of one struct, old and new.
struct Fields<'s> {
    old: &'s Side<'s>,
    new: &'s Side<'s>,
    renames: &'s Renames,
    a: &'s TypeDef,
    b: &'s TypeDef,
}

impl Fields<'_> {
    /// The type a field is stored as, in new names: `Option` layers from required and
    /// nullable, `Box` for recursion.
    fn stored(&self, f: &Field, in_old: bool) -> String {
        let inner = if in_old {
            rust_type(&self.renames.in_new_names(self.old, &f.ty))
        } else {
            rust_type(&self.new.canon(&f.ty))
        };
        let inner = if f.boxed {
            format!("Box<{inner}>")
        } else {
            inner
        };
        match (f.required, f.nullable) {
            (true, false) => inner,
            (true, true) | (false, false) => format!("Option<{inner}>"),
            (false, true) => format!("Option<Option<{inner}>>"),
        }
    }

    fn compare(&self, x: &[Field], y: &[Field], found: &mut Found) {
        let type_name = &self.b.name;
        // Only a type sent in requests has `new` (required fields) and setters (optional ones).
        let built = self.a.in_request && self.b.in_request;
        let mut constructor_broke = false;
        for f in x {
            let subject = format!("{}::{}", type_name, bare(&f.name));
            let was = self.old.field_at(&self.a.name, &f.wire_name);
            let Some(g) = y.iter().find(|g| g.wire_name == f.wire_name) else {
                constructor_broke |= built && f.required;
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject,
                        format!("removed (the property `{}` is gone)", f.wire_name),
                    )
                    .was(was);
                continue;
            };
            let now = self.new.field_at(&self.b.name, &g.wire_name);
            if f.name != g.name {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject.clone(),
                        format!("renamed to `{}::{}`", type_name, bare(&g.name)),
                    )
                    .at(&was, &now);
            }
            let (s, t) = (self.stored(f, true), self.stored(g, false));
            let presence = |field: &Field| match (field.required, field.nullable) {
                (true, false) => "always present",
                (true, true) => "always present, may be null",
                (false, false) => "optional",
                (false, true) => "optional, may be null",
            };
            let presence_changed = (f.required, f.nullable) != (g.required, g.nullable);
            if s != t {
                constructor_broke |= built && (f.required || g.required);
                let why = if presence_changed {
                    format!(" ({}, was {})", presence(g), presence(f))
                } else {
                    String::new()
                };
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        subject.clone(),
                        format!("type changed from `{s}` to `{t}`{why}"),
                    )
                    .at(&was, &now);
            } else if built && f.required != g.required {
                constructor_broke = true;
                let message = if g.required {
                    format!("now required: `{type_name}::new` takes it as an argument")
                } else {
                    format!(
                        "now optional: `{type_name}::new` no longer takes it; set it with its \
                         setter"
                    )
                };
                found
                    .push(Class::Breaking, Aspect::Source, subject.clone(), message)
                    .at(&was, &now);
            } else if presence_changed {
                found
                    .push(
                        Class::Compatible,
                        Aspect::Behaviour,
                        subject.clone(),
                        format!(
                            "now {} (was {}); its type is still `{t}`",
                            presence(g),
                            presence(f)
                        ),
                    )
                    .at(&was, &now);
            }
            found.deprecation(
                f.deprecated,
                g.deprecated,
                subject.clone(),
                "deprecated",
                (&was, &now),
            );
            found.description(&f.docs, &g.docs, subject, (&was, &now));
        }
        for g in y
            .iter()
            .filter(|g| !x.iter().any(|f| f.wire_name == g.wire_name))
        {
            let subject = format!("{}::{}", type_name, bare(&g.name));
            let now = self.new.field_at(&self.b.name, &g.wire_name);
            let (class, message) = match (self.b.in_request, g.required) {
                (true, true) => {
                    constructor_broke = true;
                    (
                        Class::Breaking,
                        format!(
                            "added, required: `{type_name}::new` takes a new argument `{}`",
                            bare(&g.name)
                        ),
                    )
                }
                (true, false) => (
                    Class::Compatible,
                    format!("added, optional: set it with `.{}(..)`", bare(&g.name)),
                ),
                (false, _) => (Class::Compatible, "added".to_owned()),
            };
            found.push(class, Aspect::Source, subject, message).now(now);
        }
        // `new` takes required fields in order: the same ones reordered swap values silently.
        if built && !constructor_broke {
            let order = |fields: &[Field], in_old: bool| -> Vec<(String, String)> {
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.wire_name.clone(), self.stored(f, in_old)))
                    .collect()
            };
            if order(x, true) != order(y, false) {
                found
                    .push(
                        Class::Breaking,
                        Aspect::Source,
                        format!("{type_name}::new"),
                        "takes its arguments in a different order",
                    )
                    .at(
                        self.old.type_at(&self.a.name),
                        self.new.type_at(&self.b.name),
                    );
            }
        }
    }
}

/// Values of an open enum, matched by their wire value.
fn values(
    old: &Side,
    new: &Side,
    a: &TypeDef,
    b: &TypeDef,
    x: &[Variant],
    y: &[Variant],
    found: &mut Found,
) {
    for v in x {
        let subject = format!("{}::{}", b.name, v.name);
        let was = old.variant_at(&a.name, &v.wire_value);
        let Some(w) = y.iter().find(|w| w.wire_value == v.wire_value) else {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!(
                        "removed: the value `{}` now decodes as `{}::Unknown`",
                        v.wire_value, b.name
                    ),
                )
                .was(was);
            continue;
        };
        let now = new.variant_at(&b.name, &w.wire_value);
        if v.name != w.name {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!("renamed to `{}::{}`", b.name, w.name),
                )
                .at(&was, &now);
        }
        found.description(&v.docs, &w.docs, subject, (&was, &now));
    }
    for w in y
        .iter()
        .filter(|w| !x.iter().any(|v| v.wire_value == w.wire_value))
    {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("{}::{}", b.name, w.name),
                format!(
                    "added: the value `{}`, which older clients keep as `{}::Unknown`",
                    w.wire_value, b.name
                ),
            )
            .now(new.variant_at(&b.name, &w.wire_value));
    }
}

/// Alternatives of a `oneOf`/`anyOf`. A `match` on a union needs a wildcard arm and older
/// clients keep an alternative they don't know (`unknown()`), so a new one is compatible;
/// removing or changing one still breaks code that names it.
#[allow(clippy::too_many_arguments)]
fn union(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &TypeDef,
    b: &TypeDef,
    x: &Union,
    y: &Union,
    found: &mut Found,
) {
    let (was, now) = (old.type_at(&a.name), new.type_at(&b.name));
    if x.tag != y.tag {
        found
            .push(
                Class::Breaking,
                Aspect::Behaviour,
                b.name.clone(),
                format!(
                    "now chosen by {} (was {})",
                    y.tag
                        .as_deref()
                        .map_or("its shape".to_owned(), |t| format!("`{t}`")),
                    x.tag
                        .as_deref()
                        .map_or("its shape".to_owned(), |t| format!("`{t}`"))
                ),
            )
            .at(&was, &now);
    }
    for v in &x.variants {
        let subject = format!("{}::{}", b.name, v.name);
        let Some(w) = y.variants.iter().find(|w| w.name == v.name) else {
            found
                .push(Class::Breaking, Aspect::Source, subject, "removed")
                .at(&was, &now);
            continue;
        };
        if !renames.same(old, new, &v.ty, &w.ty) {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject.clone(),
                    format!(
                        "now holds `{}` (was `{}`)",
                        rust_type(&new.canon(&w.ty)),
                        rust_type(&renames.in_new_names(old, &v.ty))
                    ),
                )
                .at(&was, &now);
        }
        if v.tag_values != w.tag_values {
            found
                .push(
                    Class::Compatible,
                    Aspect::Behaviour,
                    subject,
                    format!(
                        "now chosen by {} (was {})",
                        w.tag_values.join(", "),
                        v.tag_values.join(", ")
                    ),
                )
                .at(&was, &now);
        }
    }
    for w in y
        .variants
        .iter()
        .filter(|w| !x.variants.iter().any(|v| v.name == w.name))
    {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("{}::{}", b.name, w.name),
                format!(
                    "added: older clients keep it as an alternative they don't know, read \
                     through `{}::unknown`",
                    b.name
                ),
            )
            .at(&was, &now);
    }
}

/// The answers of an operation whose success statuses carry different bodies.
#[allow(clippy::too_many_arguments)]
fn statuses(
    old: &Side,
    new: &Side,
    renames: &Renames,
    a: &TypeDef,
    b: &TypeDef,
    x: &[StatusVariant],
    y: &[StatusVariant],
    found: &mut Found,
) {
    let (was, now) = (old.type_at(&a.name), new.type_at(&b.name));
    for v in x {
        let subject = format!("{}::{}", b.name, v.name);
        let Some(w) = y.iter().find(|w| w.status == v.status) else {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!("removed: the operation no longer answers {}", v.status),
                )
                .at(&was, &now);
            continue;
        };
        let same_body = match (&v.ty, &w.ty) {
            (Some(s), Some(t)) => renames.same(old, new, s, t),
            (None, None) => true,
            _ => false,
        };
        if v.name != w.name || !same_body {
            found
                .push(
                    Class::Breaking,
                    Aspect::Source,
                    subject,
                    format!(
                        "the {} answer is now `{}::{}`{}",
                        w.status,
                        b.name,
                        w.name,
                        w.ty.as_ref()
                            .map(|t| format!("({})", rust_type(&new.canon(t))))
                            .unwrap_or_default()
                    ),
                )
                .at(&was, &now);
        }
    }
    for w in y.iter().filter(|w| !x.iter().any(|v| v.status == w.status)) {
        found
            .push(
                Class::Compatible,
                Aspect::Source,
                format!("{}::{}", b.name, w.name),
                format!(
                    "added: the operation may answer {}; older clients fail on it as an \
                     unexpected status",
                    w.status
                ),
            )
            .at(&was, &now);
    }
}
