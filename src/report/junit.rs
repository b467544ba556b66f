//! JUnit XML (`--format junit`): a test suite per file, a test case per
//! judged function with a `failure` per violation, and a `<file>` case for
//! the file-scope rules, or the file's `error` or `skipped` reason. What CI
//! systems show as a test report (GitLab's `artifacts:reports:junit`,
//! Jenkins, Azure DevOps).
//!
//! Counts: `tests` = functions (+ the `<file>` case), `failures` = the
//! violations (a case may carry several), `errors` = files that could not
//! be analysed, `skipped` = files left out.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{file_error, FileResult, Report};
use crate::outcome::ProblemKind;
use crate::thresholds::Violation;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for file in &report.files {
        let suite = suite(file);
        tests += suite.tests;
        failures += suite.failures;
        errors += suite.errors;
        skipped += suite.skipped;
        suites.push_str(&suite.xml);
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="antipasta" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}">"#
    )?;
    out.write_all(suites.as_bytes())?;
    writeln!(out, "</testsuites>")
}

struct Suite {
    xml: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// The cases of one file: its functions (the judged ones in the gate), then
/// `<file>` for file-scope violations and the file's own problem.
fn suite(file: &FileResult) -> Suite {
    let mut cases: Vec<(String, u32, Vec<&Violation>)> = Vec::new();
    match (&file.change, &file.outcome) {
        (Some(change), _) => {
            for f in &change.judged {
                cases.push((f.name.clone(), f.line, Vec::new()));
            }
        }
        (None, Some(Ok(a))) => {
            for f in &a.functions {
                cases.push((f.qualname.clone(), f.line, Vec::new()));
            }
        }
        _ => {}
    }
    let mut file_level = Vec::new();
    for v in &file.violations {
        let case = v.function.as_deref().and_then(|name| {
            cases
                .iter_mut()
                .find(|(n, line, _)| n == name && *line == v.line)
        });
        match case {
            Some((_, _, list)) => list.push(v),
            None => file_level.push(v),
        }
    }
    let (problem, problem_tag) = match &file.outcome {
        Some(Err(p)) if p.kind == ProblemKind::Skipped => (Some(p.to_string()), "skipped"),
        Some(Err(p)) => (Some(p.to_string()), "error"),
        Some(Ok(a)) => (file_error(a), "error"),
        None => (None, "error"),
    };
    let analysed = matches!(file.outcome, Some(Ok(_)));
    let mut s = Suite {
        xml: String::new(),
        tests: 0,
        failures: 0,
        errors: 0,
        skipped: 0,
    };
    let mut body = String::new();
    let path = escape(&file.path);
    for (name, _, violations) in &cases {
        s.tests += 1;
        s.failures += violations.len();
        case(&mut body, &path, name, violations, None);
    }
    if analysed || !file_level.is_empty() || problem.is_some() {
        s.tests += 1;
        s.failures += file_level.len();
        let own = problem.as_deref().map(|p| (problem_tag, p));
        match own {
            Some(("skipped", _)) => s.skipped += 1,
            Some(_) => s.errors += 1,
            None => {}
        }
        case(&mut body, &path, "<file>", &file_level, own);
    }
    let _ = writeln!(
        s.xml,
        r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
        s.tests, s.failures, s.errors, s.skipped
    );
    s.xml.push_str(&body);
    s.xml.push_str("  </testsuite>\n");
    s
}

fn case(
    xml: &mut String,
    path: &str,
    name: &str,
    violations: &[&Violation],
    problem: Option<(&str, &str)>,
) {
    let name = escape(name);
    if violations.is_empty() && problem.is_none() {
        let _ = writeln!(xml, r#"    <testcase classname="{path}" name="{name}"/>"#);
        return;
    }
    let _ = writeln!(xml, r#"    <testcase classname="{path}" name="{name}">"#);
    for v in violations {
        let message = escape(&v.describe());
        let _ = writeln!(
            xml,
            r#"      <failure message="{message}" type="{}">{path}:{}: {name}: {message}</failure>"#,
            v.metric.name(),
            v.line
        );
    }
    if let Some((tag, text)) = problem {
        let _ = writeln!(xml, r#"      <{tag} message="{}"/>"#, escape(text));
    }
    xml.push_str("    </testcase>\n");
}

/// Text for an XML attribute or element: the five markup characters as
/// entities, and characters XML 1.0 cannot carry (control characters
/// other than tab and line breaks) as U+FFFD.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_any_text_well_formed() {
        assert_eq!(escape(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
        assert_eq!(escape("x\u{1}y\tz"), "x\u{FFFD}y\tz");
    }
}
