//! The library's public face: a small configuration builder, in the spirit of prost-build.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use heck::ToShoutySnakeCase;

use crate::diagnostic::Diagnostics;
use crate::emit::{self, EmitError, EmitOptions};
use crate::ir::Api;
use crate::load;
use crate::lower::{self, Options};
use crate::write;

/// Where the spec comes from.
#[derive(Debug, Clone)]
enum Source {
    Path(PathBuf),
    Text { name: String, text: String },
}

/// Configures and runs a generation.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), commet_codegen::GenerateError> {
///     commet_codegen::Builder::new("spec/commet.yaml").generate_to_out_dir("commet.rs")?;
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    source: Source,
    runtime_path: String,
    derives: Vec<String>,
    operations: Option<BTreeSet<String>>,
    env_prefix: Option<String>,
    options: Options,
}

/// What a successful generation produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The Rust module.
    pub code: String,
    /// The IR the code was emitted from.
    pub api: Api,
    /// Warnings about the spec (the code was generated anyway).
    pub warnings: Diagnostics,
}

/// Why a generation failed.
pub enum GenerateError {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The spec has problems; every one of them is listed.
    Spec {
        /// The spec's name as shown in locations.
        file: String,
        /// All diagnostics.
        diagnostics: Diagnostics,
    },
    /// A builder setting is not valid.
    Config(String),
    /// The generator produced invalid Rust (a bug in commet-codegen).
    Emit(EmitError),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Self::Spec { file, diagnostics } => f.write_str(diagnostics.render(file).trim_end()),
            Self::Config(message) => write!(f, "error: {message}"),
            Self::Emit(e) => write!(f, "error: {e}"),
        }
    }
}

/// Same as `Display`, so that `fn main() -> Result<(), GenerateError>` in a build script prints
/// readable diagnostics instead of a struct dump.
impl fmt::Debug for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{self}")
    }
}

impl std::error::Error for GenerateError {}

impl Builder {
    /// Generates from the spec file at `spec` (YAML or JSON, decided by content).
    pub fn new(spec: impl AsRef<Path>) -> Self {
        Self::with_source(Source::Path(spec.as_ref().to_path_buf()))
    }

