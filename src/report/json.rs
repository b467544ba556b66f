//! The JSON reports (`docs/json.md`): for `metrics`, one document with a
//! nested entry per file, written one file at a time; for the gate, flat
//! lists of files, judged functions and violations.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{file_error, FileResult, Report, ReportKind};
use crate::exemptions::{Exemptions, MarkerProblem};
use crate::metrics::halstead::Halstead;
use crate::metrics::{Cause, FileAnalysis, FunctionMetrics, Level, MetricKind};
use crate::outcome::{Outcome, ProblemKind};
use crate::thresholds::Violation;

pub(crate) const JSON_VERSION: u32 = 1;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match report.kind {
        ReportKind::Tree => render_tree(report, out),
        ReportKind::Gate => render_gate(report, out),
    }
}

/// The `metrics` JSON report, written one file at a time: a whole-tree
/// `Value` for 12,000 files (180,000 functions) peaked at 1.5 GB. The bytes
/// are exactly what pretty-printing the whole document would give.
fn render_tree(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let results = &report.files;
    let s = report.summary();
    let mut head = json!({
        "version": JSON_VERSION,
        "summary": {
            "files": s.files,
            "functions": s.functions,
            "violations": s.violations,
            "baselined": s.baselined,
            "suppressed": s.suppressed,
            "stale_suppressions": s.stale,
            "bad_markers": s.bad_markers,
            "errors": s.errors,
            "skipped": s.skipped,
            "not_checked": report.not_checked.len(),
        },
        "not_checked": report.not_checked,
    });
    with_timings(&mut head);
    let head = serde_json::to_string_pretty(&head)?;
    // Reopen the object after its last member to append `files`.
    let head = head.strip_suffix("\n}").unwrap_or(&head);
    if results.is_empty() {
        return writeln!(out, "{head},\n  \"files\": []\n}}");
    }
    write!(out, "{head},\n  \"files\": [")?;
    for (i, r) in results.iter().enumerate() {
        let file = serde_json::to_string_pretty(&json_file(r))?;
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(file.replace('\n', "\n    ").as_bytes())?;
    }
    writeln!(out, "\n  ]\n}}")
}

/// With `--timings`, the run's timings up to the report (the report's own
/// rendering is in the text on stderr only).
fn with_timings(document: &mut Value) {
    if let (Some(t), Some(map)) = (crate::timings::shown(), document.as_object_mut()) {
        map.insert("timings".into(), json!(t));
    }
}

fn json_file(r: &FileResult) -> Value {
    let outcome = r.outcome.as_ref();
    let (metrics, functions) = match outcome {
        Some(Ok(a)) => (
            file_metrics_json(a),
            a.functions
                .iter()
                .map(|f| {
                    json!({
                        "name": f.qualname,
                        "line": f.line,
                        "column": f.column,
                        "end_line": f.end_line,
                        "ignored": f.ignored(),
                        "suppression": f.suppression,
                        "metrics": function_metrics_json(&f.metrics, a.level),
                    })
                })
                .collect(),
        ),
        _ => (Value::Null, Vec::new()),
    };
    let mut entry = Map::new();
    entry.insert("path".into(), json!(r.path));
    outcome_fields(&mut entry, outcome);
    entry.insert("metrics".into(), metrics);
    entry.insert("functions".into(), Value::Array(functions));
    entry.insert(
        "violations".into(),
        r.violations.iter().map(violation_json).collect(),
    );
    entry.insert("baselined".into(), json!(r.baselined));
    exemptions_json(&mut entry, &r.exemptions);
    Value::Object(entry)
}

