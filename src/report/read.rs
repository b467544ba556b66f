//! Reading `metrics` JSON reports back into a [`Report`], and joining the
//! reports of a CI matrix's shards (`antipasta merge`).
//!
//! Input: the text of reports written by `metrics --format json` or
//! `--format json-lines` of this antipasta (`JSON_VERSION`). Output: one
//! tree [`Report`], which every renderer draws as if a single run had made
//! it. The JSON carries everything the renderers read; identity fields no
//! renderer uses (a function's occurrence, decorator line, class path and
//! AST hashes) are rebuilt as far as the report allows, never guessed. A
//! report that is not one (a gate report, another version, a summary that
//! does not match its files, two shards with the same file) is an error
//! that names the file. No I/O here.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use serde_json::Value;

use super::{FileResult, Report, ReportKind, Summary, JSON_VERSION};
use crate::config::Comparison;
use crate::exemptions::{Exemptions, Ignored, MarkerNote, MarkerProblem};
use crate::metrics::halstead::Halstead;
use crate::metrics::raw::{RawError, RawMetrics};
use crate::metrics::{
    Cause, Degraded, FileAnalysis, FileMetrics, FunctionMetrics, FunctionReport, Level, MetricKind,
};
use crate::outcome::{Problem, ProblemKind};
use crate::parse::SyntaxError;
use crate::suppress::Suppression;
use crate::thresholds::Violation;

/// One file entry of a `metrics` report, as `json.rs` writes it.
#[derive(Deserialize)]
struct FileEntry {
    path: String,
    error: Option<String>,
    partial: bool,
    analysis: Option<String>,
    degraded: Option<String>,
    degraded_cause: Option<String>,
    skipped: Option<String>,
    internal: bool,
    metrics: Option<FileMetricsEntry>,
    functions: Vec<FunctionEntry>,
    violations: Vec<ViolationEntry>,
    baselined: usize,
    suppressed: Vec<SuppressedEntry>,
    suppression_notes: Vec<NoteEntry>,
}

