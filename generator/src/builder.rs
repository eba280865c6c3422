//! The library's public face: a small configuration builder, in the spirit of prost-build.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use heck::ToShoutySnakeCase;

use crate::diagnostic::{Detail, Diagnostics, VERBOSE_ENV};
use crate::diff::{self, Report, Snapshot};
use crate::emit::{self, EmitError, EmitOptions};
use crate::ir::Api;
use crate::load::{self, Loaded};
use crate::lower::{self, IdempotencyChoice, Options};
use crate::record;
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
    verbose: bool,
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
    /// What changed for users since the output was last generated, when written to a file
    /// that has a record of the spec it came from (`<output>.spec`); `None` otherwise, or when
    /// that record no longer loads.
    pub changes: Option<Report>,
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
            verbose: false,
        }
    }

    /// Lists every warning in a build script's output, one line each, instead of one line per
    /// cause (also set by the environment variable `COMMET_CODEGEN_VERBOSE=1`).
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
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

    /// The idempotency mechanism of one operation (by `operationId`), or of every operation
    /// that is not a read with `"*"` (an operationId wins over `"*"`). It wins over what the
    /// document says: for a document that declares none (Stripe's `Idempotency-Key` is never
    /// a parameter there), `.idempotency("*", IdempotencyChoice::Header("Idempotency-Key".into()))`;
    /// `IdempotencyChoice::None` turns off one the document has.
    pub fn idempotency(
        mut self,
        operation_id: impl Into<String>,
        choice: IdempotencyChoice,
    ) -> Self {
        self.options.idempotency.insert(operation_id.into(), choice);
        self
    }

    /// The header that pins the API version. The client sends `info.version` in it on every
    /// request, whether or not the spec declares it. Without this, the header is
    /// `Commet-Version`, sent only when an operation declares it: a client does not send a
    /// version its API never asked for.
    pub fn version_header(mut self, name: impl Into<String>) -> Self {
        self.options.version_header = name.into();
        self.options.always_send_version = true;
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

    /// The spec's text.
    fn text(&self) -> Result<String, GenerateError> {
        match &self.source {
            Source::Path(path) => {
                let bytes = std::fs::read(path).map_err(|source| GenerateError::Io {
                    path: path.clone(),
                    source,
                })?;
                // Not UTF-8 is a problem of the document, located like any other.
                String::from_utf8(bytes).map_err(|e| GenerateError::Spec {
                    file: self.display_name(),
                    diagnostics: load::not_utf8(e.as_bytes(), e.utf8_error()),
                })
            }
            Source::Text { text, .. } => Ok(text.clone()),
        }
    }

    /// The same settings, for another spec text.
    fn with_text(&self, name: String, text: String) -> Self {
        Self {
            source: Source::Text { name, text },
            ..self.clone()
        }
    }

    fn load_and_lower(&self, text: &str) -> Result<(Loaded, lower::Lowered), GenerateError> {
        on_deep_stack(|| self.load_and_lower_here(text))
    }

    fn load_and_lower_here(&self, text: &str) -> Result<(Loaded, lower::Lowered), GenerateError> {
        let spec_error = |diagnostics| GenerateError::Spec {
            file: self.display_name(),
            diagnostics,
        };
        let loaded = load::load(text).map_err(spec_error)?;
        let mut options = self.options.clone();
        options.operations = self.operations.clone();
        let lowered = lower::lower(&loaded, &options).map_err(spec_error)?;
        Ok((loaded, lowered))
    }

    /// Loads and lowers the spec without emitting code.
    pub fn lower(&self) -> Result<lower::Lowered, GenerateError> {
        let text = self.text()?;
        Ok(self.load_and_lower(&text)?.1)
    }

    /// The spec lowered with these settings, ready for [`diff::diff`]: comparing two
    /// snapshots taken with the same settings reports what users of the client generated
    /// with them see change (a client trimmed to some operations sees only theirs).
    pub fn snapshot(&self) -> Result<Snapshot, GenerateError> {
        let text = self.text()?;
        self.snapshot_of(&text)
    }

    fn snapshot_of(&self, text: &str) -> Result<Snapshot, GenerateError> {
        let (loaded, lowered) = self.load_and_lower(text)?;
        Ok(Snapshot {
            file: self.display_name(),
            env_prefix: self.env_prefix_for(&lowered.api),
            api: lowered.api,
            loaded: Some(loaded),
        })
    }

    /// The prefix of the environment variables the client reads: the one set, or the first
    /// word of the title.
    fn env_prefix_for(&self, api: &Api) -> String {
        self.env_prefix
            .clone()
            .unwrap_or_else(|| default_env_prefix(&api.title))
    }

    /// Generates the client module as a string.
    pub fn generate(&self) -> Result<Generated, GenerateError> {
        let text = self.text()?;
        Ok(self.generate_text(&text)?.0)
    }

    /// The generated module, and the loaded document it came from.
    fn generate_text(&self, text: &str) -> Result<(Generated, Loaded), GenerateError> {
        on_deep_stack(|| self.generate_text_here(text))
    }

    fn generate_text_here(&self, text: &str) -> Result<(Generated, Loaded), GenerateError> {
        let mut emit_options = self.emit_options()?;
        let (loaded, lowered) = self.load_and_lower_here(text)?;
        if emit_options.env_prefix.is_empty() {
            emit_options.env_prefix = default_env_prefix(&lowered.api.title);
        }
        let code = emit::emit(&lowered.api, &emit_options).map_err(GenerateError::Emit)?;
        let generated = Generated {
            code,
            api: lowered.api,
            warnings: lowered.warnings,
            changes: None,
        };
        Ok((generated, loaded))
    }

    /// The generated module, the loaded document it came from and the spec text: what the
    /// contract stage needs to call each operation with the document's own values.
    pub(crate) fn generate_with_document(
        &self,
    ) -> Result<(Generated, Loaded, String), GenerateError> {
        let text = self.text()?;
        let (generated, loaded) = self.generate_text(&text)?;
        Ok((generated, loaded, text))
    }

    /// Generates into `path`, atomically: on any failure an existing file stays as it was.
    /// The spec is recorded beside it (`<path>.spec`); when an earlier record is there,
    /// [`Generated::changes`] says what changed for users since.
    pub fn generate_to_file(&self, path: impl AsRef<Path>) -> Result<Generated, GenerateError> {
        let path = path.as_ref();
        let text = self.text()?;
        let (mut generated, loaded) = self.generate_text(&text)?;
        if path.exists()
            && let Some((record_path, recorded)) = record::read(path)
        {
            let new = Snapshot {
                file: self.display_name(),
                api: generated.api.clone(),
                env_prefix: self.env_prefix_for(&generated.api),
                loaded: Some(loaded),
            };
            generated.changes = if recorded == text {
                Some(diff::diff(&new, &new))
            } else {
                // A record an older generator accepted and this one rejects says nothing.
                self.with_text(record_path.display().to_string(), recorded.clone())
                    .snapshot_of(&recorded)
                    .ok()
                    .map(|old| diff::diff(&old, &new))
            };
        }
        let io_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| GenerateError::Io { path, source }
        };
        write::atomic(path, generated.code.as_bytes()).map_err(io_error(path))?;
        record::write(path, &text).map_err(io_error(path))?;
        Ok(generated)
    }

    /// For build scripts: generates into `$OUT_DIR/<file_name>`, tells Cargo to rerun when the
    /// spec changes, and passes spec warnings on as Cargo warnings. When the spec changed
    /// since the last build, one more warning says what that means for the crate's code:
    /// `commet.rs: 1 breaking, 2 compatible (run diff for details)`. Returns the written path.
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
        // A build that regenerates prints its warnings every time: one line per cause, a
        // screenful at most, unless the user asks for every one.
        println!("cargo:rerun-if-env-changed={VERBOSE_ENV}");
        let verbose = self.verbose
            || std::env::var_os(VERBOSE_ENV).is_some_and(|v| !v.is_empty() && v != "0");
        let detail = if verbose {
            Detail::All
        } else {
            Detail::Grouped
        };
        for line in generated.warnings.build_lines(&self.display_name(), detail) {
            println!("cargo:warning={line}");
        }
        if let Some(report) = &generated.changes
            && !report.changes.is_empty()
        {
            println!("cargo:warning={}", report.summary_line(file_name));
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
        })
    }
}

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

/// `Commet API` → `COMMET`.
pub(crate) fn default_env_prefix(title: &str) -> String {
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
