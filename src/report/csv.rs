//! CSV (`--format csv`): one row per function with every function metric,
//! for spreadsheets. A header row; RFC 4180 quoting. `violations` lists the
//! metrics the function violates, `;`-separated. The gate adds how the
//! function changed and its HEAD values (`head_<metric>`, empty for a new
//! function). File-scope values and problems are not rows: the other
//! formats carry them.

use std::io::{self, Write};

use super::{FileResult, Report, ReportKind};
use crate::metrics::{FunctionMetrics, Level, MetricKind};

/// The metrics a function has (those [`FunctionMetrics::value`] knows),
/// in report order.
fn function_metrics() -> Vec<MetricKind> {
    MetricKind::ALL
        .into_iter()
        .filter(|m| {
            !matches!(
                m,
                MetricKind::MaintainabilityIndex
                    | MetricKind::LogicalLinesOfCode
                    | MetricKind::SourceLinesOfCode
                    | MetricKind::CommentLines
                    | MetricKind::BlankLines
            )
        })
        .collect()
}

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let metrics = function_metrics();
    let gate = report.kind == ReportKind::Gate;
    let mut header: Vec<String> = ["path", "name", "line", "end_line"]
        .map(String::from)
        .to_vec();
    header.extend(metrics.iter().map(|m| m.name().to_string()));
    header.push("violations".into());
    if gate {
        header.push("change".into());
        header.extend(metrics.iter().map(|m| format!("head_{}", m.name())));
    }
    row(out, &header)?;
    for file in &report.files {
        for r in rows(file, &metrics, gate) {
            row(out, &r)?;
        }
    }
    Ok(())
}

fn rows(file: &FileResult, metrics: &[MetricKind], gate: bool) -> Vec<Vec<String>> {
    let violated = |name: &str, line: u32| -> String {
        file.violations
            .iter()
            .filter(|v| v.function.as_deref() == Some(name) && v.line == line)
            .map(|v| v.metric.name())
            .collect::<Vec<_>>()
            .join(";")
    };
    let values = |m: &FunctionMetrics, level: Level| -> Vec<String> {
        metrics
            .iter()
            .map(|k| match (level.provides(*k), m.value(*k)) {
                (true, Some(v)) => number(v),
                _ => String::new(),
            })
            .collect()
    };
    let mut rows = Vec::new();
    if gate {
        for f in file.change.iter().flat_map(|c| &c.judged) {
            let mut r = vec![
                file.path.clone(),
                f.name.clone(),
                f.line.to_string(),
                f.end_line.to_string(),
            ];
            r.extend(values(&f.after.0, f.after.1));
            r.push(violated(&f.name, f.line));
            r.push(f.change.as_str().to_string());
            match &f.before {
                Some((m, level)) => r.extend(values(m, *level)),
                None => r.extend(metrics.iter().map(|_| String::new())),
            }
            rows.push(r);
        }
    } else if let Some(Ok(a)) = &file.outcome {
        for f in &a.functions {
            let mut r = vec![
                file.path.clone(),
                f.qualname.clone(),
                f.line.to_string(),
                f.end_line.to_string(),
            ];
            r.extend(values(&f.metrics, a.level));
            r.push(violated(&f.qualname, f.line));
            rows.push(r);
        }
    }
    rows
}

/// Integers without a decimal point; other values as JSON writes them.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string())
    }
}

fn row(out: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// RFC 4180: a field with a comma, a quote or a line break is quoted, its
/// quotes doubled.
pub(super) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
    }
}
