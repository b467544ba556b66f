//! The report flattened for the CI formats (SARIF, GitHub, GitLab, JUnit):
//! each violation with the function's extent and a fingerprint that does
//! not move with the function, and each file the run could not (fully)
//! analyse with its reason.

use super::{degraded_note, file_error, FileResult, Report};
use crate::exemptions::{MarkerNote, MarkerProblem};
use crate::outcome::ProblemKind;
use crate::thresholds::Violation;

/// Where the project lives, for links in reports (`informationUri`, rule help).
pub(crate) const HOMEPAGE: &str = "https://github.com/antipasta-dev/antipasta";

/// One violation, located.
pub(crate) struct Finding<'a> {
    pub path: &'a str,
    pub violation: &'a Violation,
    /// The qualified name, or `<file>` for a file-scope rule.
    pub name: &'a str,
    /// The last line of the function (`None` for a file-scope rule).
    pub end_line: Option<u32>,
}

impl Finding<'_> {
    /// `Parser.parse: cognitive_complexity 17 > 15` (in the gate with the
    /// HEAD value: `12 → 17 > 15 (modified)`).
    pub(crate) fn message(&self) -> String {
        format!("{}: {}", self.name, self.violation.describe())
    }

    /// Stable across runs while the function keeps its file and name: the
    /// lines it sits on do not count, so moving it keeps its alerts.
    pub(crate) fn fingerprint(&self) -> String {
        fingerprint(&[
            self.path,
            self.violation.function.as_deref().unwrap_or(""),
            self.violation.metric.name(),
        ])
    }
}

/// Every violation of the report, in report order.
/// A stable identity for CI systems that track findings across runs: the
/// xxh3 of the parts joined by NUL, in hex. No line numbers, so it stays
/// when the code moves.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let key = parts.join("\0");
    format!("{:016x}", twox_hash::XxHash3_64::oneshot(key.as_bytes()))
}

pub(crate) fn findings(report: &Report) -> Vec<Finding<'_>> {
    report
        .files
        .iter()
        .flat_map(|file| {
            file.violations.iter().map(move |v| Finding {
                path: &file.path,
                violation: v,
                name: v.function.as_deref().unwrap_or("<file>"),
                end_line: end_line(file, v),
            })
        })
        .collect()
}

/// The last line of the function a violation names: from the judged
/// functions in the gate, from the analysis in a tree.
fn end_line(file: &FileResult, v: &Violation) -> Option<u32> {
    let name = v.function.as_deref()?;
    if let Some(change) = &file.change {
        if let Some(f) = change
            .judged
            .iter()
            .find(|f| f.name == name && f.line == v.line)
        {
            return Some(f.end_line);
        }
    }
    match &file.outcome {
        Some(Ok(a)) => a
            .functions
            .iter()
            .find(|f| f.qualname == name && f.line == v.line)
            .or_else(|| a.functions.iter().find(|f| f.qualname == name))
            .map(|f| f.end_line),
        _ => None,
    }
}

/// A problem with a suppression marker, located at the marker.
pub(crate) struct MarkerFinding<'a> {
    pub path: &'a str,
    pub note: &'a MarkerNote,
}

impl MarkerFinding<'_> {
    /// Stable while the marker keeps its file, function and problem.
    pub(crate) fn fingerprint(&self) -> String {
        let what = match &self.note.problem {
            MarkerProblem::Stale { metric, .. } => metric.map_or("", |m| m.name()),
            MarkerProblem::Unknown { name, .. } => name,
            MarkerProblem::NoReason => "",
        };
        fingerprint(&[
            self.path,
            self.note.function.as_deref().unwrap_or(""),
            self.note.problem.name(),
            what,
        ])
    }
}

/// Every marker problem of the report, in report order.
pub(crate) fn marker_findings(report: &Report) -> Vec<MarkerFinding<'_>> {
    report
        .files
        .iter()
        .flat_map(|file| {
            file.exemptions.notes.iter().map(move |note| MarkerFinding {
                path: &file.path,
                note,
            })
        })
        .collect()
}

/// The rule id of marker problems in SARIF and GitLab.
pub(crate) const MARKER_RULE: &str = "suppression_marker";

/// How serious a file's problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Severity {
    /// Not (fully) analysed because of an error: unreadable, undecodable,
    /// a syntax error (partial), antipasta's own failure.
    Error,
    /// Left out on purpose: too large, binary.
    Skipped,
    /// Analysed below full (the time budget), not an error.
    Degraded,
}

/// A file the run could not fully analyse.
pub(crate) struct FileProblem<'a> {
    pub path: &'a str,
    pub severity: Severity,
    pub message: String,
}

/// The files with a problem, in report order, then the files the time
/// budget left unchecked (as degraded, with the path).
pub(crate) fn file_problems(report: &Report) -> Vec<FileProblem<'_>> {
    let mut problems = Vec::new();
    for file in &report.files {
        let path = file.path.as_str();
        match &file.outcome {
            Some(Err(p)) => problems.push(FileProblem {
                path,
                severity: if p.kind == ProblemKind::Skipped {
                    Severity::Skipped
                } else {
                    Severity::Error
                },
                message: p.to_string(),
            }),
            Some(Ok(a)) => {
                if let Some(e) = file_error(a) {
                    let partial = if a.syntax_error.is_some() {
                        " (partial: the rest was analysed)"
                    } else {
                        ""
                    };
                    problems.push(FileProblem {
                        path,
                        severity: Severity::Error,
                        message: format!("{e}{partial}"),
                    });
                } else if let Some(note) = degraded_note(a) {
                    problems.push(FileProblem {
                        path,
                        severity: Severity::Degraded,
                        message: note,
                    });
                }
            }
            None => {}
        }
    }
    for path in &report.not_checked {
        problems.push(FileProblem {
            path,
            severity: Severity::Degraded,
            message: "not checked: the time budget ran out".into(),
        });
    }
    problems
}
