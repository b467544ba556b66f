//! The text report: per file, its problem (skipped, error, partial,
//! degraded) and one line per violation, then the summary line.
//!
//! `metrics` (a tree) writes `path:line:column: name: message` (in colour on
//! a terminal) and always the summary; the gate writes `path:line: name:
//! message` and the summary only when something failed or with `-v`.

use std::io::{self, Write};

use super::{degraded_by_error, degraded_note, FileResult, Report, ReportKind, Style};
use crate::outcome::ProblemKind;

pub(super) fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let s = report.summary();
    if report.kind == ReportKind::Tree && style.quiet {
        // The summary line only: the same one a full report ends with.
        return writeln!(out, "{}", report.summary_text());
    }
    let color = style.color && report.kind == ReportKind::Tree;
    let (red, bold, reset) = if color {
        ("\x1b[31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for file in &report.files {
        file_notes(file, report.kind, (red, bold, reset), out)?;
        for v in &file.violations {
            let name = v.function.as_deref().unwrap_or("<file>");
            match report.kind {
                ReportKind::Tree => writeln!(
                    out,
                    "{bold}{}:{}:{}{reset}: {name}: {red}{}{reset}",
                    file.path,
                    v.line,
                    v.column,
                    v.describe()
                )?,
                ReportKind::Gate => {
                    writeln!(out, "{}:{}: {name}: {}", file.path, v.line, v.describe())?
                }
            }
        }
        markers(file, style, (red, bold, reset), out)?;
    }
    let quiet_gate = report.kind == ReportKind::Gate
        && !style.verbose
        && s.violations == 0
        && s.errors == 0
        && s.marker_errors == 0;
    if quiet_gate {
        return Ok(());
    }
    writeln!(out, "{}", report.summary_text())
}

/// The file's marker problems (stale, unreasoned, unknown metric) and,
/// with `--report-ignored`, what its markers suppressed.
fn markers(
    file: &FileResult,
    style: Style,
    (red, bold, reset): (&str, &str, &str),
    out: &mut dyn Write,
) -> io::Result<()> {
    if style.report_ignored {
        for ignored in &file.exemptions.ignored {
            let v = &ignored.violation;
            writeln!(
                out,
                "{bold}{}:{}:{}{reset}: {}: ignored: {} -- {}",
                file.path,
                v.line,
                v.column,
                v.function.as_deref().unwrap_or("<file>"),
                v.describe(),
                ignored.reason.as_deref().unwrap_or("(no reason given)")
            )?;
        }
    }
    for note in &file.exemptions.notes {
        let severity = if note.error {
            format!("{red}error{reset}")
        } else {
            "warning".to_string()
        };
        writeln!(
            out,
            "{bold}{}:{}:{}{reset}: {severity}: {}",
            file.path,
            note.line,
            note.column,
            note.message()
        )?;
    }
    Ok(())
}

/// The lines saying why a file was not (fully) analysed.
fn file_notes(
    file: &FileResult,
    kind: ReportKind,
    (red, bold, reset): (&str, &str, &str),
    out: &mut dyn Write,
) -> io::Result<()> {
    let path = &file.path;
    let partial = match kind {
        ReportKind::Tree => "(partial: measured what parsed)",
        ReportKind::Gate => "(partial: judged what parsed)",
    };
    match &file.outcome {
        Some(Err(p)) if p.kind == ProblemKind::Skipped => {
            writeln!(out, "{bold}{path}{reset}: {p}")?;
        }
        Some(Err(p)) => writeln!(out, "{bold}{path}{reset}: {red}error{reset}: {p}")?,
        Some(Ok(a)) => {
            if let Some(e) = &a.syntax_error {
                writeln!(out, "{bold}{path}{reset}: {red}error{reset}: {e} {partial}")?;
            }
            if let Some(note) = degraded_note(a) {
                let error = if degraded_by_error(a) {
                    format!("{red}error{reset}: ")
                } else {
                    String::new()
                };
                writeln!(out, "{bold}{path}{reset}: {error}{note}")?;
            }
        }
        None => {}
    }
    Ok(())
}
