//! Results → text or JSON, written to any `Write`.
//!
//! Input: the per-file results of a run, already sorted by path. Output: the
//! report, nothing else; this and `main.rs` are the only places that write to
//! the terminal. The JSON layout is documented in `docs/json.md`; bump
//! [`JSON_VERSION`] when a field changes meaning or goes away.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::metrics::halstead::Halstead;
use crate::metrics::{Cause, FileAnalysis, FunctionMetrics, Level, MetricKind};
use crate::outcome::{Problem, ProblemKind};
use crate::thresholds::Violation;

pub(crate) const JSON_VERSION: u32 = 1;

/// Output format of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
}

impl Format {
    pub(crate) const ALL: [Format; 2] = [Format::Text, Format::Json];

    /// The name `--format` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
        }
    }
}

/// What a run found for one file.
#[derive(Debug)]
pub(crate) struct FileResult {
    pub path: String,
    /// The analysis (partial when it carries a syntax error), or why the
    /// file was not analysed.
    pub outcome: Result<FileAnalysis, Problem>,
    pub violations: Vec<Violation>,
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
}

impl Summary {
    /// Counts one file's outcome (not its violations) in every mode.
    pub(crate) fn count(&mut self, outcome: &Result<FileAnalysis, Problem>) {
        self.files += 1;
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

pub(crate) fn summarize(results: &[FileResult]) -> Summary {
    let mut s = Summary::default();
    for r in results {
        s.count(&r.outcome);
        s.violations += r.violations.len();
    }
    s
}

/// Renders a `metrics` run.
pub(crate) fn render(
    results: &[FileResult],
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => render_text(results, color, out),
        Format::Json => write_json_report(results, out),
    }
}

fn render_text(results: &[FileResult], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let (red, bold, reset) = if color {
        ("\x1b[31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for r in results {
        match &r.outcome {
            Err(p) if p.kind == ProblemKind::Skipped => {
                writeln!(out, "{bold}{}{reset}: {p}", r.path)?;
            }
            Err(p) => writeln!(out, "{bold}{}{reset}: {red}error{reset}: {p}", r.path)?,
            Ok(a) => {
                if let Some(e) = &a.syntax_error {
                    writeln!(
                        out,
                        "{bold}{}{reset}: {red}error{reset}: {e} (partial: measured what parsed)",
                        r.path
                    )?;
                }
                if let Some(note) = degraded_note(a) {
                    let error = if degraded_by_error(a) {
                        format!("{red}error{reset}: ")
                    } else {
                        String::new()
                    };
                    writeln!(out, "{bold}{}{reset}: {error}{note}", r.path)?;
                }
            }
        }
        for v in &r.violations {
            let name = v.function.as_deref().unwrap_or("<file>");
            writeln!(
                out,
                "{bold}{}:{}:{}{reset}: {name}: {red}{}{reset}",
                r.path,
                v.line,
                v.column,
                v.describe()
            )?;
        }
    }
    let s = summarize(results);
    let line = summary_line(
        s.files,
        (s.functions, "function", "functions"),
        s.violations,
        s.errors,
        s.skipped,
    );
    writeln!(out, "{line}")
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

/// The `metrics` JSON report, written one file at a time: a whole-tree
/// `Value` for 12,000 files (180,000 functions) peaked at 1.5 GB. The bytes
/// are exactly what pretty-printing the whole document would give.
fn write_json_report(results: &[FileResult], out: &mut dyn Write) -> io::Result<()> {
    let s = summarize(results);
    let head = json!({
        "version": JSON_VERSION,
        "summary": {
            "files": s.files,
            "functions": s.functions,
            "violations": s.violations,
            "errors": s.errors,
            "skipped": s.skipped,
        },
    });
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

fn json_file(r: &FileResult) -> Value {
    let (error, metrics, functions) = match &r.outcome {
        Ok(a) => (
            file_error(a).map_or(Value::Null, Value::String),
            file_metrics_json(a),
            a.functions
                .iter()
                .map(|f| {
                    json!({
                        "name": f.qualname,
                        "line": f.line,
                        "end_line": f.end_line,
                        "ignored": f.ignored,
                        "metrics": function_metrics_json(&f.metrics, a.level),
                    })
                })
                .collect(),
        ),
        Err(p) if p.kind == ProblemKind::Skipped => (Value::Null, Value::Null, Vec::new()),
        Err(p) => (Value::String(p.message.clone()), Value::Null, Vec::new()),
    };
    let skipped = match &r.outcome {
        Err(p) if p.kind == ProblemKind::Skipped => Value::String(p.message.clone()),
        _ => Value::Null,
    };
    let partial = matches!(&r.outcome, Ok(a) if a.syntax_error.is_some());
    let (analysis, degraded) = match &r.outcome {
        Ok(a) => (
            json!(a.level.name()),
            a.degraded
                .as_ref()
                .map_or(Value::Null, |d| json!(d.message)),
        ),
        Err(_) => (Value::Null, Value::Null),
    };
    json!({
        "path": r.path,
        "error": error,
        "partial": partial,
        "analysis": analysis,
        "degraded": degraded,
        "skipped": skipped,
        "metrics": metrics,
        "functions": functions,
        "violations": r.violations.iter().map(violation_json).collect::<Vec<_>>(),
    })
}

/// A violation with the Python antipasta's field names.
pub(crate) fn violation_json(v: &Violation) -> Value {
    json!({
        "type": v.metric.name(),
        "message": v.describe(),
        "line_number": v.line,
        "function": v.function,
        "value": v.value,
        "threshold": v.threshold,
        "comparison": v.comparison.as_str(),
    })
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

pub(crate) fn function_metrics_json(m: &FunctionMetrics, level: Level) -> Value {
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
            map.insert(
                "raw_error".into(),
                json!(format!(
                    "radon's tokenizer rejects line {}: line counts and MI unavailable",
                    e.line
                )),
            );
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
            outcome: analyze_bytes(text.as_bytes(), 0, MetricOptions::default()),
            violations: Vec::new(),
        }
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
            let s = summarize(&results);
            let whole = json!({
                "version": JSON_VERSION,
                "summary": {
                    "files": s.files,
                    "functions": s.functions,
                    "violations": s.violations,
                    "errors": s.errors,
                    "skipped": s.skipped,
                },
                "files": results.iter().map(json_file).collect::<Vec<_>>(),
            });
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            let mut streamed = Vec::new();
            render(&results, Format::Json, false, &mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        }
    }
}
