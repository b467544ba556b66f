//! The staged gate (`check`) and the commit-range gate (`diff`).
//!
//! Wiring: git changes (index vs HEAD, or base vs head commit) → Python files
//! that are not ignored → the cache probed for both sides → both blobs read
//! from the object database and analysed, file by file in priority order
//! under the budget → functions diffed across all files → verdicts by policy →
//! report. The working tree is never read; nothing is written.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::prepare::{self, Environment, Prepared};
use super::{exit_code, with_markers};
use crate::analyze::analyze_bytes_from;
use crate::budget::{map_in_order_with, priority_order, Budget, Priority};
use crate::cache::{self, CacheOptions, Content};
use crate::cli::GateArgs;
use crate::config::ModifiedPolicy;
use crate::config::Settings;
use crate::diff::{changed_lines, clip, diff_functions, ChangeKind, FilePair, FunctionChange};
use crate::exemptions::{file_need, function_need, Exemptions, Policy};
use crate::git::{self, FileChange};
use crate::isolate::Internal;
use crate::metrics::{FileAnalysis, MetricOptions};
use crate::outcome::{Outcome, Problem};
use crate::report::{
    self, ChangeReport, FileResult, FileStatus, Format, JudgedFunction, Report, ReportKind, Style,
};
use crate::thresholds::{check_file_change, check_function_change, Violation};
use crate::timings::{self, Step};

/// One changed Python file with both sides analysed.
struct GateFile {
    change: FileChange,
    /// Path relative to the project root, for rules and overrides.
    rel: PathBuf,
    old: Option<FileAnalysis>,
    /// `None` for a deleted file; `Err` when the new content is unusable.
    new: Option<Result<FileAnalysis, Problem>>,
}

/// What one gate run is given: plain values prepared by [`super::run`].
pub(super) struct GateRun<'a> {
    pub cwd: &'a Path,
    pub config: Option<&'a Path>,
    pub args: GateArgs,
    /// The commit range (`diff`, or `check` under pre-commit's
    /// `--from-ref/--to-ref`); `None`: the staged changes, as the pre-commit
    /// hook, which fails open and has a default time budget.
    pub range: Option<String>,
    pub cache: &'a CacheOptions,
    pub env: &'a Environment,
}

