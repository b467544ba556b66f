//! The only place where stages are wired together.
//!
//! `metrics`: which files (walk) → bytes → [`SourceText`] → [`FileAnalysis`] →
//! violations → report. Files are analysed in parallel in priority order
//! within the time budget ([`crate::budget`]), each isolated so that a bad
//! file gives an entry, never a crash ([`crate::isolate`]); results are
//! sorted by path before reporting so output is deterministic. A problem
//! with one file becomes that file's error entry; a problem with the run (bad
//! config, a path that does not exist) is an `Err` and exit code 2.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

mod gate;

use crate::budget::{map_in_order, priority_order, Budget, Priority};
use crate::cache::{CacheOptions, WorktreeCache};
use crate::cli::{CheckArgs, Cli, Command, ConfigCommand, GateArgs, GateFlags, MetricsArgs};
use crate::config::{self, BudgetPolicy, Settings};
use crate::isolate::{analyze_bytes_from, is_internal, Internal};
use crate::metrics::MetricOptions;
use crate::report::{self, FileResult, Format, Problem};
use crate::thresholds::check_thresholds;

/// Runs a parsed command line; `Err` means exit code 2.
pub(crate) fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let config = cli.config.as_deref();
    let cache = CacheOptions::from_args(&cli.cache)?;
    let command = match cli.command {
        None => Command::Check(CheckArgs {
            gate: GateArgs {
                paths: Vec::new(),
                flags: cli.gate,
            },
        }),
        Some(Command::Check(mut args)) => {
            args.gate.flags.merge_before(cli.gate);
            Command::Check(args)
        }
        Some(Command::Diff(mut args)) => {
            args.gate.flags.merge_before(cli.gate);
            Command::Diff(args)
        }
        Some(other) => {
            if cli.gate != GateFlags::default() {
                bail!(
                    "options given before `{0}` belong to `check` (a bare `antipasta -v` \
                     means `antipasta check -v`); put them after `{0}`",
                    other.name()
                );
            }
            other
        }
    };
    if matches!(
        command,
        Command::Check(_) | Command::Diff(_) | Command::Metrics(_)
    ) {
        if let Err(err) = crate::cancel::install() {
            eprintln!("antipasta: warning: Ctrl-C will not stop the run cleanly: {err}");
        }
    }
    match command {
        Command::Check(args) => {
            let hook = !gate::has_range(None);
            let result =
                crate::isolate::catch(|| gate::check(&cwd, config, args.gate, None, &cache, out))
                    .unwrap_or_else(|panic| Err(anyhow::anyhow!(panic).context(Internal)));
            if hook {
                fail_open(result, &cwd, config)
            } else {
                result
            }
        }
        Command::Diff(args) => gate::check(&cwd, config, args.gate, Some(args.range), &cache, out),
        Command::Metrics(args) => metrics(&cwd, config, args, &cache, out),
        Command::Cache(cmd) => crate::cache::admin::run(&cwd, &cache, cmd, out),
        Command::Hook(cmd) => crate::hook::run(&cwd, cmd, out),
        Command::Config(cmd) => config_command(&cwd, config, cmd, out),
    }
}

