//! The report: one model that every mode fills ([`Report`]), and its
//! renderers, one per format ([`text`], [`json`], [`sarif`], [`github`],
//! [`gitlab`], [`junit`], [`csv`]), written to any `Write`; [`findings`]
//! flattens it for the CI formats; [`read`] reads `metrics` JSON reports
//! back, to merge shards.
//!
//! Input: a run's per-file results, sorted by path. Output: the report on
//! stdout, and the run's warnings and notices on stderr ([`warn`], [`say`]):
//! with the entry (`lib.rs`), the only place that writes to the terminal.
//! The JSON layout is documented in `docs/json.md`; bump [`JSON_VERSION`]
//! when a field changes meaning or goes away. A new format is a new module
//! here and a [`Format`] variant, rendered from [`Report`].

use std::io::{self, Write};

use crate::diff::ChangeKind;
use crate::exemptions::Exemptions;
use crate::metrics::{Cause, FileAnalysis, FunctionMetrics, Level};
use crate::outcome::{Outcome, ProblemKind};
use crate::thresholds::Violation;

mod csv;
mod findings;
mod github;
mod gitlab;
pub(crate) mod history;
pub(crate) mod hotspots;
pub(crate) mod html;
mod json;
mod junit;
pub(crate) mod progress;
pub(crate) mod read;
pub(crate) mod run_metrics;
mod sarif;
pub(crate) mod stats;
mod text;
pub(crate) use json::JSON_VERSION;

/// Output format of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
    JsonLines,
    Sarif,
    Github,
    Gitlab,
    Junit,
    Csv,
}

impl Format {
    pub(crate) const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::JsonLines,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Junit,
        Format::Csv,
    ];

    /// The name `--format` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::JsonLines => "json-lines",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Junit => "junit",
            Format::Csv => "csv",
        }
    }

    /// What the format is for, for `--help`.
    pub(crate) fn help(self) -> &'static str {
        match self {
            Format::Text => "one line per violation and a summary",
            Format::Json => "the whole report (docs/json.md)",
            Format::JsonLines => "one JSON object per file, then the summary",
            Format::Sarif => "SARIF 2.1.0, for code scanning",
            Format::Github => "GitHub Actions annotations",
            Format::Gitlab => "GitLab Code Quality report",
            Format::Junit => "JUnit XML test report",
            Format::Csv => "one row per function with every metric",
        }
    }
}

/// What a run found.
#[derive(Debug)]
pub(crate) struct Report {
    pub kind: ReportKind,
    /// Sorted by path.
    pub files: Vec<FileResult>,
    /// Files the time budget left unchecked, sorted.
    pub not_checked: Vec<String>,
}

/// Which question the run answered: every function of a tree (`metrics`),
/// or the changed functions of a diff (`check`, `diff`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportKind {
    Tree,
    Gate,
}

/// What a run found for one file.
#[derive(Debug)]
pub(crate) struct FileResult {
    pub path: String,
    /// The analysis (partial when it carries a syntax error), or why the
    /// file was not analysed; in the gate, of the new side, and `None` for
    /// a deleted file.
    pub outcome: Option<Outcome>,
    pub violations: Vec<Violation>,
    /// The gate's view of the file: how it changed, what was judged.
    pub change: Option<ChangeReport>,
    /// Violations the baseline ledger accepts (recorded, not worse).
    pub baselined: usize,
    /// What the file's suppression markers suppressed, and their problems.
    pub exemptions: Exemptions,
}

/// How a file changed between the two sides of a gate run.
#[derive(Debug)]
pub(crate) struct ChangeReport {
    pub status: FileStatus,
    /// The functions judged, in the order of the new side.
    pub judged: Vec<JudgedFunction>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileStatus {
    Added,
    Deleted,
    Modified,
}

impl FileStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Deleted => "deleted",
            FileStatus::Modified => "modified",
        }
    }
}

/// One function the gate judged, with both sides' metrics.
#[derive(Debug)]
pub(crate) struct JudgedFunction {
    pub name: String,
    pub line: u32,
    pub end_line: u32,
    pub change: ChangeKind,
    /// Its name on the old side, for a renamed or moved function.
    pub previous_name: Option<String>,
    /// The old side's metrics and the level they were computed at.
    pub before: Option<(FunctionMetrics, Level)>,
    pub after: (FunctionMetrics, Level),
    /// The new side's changed line ranges inside the function (JSON only).
    pub changed_lines: Vec<(u32, u32)>,
    pub passed: bool,
}

