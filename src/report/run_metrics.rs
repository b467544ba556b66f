//! The run metrics file (`--metrics-file PATH`, or `metrics_file` in the
//! configuration): one run's counters, written when the run ends, in the
//! Prometheus text exposition format (`.prom`, for node_exporter's textfile
//! collector) or as JSON (`.json`). Written to a temporary file beside the
//! target and renamed over it, so a collector never reads half a file.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::Report;
use crate::timings::Timings;

/// One run's counters (docs/observability.md names each).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RunMetrics {
    /// `check`, `diff` or `metrics`.
    pub mode: &'static str,
    /// When the run ended, in seconds since the Unix epoch.
    pub timestamp_seconds: u64,
    pub duration_seconds: f64,
    pub files: FileCounts,
    /// File contents served by the cache and analysed (a gate file has up
    /// to two: HEAD's and the staged one).
    pub contents_from_cache: u64,
    pub contents_analysed: u64,
    pub functions: usize,
    pub violations: usize,
    /// Seconds per step (the steps of `--timings`), in order.
    #[serde(serialize_with = "as_map")]
    pub phases: Vec<(&'static str, f64)>,
    pub threads: usize,
    pub parallel_efficiency: f64,
    /// 0 when the run had no budget.
    pub budget_seconds: f64,
    /// How far past the budget the run ended (0 within it, or without one).
    pub budget_overrun_seconds: f64,
    /// The process's peak resident memory, where the system reports it.
    pub peak_memory_bytes: Option<u64>,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(crate) struct FileCounts {
    /// Reported: analysed or from the cache, with or without an error.
    pub checked: usize,
    /// Left unchecked by the time budget.
    pub not_checked: usize,
    /// Not analysed by a guard (too large, binary, ...).
    pub skipped: usize,
    /// With an error (a syntax error, undecodable, an internal failure).
    pub failed: usize,
}

impl RunMetrics {
    /// The counters of a run that produced `report`, with its timings.
    pub(crate) fn of(
        mode: &'static str,
        report: &Report,
        timings: &Timings,
        budget_ms: u64,
    ) -> RunMetrics {
        let s = report.summary();
        let counts = crate::timings::counts();
        let duration = (timings.wall_ms * 1000.0).round() / 1e6;
        let budget = budget_ms as f64 / 1000.0;
        let (threads, efficiency) = timings
            .analysis
            .as_ref()
            .map_or((0, 0.0), |a| (a.threads, a.efficiency));
        RunMetrics {
            mode,
            timestamp_seconds: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            duration_seconds: duration,
            files: FileCounts {
                checked: s.files,
                not_checked: report.not_checked.len(),
                skipped: s.skipped,
                failed: s.errors,
            },
            contents_from_cache: counts.cache_hits,
            contents_analysed: counts.analysed,
            functions: s.functions,
            violations: s.violations,
            phases: timings
                .steps
                .iter()
                .map(|st| (st.step, (st.ms * 1000.0).round() / 1e6))
                .collect(),
            threads,
            parallel_efficiency: efficiency,
            budget_seconds: budget,
            budget_overrun_seconds: if budget_ms > 0 {
                ((duration - budget).max(0.0) * 1e6).round() / 1e6
            } else {
                0.0
            },
            peak_memory_bytes: peak_memory_bytes(),
        }
    }

    /// The run as the run history keeps it; `store` is the cache store's
    /// size and limit in bytes.
    pub(crate) fn history_record(
        &self,
        (store_bytes, store_limit): (u64, u64),
    ) -> crate::history::RunRecord {
        crate::history::RunRecord {
            unix_seconds: self.timestamp_seconds,
            mode: self.mode.to_owned(),
            files: self.files.checked as u32,
            not_checked: self.files.not_checked as u32,
            duration_ms: self.duration_seconds * 1000.0,
            cache_hits: self.contents_from_cache,
            analysed: self.contents_analysed,
            violations: self.violations as u32,
            budget_ms: (self.budget_seconds * 1000.0).round() as u64,
            overrun_ms: self.budget_overrun_seconds * 1000.0,
            phases: self
                .phases
                .iter()
                .map(|(p, s)| ((*p).to_owned(), s * 1000.0))
                .collect(),
            store_bytes,
            store_limit,
        }
    }
}

/// Pairs as a JSON object, in their order.
fn as_map<S: serde::Serializer>(pairs: &[(&'static str, f64)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// The process's peak resident set size (Linux: `VmHWM`).
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// One metric family: its name, help, and samples (labels, value).
struct Family<'a> {
    name: &'a str,
    help: &'a str,
    samples: Vec<(Vec<(&'a str, String)>, f64)>,
}

/// The Prometheus text exposition format (version 0.0.4): every family
/// with `# HELP` and `# TYPE` (all gauges: each file describes one run),
/// labelled with the mode.
pub(crate) fn render_prometheus(m: &RunMetrics, out: &mut dyn Write) -> io::Result<()> {
    let mode = || ("mode", m.mode.to_owned());
    let one = |name, help, value: f64| Family {
        name,
        help,
        samples: vec![(vec![mode()], value)],
    };
    let mut families = vec![
        one(
            "antipasta_run_timestamp_seconds",
            "When the run ended, in seconds since the Unix epoch.",
            m.timestamp_seconds as f64,
        ),
        one(
            "antipasta_run_duration_seconds",
            "Wall time of the run, from the process start.",
            m.duration_seconds,
        ),
        Family {
            name: "antipasta_files",
            help: "Files of the run by state: checked, not_checked (the time budget ran out), skipped (a guard), failed (an error).",
            samples: [
                ("checked", m.files.checked),
                ("not_checked", m.files.not_checked),
                ("skipped", m.files.skipped),
                ("failed", m.files.failed),
            ]
            .into_iter()
            .map(|(state, n)| (vec![mode(), ("state", state.to_owned())], n as f64))
            .collect(),
        },
        Family {
            name: "antipasta_contents",
            help: "File contents served by the cache or analysed.",
            samples: vec![
                (
                    vec![mode(), ("source", "cache".to_owned())],
                    m.contents_from_cache as f64,
                ),
                (
                    vec![mode(), ("source", "analysed".to_owned())],
                    m.contents_analysed as f64,
                ),
            ],
        },
        one(
            "antipasta_functions",
            "Functions judged (the gate: changed functions).",
            m.functions as f64,
        ),
        one(
            "antipasta_violations",
            "Violations reported (not baselined, not suppressed).",
            m.violations as f64,
        ),
        Family {
            name: "antipasta_phase_seconds",
            help: "Wall time of each step of the run; the steps add up to the run's duration.",
            samples: m
                .phases
                .iter()
                .map(|(phase, s)| (vec![mode(), ("phase", (*phase).to_owned())], *s))
                .collect(),
        },
        one(
            "antipasta_analysis_threads",
            "Threads that analysed files.",
            m.threads as f64,
        ),
        one(
            "antipasta_parallel_efficiency",
            "The analysis threads' busy time over the analysis step's wall time times the threads.",
            m.parallel_efficiency,
        ),
        one(
            "antipasta_budget_seconds",
            "The run's time budget (0: none).",
            m.budget_seconds,
        ),
        one(
            "antipasta_budget_overrun_seconds",
            "How far past the time budget the run ended (0: within it, or no budget).",
            m.budget_overrun_seconds,
        ),
    ];
    if let Some(bytes) = m.peak_memory_bytes {
        families.push(one(
            "antipasta_peak_memory_bytes",
            "Peak resident memory of the process.",
            bytes as f64,
        ));
    }
    for f in families {
        writeln!(out, "# HELP {} {}", f.name, f.help)?;
        writeln!(out, "# TYPE {} gauge", f.name)?;
        for (labels, value) in f.samples {
            let labels: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
                .collect();
            writeln!(out, "{}{{{}}} {}", f.name, labels.join(","), value)?;
        }
    }
    Ok(())
}

/// A label value as the exposition format writes it.
fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes the metrics to `path`: `.prom` as Prometheus text, `.json` as
/// JSON; through a temporary file renamed over the target.
pub(crate) fn write_file(m: &RunMetrics, path: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut bytes = Vec::new();
    match path.extension().and_then(|e| e.to_str()) {
        Some("prom") => render_prometheus(m, &mut bytes)?,
        Some("json") => {
            serde_json::to_writer_pretty(&mut bytes, m)?;
            bytes.push(b'\n');
        }
        _ => anyhow::bail!(
            "the metrics file {} must end in .prom (Prometheus text) or .json",
            path.display()
        ),
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let write = || -> std::io::Result<()> {
        std::fs::write(&partial, &bytes)?;
        std::fs::rename(&partial, path)
    };
    write().with_context(|| format!("writing the metrics file {}", path.display()))?;
    Ok(())
}