/// The gate: which changes → both sides' contents → analysis within the
/// budget → function diff and verdicts → report and exit code.
pub(super) fn check(run: GateRun<'_>, out: &mut dyn Write) -> Result<ExitCode> {
    let GateRun {
        cwd,
        config: explicit_config,
        args,
        range,
        cache: cache_options,
        env,
    } = run;
    timings::step(Step::Discover);
    let (repo, head) = git::open_prefetched(cwd)?;
    let workdir = git::work_dir(&repo).map(Path::to_path_buf).context(
        "this repository has no work tree (a bare repository); run antipasta inside a checkout",
    )?;
    let hook = range.is_none();
    let Prepared {
        settings,
        root,
        warnings,
    } = prepare::settings(cwd, explicit_config, &args.flags.thresholds, hook)?;
    report::warn(&warnings);
    report::warn(prepare::caps(&settings, hook).as_slice());
    let ledger = super::baseline::load(cwd, &root, &settings, &args.flags.ledger)?;

    let options = MetricOptions {
        mi_multi_as_comments: settings.mi_multi_as_comments,
        function_hashes: true,
    };
    let cache_options = cache_options
        .with_configured_size(settings.cache_size_bytes)
        .with_write_min(if hook {
            cache::HOOK_WRITE_MIN
        } else {
            std::time::Duration::ZERO
        });
    let fingerprint = super::cache_fingerprint(&settings, options);
    let mut notices = Vec::new();
    // Reading the changes and opening an existing store are independent:
    // overlap them (a store is only created once there is something to put
    // in it). The hook first reads its changes: whether its cache pays
    // depends on how large they are.
    let cache_dir = cache::location(&cache_options, Some(&repo));
    let existing = cache_dir
        .clone()
        .filter(|d| !hook && cache::store_exists(d));
    timings::step(Step::Git);
    let (files, opened) = std::thread::scope(|scope| {
        let opening = existing.as_deref().map(|dir| {
            scope.spawn(|| {
                let mut notices = Vec::new();
                (
                    cache::Cache::open(dir, fingerprint, &cache_options, &mut notices),
                    notices,
                )
            })
        });
        let files = select(
            &repo,
            (range.as_deref(), head),
            &settings,
            &args.paths,
            (cwd, &workdir, &root),
        );
        // A panic while opening is a cache failure: run without it.
        (files, opening.map(|h| h.join().unwrap_or_default()))
    });
    let files = files?;
    // Each staged blob's size, read from its header at most once: by the
    // hook's cache decision, then by the probe.
    let sizes = StagedSizes::new(&repo, &files);
    let pays = || {
        let min = env.hook_cache_min.unwrap_or(HOOK_CACHE_MIN_BYTES);
        !hook || sizes.reach(min)
    };
    timings::step(Step::CacheOpen);
    let cache = match opened {
        Some((cache, early)) => {
            notices.extend(early);
            cache
        }
        // No store yet: one is created only when there is something to check.
        None if files.is_empty() || cache_dir.is_none() || !pays() => None,
        None => cache_dir
            .as_deref()
            .and_then(|d| cache::Cache::open(d, fingerprint, &cache_options, &mut notices)),
    }
    .filter(|_| !files.is_empty());
    report::warn(&notices);
    // A hook that opens no store (a small change) still records its run
    // in the history, which the hook's alerts read.
    if let Some(dir) = cache_dir.as_deref() {
        if cache.is_none() && !files.is_empty() && settings.history_runs > 0 && !dir.is_dir() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    // The cache directory stays writable even when this run opened no
    // store: the run history is written there.
    let sandbox = prepare::sandbox(
        (&settings, &root, cwd),
        cache_dir.as_deref().filter(|d| d.is_dir()),
        &args.flags.output.iter().cloned().collect::<Vec<_>>(),
        env,
    );
    timings::step(Step::CacheGet);
    let blobs = probe(cache.as_ref(), &files, &sizes);
    let budget_ms = args
        .flags
        .budget
        .unwrap_or(if hook { settings.budget_ms } else { 0 });
    let budget = Budget::from_start(budget_ms).with_file_delay(env.test_file_delay);
    timings::step(Step::Analysis);
    let analysed = analyse(
        &repo,
        &files,
        &blobs,
        cache.as_ref(),
        &settings,
        options,
        (budget, env.progress),
    )?;
    if let Some(code) = crate::cancel::requested() {
        if let Some(cache) = cache {
            report::warn(&cache.finish());
        }
        report::say(&format!(
            "{}; nothing was judged",
            crate::cancel::signal_name(code)
        ));
        return Ok(ExitCode::from(code));
    }
    let mut not_checked: Vec<String> = Vec::new();
    let mut gate_files: Vec<GateFile> = Vec::with_capacity(files.len());
    for ((change, rel), result) in files.into_iter().zip(analysed) {
        match result {
            Some((old, new)) => gate_files.push(GateFile {
                change,
                rel,
                old,
                new,
            }),
            None => not_checked.push(change.path),
        }
    }
    not_checked.sort();
    if !not_checked.is_empty() {
        tracing::info!(
            not_checked = not_checked.len(),
            budget_ms,
            "the time budget ran out"
        );
    }
    let files = gate_files;
    let changed_lines = matches!(args.flags.format, Format::Json | Format::JsonLines);
    let markers = Policy::new(&settings, args.flags.markers.no_ignore);
    timings::step(Step::Diff);
    let verdicts = judge(
        &repo,
        &files,
        &settings,
        (args.flags.all, markers),
        changed_lines,
    );
    timings::step(Step::CachePut);
    if let Some(cache) = cache {
        for (file, verdict) in files.iter().zip(&verdicts) {
            if matches!(file.new, Some(Ok(_))) {
                cache.record_violations(&history_path(&file.rel), !verdict.violations.is_empty());
            }
        }
        report::warn(&cache.finish());
    }

    timings::step(Step::Report);
    let mut report = gate_report(files, verdicts, not_checked);
    if let Some(ledger) = &ledger {
        let top = workdir.canonicalize().unwrap_or(workdir.clone());
        crate::baseline::apply(&mut report, &ledger.baseline, &|p| {
            Some(super::baseline::ledger_key(&top.join(p), &ledger.dir))
        });
    }
    let s = report.summary();
    let (errors, internal, violations) = (s.errors, s.internal, s.violations);
    let style = Style {
        verbose: args.flags.verbose,
        report_ignored: args.flags.markers.report_ignored,
        ..Style::default()
    };
    super::render_report(
        &report,
        args.flags.format,
        style,
        args.flags.output.as_deref(),
        out,
    )?;
    let not_checked = &report.not_checked;
    // What follows goes to stderr; a terminal or a hook log shows it after
    // the report only if the report has left the buffer.
    out.flush()?;
    let over_budget = !not_checked.is_empty() || s.degraded_by_budget > 0;
    if !not_checked.is_empty() {
        let command = match (&range, not_checked.len()) {
            (Some(r), _) => format!("antipasta diff {r} --budget 0"),
            (None, n) if n <= 20 => format!("antipasta check --budget 0 {}", not_checked.join(" ")),
            (None, _) => "antipasta check --budget 0".to_string(),
        };
        report::warn_not_checked(not_checked, budget.ms, &command);
    }
    // The hook fails open on antipasta's own failures (see `fail_open`).
    let blocking_errors = if hook && settings.fail_open && internal > 0 {
        report::say(&format!(
            "WARNING: internal error on {internal} {}; the commit proceeds for \
             them (fail_open = true)",
            report::plural(internal, "file", "files")
        ));
        errors - internal
    } else {
        errors
    };
    let code = with_markers(
        exit_code(blocking_errors, violations, over_budget, &settings),
        &s,
    );
    if args.flags.verbose && args.flags.format == Format::Text {
        report::say(&sandbox.describe());
    }
    if code != 0 && args.flags.format == Format::Text {
        let budget_fails =
            over_budget && settings.on_budget_exceeded == crate::config::BudgetPolicy::Fail;
        report::say(&blocked_line(
            hook,
            (blocking_errors, s.marker_errors),
            violations,
            budget_fails,
        ));
    }
    let mode = if hook { "check" } else { "diff" };
    let end = super::RunEnd {
        mode,
        hook,
        budget_ms: budget.ms,
        settings: &settings,
        root: &root,
        cache_dir,
    };
    super::finish_run(end, &report, env);
    Ok(ExitCode::from(code))
}

/// The staged change below which the pre-commit check runs without its
/// cache: 128 KiB of staged Python files. Opening the store and closing it
/// cost the hook 1.5-3 ms, more than analysing such a change's HEAD side,
/// which runs beside the staged side on a second core anyway. Measured on
/// 30 replayed sympy commits (2 cores, medians of 7 interleaved runs, HEAD
/// side cached as the previous commit's hook leaves it): with changes of
/// 37-221 KB on both sides together, a run with the cache took 0.5-3.4 ms
/// longer than one without; from about 270 KB it was up to 3 ms faster.
pub(crate) const HOOK_CACHE_MIN_BYTES: u64 = 128 * 1024;

/// The sizes of the staged (new-side) blobs, each read from its object
/// header (nothing inflated) when first asked for.
struct StagedSizes<'a> {
    repo: &'a gix::Repository,
    files: &'a [(FileChange, PathBuf)],
    sizes: Vec<std::cell::OnceCell<u64>>,
}

