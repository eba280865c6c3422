//! The client type, its constructors, and one method per operation.
//!
//! Methods only describe a request; sending, retrying, idempotency keys and decoding live in
//! the runtime's `Call`, so each method is a few lines a reviewer can check against the spec.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx, ident};
use crate::ir::{Auth, Operation, Param, ParamLocation, ResponseShape, Segment, TypeKind, TypeRef};

pub fn client(ctx: &Ctx) -> TokenStream {
    let api = ctx.api;
    let options = ctx.options;
    let base_url = api.base_url.clone().unwrap_or_default();
    let version = &api.version;
    let api_key_header = match &api.auth {
        Some(Auth::ApiKeyHeader { header }) => header.clone(),
        None => String::new(),
    };
    let prefix = &options.env_prefix;
    let api_key_env = format!("{prefix}_API_KEY");
    let base_url_env = format!("{prefix}_BASE_URL");
    let version_header = &options.version_header;
    let idempotency_header = &options.idempotency_header;

    // The title is spec text like any description: it may hold `<`, `[` or a bare URL.
    let mut client_doc = format!(
        "A client for {} (API version `{version}`).",
        crate::doc::sanitize(&api.title.replace(['\n', '\r'], " "))
    );
    if let Some(d) = &api.description {
        client_doc.push_str("\n\n");
        client_doc.push_str(d);
    }
    // An API without a security scheme takes no key: its docs must not ask for one.
    let reads = if api.auth.is_some() {
        format!("to read `{api_key_env}` (and `{base_url_env}`, if set)")
    } else {
        format!("to read `{base_url_env}`, if set; this API takes no API key")
    };
    client_doc.push_str(&format!(
        "\n\nBuild one with [`Client::builder`], or [`Client::from_env`] {reads}. \
         Clones are cheap and share one connection pool.\n\n\
         Every method returns a request that is sent when awaited: `.await` gives the data, \
         `.send().await` the data with status, headers and request id. Before awaiting, a \
         request can be given an idempotency key, a timeout or a retry budget of its own."
    ));
    let client_doc = tokens::doc_lines(&client_doc);
    let base_doc = format!(" The server URL from the spec: `{base_url}`.");
    let version_doc =
        format!(" The API version this client was generated from, sent as `{version_header}`.");
    let builder_doc = if api.auth.is_some() {
        format!(
            " A builder. The API key falls back to `{api_key_env}`, the base URL to `{base_url_env}` and then [`Client::DEFAULT_BASE_URL`]."
        )
    } else {
        format!(
            " A builder. The base URL falls back to `{base_url_env}` and then [`Client::DEFAULT_BASE_URL`]."
        )
    };

    let error_types = error_types(ctx);
    let error_impls = error_types.iter().map(|name| error_body_impl(ctx, name));
    let error_alias = error_alias(ctx);
    let params_structs = api.operations.iter().map(|op| params_struct(ctx, op));
    let methods = api.operations.iter().map(|op| method(ctx, op));

    quote! {
        pub use rt::{BuildError, Page, PageStream, Response, RetryPolicy};

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: rt::Client,
        }

        /// Configures and builds a [`Client`]; see [`Client::builder`].
        pub type ClientBuilder = rt::ClientBuilder<Client>;

        #error_alias

        impl rt::ApiClient for Client {
            fn from_runtime(client: rt::Client) -> Self {
                Self { inner: client }
            }
        }

        impl Client {
            #[doc = #base_doc]
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #[doc = #version_doc]
            pub const API_VERSION: &'static str = #version;

            const DEFAULTS: rt::ClientDefaults = rt::ClientDefaults {
                base_url: Self::DEFAULT_BASE_URL,
                api_version: Some(Self::API_VERSION),
                version_header: #version_header,
                api_key_header: #api_key_header,
                api_key_env: #api_key_env,
                base_url_env: #base_url_env,
                idempotency_header: #idempotency_header,
                user_agent: concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION")),
            };

            #[doc = #builder_doc]
            pub fn builder() -> ClientBuilder {
                rt::ClientBuilder::new(Self::DEFAULTS)
            }

            /// A client configured from the environment alone.
            pub fn from_env() -> Result<Self, BuildError> {
                Self::builder().build()
            }

            /// The runtime client underneath, for requests the spec does not describe: it
            /// shares this client's key, base URL, retries and connection pool.
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }

            #(#methods)*
        }

        #(#params_structs)*
        #(#error_impls)*
    }
}

