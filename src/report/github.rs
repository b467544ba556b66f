//! GitHub Actions workflow commands (`--format github`): one `::error`
//! per violation, which GitHub shows as an annotation on the pull request's
//! changed lines, then the summary line as plain log output.

use std::io::{self, Write};

use super::findings::{file_problems, findings, marker_findings, Severity};
use super::Report;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in findings(report) {
        let v = f.violation;
        let mut props = format!("file={},line={}", property(f.path), v.line.max(1));
        if let Some(end) = f.end_line {
            props.push_str(&format!(",endLine={}", end.max(v.line)));
        }
        if v.column > 0 {
            props.push_str(&format!(",col={}", v.column));
        }
        props.push_str(&format!(
            ",title={}",
            property(&format!("antipasta {}", v.metric.name()))
        ));
        writeln!(out, "::error {props}::{}", data(&f.message()))?;
    }
    for m in marker_findings(report) {
        let command = if m.note.error { "error" } else { "warning" };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(m.path),
            m.note.line,
            m.note.column,
            property("antipasta suppression marker"),
            data(&m.note.message())
        )?;
    }
    for p in file_problems(report) {
        let command = match p.severity {
            Severity::Error => "error",
            Severity::Skipped => "notice",
            Severity::Degraded => "warning",
        };
        writeln!(
            out,
            "::{command} file={},title={}::{}",
            property(p.path),
            property("antipasta"),
            data(&format!("{}: {}", p.path, p.message))
        )?;
    }
    writeln!(out, "{}", report.summary_text())
}

/// A command's message, escaped as GitHub documents for workflow commands.
pub(super) fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: the message escapes, and `:` and `,` as well.
pub(super) fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_githubs_rules() {
        assert_eq!(data("50% of a\r\nb: c, d"), "50%25 of a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
