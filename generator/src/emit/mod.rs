//! emit: IR → Rust source, through `quote!`, `syn` and `prettyplease`.
//!
//! Tokens are built with `quote!`, parsed into a `syn::File` (which also proves they are valid
//! Rust) and printed by prettyplease, so the output is formatted the same way on every machine
//! without calling rustfmt. Each type and each method goes through that on its own
//! (`print.rs`): only the output text grows with the API. The types are printed on a thread of
//! their own. Nothing here iterates a hash map: order comes from the IR.

mod auto_traits;
mod body;
mod client;
mod environments;
mod method;
mod print;
mod security;
mod size;
mod statuses;
pub(crate) mod tokens;
mod types;
mod webhooks;

use quote::quote;

use crate::ir::Api;
use print::Printer;

/// Settings that change the emitted code.
#[derive(Clone)]
pub struct EmitOptions {
    /// Path of the runtime crate as generated code should name it.
    pub runtime: syn::Path,
    /// Extra derives for every generated struct and enum.
    pub derives: Vec<syn::Path>,
    /// Prefix of the environment variables the client reads (`COMMET` → `COMMET_API_KEY`).
    pub env_prefix: String,
    /// The idempotency header.
    pub idempotency_header: String,
}

/// Written out by hand: a derived `Debug` would need `syn`'s `extra-traits` feature, which
/// every build script using the generator would compile for nothing else.
impl std::fmt::Debug for EmitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = |p: &syn::Path| quote!(#p).to_string();
        f.debug_struct("EmitOptions")
            .field("runtime", &path(&self.runtime))
            .field(
                "derives",
                &self.derives.iter().map(path).collect::<Vec<_>>(),
            )
            .field("env_prefix", &self.env_prefix)
            .field("idempotency_header", &self.idempotency_header)
            .finish()
    }
}

/// Why emission failed. Only a bug in the generator can cause this: lowering has already
/// rejected every input the emitter cannot express.
#[derive(Debug)]
pub struct EmitError(pub String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "internal error: generated tokens are not valid Rust: {}",
            self.0
        )
    }
}

impl std::error::Error for EmitError {}

/// Renders the whole client module.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<String, EmitError> {
    // The types are printed on a second thread while this one prints the client: each half
    // is about as much work, and parsing and printing is most of the time generation takes.
    let portable = PortableOptions::of(options);
    std::thread::scope(|scope| {
        let types = std::thread::Builder::new()
            .name("commet-codegen-types".to_owned())
            .stack_size(TYPES_STACK)
            .spawn_scoped(scope, || print_types(api, &portable.options()?))
            .ok();
        let mut printer = Printer::new(&header(api));
        print_client(api, options, &mut printer)?;
        let types = match types {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
            // No thread to be had: the same work, here.
            None => print_types(api, options)?,
        };
        for text in &types {
            printer.printed(text);
        }
        Ok(printer.finish())
    })
}

/// The stack of the thread that prints the types: as deep as the one the builder runs on,
/// for the most deeply nested types. Reserved, not committed.
const TYPES_STACK: usize = 256 << 20;

/// The runtime import, the client, its methods and parameter structs, and the webhooks.
fn print_client(api: &Api, options: &EmitOptions, printer: &mut Printer) -> Result<(), EmitError> {
    let runtime = &options.runtime;
    let ctx = tokens::Ctx::new(api, options);
    printer.items(quote!(use #runtime as rt;))?;
    let client = client::client(&ctx);
    printer.items(client.items)?;
    printer.impl_block(client.impl_head, &quote!(Client), client.methods)?;
    for item in client.after {
        printer.items(item)?;
    }
    if let Some(envs) = &api.environments {
        printer.items(environments::environments(&ctx, envs))?;
    }
    if let Some(w) = &api.webhooks {
        printer.items(webhooks::webhooks(&ctx, w))?;
    }
    Ok(())
}

/// Each type with its impls, printed.
fn print_types(api: &Api, options: &EmitOptions) -> Result<Vec<String>, EmitError> {
    let ctx = tokens::Ctx::new(api, options);
    api.types
        .iter()
        .map(|t| print::unparse(types::type_def(&ctx, t)))
        .collect()
}

/// [`EmitOptions`] as text, which can go to another thread: `syn`'s paths cannot.
struct PortableOptions {
    runtime: String,
    derives: Vec<String>,
    env_prefix: String,
    idempotency_header: String,
}

impl PortableOptions {
    fn of(options: &EmitOptions) -> Self {
        let text = |path: &syn::Path| quote!(#path).to_string();
        Self {
            runtime: text(&options.runtime),
            derives: options.derives.iter().map(text).collect(),
            env_prefix: options.env_prefix.clone(),
            idempotency_header: options.idempotency_header.clone(),
        }
    }

    fn options(&self) -> Result<EmitOptions, EmitError> {
        let path = |text: &str| syn::parse_str(text).map_err(|e| EmitError(e.to_string()));
        Ok(EmitOptions {
            runtime: path(&self.runtime)?,
            derives: self
                .derives
                .iter()
                .map(|d| path(d))
                .collect::<Result<_, _>>()?,
            env_prefix: self.env_prefix.clone(),
            idempotency_header: self.idempotency_header.clone(),
        })
    }
}

/// A comment on top of the file. prettyplease drops comments, so it is added as text.
fn header(api: &Api) -> String {
    format!(
        "// Generated by commet-codegen from the OpenAPI document \"{}\" version {}.\n\
         // Do not edit by hand: change the spec and regenerate.\n\n",
        api.title.replace(['\n', '\r'], " "),
        api.version.replace(['\n', '\r'], " ")
    )
}