/// How a report is drawn, besides its format.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Style {
    /// ANSI colour (text, on a terminal).
    pub color: bool,
    /// The gate: the summary line even when everything passes.
    pub verbose: bool,
    /// `metrics`: the summary line only.
    pub quiet: bool,
    /// `--report-ignored`: also the violations markers suppressed.
    pub report_ignored: bool,
}

/// Renders `report` in `format`.
pub(crate) fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, style, out),
        Format::Json => json::render(report, out),
        Format::JsonLines => json::render_lines(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
        Format::Gitlab => gitlab::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Csv => csv::render(report, out),
    }
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub files: usize,
    pub functions: usize,
    pub violations: usize,
    /// Files with an error, including partial analyses (syntax errors).
    pub errors: usize,
    /// Of `errors`, those that are antipasta's own failures.
    pub internal: usize,
    pub skipped: usize,
    /// Files analysed below full because of the time budget.
    pub degraded_by_budget: usize,
    /// Violations the baseline accepts (not in `violations`).
    pub baselined: usize,
    /// Violations suppression markers suppressed (not in `violations`).
    pub suppressed: usize,
    /// Markers that suppress nothing.
    pub stale: usize,
    /// Markers without a required reason or naming an unknown metric.
    pub bad_markers: usize,
    /// Marker problems that fail the run, and of them those naming an
    /// unknown metric (exit 2).
    pub marker_errors: usize,
    pub unknown_metrics: usize,
}

impl Summary {
    /// Counts one file's outcome (not its violations) in every mode.
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Ok(a) => {
                self.functions += a.functions.len();
                let cause = a.degraded.as_ref().map(|d| d.cause);
                let failed = cause.is_some_and(Cause::is_error);
                self.errors += usize::from(a.syntax_error.is_some() || failed);
                self.internal += usize::from(cause == Some(Cause::Internal));
                self.degraded_by_budget += usize::from(cause == Some(Cause::Budget));
            }
            Err(p) => match p.kind {
                ProblemKind::Error => self.errors += 1,
                ProblemKind::Internal => {
                    self.errors += 1;
                    self.internal += 1;
                }
                ProblemKind::Skipped => self.skipped += 1,
            },
        }
    }
}

impl Report {
    /// The run's totals. `functions` counts every function of a tree, and
    /// the judged ones of a gate run; a deleted file counts as a file.
    pub(crate) fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for f in &self.files {
            if let Some(outcome) = &f.outcome {
                s.count(outcome);
            }
            s.violations += f.violations.len();
            s.baselined += f.baselined;
            s.suppressed += f.exemptions.ignored.len();
            s.stale += f.exemptions.stale();
            s.bad_markers += f.exemptions.notes.len() - f.exemptions.stale();
            s.marker_errors += f.exemptions.errors();
            s.unknown_metrics += f.exemptions.unknown_metrics();
        }
        if self.kind == ReportKind::Gate {
            s.functions = self
                .files
                .iter()
                .filter_map(|f| f.change.as_ref())
                .map(|c| c.judged.len())
                .sum();
        }
        s
    }
}

impl Report {
    /// The summary line of the text and GitHub formats: `3 files, 7
    /// functions, 2 violations, ...` (the gate counts changed functions).
    pub(crate) fn summary_text(&self) -> String {
        let s = self.summary();
        let functions = match self.kind {
            ReportKind::Tree => (s.functions, "function", "functions"),
            ReportKind::Gate => (s.functions, "changed function", "changed functions"),
        };
        let mut line = summary_line(s.files, functions, s.violations, s.errors, s.skipped);
        if s.baselined > 0 {
            line.push_str(&format!(", {} baselined", s.baselined));
        }
        if s.suppressed > 0 {
            line.push_str(&format!(", {} suppressed", s.suppressed));
        }
        if s.stale > 0 {
            line.push_str(&format!(
                ", {} stale {}",
                s.stale,
                plural(s.stale, "suppression", "suppressions")
            ));
        }
        if s.bad_markers > 0 {
            line.push_str(&format!(
                ", {} bad {}",
                s.bad_markers,
                plural(s.bad_markers, "marker", "markers")
            ));
        }
        line
    }
}

