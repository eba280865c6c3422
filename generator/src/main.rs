//! The `commet-codegen` command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use commet_codegen::contract::{Contract, Mocks, RuntimeSource};
use commet_codegen::{Builder, Detail, GenerateError, IdempotencyChoice, diff};

const EXAMPLES: &str = "\
Examples:
  Regenerate the checked-in client after editing the spec:
    commet-codegen generate spec/commet.yaml -o generated/commet.rs

  Print the client to standard output:
    commet-codegen generate spec/commet.yaml -o -

  Fail (exit 1, with a diff) when the checked-in client is stale, e.g. in CI:
    commet-codegen check spec/commet.yaml --against generated/commet.rs

  Show what an API change means for users of the client, and fail CI on a breaking one:
    commet-codegen diff old.yaml spec/commet.yaml --fail-on breaking

  The same as a Markdown section for a pull request or a CHANGELOG:
    commet-codegen diff old.yaml spec/commet.yaml --format markdown

  Call every operation against validating mocks made from the document (after
  scripts/install-contract-mocks):
    commet-codegen contract openapi.yaml

Exit codes: 0 success, 1 problems in the spec, a stale output, a change that --fail-on
refuses or a contract call that failed, 2 usage or I/O errors.";

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
    /// Compare two versions of a spec: every change users of the client see, classified
    /// breaking, review, compatible or patch, with a semver verdict.
    Diff {
        /// The old document (or the `<output>.spec` record `generate` keeps).
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Exit with 1 when a change is at least this serious: `breaking`, or `review`
        /// (breaking changes and changes whose behaviour a person must judge).
        #[arg(long, value_enum, value_name = "CLASS")]
        fail_on: Option<FailOn>,
        /// The same as `--fail-on breaking` (kept for existing scripts).
        #[arg(long, conflicts_with = "fail_on")]
        deny_breaking: bool,
        #[command(flatten)]
        settings: Settings,
    },
    /// Generate the client, then call every operation against validating mocks made from the
    /// same document (Prism, and Steady where installed): a required-only and an
    /// all-parameters call, each documented error status, and arguments the client must
    /// refuse. Prints a table per call and a summary line.
    Contract {
        /// The OpenAPI document (YAML or JSON).
        #[arg(default_value = "spec/commet.yaml")]
        spec: PathBuf,
        /// Build the test crate against the runtime crate in this folder (a path dependency)
        /// instead of the crates.io release.
        #[arg(long, value_name = "DIR")]
        runtime_dir: Option<PathBuf>,
        /// Folder for the test crate, its build (kept, so later runs are quick) and the mocks'
        /// logs.
        #[arg(long, value_name = "DIR", default_value = "target/commet-contract")]
        work_dir: PathBuf,
        /// The cargo target folder of the test crate (default: `target` in the work folder);
        /// runs of several documents can share one.
        #[arg(long, value_name = "DIR")]
        target_dir: Option<PathBuf>,
        /// The `node_modules` folder holding the pinned mocks.
        #[arg(
            long,
            value_name = "DIR",
            default_value = "tools/contract-mocks/node_modules"
        )]
        mocks: PathBuf,
        /// Run Prism only, even where Steady is installed.
        #[arg(long)]
        no_steady: bool,
        /// Print the report as JSON instead of a table.
        #[arg(long, value_enum, default_value_t = ContractFormat::Text)]
        format: ContractFormat,
        /// Also write the JSON report to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        #[command(flatten)]
        settings: Settings,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ContractFormat {
    /// A table for a terminal, then the summary line.
    Text,
    /// The whole report as JSON.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Lines for a terminal, with spec locations and word diffs.
    Text,
    /// A Markdown section for a pull request or a CHANGELOG.
    Markdown,
    /// The whole report as JSON.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Fail on breaking changes.
    Breaking,
    /// Fail on breaking changes and changes to review.
    Review,
}

