//! ir: the API as plain Rust data.
//!
//! `lower` builds it from an OpenAPI document; `emit` turns it into Rust; `diff` compares two of
//! them. Nothing from `openapiv3` appears here, so the emitter and the differ never see spec
//! syntax, only decisions: names are final Rust identifiers, `$ref`s are resolved, envelopes are
//! recognised.

mod security;
mod servers;

pub use security::{ApiKeyLocation, Requirement, SchemeKind, SecurityScheme};
pub use servers::{Environment, Environments, ServerVariable};

/// A whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`, sent in [`Self::version_header`] when there is one.
    pub version: String,
    /// The request header the client sends `info.version` in: the one the options name, when
    /// an operation declares it or the user asked for it. `None`: the client sends no version.
    pub version_header: Option<String>,
    /// `info.description`, sanitized.
    pub description: Option<String>,
    /// `servers[0].url`.
    pub base_url: Option<String>,
    /// Every server, as a named choice on the builder, when the document lists more than one.
    pub environments: Option<Environments>,
    /// The security schemes operations use, in name order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The document's security requirement: alternatives, each a set of scheme names that are
    /// all sent. Empty when the document declares none.
    pub security: Vec<Requirement>,
    /// Named types, in a deterministic order (component schemas by name, then inline types in
    /// the order they were found).
    pub types: Vec<TypeDef>,
    /// Operations, in path order then method order.
    pub operations: Vec<Operation>,
    /// The events the API sends to its users' endpoints (3.1 `webhooks`, 3.0 `x-webhooks`).
    pub webhooks: Option<Webhooks>,
    /// The deepest chain of nested types, when it is deeper than rustc's default recursion
    /// limit can check (see `lower::nesting`).
    pub nesting: Option<Nesting>,
    /// Where each of `types` is, for [`Api::type_def`].
    pub(crate) type_index: TypeIndex,
}

/// Where each type is in [`Api::types`], by name, built on the first lookup. Emitting and
/// comparing look a type up by name for every use of it; a scan for each made generation
/// quadratic in the size of the API. Not part of the API's value: clones start empty, and
/// any two compare equal.
#[derive(Default)]
pub struct TypeIndex(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl TypeIndex {
    fn position(&self, types: &[TypeDef], name: &str) -> Option<usize> {
        let index = self.0.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(types.len());
            for (i, t) in types.iter().enumerate() {
                // The first of a name wins, as a scan would find it.
                index.entry(t.name.clone()).or_insert(i);
            }
            index
        });
        index.get(name).copied()
    }
}

impl Clone for TypeIndex {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for TypeIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for TypeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypeIndex")
    }
}

/// The webhook events of an API, decoded as one enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// Rust name of the enum (`WebhookEvent`).
    pub name: String,
    /// The property whose value names the event type (`event`, `type`).
    pub tag: String,
    /// One per event type, in the spec's order.
    pub events: Vec<WebhookEvent>,
    /// The header with the body's hex HMAC-SHA256, when the spec declares one
    /// (`x-webhook-signature`).
    pub signature_header: Option<String>,
}

/// One webhook event type.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The event type on the wire (`payment_link.completed`).
    pub event: String,
    /// Rust variant name.
    pub name: String,
    /// The type of the whole event body.
    pub ty: TypeRef,
    /// Summary and description.
    pub docs: Docs,
}

/// Documentation of an item: already rustdoc-safe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// Paragraphs, joined by blank lines when emitted.
    pub paragraphs: Vec<String>,
}

impl Docs {
    /// Adds a paragraph if it is not empty.
    pub fn push(&mut self, paragraph: impl Into<String>) {
        let p = paragraph.into();
        if !p.trim().is_empty() {
            self.paragraphs.push(p);
        }
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where it came from: the component name, or a description of the inline position.
    pub origin: String,
    /// Docs.
    pub docs: Docs,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// The shape.
    pub kind: TypeKind,
    /// Used in a request (body or parameter): such structs get a constructor and setters.
    pub in_request: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Vec<Field>),
    /// A string enum that keeps unknown values.
    Enum(Vec<Variant>),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// A name for another type (a component that is a map, an array or a primitive).
    Alias(TypeRef),
    /// The fields of a `multipart/form-data` request body, files among them.
    Multipart(Vec<Part>),
    /// The success answers of one operation whose statuses carry different bodies (`201`
    /// with the new object, `204` without one), told apart by status.
    Statuses(Vec<StatusVariant>),
}

