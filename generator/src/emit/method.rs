//! One method per operation, and the struct of its optional parameters.
//!
//! A method only describes a request; sending, retrying, idempotency keys and decoding live
//! in the runtime's `Call`, so each method is a few lines a reviewer can check against the
//! spec. How each kind of body is attached is in `body.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::body;
use super::client::error_type;
use super::security;
use super::tokens::{self, Ctx, ident};
use crate::doc;
use crate::ir::{
    Idempotency, Operation, Param, ParamLocation, ParamStyle, ResponseShape, Segment, SegmentPart,
    TypeRef,
};

/// The optional parameters of an operation, as a struct with setters.
pub(super) fn params_struct(ctx: &Ctx, op: &Operation) -> TokenStream {
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
        let doc = tokens::doc_lines(&format!("Sets {}.", doc::code(&p.wire_name)));
        let dep = tokens::deprecated(p.deprecated);
        let (arg, value) = match &p.ty {
            TypeRef::String => (quote!(impl Into<String>), quote!(value.into())),
            other => (tokens::ty(other), quote!(value)),
        };
        quote! {
            #doc
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
    // No literals or exhaustive patterns outside the module, like every generated struct.
    let marker = super::types::marker_field(optional.iter().map(|p| crate::ident::bare(&p.name)));
    let shown: Vec<_> = optional
        .iter()
        .map(|p| (ident(&p.name), crate::ident::bare(&p.name).to_owned()))
        .collect();
    let debug = super::types::debug_impl(&name, &shown, ctx.allow_deprecated(touches_deprecated));
    quote! {
        #[doc = #doc]
        #allow
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::manual_non_exhaustive)]
        pub struct #name {
            #(#fields)*
            #marker: (),
        }

        #debug

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
        // Containers are borrowed: the runtime serializes them in the parameter's style.
        ty @ (TypeRef::Map(_) | TypeRef::Json | TypeRef::Tuple(_) | TypeRef::Nullable(_)) => {
            let t = tokens::ty(ty);
            quote!(&#t)
        }
        other => tokens::ty(other),
    }
}

