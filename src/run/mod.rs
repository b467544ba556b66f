//! The only place where stages are wired together.
//!
//! `metrics`: which files (walk) → bytes → [`SourceText`] → [`FileAnalysis`] →
//! violations → report. Files are analysed in parallel on a rayon pool whose
//! threads have a large stack (deeply nested code recurses deeply), results
//! are sorted by path before reporting so output is deterministic. A problem
//! with one file becomes that file's error entry; a problem with the run (bad
//! config, a path that does not exist) is an `Err` and exit code 2.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

mod gate;

use crate::cache::{CacheOptions, WorktreeCache};
use crate::cli::{CheckArgs, Cli, Command, ConfigCommand, MetricsArgs};
use crate::config::{self, Settings};
use crate::metrics::{analyze, MetricOptions};
use crate::report::{self, FileResult, Format};
use crate::source::decode;
use crate::thresholds::check_thresholds;

/// Stack for analysis threads: the parser and the metric walks recurse once
/// per nesting level.
const ANALYSIS_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs a parsed command line; `Err` means exit code 2.
pub(crate) fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let config = cli.config.as_deref();
    let cache = CacheOptions::from_args(&cli.cache)?;
    match cli.command.unwrap_or(Command::Check(CheckArgs::default())) {
        Command::Check(args) => gate::check(&cwd, config, args.gate, None, &cache, out),
        Command::Diff(args) => gate::check(&cwd, config, args.gate, Some(args.range), &cache, out),
        Command::Metrics(args) => metrics(&cwd, config, args, &cache, out),
        Command::Cache(cmd) => crate::cache::admin::run(&cwd, &cache, cmd, out),
        Command::Hook(cmd) => crate::hook::run(&cwd, cmd, out),
        Command::Config(cmd) => config_command(&cwd, config, cmd, out),
    }
}

fn metrics(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: MetricsArgs,
    cache: &CacheOptions,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let loaded = config::load(cwd, explicit_config)?;
    let mut settings = loaded.settings;
    for t in &args.thresholds {
        config::apply_threshold_override(&mut settings, t)?;
    }
    let root = loaded.root;
    for warning in &loaded.warnings {
        eprintln!("antipasta: warning: {warning}");
    }

    let mut inputs: Vec<PathBuf> = args.paths;
    inputs.extend(args.files);
    inputs.extend(args.directories);
    if inputs.is_empty() {
        inputs.push(PathBuf::from("."));
    }
    let files = collect_files(cwd, &root, &inputs, &settings)?;

    let options = MetricOptions {
        mi_multi_as_comments: settings.mi_multi_as_comments,
        function_hashes: false,
    };
    let cache = (!files.is_empty())
        .then(|| WorktreeCache::open(cwd, cache, cache_fingerprint(&settings, options)))
        .flatten();
    let mut results: Vec<FileResult> = parallel_map(&files, |file| {
        analyze_file(file, &settings, options, cache.as_ref())
    })?;
    if let Some(cache) = cache {
        cache.cache.finish();
    }
    results.sort_by(|a, b| a.path.cmp(&b.path));

    let color = args.format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if args.quiet && args.format == Format::Text {
        let s = report::summarize(&results);
        writeln!(
            out,
            "{} files, {} functions, {} violations, {} errors",
            s.files, s.functions, s.violations, s.errors
        )?;
    } else {
        report::render(&results, args.format, color, out).context("writing the report")?;
    }
    let s = report::summarize(&results);
    Ok(if s.errors > 0 {
        ExitCode::from(2)
    } else if s.violations > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The cache namespace: every option that changes a stored value. Runs
/// without function hashes (`metrics`) and with them (`check`, `diff`) keep
/// separate entries, so the gate never reads an entry that lacks hashes.
pub(crate) fn cache_fingerprint(settings: &Settings, options: MetricOptions) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = twox_hash::XxHash64::with_seed(0);
    settings.fingerprint().hash(&mut h);
    options.function_hashes.hash(&mut h);
    h.finish()
}

/// Maps `f` over `items` on threads with a large stack: a rayon pool for
/// many items, one plain thread for one or two (a hook commit should not pay
/// for a pool it does not need).
pub(crate) fn parallel_map<T, R, F>(items: &[T], f: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    if items.len() <= 2 {
        return std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(ANALYSIS_STACK_BYTES)
                .spawn_scoped(scope, || items.iter().map(&f).collect())
                .context("starting the analysis thread")?
                .join()
                .map_err(|_| anyhow::anyhow!("internal error: the analysis thread panicked"))
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .build()
        .context("starting the analysis threads")?;
    Ok(pool.install(|| items.par_iter().map(&f).collect()))
}

/// A file to analyse: how to show it, where it is, and its path relative to
/// the project root (for ignore patterns and per-path overrides).
struct InputFile {
    display: String,
    path: PathBuf,
    rel: PathBuf,
}

fn collect_files(
    cwd: &Path,
    root: &Path,
    inputs: &[PathBuf],
    settings: &Settings,
) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    for input in inputs {
        let abs = cwd.join(input);
        let meta = std::fs::metadata(&abs)
            .with_context(|| format!("cannot read `{}`", input.display()))?;
        if meta.is_file() {
            push_file(&mut files, input, &abs, root, settings, true);
            continue;
        }
        if !meta.is_dir() {
            bail!("`{}` is neither a file nor a directory", input.display());
        }
        let walker = ignore::WalkBuilder::new(&abs)
            .git_ignore(settings.use_gitignore)
            .git_exclude(settings.use_gitignore)
            .git_global(settings.use_gitignore)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.with_context(|| format!("walking `{}`", input.display()))?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let is_python = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|ext| {
                    settings
                        .python_extensions
                        .iter()
                        .any(|p| p.trim_start_matches('.') == ext)
                });
            if !is_python {
                continue;
            }
            let shown = input.join(entry.path().strip_prefix(&abs).unwrap_or(entry.path()));
            push_file(&mut files, &shown, entry.path(), root, settings, false);
        }
    }
    files.sort_by(|a, b| a.display.cmp(&b.display));
    files.dedup_by(|a, b| a.display == b.display);
    Ok(files)
}