/// Whether a file's step down below full counts as an error.
pub(crate) fn degraded_by_error(a: &FileAnalysis) -> bool {
    a.degraded.as_ref().is_some_and(|d| d.cause.is_error())
}

/// A file's error despite an analysis: its syntax error, or the failure
/// that made it step down (not a budget: that is no error).
pub(crate) fn file_error(a: &FileAnalysis) -> Option<String> {
    if let Some(e) = &a.syntax_error {
        return Some(e.to_string());
    }
    a.degraded
        .as_ref()
        .filter(|d| d.cause.is_error())
        .map(|d| d.message.clone())
}

/// The report line's text for a file analysed below full.
pub(crate) fn degraded_note(a: &FileAnalysis) -> Option<String> {
    let why = a.degraded.as_ref()?;
    Some(format!(
        "{} analysis ({}): {why}",
        a.level.name(),
        a.level.omits()
    ))
}

/// `3 files, 7 functions, 2 violations[, 1 error][, 4 skipped]`, shared by
/// every mode (the gate says "changed functions").
pub(crate) fn summary_line(
    files: usize,
    (functions, one, many): (usize, &str, &str),
    violations: usize,
    errors: usize,
    skipped: usize,
) -> String {
    let mut line = format!(
        "{files} {}, {functions} {}, {violations} {}",
        plural(files, "file", "files"),
        plural(functions, one, many),
        plural(violations, "violation", "violations"),
    );
    if errors > 0 {
        line.push_str(&format!(", {errors} {}", plural(errors, "error", "errors")));
    }
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped"));
    }
    line
}

/// Warnings on stderr, one `antipasta: warning: ...` line each (never
/// mixed into the report on stdout).
pub(crate) fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("antipasta: warning: {w}");
    }
}

/// A line of its own on stderr: `antipasta: {line}`.
pub(crate) fn say(line: &str) {
    eprintln!("antipasta: {line}");
}

/// `--timings` on stderr, after the report.
pub(crate) fn timings(t: &crate::timings::Timings) {
    // One write: stderr is unbuffered.
    let mut text = Vec::new();
    let _ = render_timings(t, &mut text);
    let _ = io::stderr().write_all(&text);
}

/// Each step with its share of the wall time; under the analysis step, the
/// threads' work (summed over threads) and the parallel efficiency.
pub(crate) fn render_timings(t: &crate::timings::Timings, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "antipasta: timings: {:.1} ms", t.wall_ms)?;
    let share = |ms: f64| {
        if t.wall_ms > 0.0 {
            ms / t.wall_ms * 100.0
        } else {
            0.0
        }
    };
    for s in &t.steps {
        write!(
            out,
            "  {:<28}{:>9.1} ms {:>5.1} %",
            s.step,
            s.ms,
            share(s.ms)
        )?;
        match (&t.analysis, s.step == crate::timings::Step::Analysis.name()) {
            (Some(a), true) => {
                let busy: f64 = a.busy_ms.iter().sum();
                writeln!(
                    out,
                    "   {} {}, busy {busy:.1} ms, efficiency {:.0} %",
                    a.threads,
                    plural(a.threads, "thread", "threads"),
                    a.efficiency * 100.0
                )?;
                for w in &a.work {
                    writeln!(out, "    {:<26}{:>9.1} ms", w.step, w.ms)?;
                }
            }
            _ => writeln!(out)?,
        }
    }
    Ok(())
}

/// [`render_not_checked`] on stderr.
pub(crate) fn warn_not_checked(paths: &[String], budget_ms: u64, command: &str) {
    let _ = render_not_checked(paths, budget_ms, command, &mut io::stderr());
}

/// Names the files the time budget left unchecked and the command that
/// checks them (for the hook's warning, on stderr).
pub(crate) fn render_not_checked(
    paths: &[String],
    budget_ms: u64,
    command: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "antipasta: warning: time budget of {budget_ms} ms ran out; {} {} not checked:",
        paths.len(),
        plural(paths.len(), "file", "files")
    )?;
    for p in paths {
        writeln!(out, "  {p}")?;
    }
    writeln!(out, "antipasta: check them with: {command}")
}

pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