/// The pre-commit hook's answer to its own failure (a panic, a git object
/// that cannot be read, threads that cannot start): let the commit through
/// with a loud warning, unless the configuration says `fail_open = false`.
/// Problems the user must fix (not a repository, a bad configuration,
/// unmerged paths) stay errors.
fn fail_open(
    result: Result<ExitCode>,
    cwd: &Path,
    explicit_config: Option<&Path>,
) -> Result<ExitCode> {
    let err = match result {
        Err(err) if is_internal(&err) => err,
        other => return other,
    };
    let open = config::load(cwd, explicit_config).map_or(true, |l| l.settings.fail_open);
    if open {
        eprintln!(
            "antipasta: WARNING: the complexity check did not run: {err:#}\n\
             antipasta: WARNING: the commit proceeds unchecked (fail_open = true); \
             run `antipasta check` to see the problem"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Err(err)
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
    if let Some(warning) = crate::budget::apply_memory_cap(settings.max_memory_mb) {
        eprintln!("antipasta: warning: {warning}");
    }
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
    let options = MetricOptions {
        mi_multi_as_comments: settings.mi_multi_as_comments,
        function_hashes: false,
    };
    // The walk and opening the cache (the store, the git index) are
    // independent: overlap them. A warm run is mostly these two.
    let cache_options = cache.with_config(&settings);
    let (files, cache) = std::thread::scope(|scope| {
        let opening = scope.spawn(|| {
            WorktreeCache::open(cwd, &cache_options, cache_fingerprint(&settings, options))
        });
        let files = collect_files(cwd, &root, &inputs, &settings);
        // A panic while opening is a cache failure: run without it.
        let cache = opening.join().ok().flatten();
        (files, cache)
    });
    let cache = cache.filter(|_| !files.is_empty());
    let budget = Budget::from_start(args.budget.unwrap_or(0));
    let order = match budget.ms {
        0 => (0..files.len()).collect(),
        _ => priority_order(
            &files
                .iter()
                .map(|f| file_priority(f, &settings, cache.as_ref()))
                .collect::<Vec<_>>(),
        ),
    };
    let analysed = map_in_order(&files, &order, budget, |file| {
        analyze_file(file, &settings, options, cache.as_ref(), budget)
    })?;
    if let Some(cache) = cache {
        // The violation history orders work under a budget; only such runs
        // keep it up to date (a full run would rewrite it for every file).
        if budget.ms > 0 {
            for (file, result) in files.iter().zip(&analysed) {
                if let Some(r) = result {
                    cache.cache.record_violations(
                        &gate::history_path(&file.rel),
                        !r.violations.is_empty(),
                    );
                }
            }
        }
        cache.cache.finish();
    }
    if let Some(code) = crate::cancel::requested() {
        eprintln!("antipasta: {}; no report", crate::cancel::signal_name(code));
        return Ok(ExitCode::from(code));
    }
    let mut results: Vec<FileResult> = Vec::with_capacity(files.len());
    let mut not_checked: Vec<String> = Vec::new();
    for (file, result) in files.iter().zip(analysed) {
        match result {
            Some(r) => results.push(r),
            None => not_checked.push(file.display.clone()),
        }
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
    // The process exits right after: freeing every function's record one
    // by one (38,000 on sympy) would only delay it.
    std::mem::forget(results);
    let over_budget = !not_checked.is_empty() || s.degraded_by_budget > 0;
    if !not_checked.is_empty() {
        let command = format!("antipasta metrics {}", not_checked.join(" "));
        report::render_not_checked(&not_checked, budget.ms, &command, &mut std::io::stderr())?;
    }
    Ok(if s.errors > 0 {
        ExitCode::from(2)
    } else if s.violations > 0 || (over_budget && settings.on_budget_exceeded == BudgetPolicy::Fail)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn file_priority(file: &InputFile, settings: &Settings, cache: Option<&WorktreeCache>) -> Priority {
    Priority {
        critical: settings.critical.matches(&file.rel),
        violated_before: cache
            .is_some_and(|c| c.cache.had_violations(&gate::history_path(&file.rel))),
        change_bytes: std::fs::metadata(&file.path).map_or(0, |m| m.len()),
    }
}

/// A file to analyse: how to show it, where it is, and its path relative to
/// the project root (for ignore patterns and per-path overrides).
struct InputFile {
    display: String,
    path: PathBuf,
    rel: PathBuf,
    /// Why a path given on the command line cannot be analysed (it does
    /// not exist, say): reported as that path's error entry.
    unusable: Option<String>,
}

impl InputFile {
    fn unusable(input: &Path, why: String) -> InputFile {
        InputFile {
            display: slash_path(input),
            path: input.to_path_buf(),
            rel: input.to_path_buf(),
            unusable: Some(why),
        }
    }
}

fn collect_files(
    cwd: &Path,
    root: &Path,
    inputs: &[PathBuf],
    settings: &Settings,
) -> Vec<InputFile> {
    let mut files = Vec::new();
    for input in inputs {
        let abs = cwd.join(input);
        let meta = match std::fs::metadata(&abs) {
            Ok(meta) => meta,
            Err(e) => {
                files.push(InputFile::unusable(input, format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            push_file(&mut files, input, &abs, root, settings, true);
            continue;
        }
        if !meta.is_dir() {
            files.push(InputFile::unusable(
                input,
                "neither a file nor a directory".to_string(),
            ));
            continue;
        }
        let (found, failure) = walk_python_files(&abs, settings);
        for path in found {
            let shown = input.join(path.strip_prefix(&abs).unwrap_or(&path));
            push_file(&mut files, &shown, &path, root, settings, false);
        }
        if let Some(e) = failure {
            files.push(InputFile::unusable(input, format!("walking: {e}")));
        }
    }
    files.sort_by(|a, b| a.display.cmp(&b.display));
    files.dedup_by(|a, b| a.display == b.display);
    files
}

/// The Python files below `dir`, honouring the ignore files, in no
/// particular order (the caller sorts). The walk runs on two threads: it is
/// a third of a warm run, mostly directory reads and ignore matching.
fn walk_python_files(dir: &Path, settings: &Settings) -> (Vec<PathBuf>, Option<ignore::Error>) {
    let found = std::sync::Mutex::new(Vec::new());
    let failure = std::sync::Mutex::new(None);
    ignore::WalkBuilder::new(dir)
        .git_ignore(settings.use_gitignore)
        .git_exclude(settings.use_gitignore)
        .git_global(settings.use_gitignore)
        .require_git(false)
        .threads(2)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    // One unreadable directory is reported; the rest of
                    // the tree is still analysed.
                    Err(e) => {
                        if let Ok(mut slot) = failure.lock() {
                            slot.get_or_insert(e);
                        }
                        return ignore::WalkState::Continue;
                    }
                };
                if entry.file_type().is_some_and(|t| t.is_file())
                    && settings.is_python_file(entry.path())
                {
                    if let Ok(mut found) = found.lock() {
                        found.push(entry.into_path());
                    }
                }
                ignore::WalkState::Continue
            })
        });
    (
        found.into_inner().unwrap_or_default(),
        failure.into_inner().ok().flatten(),
    )
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
        unusable: None,
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

fn analyze_file(
    file: &InputFile,
    settings: &Settings,
    options: MetricOptions,
    cache: Option<&WorktreeCache>,
    budget: Budget,
) -> FileResult {
    let limit = settings.max_file_bytes;
    let measure = |bytes: &[u8]| {
        analyze_bytes_from(bytes, limit, options, budget.level_now(bytes.len() as u64))
    };
    let read = || read_limited(&file.path, limit);
    let outcome = match (&file.unusable, cache) {
        (Some(why), _) => Err(Problem::error(why)),
        (None, Some(cache)) => {
            cache.outcome(&file.path, |size| too_large(size, limit), read, measure)
        }
        (None, None) => read().and_then(|bytes| measure(&bytes)),
    };
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

/// Why a file of `size` bytes is skipped under `limit` (0: no limit).
fn too_large(size: u64, limit: u64) -> Option<Problem> {
    crate::guard::check_size(size, limit)
        .err()
        .map(Problem::skipped)
}

/// Reads a file, skipping one over `limit` bytes (0: none) before reading it.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
    let size = std::fs::metadata(path)
        .map_err(|e| Problem::error(format!("cannot read file: {e}")))?
        .len();
    if let Some(problem) = too_large(size, limit) {
        return Err(problem);
    }
    std::fs::read(path).map_err(|e| Problem::error(format!("cannot read file: {e}")))
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