    /// Generates from spec text already in memory; `name` is used in diagnostics.
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::with_source(Source::Text {
            name: name.into(),
            text: text.into(),
        })
    }

    fn with_source(source: Source) -> Self {
        Self {
            source,
            runtime_path: "::commet_runtime".to_owned(),
            derives: Vec::new(),
            operations: None,
            env_prefix: None,
            options: Options::default(),
        }
    }

    /// The path generated code uses for the runtime crate (default `::commet_runtime`), for a
    /// crate that renames the dependency or re-exports it.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Adds a derive to every generated struct, enum and union, e.g. `"Eq"` or
    /// `"schemars::JsonSchema"`. Derives an item has already are not repeated.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.derives.push(path.into());
        self
    }

    /// Generates only these operations (by `operationId`) and the types they use.
    pub fn operations<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// The prefix of the environment variables the client reads: `PREFIX_API_KEY` and
    /// `PREFIX_BASE_URL`. Defaults to the first word of `info.title` (`COMMET`).
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.env_prefix = Some(prefix.into());
        self
    }

    /// The header that carries idempotency keys (default `Idempotency-Key`).
    pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
        self.options.idempotency_header = name.into();
        self
    }

    /// The header that pins the API version (default `Commet-Version`).
    pub fn version_header(mut self, name: impl Into<String>) -> Self {
        self.options.version_header = name.into();
        self
    }

    /// Fails on an operation the client can't support instead of leaving it out with a
    /// warning (the default, so one exotic endpoint doesn't cost a client for the rest).
    /// Operations named in [`Builder::operations`] are never left out.
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// The spec's name as diagnostics show it.
    pub fn display_name(&self) -> String {
        match &self.source {
            Source::Path(p) => p.display().to_string(),
            Source::Text { name, .. } => name.clone(),
        }
    }

    /// The spec's path, when it is a file.
    pub fn spec_path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(p) => Some(p),
            Source::Text { .. } => None,
        }
    }

    /// Loads and lowers the spec without emitting code.
    pub fn lower(&self) -> Result<lower::Lowered, GenerateError> {
        on_deep_stack(|| self.lower_here())
    }

    fn lower_here(&self) -> Result<lower::Lowered, GenerateError> {
        let spec_error = |diagnostics| GenerateError::Spec {
            file: self.display_name(),
            diagnostics,
        };
        let text = match &self.source {
            Source::Path(path) => {
                let bytes = std::fs::read(path).map_err(|source| GenerateError::Io {
                    path: path.clone(),
                    source,
                })?;
                // Not UTF-8 is a problem of the document, located like any other.
                String::from_utf8(bytes)
                    .map_err(|e| spec_error(load::not_utf8(e.as_bytes(), e.utf8_error())))?
            }
            Source::Text { text, .. } => text.clone(),
        };
        let loaded = load::load(&text).map_err(spec_error)?;
        let mut options = self.options.clone();
        options.operations = self.operations.clone();
        lower::lower(&loaded, &options).map_err(spec_error)
    }

    /// Generates the client module as a string.
    pub fn generate(&self) -> Result<Generated, GenerateError> {
        on_deep_stack(|| self.generate_here())
    }

    fn generate_here(&self) -> Result<Generated, GenerateError> {
        let emit_options = self.emit_options()?;
        let lowered = self.lower_here()?;
        let mut emit_options = emit_options;
        if emit_options.env_prefix.is_empty() {
            emit_options.env_prefix = default_env_prefix(&lowered.api.title);
        }
        let code = emit::emit(&lowered.api, &emit_options).map_err(GenerateError::Emit)?;
        Ok(Generated {
            code,
            api: lowered.api,
            warnings: lowered.warnings,
        })
    }

    /// Generates into `path`, atomically: on any failure an existing file stays as it was.
    pub fn generate_to_file(&self, path: impl AsRef<Path>) -> Result<Generated, GenerateError> {
        let generated = self.generate()?;
        write::atomic(path.as_ref(), generated.code.as_bytes()).map_err(|source| {
            GenerateError::Io {
                path: path.as_ref().to_path_buf(),
                source,
            }
        })?;
        Ok(generated)
    }

    /// For build scripts: generates into `$OUT_DIR/<file_name>`, tells Cargo to rerun when the
    /// spec changes, and passes spec warnings on as Cargo warnings. Returns the written path.
    pub fn generate_to_out_dir(&self, file_name: &str) -> Result<PathBuf, GenerateError> {
        if let Some(path) = self.spec_path()
            && path.exists()
        {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            GenerateError::Config("OUT_DIR is not set: call this from a build script".to_owned())
        })?;
        let path = PathBuf::from(out_dir).join(file_name);
        let generated = self.generate_to_file(&path)?;
        for d in generated.warnings.iter() {
            for line in d.render(&self.display_name()).lines() {
                println!("cargo:warning={line}");
            }
        }
        Ok(path)
    }

    fn emit_options(&self) -> Result<EmitOptions, GenerateError> {
        let runtime = syn::parse_str::<syn::Path>(&self.runtime_path).map_err(|e| {
            GenerateError::Config(format!(
                "runtime path `{}` is not a Rust path: {e}",
                self.runtime_path
            ))
        })?;
        let derives = self
            .derives
            .iter()
            .map(|d| {
                syn::parse_str::<syn::Path>(d).map_err(|e| {
                    GenerateError::Config(format!("derive `{d}` is not a Rust path: {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let env_prefix = match &self.env_prefix {
            Some(p)
                if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                return Err(GenerateError::Config(format!(
                    "environment prefix `{p}` must be ASCII letters, digits and underscores"
                )));
            }
            Some(p) => p.clone(),
            None => String::new(),
        };
        Ok(EmitOptions {
            runtime,
            derives,
            env_prefix,
            idempotency_header: self.options.idempotency_header.clone(),
            version_header: self.options.version_header.clone(),
        })
    }
}

/// `Commet API` → `COMMET`.
/// Runs `work` on a thread with a stack deep enough for the most deeply nested document the
/// parsers accept (they stop at 128 levels), whatever thread the caller is on: a test thread
/// has 2 MiB, and a debug build spends a good part of that on each level of nested schemas.
/// The stack is reserved, not committed: only what is used costs memory.
fn on_deep_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    const STACK: usize = 256 << 20;
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("commet-codegen".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => panic!("cannot start the generator's thread: {e}"),
        }
    })
}

fn default_env_prefix(title: &str) -> String {
    let word = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("API");
    let prefix = word.to_shouty_snake_case();
    if prefix.starts_with(|c: char| c.is_ascii_digit()) {
        format!("API_{prefix}")
    } else {
        prefix
    }
}

#[cfg(test)]
mod tests {
    use super::default_env_prefix;

    #[test]
    fn env_prefixes() {
        assert_eq!(default_env_prefix("Commet API"), "COMMET");
        assert_eq!(default_env_prefix("  petStore"), "PET_STORE");
        assert_eq!(default_env_prefix("3D things"), "API_3D");
        assert_eq!(default_env_prefix(""), "API");
    }
}