impl<'a> StagedSizes<'a> {
    fn new(repo: &'a gix::Repository, files: &'a [(FileChange, PathBuf)]) -> Self {
        let sizes = files.iter().map(|_| std::cell::OnceCell::new()).collect();
        StagedSizes { repo, files, sizes }
    }

    /// The staged blob of file `i` (0 when it was deleted).
    fn get(&self, i: usize) -> u64 {
        *self.sizes[i].get_or_init(|| {
            self.files[i]
                .0
                .new
                .map_or(0, |id| git::blob_size(self.repo, id))
        })
    }

    /// Whether the staged Python files add up to at least `min` bytes
    /// (it stops counting there).
    fn reach(&self, min: u64) -> bool {
        let mut total = 0;
        for i in 0..self.files.len() {
            if total >= min {
                break;
            }
            total += self.get(i);
        }
        total >= min
    }
}

/// Which changes: the staged ones (index vs HEAD) or a range's, then only
/// Python files that are not ignored and, when `paths` are given, among
/// them. Each with its path below the project root, for rules.
fn select(
    repo: &gix::Repository,
    (range, head): (Option<&str>, git::HeadTree),
    settings: &Settings,
    paths: &[PathBuf],
    (cwd, workdir, root): (&Path, &Path, &Path),
) -> Result<Vec<(FileChange, PathBuf)>> {
    let changes = match range {
        Some(spec) => {
            let (old, new) = git::resolve_range(repo, spec)?;
            git::commit_changes(repo, old, new)?
        }
        None => git::staged_changes(repo, head)?,
    };
    let wanted: Option<HashSet<String>> = (!paths.is_empty()).then(|| {
        paths
            .iter()
            .map(|p| repo_relative(&cwd.join(p), workdir))
            .collect()
    });
    let mut files = Vec::new();
    for change in changes {
        let abs = workdir.join(&change.path);
        let rel = abs
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| PathBuf::from(&change.path));
        if !settings.is_python_file(Path::new(&change.path))
            || settings.is_ignored(&rel)
            || wanted.as_ref().is_some_and(|w| !w.contains(&change.path))
        {
            continue;
        }
        files.push((change, rel));
    }
    Ok(files)
}

