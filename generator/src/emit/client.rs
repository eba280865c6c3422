//! The client type, its constructors and defaults, and the error type shared by operations.
//! The methods, one per operation, are in `method.rs`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::method::{method, params_struct};
use super::security::{self, Env};
use super::tokens::{self, Ctx, ident};
use crate::ir::{Operation, TypeKind, TypeRef};

/// The client's code, in the pieces the printer takes one at a time.
pub struct ClientCode<'c> {
    /// Re-exports, the client type, its builder alias and the error alias.
    pub items: TokenStream,
    /// `impl Client` with its constants and constructors.
    pub impl_head: TokenStream,
    /// The methods of that impl block, one per operation and media type.
    pub methods: Box<dyn Iterator<Item = TokenStream> + 'c>,
    /// The parameter structs and error body impls that follow the impl block.
    pub after: Box<dyn Iterator<Item = TokenStream> + 'c>,
}

pub fn client<'c>(ctx: &'c Ctx<'c>) -> ClientCode<'c> {
    let api = ctx.api;
    let options = ctx.options;
    let base_url = api.base_url.clone().unwrap_or_default();
    let version = &api.version;
    let prefix = &options.env_prefix;
    let env = Env::new(prefix);
    let api_key_env = &env.api_key;
    let bearer_token_env = &env.bearer_token;
    let (username_env, password_env) = (&env.username, &env.password);
    let base_url_env = format!("{prefix}_BASE_URL");
    let schemes = security::schemes(api);
    let default_security = security::requirements(&api.security);
    let credentials_required = security::credentials_required(api);
    // Without a version header, the runtime is given no version to send and no header name.
    let (api_version, version_header) = match &api.version_header {
        Some(header) => (quote!(Some(Self::API_VERSION)), header.as_str()),
        None => (quote!(None), ""),
    };
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
    // An API without a security scheme takes no credentials: its docs must not ask for any.
    let credentials = security::credentials_doc(ctx, &env);
    let reads = if credentials.is_some() {
        format!("to read the credentials below (and `{base_url_env}`, if set) from the environment")
    } else {
        format!("to read `{base_url_env}`, if set; this API takes no credentials")
    };
    client_doc.push_str(&format!(
        "\n\nBuild one with [`Client::builder`], or [`Client::from_env`] {reads}. \
         Clones are cheap and share one connection pool.\n\n\
         Every method returns a request that is sent when awaited: `.await` gives the data, \
         `.send().await` the data with status, headers and request id. Before awaiting, a \
         request can be given an idempotency key, a timeout, a deadline or a retry budget of \
         its own. Every error says whether the operation may have been applied \
         (`error.outcome()`, an [`Outcome`]) over all the call's attempts, and carries the \
         idempotency key: after an error that may have been applied, retry with that key to \
         get the original result instead of applying it twice."
    ));
    if let Some(credentials) = &credentials {
        client_doc.push_str("\n\n");
        client_doc.push_str(credentials);
    }
    if let Some(nesting) = &api.nesting {
        client_doc.push_str(&format!(
            "\n\nThis API's types nest {} deep (from [`{}`]), deeper than rustc checks at its \
             default recursion limit: the crate that includes this client needs \
             `#![recursion_limit = \"256\"]` for `cargo doc`, and for `cargo check` when they \
             nest about 200 deep.",
            nesting.depth, nesting.root
        ));
    }
    let client_doc = tokens::doc_lines(&client_doc);
    let base_doc = tokens::doc_lines(&format!(
        "The server URL from the spec: {}.",
        crate::doc::code(&base_url)
    ));
    let version_doc = match &api.version_header {
        Some(header) => {
            format!(" The API version this client was generated from, sent as `{header}`.")
        }
        None => " The API version this client was generated from (`info.version`).".to_owned(),
    };
    let builder_doc = if let Some(envs) = security::env_list(api, &env) {
        format!(
            " A builder. Credentials fall back to {envs}, the base URL to `{base_url_env}` and then [`Client::DEFAULT_BASE_URL`]."
        )
    } else {
        format!(
            " A builder. The base URL falls back to `{base_url_env}` and then [`Client::DEFAULT_BASE_URL`]."
        )
    };

    let reexports = body_reexports(ctx);
    let error_impls = error_types(ctx)
        .into_iter()
        .map(|name| error_body_impl(ctx, &name));
    let error_alias = error_alias(ctx);
    let params_structs = api.operations.iter().map(|op| params_struct(ctx, op));
    let methods = api.operations.iter().flat_map(move |op| {
        let main = if op.alternatives.is_empty() {
            method(ctx, op)
        } else {
            let mut main = op.clone();
            let others: Vec<String> = op
                .alternatives
                .iter()
                .map(|a| format!("[`Client::{}`]", crate::ident::bare(&a.name)))
                .collect();
            main.docs
                .push(format!("In another media type: {}.", others.join(", ")));
            method(ctx, &main)
        };
        std::iter::once(main).chain(op.alternatives.iter().map(move |alt| {
            // The same call, asking for another media type: a method of its own, so each
            // returns one type.
            let mut other = op.clone();
            other.name = alt.name.clone();
            other.success = alt.success.clone();
            other.stream = None;
            other.alternatives = Vec::new();
            let media = alt.success.media_type.as_deref().unwrap_or_default();
            other.docs.paragraphs.insert(
                0,
                format!(
                    "[`Client::{}`], answered as `{}`.",
                    crate::ident::bare(&op.name),
                    media.replace('`', "'")
                ),
            );
            method(ctx, &other)
        }))
    });

    let items = quote! {
        pub use rt::{BuildError, Outcome, Page, PageStream, Response, RetryPolicy};
        #reexports

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
    };
    let impl_head = quote! {
        impl Client {
            #base_doc
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #[doc = #version_doc]
            pub const API_VERSION: &'static str = #version;

            const DEFAULTS: rt::ClientDefaults = rt::ClientDefaults {
                base_url: Self::DEFAULT_BASE_URL,
                api_version: #api_version,
                version_header: #version_header,
                schemes: #schemes,
                security: #default_security,
                credentials_required: #credentials_required,
                api_key_env: #api_key_env,
                bearer_token_env: #bearer_token_env,
                basic_auth_env: (#username_env, #password_env),
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
        }
    };
    ClientCode {
        items,
        impl_head,
        methods: Box::new(methods),
        after: Box::new(params_structs.chain(error_impls)),
    }
}

/// What users need to name for the bodies this client sends and receives.
fn body_reexports(ctx: &Ctx) -> TokenStream {
    use crate::ir::{BodyContent, ResponseShape};
    let ops = &ctx.api.operations;
    let mut names = Vec::new();
    // A method for another media type (`get_invoice_as_pdf`) may be the one that downloads.
    let downloads = |o: &crate::ir::Operation| {
        o.success.shape == ResponseShape::Bytes
            || o.alternatives
                .iter()
                .any(|a| a.success.shape == ResponseShape::Bytes)
    };
    if ops.iter().any(downloads) {
        names.push(quote!(Bytes));
        names.push(quote!(Download));
    }
    if ops.iter().any(|o| {
        o.body
            .as_ref()
            .is_some_and(|b| matches!(b.content, BodyContent::Binary))
    }) {
        names.push(quote!(Upload));
    }
    if ctx
        .api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Multipart(_)))
    {
        names.push(quote!(FilePart));
        if !names.iter().any(|n| n.to_string() == "Upload") {
            names.push(quote!(Upload));
        }
    }
    if ctx
        .api
        .webhooks
        .as_ref()
        .is_some_and(|w| w.signature_header.is_some())
    {
        names.push(quote!(WebhookError));
        names.push(quote!(WebhookSecret));
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    quote!(pub use rt::{#(#names),*};)
}

/// The error body type of an operation: its named struct, or free-form JSON.
pub(super) fn error_type(ctx: &Ctx, op: &Operation) -> TokenStream {
    tokens::ty(&ctx.api.error_body(op))
}

fn error_types(ctx: &Ctx) -> BTreeSet<String> {
    ctx.api
        .operations
        .iter()
        .filter_map(|op| match ctx.api.error_body(op) {
            TypeRef::Named(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// `pub type Error`, when every operation fails with the same error body.
fn error_alias(ctx: &Ctx) -> TokenStream {
    let Some(shared) = ctx.api.shared_error_type() else {
        return TokenStream::new();
    };
    let shared = tokens::ty(&shared);
    quote! {
        /// The error every operation of this client returns.
        pub type Error = rt::Error<#shared>;
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
