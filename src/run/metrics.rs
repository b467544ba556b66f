//! `antipasta metrics`: the full-tree check.
//!
//! Which files (walk, ignore rules) → bytes → [`crate::isolate`] →
//! [`crate::thresholds::check_thresholds`] → report. Files are analysed in
//! parallel in priority order within the time budget ([`crate::budget`]);
//! results are sorted by path before reporting so output is deterministic.
//! A problem with one file, a path that does not exist among them, becomes
//! that file's error entry; a problem with the run (bad config) is an `Err`.

use crate::timings::{self, Step, Work};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::prepare::{self, Environment};
use super::{cache_fingerprint, exit_code, gate};
use crate::analyze::analyze_bytes_from;
use crate::budget::{map_in_order, priority_order, Budget, Priority};
use crate::cache::{CacheOptions, WorktreeCache};
use crate::cli::{MergeArgs, MetricsArgs, SelectionArgs, Sources};
use crate::config::{PathPatterns, Settings};
use crate::exemptions::Policy;
use crate::metrics::MetricOptions;
use crate::outcome::Problem;
use crate::report::{self, FileResult, Format, Report, ReportKind, Style};
use crate::thresholds::check_thresholds;

/// Whether `path` belongs to shard `k` of `n`: a hash of the path as
/// reported, so each file's shard does not depend on the other files.
fn in_shard(path: &str, (k, n): (u64, u64)) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    twox_hash::XxHash3_64::oneshot(path.as_bytes()) % n == k - 1
}

pub(super) fn metrics(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: MetricsArgs,
    cache: &CacheOptions,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (settings, root, include) = tree_settings(cwd, explicit_config, &args.sources)?;
    let ledger = super::baseline::load(cwd, &root, &settings, &args.ledger)?;
    let mut inputs: Vec<PathBuf> = args.sources.paths;
    inputs.extend(args.files);
    inputs.extend(args.sources.directories);
    let scope = TreeScope {
        inputs,
        include,
        shard: args.shard,
        budget_ms: args.budget.unwrap_or(0),
        // The ledger knows functions by their body's fingerprint.
        function_hashes: ledger.is_some(),
        markers: Policy::new(&settings, args.markers.no_ignore),
        progress: !args.quiet,
        sandbox: Some(args.output.iter().cloned().collect()),
    };
    let mut tree = match tree_report(cwd, &root, &settings, scope, cache, env)? {
        Ok(tree) => tree,
        Err(code) => return Ok(ExitCode::from(code)),
    };
    if let Some(ledger) = &ledger {
        let keys = tree.ledger_keys(&ledger.dir);
        crate::baseline::apply(&mut tree.report, &ledger.baseline, &|p| {
            keys.get(p).cloned()
        });
    }
    let mut report = tree.report;
    timings::step(Step::Report);
    let style = tree_style(
        args.format,
        (args.quiet, args.markers.report_ignored),
        args.output.as_deref(),
        env,
    );
    super::render_report(&report, args.format, style, args.output.as_deref(), out)?;
    let s = report.summary();
    let end = super::RunEnd {
        mode: "metrics",
        hook: false,
        budget_ms: tree.budget_ms,
        settings: &settings,
        root: &root,
        cache_dir: tree.cache_dir.clone(),
    };
    super::finish_run(end, &report, env);
    let not_checked = std::mem::take(&mut report.not_checked);
    // The process exits right after: freeing every function's record one
    // by one (38,000 on sympy) would only delay it.
    std::mem::forget(report);
    let over_budget = !not_checked.is_empty() || s.degraded_by_budget > 0;
    if !not_checked.is_empty() {
        let command = format!("antipasta metrics {}", not_checked.join(" "));
        report::warn_not_checked(&not_checked, tree.budget_ms, &command);
    }
    let code = super::with_markers(
        exit_code(s.errors, s.violations, over_budget, &settings),
        &s,
    );
    Ok(ExitCode::from(code))
}

