//! GitLab Code Quality (`--format gitlab`): a JSON array of issues, which
//! the merge request widget and the diff view show when a job publishes it
//! as `artifacts:reports:codequality`.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::findings::{
    file_problems, findings, fingerprint, marker_findings, Severity, MARKER_RULE,
};
use super::Report;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut issues: Vec<Value> = findings(report)
        .iter()
        .map(|f| {
            let mut lines = serde_json::Map::new();
            lines.insert("begin".into(), json!(f.violation.line.max(1)));
            if let Some(end) = f.end_line {
                lines.insert("end".into(), json!(end.max(f.violation.line)));
            }
            json!({
                "description": f.message(),
                "check_name": f.violation.metric.name(),
                "fingerprint": f.fingerprint(),
                "severity": "major",
                "location": { "path": f.path, "lines": lines },
            })
        })
        .collect();
    for m in marker_findings(report) {
        issues.push(json!({
            "description": m.note.message(),
            "check_name": MARKER_RULE,
            "fingerprint": m.fingerprint(),
            "severity": if m.note.error { "major" } else { "minor" },
            "location": { "path": m.path, "lines": { "begin": m.note.line } },
        }));
    }
    for p in file_problems(report) {
        if p.severity != Severity::Error {
            continue;
        }
        issues.push(json!({
            "description": format!("{}: {}", p.path, p.message),
            "check_name": "antipasta_error",
            "fingerprint": fingerprint(&[p.path, "antipasta-error"]),
            "severity": "critical",
            "location": { "path": p.path, "lines": { "begin": 1 } },
        }));
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