#[derive(Deserialize)]
struct SuppressedEntry {
    #[serde(flatten)]
    violation: ViolationEntry,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct NoteEntry {
    line: u32,
    column: u32,
    function: Option<String>,
    problem: String,
    metric: Option<String>,
    has_rule: Option<bool>,
    name: Option<String>,
    suggestion: Option<String>,
    severity: String,
}

#[derive(Deserialize)]
struct HalsteadCounts {
    halstead_distinct_operators: Option<u32>,
    halstead_distinct_operands: Option<u32>,
    halstead_total_operators: Option<u32>,
    halstead_total_operands: Option<u32>,
}

impl HalsteadCounts {
    /// The counts, or zeros where the analysis level left Halstead out.
    fn halstead(&self) -> Halstead {
        Halstead {
            h1: self.halstead_distinct_operators.unwrap_or(0),
            h2: self.halstead_distinct_operands.unwrap_or(0),
            n1: self.halstead_total_operators.unwrap_or(0),
            n2: self.halstead_total_operands.unwrap_or(0),
        }
    }
}

#[derive(Deserialize)]
struct FileMetricsEntry {
    maintainability_index: Option<f64>,
    cyclomatic_complexity: Option<u32>,
    cognitive_complexity: Option<u32>,
    #[serde(flatten)]
    halstead: HalsteadCounts,
    lines_of_code: Option<u32>,
    logical_lines_of_code: Option<u32>,
    source_lines_of_code: Option<u32>,
    comment_lines: Option<u32>,
    single_comment_lines: Option<u32>,
    multi_line_string_lines: Option<u32>,
    blank_lines: Option<u32>,
    raw_error: Option<String>,
}

#[derive(Deserialize)]
struct FunctionEntry {
    name: String,
    line: u32,
    column: u32,
    end_line: u32,
    suppression: Option<Suppression>,
    metrics: FunctionMetricsEntry,
}

#[derive(Deserialize)]
struct FunctionMetricsEntry {
    cyclomatic_complexity: u32,
    cognitive_complexity: u32,
    #[serde(flatten)]
    halstead: HalsteadCounts,
    lines_of_code: u32,
    parameter_count: u32,
    nesting_depth: u32,
}

#[derive(Deserialize)]
struct ViolationEntry {
    #[serde(rename = "type")]
    metric: String,
    line_number: u32,
    column: u32,
    function: Option<String>,
    value: f64,
    threshold: f64,
    comparison: String,
    baseline: Option<f64>,
}

/// The totals a report states, checked against its files.
#[derive(Deserialize)]
struct StatedSummary {
    files: usize,
    functions: Option<usize>,
    violations: usize,
    baselined: usize,
    suppressed: usize,
    stale_suppressions: usize,
    bad_markers: usize,
    errors: usize,
    skipped: usize,
}

/// What one report holds before its files are rebuilt.
struct Parsed {
    version: u64,
    summary: StatedSummary,
    not_checked: Vec<String>,
    files: Vec<FileEntry>,
}

/// Reads one `metrics` report (`--format json` or `json-lines`); `name`
/// is how errors name it.
pub(crate) fn read(name: &str, text: &str) -> Result<Report> {
    if is_gate_report(text) {
        bail!(
            "{name} is a `check`/`diff` report; merge joins the reports of `metrics --shard K/N`"
        );
    }
    let parsed = parse(text).with_context(|| {
        format!("{name}: not a `metrics --format json` or `json-lines` report of this antipasta")
    })?;
    if parsed.version != u64::from(JSON_VERSION) {
        bail!(
            "{name}: a report of JSON version {}, this antipasta reads version {JSON_VERSION}; \
             write the shards and merge them with the same antipasta",
            parsed.version
        );
    }
    let mut files = Vec::with_capacity(parsed.files.len());
    for entry in parsed.files {
        let path = entry.path.clone();
        files.push(file_result(entry).with_context(|| format!("{name}: file {path}"))?);
    }
    let report = Report {
        kind: ReportKind::Tree,
        files,
        not_checked: parsed.not_checked,
    };
    check_summary(name, &parsed.summary, report.summary())?;
    Ok(report)
}

/// Whether the text is a gate report (its summary counts changed
/// functions; its JSON Lines file entries have a `status`).
fn is_gate_report(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        summary: Option<ProbeSummary>,
        status: Option<Value>,
    }
    #[derive(Deserialize)]
    struct ProbeSummary {
        changed_functions: Option<Value>,
    }
    let gate =
        |p: Probe| p.status.is_some() || p.summary.is_some_and(|s| s.changed_functions.is_some());
    if let Ok(p) = serde_json::from_str::<Probe>(text) {
        return gate(p);
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    serde_json::from_str::<Probe>(first).is_ok_and(gate)
}

/// A whole document, or JSON Lines: file entries, then the summary line.
fn parse(text: &str) -> Result<Parsed> {
    let trimmed = text.trim_start();
    let first_line = trimmed.lines().next().unwrap_or("");
    // A report on one line (`jq -c`) is one document, not JSON Lines: its
    // first line is the whole document, with `files` in it.
    let one_document = match serde_json::from_str::<Value>(first_line) {
        Err(_) => true,
        Ok(v) => v.get("files").is_some() && trimmed.trim_end().lines().count() == 1,
    };
    if one_document {
        #[derive(Deserialize)]
        struct Document {
            version: u64,
            summary: StatedSummary,
            not_checked: Vec<String>,
            files: Vec<FileEntry>,
        }
        let d: Document = serde_json::from_str(text)?;
        return Ok(Parsed {
            version: d.version,
            summary: d.summary,
            not_checked: d.not_checked,
            files: d.files,
        });
    }
    #[derive(Deserialize)]
    struct Last {
        version: u64,
        summary: StatedSummary,
        not_checked: Vec<String>,
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(((last_no, last), entries)) = lines.split_last() else {
        bail!("the report is empty");
    };
    let last: Last = serde_json::from_str(last)
        .with_context(|| format!("line {}: expected the summary line", last_no + 1))?;
    let mut files = Vec::with_capacity(entries.len());
    for (no, line) in entries {
        files.push(serde_json::from_str(line).with_context(|| format!("line {}", no + 1))?);
    }
    Ok(Parsed {
        version: last.version,
        summary: last.summary,
        not_checked: last.not_checked,
        files,
    })
}

/// A report whose summary disagrees with its files was cut short or edited.
fn check_summary(name: &str, stated: &StatedSummary, actual: Summary) -> Result<()> {
    let pairs = [
        ("files", stated.files, actual.files),
        ("functions", stated.functions.unwrap_or(0), actual.functions),
        ("violations", stated.violations, actual.violations),
        ("baselined", stated.baselined, actual.baselined),
        ("suppressed", stated.suppressed, actual.suppressed),
        (
            "stale_suppressions",
            stated.stale_suppressions,
            actual.stale,
        ),
        ("bad_markers", stated.bad_markers, actual.bad_markers),
        ("errors", stated.errors, actual.errors),
        ("skipped", stated.skipped, actual.skipped),
    ];
    for (what, said, found) in pairs {
        if said != found {
            bail!(
                "{name}: its summary says {said} {what} but its entries hold {found}; \
                 the report is incomplete or was edited"
            );
        }
    }
    Ok(())
}

fn file_result(e: FileEntry) -> Result<FileResult> {
    let violations = e
        .violations
        .into_iter()
        .map(violation)
        .collect::<Result<Vec<_>>>()?;
    let outcome = match (e.skipped, e.analysis) {
        (Some(why), _) => Err(Problem::skipped(why)),
        (None, None) => {
            let message = e
                .error
                .ok_or_else(|| anyhow!("neither an analysis nor an error nor a skip reason"))?;
            Err(Problem {
                kind: if e.internal {
                    ProblemKind::Internal
                } else {
                    ProblemKind::Error
                },
                message,
            })
        }
        (None, Some(level)) => {
            let level = Level::from_name(&level)
                .ok_or_else(|| anyhow!("unknown analysis level `{level}`"))?;
            let syntax_error = match (e.partial, &e.error) {
                (true, Some(text)) => Some(syntax_error(text)?),
                (true, None) => bail!("`partial` without an `error`"),
                (false, _) => None,
            };
            let degraded = match (e.degraded, e.degraded_cause) {
                (Some(message), Some(cause)) => Some(Degraded {
                    cause: Cause::from_name(&cause)
                        .ok_or_else(|| anyhow!("unknown degraded_cause `{cause}`"))?,
                    message,
                }),
                (None, None) => None,
                _ => bail!("`degraded` and `degraded_cause` must be given together"),
            };
            let metrics = e
                .metrics
                .ok_or_else(|| anyhow!("an analysis without `metrics`"))?;
            Ok(FileAnalysis {
                file: file_metrics(metrics)?,
                functions: functions(e.functions),
                syntax_error,
                level,
                degraded,
                code_hash: None,
                file_suppression: None,
            })
        }
    };
    let exemptions = Exemptions {
        ignored: e
            .suppressed
            .into_iter()
            .map(|s| {
                Ok(Ignored {
                    violation: violation(s.violation)?,
                    reason: s.reason,
                })
            })
            .collect::<Result<_>>()?,
        notes: e
            .suppression_notes
            .into_iter()
            .map(note)
            .collect::<Result<_>>()?,
    };
    Ok(FileResult {
        path: e.path,
        outcome: Some(outcome),
        violations,
        change: None,
        baselined: e.baselined,
        exemptions,
    })
}

fn note(n: NoteEntry) -> Result<MarkerNote> {
    let metric = |name: Option<String>| -> Result<Option<MetricKind>> {
        name.map(|m| {
            MetricKind::from_name(&m).ok_or_else(|| anyhow!("unknown metric `{m}` in a note"))
        })
        .transpose()
    };
    let problem = match n.problem.as_str() {
        "stale" => MarkerProblem::Stale {
            metric: metric(n.metric)?,
            has_rule: n.has_rule.unwrap_or(true),
        },
        "no_reason" => MarkerProblem::NoReason,
        "unknown_metric" => MarkerProblem::Unknown {
            name: n
                .name
                .ok_or_else(|| anyhow!("an unknown_metric note without `name`"))?,
            suggestion: n.suggestion,
        },
        other => bail!("unknown suppression note `{other}`"),
    };
    Ok(MarkerNote {
        line: n.line,
        column: n.column,
        function: n.function,
        problem,
        error: n.severity == "error",
    })
}

/// Undoes `syntax error at line L, column C: message` (the error's Display).
fn syntax_error(text: &str) -> Result<SyntaxError> {
    let bad = || anyhow!("`{text}` is not `syntax error at line L, column C: ...`");
    let rest = text.strip_prefix("syntax error at line ").ok_or_else(bad)?;
    let (line, rest) = rest.split_once(", column ").ok_or_else(bad)?;
    let (column, message) = rest.split_once(": ").ok_or_else(bad)?;
    Ok(SyntaxError {
        line: line.parse().map_err(|_| bad())?,
        column: column.parse().map_err(|_| bad())?,
        message: message.to_string(),
    })
}

fn file_metrics(m: FileMetricsEntry) -> Result<FileMetrics> {
    let raw = match &m.raw_error {
        Some(text) => Err(RawError {
            line: super::json::raw_error_line(text)
                .ok_or_else(|| anyhow!("unreadable `raw_error`: {text}"))?,
        }),
        None => {
            let need = |v: Option<u32>, key: &str| v.ok_or_else(|| anyhow!("missing `{key}`"));
            Ok(RawMetrics {
                loc: need(m.lines_of_code, "lines_of_code")?,
                lloc: need(m.logical_lines_of_code, "logical_lines_of_code")?,
                sloc: need(m.source_lines_of_code, "source_lines_of_code")?,
                comments: need(m.comment_lines, "comment_lines")?,
                multi: need(m.multi_line_string_lines, "multi_line_string_lines")?,
                blank: need(m.blank_lines, "blank_lines")?,
                single_comments: need(m.single_comment_lines, "single_comment_lines")?,
            })
        }
    };
    Ok(FileMetrics {
        raw,
        halstead: m.halstead.halstead(),
        cyclomatic_total: m.cyclomatic_complexity.unwrap_or(0),
        cognitive_total: m.cognitive_complexity.unwrap_or(0),
        maintainability: m.maintainability_index,
    })
}

fn functions(entries: Vec<FunctionEntry>) -> Vec<FunctionReport> {
    let mut out: Vec<FunctionReport> = Vec::with_capacity(entries.len());
    for f in entries {
        // The how-many-th definition of this name in the file, as
        // `functions.rs` numbers them.
        let occurrence = out.iter().filter(|g| g.qualname == f.name).count() as u32;
        out.push(FunctionReport {
            occurrence,
            line: f.line,
            column: f.column,
            first_line: f.line,
            end_line: f.end_line,
            is_method: false,
            nested: false,
            class_path: None,
            ast_hash: 0,
            body_hash: 0,
            suppression: f.suppression,
            metrics: FunctionMetrics {
                cyclomatic: f.metrics.cyclomatic_complexity,
                cognitive: f.metrics.cognitive_complexity,
                halstead: f.metrics.halstead.halstead(),
                lines: f.metrics.lines_of_code,
                parameters: f.metrics.parameter_count,
                nesting: f.metrics.nesting_depth,
            },
            qualname: f.name,
        });
    }
    out
}

fn violation(v: ViolationEntry) -> Result<Violation> {
    Ok(Violation {
        metric: MetricKind::from_name(&v.metric)
            .ok_or_else(|| anyhow!("unknown metric `{}` in a violation", v.metric))?,
        value: v.value,
        threshold: v.threshold,
        comparison: Comparison::from_str_exact(&v.comparison)
            .ok_or_else(|| anyhow!("unknown comparison `{}`", v.comparison))?,
        line: v.line_number,
        column: v.column,
        function: v.function,
        change: None,
        before: None,
        baseline: v.baseline,
    })
}

/// Joins shard reports into one, sorted by path as a single run sorts it.
/// The shards must be disjoint: a file in two of them means they are not
/// shards of one run.
pub(crate) fn merge(reports: Vec<(String, Report)>) -> Result<Report> {
    let mut files: Vec<(FileResult, usize)> = Vec::new();
    let mut not_checked = Vec::new();
    let names: Vec<String> = reports.iter().map(|(n, _)| n.clone()).collect();
    for (i, (_, report)) in reports.into_iter().enumerate() {
        files.extend(report.files.into_iter().map(|f| (f, i)));
        not_checked.extend(report.not_checked.into_iter().map(|p| (p, i)));
    }
    files.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    for pair in files.windows(2) {
        if pair[0].0.path == pair[1].0.path {
            bail!(
                "{} is in both {} and {}: merge joins disjoint shards of one run \
                 (`metrics --shard K/N` with the same N)",
                pair[0].0.path,
                names[pair[0].1],
                names[pair[1].1]
            );
        }
    }
    not_checked.sort();
    Ok(Report {
        kind: ReportKind::Tree,
        files: files.into_iter().map(|(f, _)| f).collect(),
        not_checked: not_checked.into_iter().map(|(p, _)| p).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze_bytes;
    use crate::metrics::MetricOptions;

    fn tree(files: &[(&str, &str)]) -> Report {
        Report {
            kind: ReportKind::Tree,
            files: files
                .iter()
                .map(|(path, text)| FileResult {
                    path: (*path).to_owned(),
                    outcome: Some(analyze_bytes(text.as_bytes(), 0, MetricOptions::default())),
                    violations: Vec::new(),
                    change: None,
                    baselined: 0,
                    exemptions: Default::default(),
                })
                .collect(),
            not_checked: Vec::new(),
        }
    }

    fn json(report: &Report) -> String {
        let mut out = Vec::new();
        super::super::json::render(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn syntax_error_text_round_trips() {
        let e = SyntaxError {
            line: 3,
            column: 7,
            message: "Expected ')', found ': '".into(),
        };
        assert_eq!(syntax_error(&e.to_string()).unwrap(), e);
        assert!(syntax_error("nesting too deep").is_err());
    }

    /// Every kind of file entry reads back into a report that renders to
    /// the same bytes.
    #[test]
    fn json_report_reads_back_to_the_same_report() {
        let report = tree(&[
            (
                "a.py",
                "class C:\n    def m(self, x):\n        if x:\n            return 1\n",
            ),
            ("b.py", "def broken(:\n    pass\ndef ok():\n    return 2\n"),
            ("c.py", "x = 1\0"),
            ("d.py", ""),
            ("e.py", "s = '''\n"),
        ]);
        let text = json(&report);
        let back = read("r.json", &text).unwrap();
        assert_eq!(json(&back), text);
    }

    /// serde_json's default float parser can be off by one unit in the
    /// last place; a merged report must carry the exact values.
    #[test]
    fn floats_read_back_exactly() {
        let v: ViolationEntry = serde_json::from_str(
            "{\"type\": \"halstead_difficulty\", \"line_number\": 1, \"column\": 1, \
             \"function\": null, \"value\": 14.411764705882353, \"threshold\": 10.0, \
             \"comparison\": \"<=\", \"baseline\": null}",
        )
        .unwrap();
        assert_eq!(v.value, 14.411764705882353_f64);
        assert_eq!(v.value.to_string(), "14.411764705882353");
    }

    #[test]
    fn a_summary_that_disagrees_with_the_files_is_refused() {
        let text = json(&tree(&[("a.py", "def f():\n    pass\n")]));
        let edited = text.replacen("\"functions\": 1", "\"functions\": 2", 1);
        let err = read("r.json", &edited).unwrap_err().to_string();
        assert!(err.contains("summary says 2 functions"), "{err}");
    }

    #[test]
    fn shards_with_the_same_file_are_refused() {
        let a = tree(&[("a.py", "x = 1\n")]);
        let b = tree(&[("a.py", "x = 1\n")]);
        let err = merge(vec![("1.json".into(), a), ("2.json".into(), b)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.py is in both 1.json and 2.json"), "{err}");
    }
}
