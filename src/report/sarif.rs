//! SARIF 2.1.0 (`--format sarif`): one run, one rule per metric, one result
//! per violation; files that could not be analysed are the invocation's
//! tool execution notifications. What GitHub code scanning and other SARIF
//! consumers read; validated against the official schema in the tests.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::findings::{
    file_problems, findings, marker_findings, Finding, MarkerFinding, Severity, HOMEPAGE,
    MARKER_RULE,
};
use super::Report;
use crate::config::{default_comparison, default_threshold};
use crate::metrics::MetricKind;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut results: Vec<Value> = findings(report).iter().map(result).collect();
    results.extend(marker_findings(report).iter().map(marker_result));
    let notifications: Vec<Value> = file_problems(report)
        .iter()
        .map(|p| {
            json!({
                "level": match p.severity {
                    Severity::Error => "error",
                    Severity::Skipped => "note",
                    Severity::Degraded => "warning",
                },
                "message": { "text": format!("{}: {}", p.path, p.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact(p.path) } }],
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "antipasta",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": HOMEPAGE,
                    "rules": MetricKind::ALL
                        .iter()
                        .map(|m| rule(*m))
                        .chain([marker_rule()])
                        .collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": report.summary().internal == 0,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// The rule of a metric: its id is the metric's name, as in `-t` and the
/// configuration.
fn rule(metric: MetricKind) -> Value {
    let mut properties = serde_json::Map::new();
    if let Some(limit) = default_threshold(metric) {
        properties.insert("defaultThreshold".into(), json!(limit));
        properties.insert(
            "defaultComparison".into(),
            json!(default_comparison(metric).as_str()),
        );
    }
    properties.insert("tags".into(), json!(["maintainability", "complexity"]));
    let limit = match default_threshold(metric) {
        Some(limit) => format!(
            " Default limit: {} {}.",
            default_comparison(metric).as_str(),
            crate::thresholds::format_value(limit)
        ),
        None => " No limit by default.".into(),
    };
    json!({
        "id": metric.name(),
        "shortDescription": { "text": describe(metric) },
        "fullDescription": { "text": format!("{}.{limit}", describe(metric)) },
        "helpUri": format!("{HOMEPAGE}/blob/main/docs/metrics.md#metrics"),
        "defaultConfiguration": { "level": "error" },
        "properties": properties,
    })
}

/// The rule of marker problems: stale, unknown metric, no reason. It comes
/// after the metrics' rules.
fn marker_rule() -> Value {
    json!({
        "id": MARKER_RULE,
        "shortDescription": { "text": "A suppression marker that suppresses nothing or is malformed" },
        "fullDescription": { "text": "A `# antipasta: ignore[...]` marker that suppresses nothing \
            (stale), names an unknown metric, or gives no reason under require_reason." },
        "helpUri": format!("{HOMEPAGE}/blob/main/docs/suppressions.md"),
        "defaultConfiguration": { "level": "warning" },
        "properties": { "tags": ["maintainability"] },
    })
}

fn marker_result(m: &MarkerFinding) -> Value {
    let logical = match &m.note.function {
        Some(name) => json!({ "fullyQualifiedName": name, "kind": "function" }),
        None => json!({ "fullyQualifiedName": m.path, "kind": "module" }),
    };
    json!({
        "ruleId": MARKER_RULE,
        "ruleIndex": MetricKind::ALL.len(),
        "level": if m.note.error { "error" } else { "warning" },
        "message": { "text": m.note.message() },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(m.path),
                "region": { "startLine": m.note.line, "startColumn": m.note.column },
            },
            "logicalLocations": [logical],
        }],
        "partialFingerprints": { "antipasta/v1": m.fingerprint() },
        "properties": { "problem": m.note.problem.name() },
    })
}