/// The runtime's name for a query style.
fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Form { explode } => quote!(rt::Style::Form { explode: #explode }),
        ParamStyle::SpaceDelimited => quote!(rt::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(rt::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(rt::Style::DeepObject),
    }
}

/// The text a scalar parameter value is sent as.
pub(super) fn to_text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => {
            quote!(#value.to_rfc3339_opts(rt::chrono::SecondsFormat::AutoSi, true))
        }
        _ => quote!(#value.to_string()),
    }
}

/// One step of building a request: a call on the builder that always happens, or a statement
/// that may not (an optional parameter, a repeated one).
pub(super) enum Step {
    Always(TokenStream),
    Statement(TokenStream),
}

/// The step that adds one parameter. `value` is an expression of the parameter (a reference
/// or a copy).
fn add_param(ctx: &Ctx, p: &Param, value: TokenStream) -> Step {
    let wire = &p.wire_name;
    let method = match p.location {
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
        _ => quote!(query),
    };
    let scalar = ctx.is_scalar(&p.ty);
    let default_style = p.style == ParamStyle::Form { explode: true };
    match &p.ty {
        // Anything else in a query is written by the runtime, in the parameter's style.
        _ if p.location == ParamLocation::Query
            && !scalar
            && !(default_style && matches!(&p.ty, TypeRef::Vec(inner) if ctx.is_scalar(inner))) =>
        {
            let style = style_tokens(p.style);
            Step::Always(quote!(.query_styled(#wire, #value, #style)))
        }
        // Headers and cookies join an array with commas.
        TypeRef::Vec(_) if p.location != ParamLocation::Query => {
            Step::Always(quote!(.#method(#wire, rt::simple_text(#value))))
        }
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
pub(super) fn statement(step: Step) -> TokenStream {
    match step {
        Step::Always(call_suffix) => quote!(call = call #call_suffix;),
        Step::Statement(tokens) => tokens,
    }
}

pub(super) fn method(ctx: &Ctx, op: &Operation) -> TokenStream {
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
                _ => format!(
                    "- `{name}`: the {} parameter.{deprecated}",
                    doc::code(&p.wire_name)
                ),
            }
        })
        .collect();
    if !arguments.is_empty() {
        docs.push(format!("Arguments:\n\n{}", arguments.join("\n")));
    }
    if !errors.is_empty() {
        docs.push(format!("Responses:\n\n{}", errors.join("\n")));
    }
    match &op.idempotency {
        Some(Idempotency::Header(name)) if is_client_header(ctx, name) => docs.push(
            "Sent with an idempotency key (one per call, reused on every retry), so retries cannot \
             apply it twice. Read it before sending with `.get_idempotency_key()` (to store it \
             first), or set your own with `.idempotency_key(..)`; after an error whose \
             `outcome()` may be applied, send the same request again with that key."
                .to_owned(),
        ),
        Some(Idempotency::Header(name)) => docs.push(format!(
            "Sent with an idempotency key in the header {} (one per call, reused on every \
             retry), so retries cannot apply it twice. Read it before sending with \
             `.get_idempotency_key()` (to store it first), or set your own with \
             `.idempotency_key(..)`; after an error whose `outcome()` may be applied, send the \
             same request again with that key.",
            doc::code(name)
        )),
        Some(Idempotency::BodyField(field)) => docs.push(format!(
            "Sent with an idempotency key in the body field {}, so retries cannot apply it \
             twice. The key is made when this method is called, unless the request value \
             carries its own: each call gets a new one, reused on every retry of that call, \
             so two calls made with one value never share a key by accident. Read it before \
             sending with `.get_idempotency_key()` (to store it first), or set your own with \
             `.idempotency_key(..)`, which wins over the value's; after an error whose \
             `outcome()` may be applied, send the same request again with that key.",
            doc::code(field)
        )),
        None => {}
    }
    if let Some(server) = &op.server {
        let named: Vec<String> = op
            .server_by_environment
            .iter()
            .map(|(name, url)| format!("{} on `{name}`", doc::code(url)))
            .collect();
        let by_environment = if named.is_empty() {
            String::new()
        } else {
            format!(" (by the client's environment: {})", named.join(", "))
        };
        docs.push(format!(
            "Sent to its own server, {}{by_environment}, unless the client's base URL was set \
             with `.base_url(..)` or its environment variable.",
            doc::code(server)
        ));
    }
    if (300..400).contains(&op.success.status) {
        docs.push(format!(
            "Answers with a redirect ({}), its success: the redirect is not followed, and its \
             `Location` is in the headers of what `.send()` returns.",
            doc::code(&op.success.status.to_string())
        ));
    }
    if op.success.shape == ResponseShape::Bytes {
        docs.push(
            "`.await` reads the whole body into [`Bytes`]; `.download().await` returns it unread, \
             to stream a large file as it arrives."
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
            .is_some_and(|b| ctx.mentions_deprecated(&b.ty))
        // A current operation may still answer with a deprecated schema.
        || match &op.success.shape {
            ResponseShape::Bare(ty)
            | ResponseShape::Data(ty)
            | ResponseShape::List(ty)
            | ResponseShape::Status(ty) => ctx.mentions_deprecated(ty),
            ResponseShape::Empty | ResponseShape::Text | ResponseShape::Bytes => false,
        }
        || op
            .error
            .as_ref()
            .is_some_and(|e| ctx.mentions_deprecated(&e.ty));
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
    if let Some(b) = &op.body {
        args.push(body::argument(b));
    }
    if let Some(params_type) = &op.params_type {
        let t = format_ident!("{}", params_type);
        args.push(quote!(params: #t));
    }

    let path_text = |pname: &str| {
        let p = op.params.iter().find(|p| p.name == pname);
        let n = ident(pname);
        match p.map(|p| &p.ty) {
            Some(TypeRef::String) | None => (quote!(#n), true),
            // Same text as in a query: a date-time is RFC 3339, not chrono's `Display`.
            Some(ty) => (to_text(ty, quote!(#n)), false),
        }
    };
    let segments = op.segments.iter().map(|s| match s {
        Segment::Literal(text) => quote!(#text),
        Segment::Param(pname) => match path_text(pname) {
            (text, true) => text,
            (text, false) => quote!(&#text),
        },
        // The whole segment is encoded as one segment, so a parameter can't leave it.
        Segment::Mixed(parts) => {
            let pieces = parts.iter().map(|part| match part {
                SegmentPart::Text(text) => quote!(#text),
                SegmentPart::Param(pname) => match path_text(pname) {
                    (text, true) => text,
                    (text, false) => quote!((#text).as_str()),
                },
            });
            quote!(&[#(#pieces),*].concat())
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
            steps.push(add_param(ctx, p, quote!(#n)));
        } else {
            let inner = statement(add_param(ctx, p, quote!(value)));
            steps.push(Step::Statement(quote! {
                if let Some(value) = &params.#n {
                    #inner
                }
            }));
        }
    }
    if let Some(b) = &op.body {
        steps.push(body::step(b));
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
    let idempotent = match &op.idempotency {
        Some(Idempotency::Header(name)) if is_client_header(ctx, name) => quote!(.idempotent()),
        Some(Idempotency::Header(name)) => quote!(.idempotent_header(#name)),
        Some(Idempotency::BodyField(field)) => quote!(.idempotent_in_body(#field)),
        None => TokenStream::new(),
    };
    let security = match &op.security {
        Some(requirements) => {
            let r = security::requirements(requirements);
            quote!(.security(#r))
        }
        None => TokenStream::new(),
    };
    // An empty success's media type is only what is asked for: the runtime doesn't check
    // the type of a body it ignores.
    let accept = match &op.success.media_type {
        Some(m) if m.eq_ignore_ascii_case("application/json") => TokenStream::new(),
        None => TokenStream::new(),
        Some(m) => quote!(.accept(#m)),
    };
    let redirect = if (300..400).contains(&op.success.status) {
        quote!(.redirect_is_success())
    } else {
        TokenStream::new()
    };
    let (success_ty, envelope) = match &op.success.shape {
        ResponseShape::Empty => (quote!(()), quote!(Empty)),
        ResponseShape::Text => (quote!(String), quote!(Text)),
        ResponseShape::Bytes => (quote!(rt::Bytes), quote!(Bytes)),
        ResponseShape::Bare(t) => (tokens::ty(t), quote!(Bare)),
        ResponseShape::Data(t) => (tokens::ty(t), quote!(Data)),
        ResponseShape::Status(t) => (tokens::ty(t), quote!(Status)),
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
    let (op_id, path_template) = (&op.id, &op.path);
    let start = match &op.server {
        Some(server) => {
            let named = op
                .server_by_environment
                .iter()
                .map(|(name, url)| quote!((#name, #url)));
            quote! {
                rt::Call::with_server(&self.inner, #server, &[#(#named),*], rt::reqwest::Method::#method_ident, &[#(#segments),*])
            }
        }
        None => quote! {
            rt::Call::new(&self.inner, rt::reqwest::Method::#method_ident, &[#(#segments),*])
        },
    };
    let new_call = quote! {
        #start
            .operation(#op_id, #path_template)
            #(#chain)*
    };
    let finish = quote! {
        #idempotent
            #security
            #accept
            #redirect
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
/// Whether `name` is the client's idempotency header, which `.idempotent()` sends the key in.
fn is_client_header(ctx: &Ctx, name: &str) -> bool {
    name.eq_ignore_ascii_case(&ctx.options.idempotency_header)
}

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