/// `error`, `partial`, `analysis`, `degraded` and `skipped`: what every
/// mode says about a file's outcome (`None`: a deleted file in the gate).
fn outcome_fields(entry: &mut Map<String, Value>, outcome: Option<&Outcome>) {
    let (error, skipped) = match outcome {
        Some(Ok(a)) => (
            file_error(a).map_or(Value::Null, Value::String),
            Value::Null,
        ),
        Some(Err(p)) if p.kind == ProblemKind::Skipped => {
            (Value::Null, Value::String(p.message.clone()))
        }
        Some(Err(p)) => (Value::String(p.message.clone()), Value::Null),
        None => (Value::Null, Value::Null),
    };
    let (analysis, degraded) = match outcome {
        Some(Ok(a)) => (
            json!(a.level.name()),
            a.degraded
                .as_ref()
                .map_or(Value::Null, |d| json!(d.message)),
        ),
        _ => (Value::Null, Value::Null),
    };
    entry.insert("error".into(), error);
    entry.insert(
        "partial".into(),
        json!(matches!(outcome, Some(Ok(a)) if a.syntax_error.is_some())),
    );
    entry.insert("analysis".into(), analysis);
    entry.insert("degraded".into(), degraded);
    let cause = match outcome {
        Some(Ok(a)) => a.degraded.as_ref().map(|d| d.cause.name()),
        _ => None,
    };
    entry.insert("degraded_cause".into(), json!(cause));
    entry.insert("skipped".into(), skipped);
    let internal = match outcome {
        Some(Ok(a)) => a
            .degraded
            .as_ref()
            .is_some_and(|d| d.cause == Cause::Internal),
        Some(Err(p)) => p.kind == ProblemKind::Internal,
        None => false,
    };
    entry.insert("internal".into(), json!(internal));
}