fn push_file(
    files: &mut Vec<InputFile>,
    shown: &Path,
    abs: &Path,
    root: &Path,
    settings: &Settings,
    explicit: bool,
) {
    let rel = abs
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| abs.to_path_buf());
    if settings.is_ignored(&rel) && !explicit_outside_root(explicit, abs, root) {
        return;
    }
    files.push(InputFile {
        display: slash_path(shown),
        path: abs.to_path_buf(),
        rel,
    });
}

/// A file named on the command line outside the project is never ignored by
/// the project's patterns (they cannot have meant it).
fn explicit_outside_root(explicit: bool, abs: &Path, root: &Path) -> bool {
    explicit && !abs.starts_with(root)
}

/// Forward slashes, no leading `./`.
fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

fn analyze_file(
    file: &InputFile,
    settings: &Settings,
    options: MetricOptions,
    cache: Option<&WorktreeCache>,
) -> FileResult {
    let measure = |bytes: &[u8]| {
        decode(bytes)
            .map_err(|e| e.to_string())
            .and_then(|source| analyze(&source, options).map_err(|e| e.to_string()))
    };
    let outcome = match cache {
        Some(cache) => cache.outcome(&file.path, measure),
        None => std::fs::read(&file.path).map(|bytes| measure(&bytes)),
    }
    .unwrap_or_else(|e| Err(format!("cannot read file: {e}")));
    let violations = match &outcome {
        Ok(analysis) => check_thresholds(&settings.rules_for(&file.rel), analysis),
        Err(_) => Vec::new(),
    };
    FileResult {
        path: file.display.clone(),
        outcome,
        violations,
    }
}

fn config_command(
    cwd: &Path,
    explicit_config: Option<&Path>,
    cmd: ConfigCommand,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    match cmd {
        ConfigCommand::Init { force } => {
            let path = cwd.join(".antipasta.toml");
            if path.exists() && !force {
                bail!(
                    "{} already exists; use `antipasta config init --force` to overwrite it",
                    path.display()
                );
            }
            std::fs::write(&path, config::init_template())
                .with_context(|| format!("writing {}", path.display()))?;
            writeln!(out, "wrote {}", path.display())?;
        }
        ConfigCommand::Validate => {
            write!(out, "{}", config::validate(cwd, explicit_config)?)?;
        }
        ConfigCommand::Show => {
            let loaded = config::load(cwd, explicit_config)?;
            if let Some(f) = &loaded.file {
                writeln!(out, "# from {}", f.path.display())?;
            }
            write!(out, "{}", config::show(&loaded.settings))?;
        }
        ConfigCommand::Migrate { path } => {
            let yaml = path.unwrap_or_else(|| cwd.join(".antipasta.yaml"));
            let migrated = config::migrate_yaml_file(&yaml)?;
            writeln!(
                out,
                "wrote {} (the original is kept as {})",
                migrated.toml_path.display(),
                migrated.backup_path.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