/// Both sides' contents as the cache knows them: a cached outcome, or a
/// blob to read when its file starts, with its size from the object header
/// (for the priority order). Nothing is inflated here.
fn probe(
    cache: Option<&cache::Cache>,
    files: &[(FileChange, PathBuf)],
    sizes: &StagedSizes<'_>,
) -> Vec<Sides> {
    files
        .iter()
        .enumerate()
        .map(|(i, (change, _))| {
            let old = change.old.map(|id| Content::probe(cache, id, || 0));
            let new = change
                .new
                .map(|id| Content::probe(cache, id, || sizes.get(i)));
            (old, new)
        })
        .collect()
}

/// One file's two contents: HEAD (or the base) and staged (or the head).
type Sides = (Option<Content>, Option<Content>);

/// Both sides of every file read and analysed, in parallel, the most
/// critical files first; `None` for a file the budget left unchecked. An
/// old side that cannot be analysed counts as absent (everything on the new
/// side is new). Each worker reads blobs through its own repository handle.
#[allow(clippy::type_complexity)]
fn analyse(
    repo: &gix::Repository,
    files: &[(FileChange, PathBuf)],
    blobs: &[Sides],
    cache: Option<&cache::Cache>,
    settings: &Settings,
    options: MetricOptions,
    (budget, progress): (Budget, bool),
) -> Result<Vec<Option<(Option<FileAnalysis>, Option<Outcome>)>>> {
    let keys: Vec<Priority> = files
        .iter()
        .zip(blobs)
        .map(|((_, rel), (_, new))| Priority {
            critical: settings.critical.matches(rel),
            violated_before: cache.is_some_and(|c| c.had_violations(&history_path(rel))),
            change_bytes: new.as_ref().map_or(0, Content::fresh_len),
        })
        .collect();
    let limit = settings.max_file_bytes;
    let measure = |bytes: &[u8]| {
        analyze_bytes_from(bytes, limit, options, budget.level_now(bytes.len() as u64))
    };
    let shared = repo.clone().into_sync();
    let items: Vec<(&FileChange, &Sides)> = files.iter().map(|(c, _)| c).zip(blobs).collect();
    let progress = report::progress::Progress::new(items.len(), progress);
    let split = crate::budget::spare_core(items.len());
    let results = map_in_order_with(
        &items,
        &priority_order(&keys),
        budget,
        || Ok(shared.to_thread_local()),
        |repo, (change, (old, new))| -> Result<_> {
            let started = std::time::Instant::now();
            let side = |repo: &gix::Repository, content: &Content| {
                content.outcome(cache, |id| git::read_blob(repo, id, &change.path), measure)
            };
            let (old, new) = match (old, new) {
                // Two sides still to analyse: at once when a core is idle
                // (a one-file commit), each with its own repository handle.
                (Some(o @ Content::Blob { .. }), Some(n @ Content::Blob { .. })) if split => {
                    let (old, new) = crate::budget::join(
                        || side(&shared.to_thread_local(), o),
                        || side(repo, n),
                    );
                    (Some(old?), Some(new?))
                }
                (old, new) => (
                    old.as_ref().map(|c| side(repo, c)).transpose()?,
                    new.as_ref().map(|c| side(repo, c)).transpose()?,
                ),
            };
            let old = old.and_then(Result::ok);
            progress.tick();
            tracing::debug!(
                path = %change.path,
                old = %change.old.map_or("-".into(), |id| id.to_string()),
                new = %change.new.map_or("-".into(), |id| id.to_string()),
                level = ?new.as_ref().and_then(|o| o.as_ref().ok()).map(|a| a.level),
                elapsed_ms = crate::log::ms(started.elapsed()),
                "file analysed"
            );
            Ok((old, new))
        },
    )
    .context(Internal)?;
    progress.finish();
    results
        .into_iter()
        .map(|r| {
            r.transpose()
                .map_err(|e| match e.is::<git::MissingObject>() {
                    true => e,
                    false => e.context(Internal),
                })
        })
        .collect()
}