/// How a tree report is drawn: colour only for text on a terminal.
fn tree_style(
    format: Format,
    (quiet, report_ignored): (bool, bool),
    output: Option<&Path>,
    env: &Environment,
) -> Style {
    Style {
        color: format == Format::Text && env.stdout_is_terminal && output.is_none(),
        quiet,
        report_ignored,
        ..Style::default()
    }
}

/// Which files a tree run analyses, and how.
pub(super) struct TreeScope {
    /// Files and directories (none: the current directory).
    pub inputs: Vec<PathBuf>,
    /// `-i`: files analysed whatever ignores them.
    pub include: PathPatterns,
    pub shard: Option<(u64, u64)>,
    pub budget_ms: u64,
    /// Compute the functions' AST fingerprints (for the baseline ledger).
    pub function_hashes: bool,
    /// How suppression markers are honoured.
    pub markers: Policy,
    /// A progress bar may be drawn (not `-q`; the terminal and `CI` are
    /// the environment's to say).
    pub progress: bool,
    /// Enter the sandbox before analysing, keeping these output files
    /// writable (`None`: no sandbox, for commands that write elsewhere,
    /// such as `baseline`).
    pub sandbox: Option<Vec<PathBuf>>,
}

/// A tree run's report, with where each reported file is.
pub(super) struct TreeRun {
    pub report: Report,
    /// Report path → the file's absolute path, and its path relative to
    /// the project root (which rules apply: [`Settings::rules_for`]).
    pub locations: Vec<(String, PathBuf, PathBuf)>,
    budget_ms: u64,
    /// The cache directory, for the run history (`None`: no cache).
    cache_dir: Option<PathBuf>,
}

impl TreeRun {
    /// Report path → the file's path in the ledger in `dir` (`/`-separated,
    /// relative to `dir`; absolute for a file outside it).
    pub(super) fn ledger_keys(&self, dir: &Path) -> HashMap<String, String> {
        self.locations
            .iter()
            .map(|(shown, abs, _)| (shown.clone(), super::baseline::ledger_key(abs, dir)))
            .collect()
    }
}

/// Walks, analyses (with the cache, within the budget) and judges a tree:
/// the report before any baseline. `Err(code)`: stopped by a signal.
pub(super) fn tree_report(
    cwd: &Path,
    root: &Path,
    settings: &Settings,
    scope: TreeScope,
    cache: &CacheOptions,
    env: &Environment,
) -> Result<std::result::Result<TreeRun, u8>> {
    let mut inputs = scope.inputs;
    if inputs.is_empty() {
        inputs.push(PathBuf::from("."));
    }
    let options = MetricOptions {
        mi_multi_as_comments: settings.mi_multi_as_comments,
        function_hashes: scope.function_hashes,
    };
    // The walk and opening the cache (the store, the git index) are
    // independent: overlap them. A warm run is mostly these two.
    let cache_options = cache.with_configured_size(settings.cache_size_bytes);
    timings::step(Step::Walk);
    let (files, (cache, notices)) = std::thread::scope(|thread| {
        let opening = thread.spawn(|| {
            let mut notices = Vec::new();
            let fingerprint = cache_fingerprint(settings, options);
            let cache = WorktreeCache::open(cwd, &cache_options, fingerprint, &mut notices);
            (cache, notices)
        });
        let files = collect_files(cwd, root, &inputs, settings, &scope.include);
        // A panic while opening is a cache failure: run without it.
        let opened = opening.join().unwrap_or_default();
        (files, opened)
    });
    report::warn(&notices);
    let files = match scope.shard {
        Some(shard) => files
            .into_iter()
            .filter(|f| in_shard(&f.display, shard))
            .collect(),
        None => files,
    };
    let cache = cache.filter(|_| !files.is_empty());
    let cache_dir = cache.as_ref().map(|c| c.cache.dir().to_path_buf());
    if let Some(output) = &scope.sandbox {
        prepare::sandbox((settings, root, cwd), cache_dir.as_deref(), output, env);
    }
    let budget = Budget::from_start(scope.budget_ms).with_file_delay(env.test_file_delay);
    let order = match budget.ms {
        0 => (0..files.len()).collect(),
        _ => priority_order(
            &files
                .iter()
                .map(|f| file_priority(f, settings, cache.as_ref()))
                .collect::<Vec<_>>(),
        ),
    };
    timings::step(Step::Analysis);
    let progress = report::progress::Progress::new(files.len(), scope.progress && env.progress);
    let analysed = map_in_order(&files, &order, budget, |file| {
        let result = analyze_file(
            file,
            settings,
            options,
            cache.as_ref(),
            budget,
            scope.markers,
        );
        progress.tick();
        result
    })?;
    progress.finish();
    timings::step(Step::CachePut);
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
        report::warn(&cache.cache.finish());
    }
    if let Some(code) = crate::cancel::requested() {
        report::say(&format!("{}; no report", crate::cancel::signal_name(code)));
        return Ok(Err(code));
    }
    timings::step(Step::Judge);
    let mut results: Vec<FileResult> = Vec::with_capacity(files.len());
    let mut locations = Vec::with_capacity(files.len());
    let mut not_checked: Vec<String> = Vec::new();
    for (file, result) in files.into_iter().zip(analysed) {
        match result {
            Some(r) => {
                locations.push((file.display, file.path, file.rel));
                results.push(r);
            }
            None => not_checked.push(file.display),
        }
    }
    results.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Ok(TreeRun {
        report: Report {
            kind: ReportKind::Tree,
            files: results,
            not_checked,
        },
        locations,
        budget_ms: budget.ms,
        cache_dir,
    }))
}