/// One success status of a [`TypeKind::Statuses`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status code.
    pub status: u16,
    /// Rust variant name (`Created`, `NoContent`, `Status299`).
    pub name: String,
    /// The body, or `None` for a bodiless answer.
    pub ty: Option<TypeRef>,
    /// The response's description.
    pub docs: Docs,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name (may be a raw identifier like `r#type`).
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// The value type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    /// Must be present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Recursive: stored behind a `Box`.
    pub boxed: bool,
    /// Docs.
    pub docs: Docs,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Rust field name.
    pub name: String,
    /// The part's name on the wire.
    pub wire_name: String,
    /// What the part holds.
    pub kind: PartKind,
    /// Must be sent.
    pub required: bool,
    /// The part's content type from the spec's `encoding`, when it names one.
    pub content_type: Option<String>,
    /// Docs.
    pub docs: Docs,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A file: bytes or a stream, with a file name and a content type.
    File,
    /// Several files under one name.
    Files,
    /// A scalar sent as its text.
    Text(TypeRef),
    /// An array of scalars: one text part per item, each under the field's name. The `TypeRef`
    /// is the item's.
    Texts(TypeRef),
    /// An object or array sent as a JSON part.
    Json(TypeRef),
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
    /// Docs of this value, when the spec describes it (a `oneOf` of one-value enums does).
    pub docs: Docs,
}

/// A `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The discriminating property, when there is one.
    pub tag: Option<String>,
    /// The alternatives, in spec order.
    pub variants: Vec<UnionVariant>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The tag values that select it (empty for untagged unions).
    pub tag_values: Vec<String>,
    /// The payload type.
    pub ty: TypeRef,
}

/// A chain of nested types too deep for rustc's default recursion limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Nesting {
    /// The type the chain starts at.
    pub root: String,
    /// How many types deep it goes.
    pub depth: usize,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `chrono::DateTime<Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// `serde_json::Value`: free-form.
    Json,
    /// A named type of this module.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `(A, B, …)`: a fixed-length array whose positions have their own types.
    Tuple(Vec<TypeRef>),
    /// `Option<T>`: an array element or map value that may be `null`. (A nullable property is
    /// a [`Field::nullable`] instead.)
    Nullable(Box<TypeRef>),
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Method name on the client.
    pub name: String,
    /// `operationId`, or a name made from method and path.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// The path template, as in the spec.
    pub path: String,
    /// The path, split into segments.
    pub segments: Vec<Segment>,
    /// The server of its own the document sends it to (its own or its path's first `servers`
    /// entry, variables at their defaults); `None`: the client's base URL.
    pub server: Option<String>,
    /// Its servers named like the document's environments, as `(environment, url)`: a client
    /// built for that environment sends the operation there instead of to `server`.
    pub server_by_environment: Vec<(String, String)>,
    /// Docs: summary, description, method and path.
    pub docs: Docs,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters, path first, then query, then header, each in spec order.
    pub params: Vec<Param>,
    /// Where the operation takes an idempotency key, when it takes one: the runtime makes one
    /// per call, sends it on every attempt and may retry.
    pub idempotency: Option<Idempotency>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success returns.
    pub success: Success,
    /// The error body type: the one the spec declares for this operation, or else the one
    /// every operation that declares an error shares; `None` when there is neither.
    pub error: Option<ErrorShape>,
    /// Every documented response, for the docs.
    pub responses: Vec<ResponseDoc>,
    /// For cursor-paginated lists: the method that streams every item.
    pub stream: Option<Stream>,
    /// Name of the optional-parameters struct, when the operation has optional parameters.
    pub params_type: Option<String>,
    /// The operation's own security requirement, when it differs from the document's; an
    /// empty list means the operation takes no authentication.
    pub security: Option<Vec<Requirement>>,
    /// The same call answered in another media type the spec offers (a PDF beside the JSON
    /// invoice), each its own method.
    pub alternatives: Vec<Alternative>,
}

/// Where an operation's idempotency key travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idempotency {
    /// In this request header, as the spec (or the user) spells it.
    Header(String),
    /// In this top-level field of the JSON request body, by its name on the wire.
    BodyField(String),
}

/// A method that asks for another of the success response's media types.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The method's name (`get_invoice_as_pdf`).
    pub name: String,
    /// What it returns, and the media type it sends as `Accept`.
    pub success: Success,
}

/// The streaming companion of a paginated list operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// Its method name on the client.
    pub method: String,
    /// The query parameter that takes the next page's cursor.
    pub cursor_param: String,
}

/// A part of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A literal segment.
    Literal(String),
    /// A path parameter, by Rust name.
    Param(String),
    /// A segment that mixes text and parameters (`{id}.pdf`, `v{version}`); each parameter is
    /// encoded so that it stays inside this one segment.
    Mixed(Vec<SegmentPart>),
}

/// A piece of a [`Segment::Mixed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentPart {
    /// Literal text.
    Text(String),
    /// A path parameter, by Rust name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a query parameter's value is written: the spec's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`: arrays repeat the key (`a=1&a=2`) when exploded, else join with commas
    /// (`a=1,2`); objects spread their properties, or list `key,value` pairs.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// Arrays joined with spaces.
    SpaceDelimited,
    /// Arrays joined with `|`.
    PipeDelimited,
    /// Objects as `name[key]=value`.
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Location.
    pub location: ParamLocation,
    /// Type (an array for repeated query parameters).
    pub ty: TypeRef,
    /// How a query parameter is serialized (`Form { explode: true }` elsewhere).
    pub style: ParamStyle,
    /// Must be given.
    pub required: bool,
    /// Docs.
    pub docs: Docs,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its type: the serialized value for JSON and form bodies, the [`TypeKind::Multipart`]
    /// type for multipart bodies, `String` for text; unused for binary bodies.
    pub ty: TypeRef,
    /// Must be sent.
    pub required: bool,
    /// How it is encoded.
    pub content: BodyContent,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyContent {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`, with the spec's per-property encodings.
    Form(Vec<FormEncoding>),
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes or a stream (`application/octet-stream`, images, PDFs…).
    Binary,
    /// Text.
    Text,
}

/// How one property of a form body is written, from the spec's `encoding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormEncoding {
    /// The property's name on the wire.
    pub property: String,
    /// Its style.
    pub style: ParamStyle,
}

/// What a successful response holds and how to find it.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The documented status, e.g. 200.
    pub status: u16,
    /// The shape of the body.
    pub shape: ResponseShape,
    /// The media type the spec declares for it, sent as `Accept` and checked on the answer.
    pub media_type: Option<String>,
}

/// The shape of a success body.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseShape {
    /// No body.
    Empty,
    /// Text (`text/plain`, `text/html`, `text/csv`…), as a `String`.
    Text,
    /// Binary content (a PDF, an image, `*/*`…), as bytes or a stream.
    Bytes,
    /// The body is the value.
    Bare(TypeRef),
    /// `{"success": true, "data": T}`: the client returns `T`.
    Data(TypeRef),
    /// A page `{"data": [T], "hasMore": …, "nextCursor": …}`: the client returns `Page<T>`.
    List(TypeRef),
    /// Several success statuses with different bodies: the client returns the named
    /// [`TypeKind::Statuses`] enum, chosen by the status.
    Status(TypeRef),
}