/// The function diff across all files, then each file's verdicts: the
/// changed functions (every function with `all`) by the modified-code
/// policy, and the file-scope rules. `changed_lines`: also compute the
/// changed line ranges (for the JSON report).
fn judge(
    repo: &gix::Repository,
    files: &[GateFile],
    settings: &Settings,
    (all, markers): (bool, Policy),
    changed_lines: bool,
) -> Vec<FileVerdict> {
    let empty = Vec::new();
    let pairs: Vec<FilePair<'_>> = files
        .iter()
        .map(|f| FilePair {
            old: f.old.as_ref().map_or(&empty, |a| &a.functions),
            new: match &f.new {
                Some(Ok(a)) => &a.functions,
                _ => &empty,
            },
        })
        .collect();
    let changes = diff_functions(&pairs);
    let policy = settings.modified;
    let mut verdicts: Vec<FileVerdict> = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        let mut verdict = FileVerdict {
            index: fi,
            judged: Vec::new(),
            violations: Vec::new(),
            changed: Vec::new(),
            exemptions: Exemptions::default(),
        };
        if changed_lines {
            if let (Some(old), Some(new)) = (file.change.old, file.change.new) {
                verdict.changed = changed_lines_of(repo, old, new, &file.change.path);
            }
        }
        if let Some(Ok(new)) = &file.new {
            let rules = settings.rules_for(&file.rel);
            for change in &changes[fi] {
                let (kind, effective, effective_policy) = judged_kind(change, all, policy);
                if kind == ChangeKind::Unchanged && !all {
                    continue;
                }
                let function = &new.functions[change.new];
                let before = change.old.and_then(|(ofi, oi)| {
                    files[ofi]
                        .old
                        .as_ref()
                        .map(|a| (&a.functions[oi].metrics, a.level))
                });
                let v = check_function_change(
                    &rules,
                    effective_policy,
                    effective,
                    (function, new.level),
                    before,
                );
                let v = verdict.exemptions.sort_out(
                    function.suppression.as_ref(),
                    Some(&function.qualname),
                    v,
                    &|m| function_need(&rules, function, new.level, m),
                    markers,
                );
                verdict.judged.push((*change, v.is_empty()));
                verdict.violations.extend(v);
            }
            let file_policy = if all { ModifiedPolicy::Strict } else { policy };
            let file_violations = check_file_change(
                &rules,
                file_policy,
                settings.file_metric_margin,
                new,
                file.old.as_ref(),
            );
            // A file marker counts when the file's rules were judged: its
            // code changed, or the file is new.
            let judged_file = !file_violations.is_empty()
                || file
                    .old
                    .as_ref()
                    .is_none_or(|old| old.code_hash.is_none() || old.code_hash != new.code_hash);
            let file_violations = match judged_file {
                true => verdict.exemptions.sort_out(
                    new.file_suppression.as_ref(),
                    None,
                    file_violations,
                    &|m| file_need(&rules, new, m),
                    markers,
                ),
                false => file_violations,
            };
            verdict.violations.extend(file_violations);
            verdict.exemptions.notes.sort_by_key(|n| (n.line, n.column));
            verdict
                .violations
                .sort_by_key(|v| (v.line, v.column, v.metric));
        }
        verdicts.push(verdict);
    }
    verdicts
}

/// The last line of a failing gate: that it failed, and how to go on.
fn blocked_line(
    hook: bool,
    (errors, marker_errors): (usize, usize),
    violations: usize,
    budget_fails: bool,
) -> String {
    use crate::report::plural;
    let what = if hook {
        "commit blocked"
    } else {
        "check failed"
    };
    let bypass = if hook {
        ", or commit with `git commit --no-verify`"
    } else {
        ""
    };
    if errors > 0 {
        return format!(
            "{what}: {errors} {} could not be analysed (see above); fix {}{bypass}",
            plural(errors, "file", "files"),
            plural(errors, "it", "them"),
        );
    }
    if violations == 0 && marker_errors > 0 {
        return format!(
            "{what}: {marker_errors} suppression {} wrong (see above){bypass}",
            plural(marker_errors, "marker is", "markers are"),
        );
    }
    if violations == 0 && budget_fails {
        return format!(
            "{what}: the time budget ran out (on_budget_exceeded = \"fail\"); run \
             the command above{bypass}"
        );
    }
    format!(
        "{what} by {violations} {}: simplify the code, or exempt a function with \
         `# antipasta: ignore[metric] -- <reason>` on its `def` line{bypass}",
        plural(violations, "violation", "violations"),
    )
}

