//! `antipasta history`: the run history as text or JSON.

use std::io::{self, Write};
use std::path::PathBuf;

use serde_json::json;

use crate::history::{sparkline, summarise, RunRecord};

/// What `antipasta history` shows.
pub(crate) struct View<'a> {
    /// The history file.
    pub file: PathBuf,
    /// The runs shown, oldest first.
    pub runs: &'a [&'a RunRecord],
    /// How many of the slowest recent runs to list.
    pub slowest: usize,
    /// Now, in seconds since the epoch (for the runs' ages).
    pub now: u64,
    /// Violations as a sparkline (on a terminal), else as numbers.
    pub sparkline: bool,
}

/// How long ago `at` was, roughly.
fn age(now: u64, at: u64) -> String {
    let s = now.saturating_sub(at);
    match s {
        0..=119 => format!("{s} s ago"),
        120..=7199 => format!("{} min ago", s / 60),
        7200..=172_799 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86400),
    }
}

/// The slowest of the last 50 runs shown, slowest first.
fn slowest<'a>(view: &View<'a>) -> Vec<&'a RunRecord> {
    let recent = &view.runs[view.runs.len().saturating_sub(50)..];
    let mut by_time: Vec<&RunRecord> = recent.to_vec();
    by_time.sort_by(|a, b| b.duration_ms.total_cmp(&a.duration_ms));
    by_time.truncate(view.slowest);
    by_time
}

pub(crate) fn render_text(view: &View<'_>, out: &mut dyn Write) -> io::Result<()> {
    if view.runs.is_empty() {
        return writeln!(out, "no runs recorded yet in {}", view.file.display());
    }
    writeln!(out, "{} runs in {}", view.runs.len(), view.file.display())?;
    writeln!(
        out,
        "{:<8} {:>5} {:>9} {:>9} {:>10} {:>16}",
        "mode", "runs", "p50 ms", "p95 ms", "cache hits", "budget ran out"
    )?;
    let summaries = summarise(view.runs);
    for s in &summaries {
        let hits = s
            .hit_rate
            .map_or("-".to_owned(), |r| format!("{:.0} %", r * 100.0));
        writeln!(
            out,
            "{:<8} {:>5} {:>9.1} {:>9.1} {:>10} {:>16}",
            s.mode, s.runs, s.p50_ms, s.p95_ms, hits, s.over_budget
        )?;
    }
    for s in &summaries {
        let recent = &s.violations[s.violations.len().saturating_sub(60)..];
        let shown = if view.sparkline {
            sparkline(recent)
        } else {
            recent
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        writeln!(out, "violations per {} run, oldest first: {shown}", s.mode)?;
    }
    writeln!(out, "slowest recent runs:")?;
    for r in slowest(view) {
        let what = r.slowest_phase().map_or(String::new(), |(p, ms)| {
            format!(", most in {p} ({ms:.1} ms)")
        });
        let hits = r.hit_rate().map_or(String::new(), |h| {
            format!(", {:.0} % from the cache", h * 100.0)
        });
        let budget = if r.over_budget() { ", over budget" } else { "" };
        writeln!(
            out,
            "  {:>10}  {:<7} {:>8.1} ms  {} files, {} violations{hits}{budget}{what}",
            age(view.now, r.unix_seconds),
            r.mode,
            r.duration_ms,
            r.files,
            r.violations
        )?;
    }
    Ok(())
}

pub(crate) fn render_json(view: &View<'_>, out: &mut dyn Write) -> io::Result<()> {
    let runs: Vec<serde_json::Value> = view
        .runs
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            if let Some(map) = v.as_object_mut() {
                let phases: serde_json::Map<String, serde_json::Value> = r
                    .phases
                    .iter()
                    .map(|(p, ms)| (p.clone(), json!(ms)))
                    .collect();
                map.insert("phases".into(), serde_json::Value::Object(phases));
            }
            v
        })
        .collect();
    let document = json!({
        "file": view.file.display().to_string(),
        "modes": summarise(view.runs),
        "slowest": slowest(view).iter().map(|r| json!({
            "unix_seconds": r.unix_seconds,
            "mode": r.mode,
            "duration_ms": r.duration_ms,
            "slowest_phase": r.slowest_phase().map(|(p, _)| p),
        })).collect::<Vec<_>>(),
        "runs": runs,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