/// Settings shared by `generate`, `check` and `diff`, mirroring the library's `Builder`.
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
    /// An operation's idempotency mechanism, winning over the document's: `OP=header:NAME`,
    /// `OP=body:FIELD` or `OP=none`, where OP is an operationId or `*` for every operation
    /// that is not a read (repeatable; an operationId wins over `*`).
    #[arg(long = "idempotency", value_name = "OP=MECHANISM", value_parser = parse_idempotency)]
    idempotency: Vec<(String, IdempotencyChoice)>,
    /// The request header that pins the API version, sent on every request. Without it, the
    /// client sends `Commet-Version` only when an operation declares that header.
    #[arg(long, value_name = "NAME")]
    version_header: Option<String>,
    /// Fail on an operation the client can't support, and on every author's mistake the
    /// generator would otherwise read as its author meant it, instead of warning.
    #[arg(long)]
    strict: bool,
    /// List every diagnostic, instead of the first few of each cause.
    #[arg(long)]
    verbose: bool,
}

/// `OP=MECHANISM` of `--idempotency`.
fn parse_idempotency(text: &str) -> Result<(String, IdempotencyChoice), String> {
    let (operation, mechanism) = text
        .split_once('=')
        .filter(|(op, _)| !op.is_empty())
        .ok_or_else(|| format!("`{text}` is not OP=MECHANISM (e.g. `*=header:Idempotency-Key`)"))?;
    Ok((operation.to_owned(), mechanism.parse()?))
}

impl Settings {
    fn apply(&self, mut builder: Builder) -> Builder {
        if let Some(p) = &self.runtime_path {
            builder = builder.runtime_path(p);
        }
        for d in &self.derives {
            builder = builder.derive(d);
        }
        if !self.operations.is_empty() {
            builder = builder.operations(self.operations.iter().cloned());
        }
        if let Some(prefix) = &self.env_prefix {
            builder = builder.env_prefix(prefix);
        }
        if let Some(name) = &self.idempotency_header {
            builder = builder.idempotency_header(name);
        }
        for (operation, choice) in &self.idempotency {
            builder = builder.idempotency(operation, choice.clone());
        }
        if let Some(name) = &self.version_header {
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
        } => generate(
            settings.apply(Builder::new(&spec)),
            &output,
            settings.verbose,
        ),
        Command::Check {
            spec,
            against,
            settings,
        } => check(
            settings.apply(Builder::new(&spec)),
            &spec,
            &against,
            settings.verbose,
        ),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            deny_breaking,
            settings,
        } => {
            let fail_on = match (fail_on, deny_breaking) {
                (Some(FailOn::Breaking), _) | (None, true) => Some(diff::Class::Breaking),
                (Some(FailOn::Review), _) => Some(diff::Class::Review),
                (None, false) => None,
            };
            let format = match format {
                FormatArg::Text => diff::Format::Text,
                FormatArg::Markdown => diff::Format::Markdown,
                FormatArg::Json => diff::Format::Json,
            };
            run_diff(&old, &new, &settings, format, fail_on)
        }
        Command::Contract {
            spec,
            runtime_dir,
            work_dir,
            target_dir,
            mocks,
            no_steady,
            format,
            json,
            settings,
        } => {
            let mut contract = Contract::new(settings.apply(Builder::new(&spec)))
                .work_dir(work_dir)
                .mocks(Mocks::new(mocks))
                .steady(!no_steady);
            if let Some(dir) = target_dir {
                contract = contract.target_dir(dir);
            }
            if let Some(dir) = runtime_dir {
                // The runtime's workspace lock, when there is one: its versions are built.
                if let Some(lock) = dir.parent().map(|p| p.join("Cargo.lock"))
                    && lock.exists()
                {
                    contract = contract.seed_lock(lock);
                }
                let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
                contract = contract.runtime(RuntimeSource::Path(dir));
            }
            run_contract(&contract, format, json.as_deref())
        }
    }
}