/// The error body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorShape {
    /// The type of the error object.
    pub ty: TypeRef,
    /// The envelope property that holds it (`error` in `{"success": false, "error": …}`).
    pub field: Option<String>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// A class, e.g. `4XX` is `Range(4)`.
    Range(u16),
    /// Everything else.
    Default,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    /// Statuses.
    pub status: StatusMatch,
    /// Its description, sanitized.
    pub description: String,
}

impl Api {
    /// The named type `name`, if there is one.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        // `types` is public and may have changed since the index was built: an entry that no
        // longer holds the name falls back to a scan.
        match self.type_index.position(&self.types, name) {
            Some(i) if self.types.get(i).is_some_and(|t| t.name == name) => self.types.get(i),
            _ => self.types.iter().find(|t| t.name == name),
        }
    }

    /// The error body type of `op` as the client decodes it: its struct, or free-form JSON.
    pub fn error_body(&self, op: &Operation) -> TypeRef {
        match op.error.as_ref().map(|e| &e.ty) {
            Some(TypeRef::Named(n))
                if self
                    .type_def(n)
                    .is_some_and(|t| matches!(t.kind, TypeKind::Struct(_))) =>
            {
                TypeRef::Named(n.clone())
            }
            _ => TypeRef::Json,
        }
    }

    /// The error body every operation shares, when there is one: what the generated
    /// `pub type Error = rt::Error<T>` names.
    pub fn shared_error_type(&self) -> Option<TypeRef> {
        let mut bodies = self.operations.iter().map(|op| self.error_body(op));
        let first = bodies.next()?;
        bodies.all(|b| b == first).then_some(first)
    }
}

/// True for types written as one piece of text in a path, header or cookie: strings,
/// numbers, booleans, dates, uuids, enums, and untagged unions and aliases of those.
/// `lookup` finds a named type; unions nested deeper than `depth` don't count (a union that
/// contains itself is rejected elsewhere, and must not hang this check first).
pub fn is_scalar<'t>(
    ty: &TypeRef,
    lookup: &dyn Fn(&str) -> Option<&'t TypeDef>,
    depth: usize,
) -> bool {
    match ty {
        TypeRef::Named(n) => match lookup(n).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(target)) => depth > 0 && is_scalar(target, lookup, depth - 1),
            Some(TypeKind::Union(u)) => {
                depth > 0
                    && u.tag.is_none()
                    && u.variants
                        .iter()
                        .all(|v| is_scalar(&v.ty, lookup, depth - 1))
            }
            _ => false,
        },
        TypeRef::Json
        | TypeRef::Map(_)
        | TypeRef::Nullable(_)
        | TypeRef::Vec(_)
        | TypeRef::Tuple(_) => false,
        _ => true,
    }
}