/// `antipasta merge`: the shards' reports as one, rendered in any format,
/// with the exit code the single run would have had.
pub(super) fn merge(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: MergeArgs,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    // Only `on_budget_exceeded` matters here; the thresholds were applied
    // by the shards.
    let settings = crate::config::load(cwd, explicit_config)?.settings;
    let mut reports = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(cwd.join(path))
            .with_context(|| format!("reading the report {name}"))?;
        reports.push((name.clone(), report::read::read(&name, &text)?));
    }
    let report = report::read::merge(reports)?;
    let style = tree_style(
        args.format,
        (args.quiet, args.report_ignored),
        args.output.as_deref(),
        env,
    );
    super::render_report(&report, args.format, style, args.output.as_deref(), out)?;
    let s = report.summary();
    let over_budget = !report.not_checked.is_empty() || s.degraded_by_budget > 0;
    if !report.not_checked.is_empty() {
        report::warn(&[format!(
            "the shards' time budget left {} {} not checked: {}",
            report.not_checked.len(),
            report::plural(report.not_checked.len(), "file", "files"),
            report.not_checked.join(" ")
        )]);
    }
    Ok(ExitCode::from(super::with_markers(
        exit_code(s.errors, s.violations, over_budget, &settings),
        &s,
    )))
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

/// The settings of a full-tree run (`metrics`, `stats`, `report`): the
/// configuration found from `cwd` with the `-t` overrides and the
/// selection flags applied, its warnings printed and the resource caps
/// set. Also returns the root and the `-i` patterns.
pub(super) fn tree_settings(
    cwd: &Path,
    explicit_config: Option<&Path>,
    sources: &Sources,
) -> Result<(Settings, PathBuf, PathPatterns)> {
    timings::step(Step::Discover);
    let prepare::Prepared {
        mut settings,
        root,
        warnings,
    } = prepare::settings(cwd, explicit_config, &sources.thresholds, false)?;
    report::warn(&warnings);
    report::warn(prepare::caps(&settings, false).as_slice());
    let include = apply_selection(&mut settings, &sources.selection)?;
    Ok((settings, root, include))
}

/// The Python antipasta's selection flags applied to the settings: `-e`
/// adds ignore patterns, `--force-analyze` drops them all, `--no-gitignore`
/// stops reading ignore files. Returns the `-i` patterns.
pub(super) fn apply_selection(
    settings: &mut Settings,
    args: &SelectionArgs,
) -> Result<PathPatterns> {
    let compile = |patterns: &[String], flag: &str| {
        PathPatterns::new(patterns.to_vec())
            .map_err(|(i, why)| anyhow::anyhow!("{flag} `{}`: {why}", patterns[i]))
    };
    if !args.exclude.is_empty() {
        compile(&args.exclude, "-e")?;
        let mut all = settings.ignore_patterns.patterns().to_vec();
        all.extend(args.exclude.iter().cloned());
        settings.ignore_patterns = compile(&all, "-e")?;
    }
    if args.force_analyze {
        settings.ignore_patterns = PathPatterns::empty();
    }
    if args.no_gitignore {
        settings.use_gitignore = false;
    }
    compile(&args.include, "-i")
}