fn run_contract(contract: &Contract, format: ContractFormat, json: Option<&Path>) -> ExitCode {
    let report = match contract.run() {
        Ok(r) => r,
        Err(commet_codegen::contract::ContractError::Generate(e)) => return fail(&e, false),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = json
        && let Err(e) = std::fs::write(path, report.render_json())
    {
        eprintln!("error: {}: {e}", path.display());
        return ExitCode::from(2);
    }
    let text = match format {
        ContractFormat::Text => report.render_text(),
        ContractFormat::Json => report.render_json() + "\n",
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        eprintln!("error: writing to standard output: {e}");
        return ExitCode::from(2);
    }
    if matches!(format, ContractFormat::Json) {
        eprintln!("{}", report.summary_line());
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// How much of a list of diagnostics `--verbose` asks for.
fn detail(verbose: bool) -> Detail {
    if verbose {
        Detail::All
    } else {
        Detail::Grouped
    }
}

/// Prints an error and maps it to the exit code: spec problems are 1, the rest 2.
fn fail(error: &GenerateError, verbose: bool) -> ExitCode {
    match error {
        GenerateError::Spec { file, diagnostics } => {
            eprintln!(
                "{}",
                diagnostics.render_as(file, detail(verbose)).trim_end()
            );
            ExitCode::from(1)
        }
        _ => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}

fn print_warnings(builder: &Builder, warnings: &commet_codegen::Diagnostics, verbose: bool) {
    if !warnings.is_empty() {
        eprint!(
            "{}",
            warnings.render_as(&builder.display_name(), detail(verbose))
        );
    }
}

fn generate(builder: Builder, output: &Path, verbose: bool) -> ExitCode {
    if output == Path::new("-") {
        return match builder.generate() {
            Ok(generated) => {
                print_warnings(&builder, &generated.warnings, verbose);
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
            Err(e) => fail(&e, verbose),
        };
    }
    match builder.generate_to_file(output) {
        Ok(generated) => {
            print_warnings(&builder, &generated.warnings, verbose);
            match &generated.changes {
                // Overwriting an output generated before: what that means for its users.
                Some(report) => eprintln!("{}", report.summary_line(&output.display().to_string())),
                None => eprintln!("wrote {}", output.display()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, verbose),
    }
}

fn check(builder: Builder, spec: &Path, against: &Path, verbose: bool) -> ExitCode {
    let generated = match builder.generate() {
        Ok(g) => g,
        Err(e) => return fail(&e, verbose),
    };
    print_warnings(&builder, &generated.warnings, verbose);
    let current = match std::fs::read_to_string(against) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {}: {e}", against.display());
            return ExitCode::from(2);
        }
    };
    // The record of the spec `generate` keeps beside the output must be this spec too, or the
    // next `generate` would summarise the wrong change.
    let recorded = commet_codegen::record::read(against);
    let record_current = match (&recorded, std::fs::read_to_string(spec)) {
        (Some((_, text)), Ok(spec_text)) => *text == spec_text,
        _ => true,
    };
    if current == generated.code && record_current {
        return ExitCode::SUCCESS;
    }
    if current == generated.code {
        let (path, _) = recorded.unwrap_or_default();
        eprintln!(
            "error: {} records another spec than {}; regenerate with:\n    commet-codegen generate {} -o {}",
            path.display(),
            spec.display(),
            spec.display(),
            against.display()
        );
        return ExitCode::from(1);
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
    if let Some((path, _)) = recorded {
        eprintln!(
            "what that changes for users of the client:\n    commet-codegen diff {} {}",
            path.display(),
            spec.display()
        );
    }
    ExitCode::from(1)
}

fn run_diff(
    old: &Path,
    new: &Path,
    settings: &Settings,
    format: diff::Format,
    fail_on: Option<diff::Class>,
) -> ExitCode {
    let snapshot = |path: &Path| settings.apply(Builder::new(path)).snapshot();
    let (old, new) = match (snapshot(old), snapshot(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return fail(&e, settings.verbose),
    };
    let report = diff::diff(&old, &new);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(report.render(format).as_bytes())
        .and_then(|()| stdout.flush())
    {
        eprintln!("error: writing to standard output: {e}");
        return ExitCode::from(2);
    }
    match fail_on {
        Some(threshold) if report.fails(threshold) => {
            let refused = report
                .changes
                .iter()
                .filter(|c| c.class <= threshold)
                .count();
            eprintln!(
                "error: {refused} change{} {} or worse (--fail-on {})",
                if refused == 1 { " is" } else { "s are" },
                threshold.label(),
                threshold.label()
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