/// The gate's report: the files with how they changed, the judged
/// functions with both sides' metrics, and the violations, each a flat list.
fn render_gate(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = report.summary();
    let mut functions = Vec::new();
    let mut violations = Vec::new();
    let mut files = Vec::new();
    for file in &report.files {
        let (entry, judged, violated) = gate_file(file);
        files.push(entry);
        functions.extend(judged);
        violations.extend(violated);
    }
    let mut document = json!({
        "version": JSON_VERSION,
        "summary": {
            "files": s.files,
            "changed_functions": s.functions,
            "violations": s.violations,
            "baselined": s.baselined,
            "suppressed": s.suppressed,
            "stale_suppressions": s.stale,
            "bad_markers": s.bad_markers,
            "errors": s.errors,
            "skipped": s.skipped,
            "not_checked": report.not_checked.len(),
        },
        "files": files,
        "not_checked": report.not_checked,
        "functions": functions,
        "violations": violations,
    });
    with_timings(&mut document);
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// One file of a gate run: its entry, its judged functions and its
/// violations, each with the path.
fn gate_file(file: &FileResult) -> (Value, Vec<Value>, Vec<Value>) {
    let mut entry = Map::new();
    entry.insert("path".into(), json!(file.path));
    let status = file.change.as_ref().map(|c| c.status.as_str());
    entry.insert("status".into(), json!(status));
    outcome_fields(&mut entry, file.outcome.as_ref());
    entry.insert("baselined".into(), json!(file.baselined));
    exemptions_json(&mut entry, &file.exemptions);
    let functions = file
        .change
        .iter()
        .flat_map(|c| &c.judged)
        .map(|f| {
            json!({
                "path": file.path,
                "name": f.name,
                "line": f.line,
                "end_line": f.end_line,
                "change": f.change.as_str(),
                "previous_name": f.previous_name,
                "before": f.before.as_ref().map(|(m, level)| function_metrics_json(m, *level)),
                "after": function_metrics_json(&f.after.0, f.after.1),
                "changed_lines": f.changed_lines,
                "verdict": if f.passed { "pass" } else { "fail" },
            })
        })
        .collect();
    let violations = file
        .violations
        .iter()
        .map(|violation| {
            let mut j = violation_json(violation);
            if let Some(map) = j.as_object_mut() {
                map.insert("path".into(), json!(file.path));
                map.insert("change".into(), json!(violation.change.map(|c| c.as_str())));
                map.insert("before".into(), json!(violation.before));
            }
            j
        })
        .collect();
    (Value::Object(entry), functions, violations)
}

/// JSON Lines (`--format json-lines`): one compact object per file, in
/// the layout of the JSON report's entries (a gate file also carries its
/// `functions` and `violations`), then one line with the `summary`. A
/// reader can process a very large tree a line at a time.
pub(super) fn render_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let line = match report.kind {
            ReportKind::Tree => json_file(file),
            ReportKind::Gate => {
                let (mut entry, functions, violations) = gate_file(file);
                if let Some(map) = entry.as_object_mut() {
                    map.insert("functions".into(), Value::Array(functions));
                    map.insert("violations".into(), Value::Array(violations));
                }
                entry
            }
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    let s = report.summary();
    let mut summary = json!({
        "files": s.files,
        "violations": s.violations,
        "baselined": s.baselined,
        "suppressed": s.suppressed,
        "stale_suppressions": s.stale,
        "bad_markers": s.bad_markers,
        "errors": s.errors,
        "skipped": s.skipped,
    });
    if let Some(map) = summary.as_object_mut() {
        match report.kind {
            ReportKind::Tree => map.insert("functions".into(), json!(s.functions)),
            ReportKind::Gate => {
                map.insert("not_checked".into(), json!(report.not_checked.len()));
                map.insert("changed_functions".into(), json!(s.functions))
            }
        };
    }
    let last =
        json!({ "version": JSON_VERSION, "summary": summary, "not_checked": report.not_checked });
    serde_json::to_writer(&mut *out, &last)?;
    writeln!(out)
}

/// `suppressed` (the violations markers suppressed, each with its
/// `reason`) and `suppression_notes` (what is wrong with the markers).
fn exemptions_json(entry: &mut Map<String, Value>, exemptions: &Exemptions) {
    let suppressed = exemptions
        .ignored
        .iter()
        .map(|i| {
            let mut j = violation_json(&i.violation);
            if let Some(map) = j.as_object_mut() {
                map.insert("reason".into(), json!(i.reason));
            }
            j
        })
        .collect();
    entry.insert("suppressed".into(), Value::Array(suppressed));
    let notes = exemptions
        .notes
        .iter()
        .map(|n| {
            let (metric, has_rule, name, suggestion) = match &n.problem {
                MarkerProblem::Stale { metric, has_rule } => {
                    (metric.map(|m| m.name()), Some(*has_rule), None, None)
                }
                MarkerProblem::NoReason => (None, None, None, None),
                MarkerProblem::Unknown { name, suggestion } => {
                    (None, None, Some(name), suggestion.as_ref())
                }
            };
            json!({
                "line": n.line,
                "column": n.column,
                "function": n.function,
                "problem": n.problem.name(),
                "metric": metric,
                "has_rule": has_rule,
                "name": name,
                "suggestion": suggestion,
                "severity": if n.error { "error" } else { "warning" },
                "message": n.message(),
            })
        })
        .collect();
    entry.insert("suppression_notes".into(), Value::Array(notes));
}

/// A violation with the Python antipasta's field names.
fn violation_json(v: &Violation) -> Value {
    json!({
        "type": v.metric.name(),
        "message": v.describe(),
        "line_number": v.line,
        "column": v.column,
        "function": v.function,
        "value": v.value,
        "threshold": v.threshold,
        "comparison": v.comparison.as_str(),
        "baseline": v.baseline,
    })
}

/// Why a file has no line counts, as `raw_error` says it.
fn raw_error_text(line: u32) -> String {
    format!("{RAW_ERROR_PREFIX}{line}{RAW_ERROR_SUFFIX}")
}

const RAW_ERROR_PREFIX: &str = "radon's tokenizer rejects line ";
const RAW_ERROR_SUFFIX: &str = ": line counts and MI unavailable";

/// The line of a [`raw_error_text`] (for reading reports back).
pub(super) fn raw_error_line(text: &str) -> Option<u32> {
    text.strip_prefix(RAW_ERROR_PREFIX)?
        .strip_suffix(RAW_ERROR_SUFFIX)?
        .parse()
        .ok()
}

fn halstead_json(map: &mut Map<String, Value>, h: &Halstead) {
    map.insert("halstead_volume".into(), json!(h.volume()));
    map.insert("halstead_difficulty".into(), json!(h.difficulty()));
    map.insert("halstead_effort".into(), json!(h.effort()));
    map.insert("halstead_time".into(), json!(h.time()));
    map.insert("halstead_bugs".into(), json!(h.bugs()));
    map.insert("halstead_vocabulary".into(), json!(h.vocabulary()));
    map.insert("halstead_length".into(), json!(h.length()));
    map.insert(
        "halstead_calculated_length".into(),
        json!(h.calculated_length()),
    );
    map.insert("halstead_distinct_operators".into(), json!(h.h1));
    map.insert("halstead_distinct_operands".into(), json!(h.h2));
    map.insert("halstead_total_operators".into(), json!(h.n1));
    map.insert("halstead_total_operands".into(), json!(h.n2));
}

/// The two complexity values, under their metric names, in report order.
fn complexity_json(map: &mut Map<String, Value>, cyclomatic: u32, cognitive: u32) {
    map.insert(
        MetricKind::CyclomaticComplexity.name().into(),
        json!(cyclomatic),
    );
    map.insert(
        MetricKind::CognitiveComplexity.name().into(),
        json!(cognitive),
    );
}

fn function_metrics_json(m: &FunctionMetrics, level: Level) -> Value {
    let mut map = Map::new();
    complexity_json(&mut map, m.cyclomatic, m.cognitive);
    if level.provides(MetricKind::HalsteadVolume) {
        halstead_json(&mut map, &m.halstead);
    }
    map.insert(MetricKind::LinesOfCode.name().into(), json!(m.lines));
    map.insert(
        MetricKind::ParameterCount.name().into(),
        json!(m.parameters),
    );
    map.insert(MetricKind::NestingDepth.name().into(), json!(m.nesting));
    Value::Object(map)
}

fn file_metrics_json(a: &FileAnalysis) -> Value {
    let f = &a.file;
    let mut map = Map::new();
    map.insert(
        MetricKind::MaintainabilityIndex.name().into(),
        json!(f.maintainability),
    );
    if a.level.provides(MetricKind::CyclomaticComplexity) {
        complexity_json(&mut map, f.cyclomatic_total, f.cognitive_total);
    }
    if a.level.provides(MetricKind::HalsteadVolume) {
        halstead_json(&mut map, &f.halstead);
    }
    match &f.raw {
        Ok(raw) => {
            map.insert(MetricKind::LinesOfCode.name().into(), json!(raw.loc));
            map.insert(
                MetricKind::LogicalLinesOfCode.name().into(),
                json!(raw.lloc),
            );
            map.insert(MetricKind::SourceLinesOfCode.name().into(), json!(raw.sloc));
            map.insert(MetricKind::CommentLines.name().into(), json!(raw.comments));
            map.insert("single_comment_lines".into(), json!(raw.single_comments));
            map.insert("multi_line_string_lines".into(), json!(raw.multi));
            map.insert(MetricKind::BlankLines.name().into(), json!(raw.blank));
            map.insert("raw_error".into(), Value::Null);
        }
        Err(e) => {
            map.insert("raw_error".into(), json!(raw_error_text(e.line)));
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze_bytes;
    use crate::metrics::MetricOptions;

    fn result(path: &str, text: &str) -> FileResult {
        FileResult {
            path: path.to_owned(),
            outcome: Some(analyze_bytes(text.as_bytes(), 0, MetricOptions::default())),
            violations: Vec::new(),
            change: None,
            baselined: 0,
            exemptions: Default::default(),
        }
    }

    #[test]
    fn raw_error_text_round_trips() {
        assert_eq!(raw_error_line(&raw_error_text(17)), Some(17));
        assert_eq!(raw_error_line("something else"), None);
    }

    /// The streamed report equals the whole document pretty-printed at once.
    #[test]
    fn streamed_json_equals_whole_document() {
        let cases: Vec<Vec<FileResult>> = vec![
            Vec::new(),
            vec![result("a.py", "def f(a):\n    return [a, {}]\n")],
            vec![
                result("a.py", "class C:\n    def m(self):\n        pass\n"),
                result("b.py", "def broken(:\n"),
                result("c.py", "x = 1\0"),
                result("d.py", ""),
            ],
        ];
        for results in cases {
            let report = Report {
                kind: ReportKind::Tree,
                files: results,
                not_checked: Vec::new(),
            };
            let s = report.summary();
            let whole = json!({
                "version": JSON_VERSION,
                "summary": {
                    "files": s.files,
                    "functions": s.functions,
                    "violations": s.violations,
                    "baselined": s.baselined,
                    "suppressed": s.suppressed,
                    "stale_suppressions": s.stale,
                    "bad_markers": s.bad_markers,
                    "errors": s.errors,
                    "skipped": s.skipped,
                    "not_checked": 0,
                },
                "not_checked": [],
                "files": report.files.iter().map(json_file).collect::<Vec<_>>(),
            });
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            let mut streamed = Vec::new();
            render_tree(&report, &mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        }
    }
}