/// The kind a change is reported as, and the kind and policy it is judged
/// by: `--all` judges every function as if it were new.
fn judged_kind(
    change: &FunctionChange,
    all: bool,
    policy: ModifiedPolicy,
) -> (ChangeKind, ChangeKind, ModifiedPolicy) {
    if all {
        (change.kind, ChangeKind::Added, ModifiedPolicy::Strict)
    } else {
        (change.kind, change.kind, policy)
    }
}

struct FileVerdict {
    index: usize,
    /// Judged functions and whether each passed.
    judged: Vec<(FunctionChange, bool)>,
    violations: Vec<Violation>,
    /// Changed line ranges of the new version (JSON report only).
    changed: Vec<(u32, u32)>,
    exemptions: Exemptions,
}

/// The report of a gate run: each file's new side, its violations, and the
/// functions judged with both sides' metrics.
fn gate_report(
    files: Vec<GateFile>,
    verdicts: Vec<FileVerdict>,
    not_checked: Vec<String>,
) -> Report {
    // Judged functions first, while every file's old side can be borrowed.
    let judged: Vec<Vec<JudgedFunction>> = verdicts
        .iter()
        .map(|v| {
            let Some(Ok(new)) = &files[v.index].new else {
                return Vec::new();
            };
            v.judged
                .iter()
                .map(|(change, passed)| {
                    let f = &new.functions[change.new];
                    let before = change.old.and_then(|(ofi, oi)| {
                        files[ofi].old.as_ref().map(|a| (&a.functions[oi], a.level))
                    });
                    JudgedFunction {
                        name: f.qualname.clone(),
                        line: f.line,
                        end_line: f.end_line,
                        change: change.kind,
                        previous_name: before.map(|(b, _)| b.qualname.clone()),
                        before: before.map(|(b, level)| (b.metrics.clone(), level)),
                        after: (f.metrics.clone(), new.level),
                        changed_lines: match change.kind {
                            ChangeKind::Added => vec![(f.first_line, f.end_line)],
                            _ => clip(&v.changed, f.first_line, f.end_line),
                        },
                        passed: *passed,
                    }
                })
                .collect()
        })
        .collect();
    let results = files
        .into_iter()
        .zip(verdicts)
        .zip(judged)
        .map(|((file, verdict), judged)| FileResult {
            path: file.change.path,
            change: Some(ChangeReport {
                status: match (file.change.old, file.change.new) {
                    (None, _) => FileStatus::Added,
                    (_, None) => FileStatus::Deleted,
                    _ => FileStatus::Modified,
                },
                judged,
            }),
            outcome: file.new,
            violations: verdict.violations,
            baselined: 0,
            exemptions: verdict.exemptions,
        })
        .collect();
    Report {
        kind: ReportKind::Gate,
        files: results,
        not_checked,
    }
}

/// Line ranges that changed between two blobs, for the report; empty when
/// either side cannot be read or decoded (the verdicts do not depend on it).
fn changed_lines_of(
    repo: &gix::Repository,
    old: gix::ObjectId,
    new: gix::ObjectId,
    path: &str,
) -> Vec<(u32, u32)> {
    let text = |id| {
        git::read_blob(repo, id, path)
            .ok()
            .and_then(|bytes| crate::source::decode(&bytes).ok())
    };
    match (text(old), text(new)) {
        (Some(old), Some(new)) => changed_lines(&old.text, &new.text),
        _ => Vec::new(),
    }
}

/// `path` relative to the work tree, with `/` separators.
fn repo_relative(path: &Path, workdir: &Path) -> String {
    let path = normalize(path);
    let workdir = normalize(workdir);
    path.strip_prefix(&workdir)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Resolves `.` and `..` without touching the file system.
pub(super) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// [`lexical`], then resolved where the path exists (the file may not
/// exist in the work tree: only the index matters).
fn normalize(path: &Path) -> PathBuf {
    let out = lexical(path);
    // Symlinked temp dirs (macOS /var → /private/var) would break prefixes.
    std::fs::canonicalize(&out).unwrap_or(out)
}

/// How the violation history names a file: its path below the project root.
pub(super) fn history_path(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}