/// What a metric measures, in one line.
fn describe(metric: MetricKind) -> &'static str {
    match metric {
        MetricKind::CyclomaticComplexity => {
            "Cyclomatic complexity: 1 + the decision points of a function"
        }
        MetricKind::CognitiveComplexity => {
            "Cognitive complexity: breaks in linear control flow, weighted by nesting"
        }
        MetricKind::MaintainabilityIndex => {
            "Maintainability index of a file, 0-100 (radon's formula)"
        }
        MetricKind::HalsteadVolume => {
            "Halstead volume: program length times log2 of its vocabulary"
        }
        MetricKind::HalsteadDifficulty => {
            "Halstead difficulty: how hard the code is to write or understand"
        }
        MetricKind::HalsteadEffort => "Halstead effort: difficulty times volume",
        MetricKind::HalsteadTime => "Halstead time: effort / 18, in seconds",
        MetricKind::HalsteadBugs => "Halstead bugs: volume / 3000, the expected number of errors",
        MetricKind::LinesOfCode => "Lines of code (a function: from its def line to its last line)",
        MetricKind::LogicalLinesOfCode => "Logical lines of code (statements)",
        MetricKind::SourceLinesOfCode => "Source lines of code (lines with code)",
        MetricKind::CommentLines => "Comment lines",
        MetricKind::BlankLines => "Blank lines",
        MetricKind::ParameterCount => "Parameters of a function, self, *args and **kwargs included",
        MetricKind::NestingDepth => "Deepest block nesting in a function's body",
    }
}

fn result(f: &Finding) -> Value {
    let v = f.violation;
    let mut region = serde_json::Map::new();
    region.insert("startLine".into(), json!(v.line.max(1)));
    region.insert("startColumn".into(), json!(v.column.max(1)));
    if let Some(end) = f.end_line {
        region.insert("endLine".into(), json!(end.max(v.line.max(1))));
    }
    let logical = match &v.function {
        Some(name) => json!({ "fullyQualifiedName": name, "kind": "function" }),
        None => json!({ "fullyQualifiedName": f.path, "kind": "module" }),
    };
    json!({
        "ruleId": v.metric.name(),
        "ruleIndex": MetricKind::ALL.iter().position(|m| *m == v.metric),
        "level": "error",
        "message": { "text": f.message() },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(f.path),
                "region": region,
            },
            "logicalLocations": [logical],
        }],
        "partialFingerprints": { "antipasta/v1": f.fingerprint() },
        "properties": {
            "value": v.value,
            "threshold": v.threshold,
            "comparison": v.comparison.as_str(),
            "before": v.before,
            "change": v.change.map(|c| c.as_str()),
        },
    })
}

/// A path relative to the repository root, as a relative URI reference.
fn artifact(path: &str) -> Value {
    json!({ "uri": uri_path(path), "uriBaseId": "%SRCROOT%" })
}

/// Percent-encodes a relative path for a URI (RFC 3986): unreserved
/// characters and `/` stay, everything else is its UTF-8 bytes in `%XX`.
pub(super) fn uri_path(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(b as char)
            }
            b'\\' => uri.push('/'),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_spaces_and_non_ascii_and_keep_slashes() {
        assert_eq!(uri_path("src/my file.py"), "src/my%20file.py");
        assert_eq!(uri_path("./pkg/caf\u{e9}.py"), "pkg/caf%C3%A9.py");
        assert_eq!(uri_path("a%b#c?.py"), "a%25b%23c%3F.py");
        assert_eq!(uri_path("win\\path.py"), "win/path.py");
    }

    #[test]
    fn every_metric_has_a_rule_with_its_name_as_id() {
        for m in MetricKind::ALL {
            let r = rule(m);
            assert_eq!(r["id"], m.name());
            assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        }
        assert_eq!(
            rule(MetricKind::CognitiveComplexity)["properties"]["defaultThreshold"],
            15.0
        );
        assert!(rule(MetricKind::BlankLines)["properties"]
            .get("defaultThreshold")
            .is_none());
    }
}