fn collect_files(
    cwd: &Path,
    root: &Path,
    inputs: &[PathBuf],
    settings: &Settings,
    include: &PathPatterns,
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
            push_file(&mut files, input, &abs, root, (settings, include), true);
            continue;
        }
        if !meta.is_dir() {
            files.push(InputFile::unusable(
                input,
                "neither a file nor a directory".to_string(),
            ));
            continue;
        }
        let (mut found, failure) = walk_python_files(&abs, settings.use_gitignore, settings);
        if settings.use_gitignore && include.has_patterns() {
            // `-i` rescues files an ignore file hides: walk again without
            // them, for the included files only.
            let (all, _) = walk_python_files(&abs, false, settings);
            found.extend(
                all.into_iter()
                    .filter(|p| include.matches(p.strip_prefix(root).unwrap_or(p))),
            );
        }
        for path in found {
            let shown = input.join(path.strip_prefix(&abs).unwrap_or(&path));
            push_file(&mut files, &shown, &path, root, (settings, include), false);
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
fn walk_python_files(
    dir: &Path,
    use_gitignore: bool,
    settings: &Settings,
) -> (Vec<PathBuf>, Option<ignore::Error>) {
    let found = std::sync::Mutex::new(Vec::new());
    let failure = std::sync::Mutex::new(None);
    ignore::WalkBuilder::new(dir)
        .git_ignore(use_gitignore)
        .git_exclude(use_gitignore)
        .git_global(use_gitignore)
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
    (settings, include): (&Settings, &PathPatterns),
    explicit: bool,
) {
    let rel = abs
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| abs.to_path_buf());
    if settings.is_ignored(&rel)
        && !explicit_outside_root(explicit, abs, root)
        && !include.matches(&rel)
    {
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

fn analyze_file(
    file: &InputFile,
    settings: &Settings,
    options: MetricOptions,
    cache: Option<&WorktreeCache>,
    budget: Budget,
    markers: Policy,
) -> FileResult {
    let limit = settings.max_file_bytes;
    let measure = |bytes: &[u8]| {
        analyze_bytes_from(bytes, limit, options, budget.level_now(bytes.len() as u64))
    };
    let started = std::time::Instant::now();
    let read = || read_limited(&file.path, limit);
    let outcome = match (&file.unusable, cache) {
        (Some(why), _) => Err(Problem::error(why)),
        (None, Some(cache)) => {
            cache.outcome(&file.path, |size| too_large(size, limit), read, measure)
        }
        (None, None) => read().and_then(|bytes| measure(&bytes)),
    };
    let (violations, exemptions) = timings::work(Work::Judge, || match &outcome {
        Ok(analysis) => {
            let rules = settings.rules_for(&file.rel);
            let violations = check_thresholds(&rules, analysis);
            crate::exemptions::apply_to_file(&rules, analysis, violations, markers)
        }
        Err(_) => Default::default(),
    });
    tracing::debug!(
        path = %file.display,
        elapsed_ms = crate::log::ms(started.elapsed()),
        ok = outcome.is_ok(),
        "file analysed"
    );
    FileResult {
        path: file.display.clone(),
        outcome: Some(outcome),
        violations,
        change: None,
        baselined: 0,
        exemptions,
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
    timings::work(Work::Read, || read_file(path, limit))
}

fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
    let size = std::fs::metadata(path)
        .map_err(|e| Problem::error(format!("cannot read file: {e}")))?
        .len();
    if let Some(problem) = too_large(size, limit) {
        return Err(problem);
    }
    std::fs::read(path).map_err(|e| Problem::error(format!("cannot read file: {e}")))
}
