//! The `commet-codegen` command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commet_codegen::{Builder, GenerateError, diff};

const EXAMPLES: &str = "\
Examples:
  Regenerate the checked-in client after editing the spec:
    commet-codegen generate spec/commet.yaml -o generated/commet.rs

  Print the client to standard output:
    commet-codegen generate spec/commet.yaml -o -

  Fail (exit 1, with a diff) when the checked-in client is stale, e.g. in CI:
    commet-codegen check spec/commet.yaml --against generated/commet.rs

  Show what an API change means for users of the client:
    commet-codegen diff old.yaml spec/commet.yaml

Exit codes: 0 success, 1 problems in the spec or a stale output, 2 usage or I/O errors.";

/// Generates a typed Rust client from Commet's OpenAPI document.
#[derive(Parser)]
#[command(name = "commet-codegen", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client module.
    Generate {
        /// The OpenAPI document (YAML or JSON).
        #[arg(default_value = "spec/commet.yaml")]
        spec: PathBuf,
        /// Where to write the module; `-` for standard output.
        #[arg(short, long, default_value = "generated/commet.rs")]
        output: PathBuf,
        #[command(flatten)]
        settings: Settings,
    },
    /// Check that a generated file is up to date with the spec.
    Check {
        /// The OpenAPI document (YAML or JSON).
        #[arg(default_value = "spec/commet.yaml")]
        spec: PathBuf,
        /// The checked-in module to compare against.
        #[arg(long, default_value = "generated/commet.rs")]
        against: PathBuf,
        #[command(flatten)]
        settings: Settings,
    },
    /// Compare two versions of a spec and classify the changes for client users.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Exit with 1 when a change breaks existing callers.
        #[arg(long)]
        deny_breaking: bool,
    },
}

/// Settings shared by `generate` and `check`, mirroring the library's `Builder`.
#[derive(clap::Args)]
struct Settings {
    /// Path of the runtime crate in generated code.
    #[arg(long, value_name = "PATH")]
    runtime_path: Option<String>,
    /// Extra derive for every generated type (repeatable).
    #[arg(long = "derive", value_name = "PATH")]
    derives: Vec<String>,
    /// Generate only this operationId (repeatable).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Prefix of the environment variables the client reads (PREFIX_API_KEY, PREFIX_BASE_URL).
    #[arg(long, value_name = "PREFIX")]
    env_prefix: Option<String>,
    /// The request header that carries idempotency keys.
    #[arg(long, value_name = "NAME")]
    idempotency_header: Option<String>,
    /// The request header that pins the API version.
    #[arg(long, value_name = "NAME")]
    version_header: Option<String>,
    /// Fail on an operation the client can't support, instead of leaving it out with a
    /// warning.
    #[arg(long)]
    strict: bool,
}

impl Settings {
    fn apply(self, mut builder: Builder) -> Builder {
        if let Some(p) = self.runtime_path {
            builder = builder.runtime_path(p);
        }
        for d in self.derives {
            builder = builder.derive(d);
        }
        if !self.operations.is_empty() {
            builder = builder.operations(self.operations);
        }
        if let Some(prefix) = self.env_prefix {
            builder = builder.env_prefix(prefix);
        }
        if let Some(name) = self.idempotency_header {
            builder = builder.idempotency_header(name);
        }
        if let Some(name) = self.version_header {
            builder = builder.version_header(name);
        }
        builder.strict(self.strict)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            spec,
            output,
            settings,
        } => generate(settings.apply(Builder::new(&spec)), &output),
        Command::Check {
            spec,
            against,
            settings,
        } => check(settings.apply(Builder::new(&spec)), &spec, &against),
        Command::Diff {
            old,
            new,
            deny_breaking,
        } => run_diff(&old, &new, deny_breaking),
    }
}

/// Prints an error and maps it to the exit code: spec problems are 1, the rest 2.
fn fail(error: &GenerateError) -> ExitCode {
    eprintln!("{error}");
    match error {
        GenerateError::Spec { .. } => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

fn print_warnings(builder: &Builder, warnings: &commet_codegen::Diagnostics) {
    if !warnings.is_empty() {
        eprint!("{}", warnings.render(&builder.display_name()));
    }
}

fn generate(builder: Builder, output: &Path) -> ExitCode {
    if output == Path::new("-") {
        return match builder.generate() {
            Ok(generated) => {
                print_warnings(&builder, &generated.warnings);
                let mut stdout = std::io::stdout().lock();
                match stdout
                    .write_all(generated.code.as_bytes())
                    .and_then(|()| stdout.flush())
                {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("error: writing to standard output: {e}");
                        ExitCode::from(2)
                    }
                }
            }
            Err(e) => fail(&e),
        };
    }
    match builder.generate_to_file(output) {
        Ok(generated) => {
            print_warnings(&builder, &generated.warnings);
            eprintln!("wrote {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn check(builder: Builder, spec: &Path, against: &Path) -> ExitCode {
    let generated = match builder.generate() {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    print_warnings(&builder, &generated.warnings);
    let current = match std::fs::read_to_string(against) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {}: {e}", against.display());
            return ExitCode::from(2);
        }
    };
    if current == generated.code {
        return ExitCode::SUCCESS;
    }
    let diff = similar::TextDiff::from_lines(&current, &generated.code);
    let against_name = against.display().to_string();
    print!(
        "{}",
        diff.unified_diff().context_radius(3).header(
            &against_name,
            &format!("{against_name} (from {})", spec.display())
        )
    );
    eprintln!(
        "error: {} is stale; regenerate it with:\n    commet-codegen generate {} -o {}",
        against.display(),
        spec.display(),
        against.display()
    );
    ExitCode::from(1)
}

fn run_diff(old: &Path, new: &Path, deny_breaking: bool) -> ExitCode {
    let lower = |path: &Path| Builder::new(path).lower();
    let (old_api, new_api) = match (lower(old), lower(new)) {
        (Ok(a), Ok(b)) => (a.api, b.api),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    let changes = diff::diff(&old_api, &new_api);
    if changes.is_empty() {
        println!("no changes that affect the client");
    }
    for c in &changes {
        println!("{c}");
    }
    let breaking = changes
        .iter()
        .filter(|c| c.impact == diff::Impact::Breaking)
        .count();
    if breaking > 0 {
        eprintln!(
            "{breaking} breaking change{}",
            if breaking == 1 { "" } else { "s" }
        );
    }
    if deny_breaking && breaking > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