/// The error body type of an operation: its named struct, or free-form JSON.
fn error_type(ctx: &Ctx, op: &Operation) -> TokenStream {
    match op.error.as_ref().map(|e| &e.ty) {
        Some(TypeRef::Named(n)) if is_struct(ctx, n) => {
            let n = format_ident!("{}", n);
            quote!(#n)
        }
        _ => quote!(rt::serde_json::Value),
    }
}

fn is_struct(ctx: &Ctx, name: &str) -> bool {
    ctx.api
        .type_def(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Struct(_)))
}

fn error_types(ctx: &Ctx) -> BTreeSet<String> {
    ctx.api
        .operations
        .iter()
        .filter_map(|op| match op.error.as_ref().map(|e| &e.ty) {
            Some(TypeRef::Named(n)) if is_struct(ctx, n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// `pub type Error`, when every operation fails with the same error body.
fn error_alias(ctx: &Ctx) -> TokenStream {
    let mut kinds = ctx.api.operations.iter().map(|op| error_type(ctx, op));
    let Some(first) = kinds.next() else {
        return TokenStream::new();
    };
    let first_text = first.to_string();
    if kinds.any(|k| k.to_string() != first_text) {
        return TokenStream::new();
    }
    quote! {
        /// The error every operation of this client returns.
        pub type Error = rt::Error<#first>;
    }
}

/// Lets the runtime read `type`, `code` and `message` for retries and one-line messages.
fn error_body_impl(ctx: &Ctx, name: &str) -> TokenStream {
    let Some(TypeKind::Struct(fields)) = ctx.api.type_def(name).map(|t| &t.kind) else {
        return TokenStream::new();
    };
    let getter = |wire: &str| -> TokenStream {
        let Some(f) = fields.iter().find(|f| f.wire_name == wire) else {
            return quote!(None);
        };
        let fname = ident(&f.name);
        let optional = !f.required || f.nullable;
        match (&f.ty, optional, f.required || !f.nullable) {
            (TypeRef::String, false, _) => quote!(Some(self.#fname.as_str())),
            (TypeRef::String, true, true) => quote!(self.#fname.as_deref()),
            (TypeRef::Named(_), false, _) if ctx.is_enum(&f.ty) => {
                quote!(Some(self.#fname.as_str()))
            }
            (TypeRef::Named(n), true, true) if ctx.is_enum(&f.ty) => {
                let n = format_ident!("{}", n);
                quote!(self.#fname.as_ref().map(#n::as_str))
            }
            _ => quote!(None),
        }
    };
    let error_type = getter("type");
    let code = getter("code");
    let message = getter("message");
    let n = format_ident!("{}", name);
    quote! {
        impl rt::ErrorBody for #n {
            fn error_type(&self) -> Option<&str> {
                #error_type
            }

            fn code(&self) -> Option<&str> {
                #code
            }

            fn message(&self) -> Option<&str> {
                #message
            }
        }
    }
}

/// The optional parameters of an operation, as a struct with setters.
fn params_struct(ctx: &Ctx, op: &Operation) -> TokenStream {
    let Some(type_name) = &op.params_type else {
        return TokenStream::new();
    };
    let name = format_ident!("{}", type_name);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let allow = ctx.allow_deprecated(optional.iter().any(|p| ctx.mentions_deprecated(&p.ty)));
    let doc = format!(
        " Optional parameters of [`Client::{}`].",
        crate::ident::bare(&op.name)
    );
    let fields = optional.iter().map(|p| {
        let fname = ident(&p.name);
        let docs = tokens::docs(&p.docs);
        let dep = tokens::deprecated(p.deprecated);
        let ty = tokens::ty(&p.ty);
        quote! {
            #docs
            #dep
            pub #fname: Option<#ty>,
        }
    });
    // `new` is the constructor, and trait method names would read as trait impls to clippy;
    // a parameter with such a name gets a numbered setter.
    let mut setter_names =
        crate::ident::Scope::with_reserved(crate::ident::TRAIT_METHODS.iter().copied());
    let setters = optional.iter().map(|p| {
        let fname = ident(&p.name);
        let setter = ident(&setter_names.claim(p.name.clone()));
        let doc = format!(" Sets `{}`.", p.wire_name);
        let dep = tokens::deprecated(p.deprecated);
        let (arg, value) = match &p.ty {
            TypeRef::String => (quote!(impl Into<String>), quote!(value.into())),
            other => (tokens::ty(other), quote!(value)),
        };
        quote! {
            #[doc = #doc]
            #dep
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#fname = Some(#value);
                self
            }
        }
    });
    let touches_deprecated = optional.iter().any(|p| p.deprecated);
    let impl_allow = ctx.allow_deprecated(
        touches_deprecated || optional.iter().any(|p| ctx.mentions_deprecated(&p.ty)),
    );
    quote! {
        #[doc = #doc]
        #allow
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #impl_allow
        impl #name {
            /// No parameters set.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*
        }
    }
}

/// The Rust type a required parameter is passed as.
fn param_arg(p: &Param) -> TokenStream {
    match &p.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = tokens::ty(inner);
            quote!(&[#inner])
        }
        TypeRef::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(&#n)
        }
        other => tokens::ty(other),
    }
}

/// The text a scalar parameter value is sent as.
fn to_text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => {
            quote!(#value.to_rfc3339_opts(rt::chrono::SecondsFormat::AutoSi, true))
        }
        _ => quote!(#value.to_string()),
    }
}

/// One step of building a request: a call on the builder that always happens, or a statement
/// that may not (an optional parameter, a repeated one).
enum Step {
    Always(TokenStream),
    Statement(TokenStream),
}

/// The step that adds one parameter. `value` is an expression of the parameter (a reference
/// or a copy).
fn add_param(p: &Param, value: TokenStream) -> Step {
    let wire = &p.wire_name;
    let method = match p.location {
        ParamLocation::Header => quote!(header),
        _ => quote!(query),
    };
    match &p.ty {
        TypeRef::Vec(inner) => {
            let text = to_text(inner, quote!(item));
            Step::Statement(quote! {
                for item in #value {
                    call = call.#method(#wire, #text);
                }
            })
        }
        ty => {
            let text = to_text(ty, value);
            Step::Always(quote!(.#method(#wire, #text)))
        }
    }
}

/// A step as a statement on `call`.
fn statement(step: Step) -> TokenStream {
    match step {
        Step::Always(call_suffix) => quote!(call = call #call_suffix;),
        Step::Statement(tokens) => tokens,
    }
}

fn method(ctx: &Ctx, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let mut docs = op.docs.clone();
    let errors: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            let status = match &r.status {
                crate::ir::StatusMatch::Code(c) => c.to_string(),
                crate::ir::StatusMatch::Range(r) => format!("{r}XX"),
                crate::ir::StatusMatch::Default => "default".to_owned(),
            };
            match first_prose_line(&r.description) {
                "" => format!("- `{status}`"),
                line => format!("- `{status}`: {line}"),
            }
        })
        .collect();
    // Required parameters are plain arguments, so their spec docs are listed here; optional
    // ones are documented on the params struct's fields.
    let arguments: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let name = crate::ident::bare(&p.name);
            // An argument can't carry `#[deprecated]`, so the docs say it.
            let deprecated = if p.deprecated { " **Deprecated.**" } else { "" };
            match p.docs.paragraphs.first().map(|d| first_prose_line(d)) {
                Some(line) if !line.is_empty() => format!("- `{name}`: {line}{deprecated}"),
                _ => format!("- `{name}`: the `{}` parameter.{deprecated}", p.wire_name),
            }
        })
        .collect();
    if !arguments.is_empty() {
        docs.push(format!("Arguments:\n\n{}", arguments.join("\n")));
    }
    if !errors.is_empty() {
        docs.push(format!("Responses:\n\n{}", errors.join("\n")));
    }
    if op.idempotent {
        docs.push(
            "Sent with an idempotency key (one per call, reused on every retry), so retries cannot \
             apply it twice. Set your own with `.idempotency_key(..)`."
                .to_owned(),
        );
    }
    let doc_tokens = tokens::docs(&docs);
    let deprecated = tokens::deprecated(op.deprecated);
    let mentions = op
        .params
        .iter()
        .any(|p| p.deprecated || ctx.mentions_deprecated(&p.ty))
        || op
            .body
            .as_ref()
            .is_some_and(|b| ctx.mentions_deprecated(&b.ty));
    let allow = ctx.allow_deprecated(mentions);

    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let n = ident(&p.name);
            let t = param_arg(p);
            quote!(#n: #t)
        })
        .collect();
    if let Some(body) = &op.body {
        // A slice accepts more callers than `&Vec<T>` and serializes the same.
        let t = match &body.ty {
            TypeRef::Vec(item) => {
                let item = tokens::ty(item);
                quote!([#item])
            }
            other => tokens::ty(other),
        };
        args.push(if body.required {
            quote!(body: &#t)
        } else {
            quote!(body: Option<&#t>)
        });
    }
    if let Some(params_type) = &op.params_type {
        let t = format_ident!("{}", params_type);
        args.push(quote!(params: #t));
    }

    let segments = op.segments.iter().map(|s| match s {
        Segment::Literal(text) => quote!(#text),
        Segment::Param(pname) => {
            let p = op.params.iter().find(|p| &p.name == pname);
            let n = ident(pname);
            match p.map(|p| &p.ty) {
                Some(TypeRef::String) | None => quote!(#n),
                // Same text as in a query: a date-time is RFC 3339, not chrono's `Display`.
                Some(ty) => {
                    let text = to_text(ty, quote!(#n));
                    quote!(&#text)
                }
            }
        }
    });
    let method_ident = format_ident!("{}", op.method);
    let mut steps = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        let n = ident(&p.name);
        if p.required {
            steps.push(add_param(p, quote!(#n)));
        } else {
            let inner = statement(add_param(p, quote!(value)));
            steps.push(Step::Statement(quote! {
                if let Some(value) = &params.#n {
                    #inner
                }
            }));
        }
    }
    if let Some(body) = &op.body {
        steps.push(if body.required {
            Step::Always(quote!(.json(body)))
        } else {
            Step::Statement(quote! {
                if let Some(body) = body {
                    call = call.json(body);
                }
            })
        });
    }
    // Steps that always happen are chained on the constructor, up to the first conditional
    // one; the order of parameters on the wire stays the spec's.
    let mut chain = Vec::new();
    let mut steps = steps.into_iter().peekable();
    while let Some(Step::Always(_)) = steps.peek() {
        if let Some(Step::Always(call_suffix)) = steps.next() {
            chain.push(call_suffix);
        }
    }
    let statements: Vec<TokenStream> = steps.map(statement).collect();
    let idempotent = if op.idempotent {
        quote!(.idempotent())
    } else {
        TokenStream::new()
    };
    let (success_ty, envelope) = match &op.success.shape {
        ResponseShape::Empty => (quote!(()), quote!(Empty)),
        ResponseShape::Bare(t) => (tokens::ty(t), quote!(Bare)),
        ResponseShape::Data(t) => (tokens::ty(t), quote!(Data)),
        ResponseShape::List(t) => {
            let t = tokens::ty(t);
            (quote!(Page<#t>), quote!(List))
        }
    };
    let error_ty = error_type(ctx, op);
    let error_envelope = match op.error.as_ref().and_then(|e| e.field.as_ref()) {
        Some(field) => quote!(rt::ErrorEnvelope::Field(#field)),
        None => quote!(rt::ErrorEnvelope::Bare),
    };
    let new_call = quote! {
        rt::Call::new(&self.inner, rt::reqwest::Method::#method_ident, &[#(#segments),*]) #(#chain)*
    };
    let finish = quote! {
        #idempotent
            .envelope(rt::Envelope::#envelope)
            .error_envelope(#error_envelope)
    };
    let body = if statements.is_empty() {
        quote!(#new_call #finish)
    } else {
        quote! {
            let mut call = #new_call;
            #(#statements)*
            call #finish
        }
    };
    // Clippy counts `self` too: more than seven in all is "too many".
    let allow = if args.len() + 1 > 7 {
        quote!(#allow #[allow(clippy::too_many_arguments)])
    } else {
        allow
    };
    let stream = stream_method(op, &args, &error_ty, &allow);
    quote! {
        #doc_tokens
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> rt::Call<#success_ty, #error_ty> {
            #body
        }

        #stream
    }
}

/// The first line of prose in sanitized doc text: a fence line or code would not read as a
/// summary (and a lone fence would render as stray backticks).
fn first_prose_line(text: &str) -> &str {
    let mut in_fence = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && !line.trim().is_empty() {
            return line;
        }
    }
    ""
}

/// For cursor-paginated lists: every item across pages, fetched lazily.
fn stream_method(
    op: &Operation,
    args: &[TokenStream],
    error_ty: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let (Some(stream), ResponseShape::List(item)) = (&op.stream, &op.success.shape) else {
        return TokenStream::new();
    };
    let cursor = &stream.cursor_param;
    let base = crate::ident::bare(&op.name);
    let name = ident(&stream.method);
    let list = ident(&op.name);
    let item = tokens::ty(item);
    let doc = format!(
        "Every item of [`Client::{base}`], across all pages, fetched lazily as the stream is \
         polled.\n\nStarts at the page the parameters select and follows `nextCursor`. A server \
         that repeats a cursor, or claims more pages without giving one, ends the stream with an \
         error instead of looping."
    );
    let doc = tokens::doc_lines(&doc);
    let call_args = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| ident(&p.name))
        .chain(op.body.as_ref().map(|_| format_ident!("body")))
        .chain(op.params_type.as_ref().map(|_| format_ident!("params")));
    quote! {
        #doc
        #allow
        pub fn #name(&self, #(#args),*) -> PageStream<#item, #error_ty> {
            PageStream::new(self.#list(#(#call_args),*), #cursor)
        }
    }
}
