//! The run history: the last runs of a repository (or of a cache
//! directory), kept beside the cache store, and what they show (the
//! percentiles of `antipasta history`, the hook's alerts).
//!
//! One small file, `history-v2` in the cache directory: a log of
//! postcard-encoded entries (a run, or an alert given), each run appending
//! its own in one write (not an fjall write: an ingestion costs several
//! fsyncs, too much for every commit). Rewriting the whole file by rename
//! at the end of every run cost a pre-commit check a third of a
//! millisecond; now it is rewritten only once it holds a quarter more runs
//! than it keeps, or when it needs mending. Two runs ending at the same
//! instant, one of them rewriting, can lose one record; it is statistics.
//! Entries after one that does not decode are dropped, and the file is
//! rewritten with what did. A `history-v1` file (the whole history in one
//! postcard value, rewritten every run) is read when there is no log yet.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One run, as the history keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct RunRecord {
    /// When it ended, in seconds since the Unix epoch.
    pub unix_seconds: u64,
    /// `check`, `diff` or `metrics`.
    pub mode: String,
    pub files: u32,
    pub not_checked: u32,
    pub duration_ms: f64,
    pub cache_hits: u64,
    pub analysed: u64,
    pub violations: u32,
    /// 0: no budget.
    pub budget_ms: u64,
    pub overrun_ms: f64,
    /// The steps and their milliseconds, in order.
    pub phases: Vec<(String, f64)>,
    /// The store's size and limit when the run ended (0 without a cache).
    pub store_bytes: u64,
    pub store_limit: u64,
}

impl RunRecord {
    /// The share of contents the cache served; `None` when there were none.
    pub(crate) fn hit_rate(&self) -> Option<f64> {
        hit_rate(&[self])
    }

    /// The budget ran out: files left unchecked, or the run ended past it.
    pub(crate) fn over_budget(&self) -> bool {
        self.not_checked > 0 || self.overrun_ms > 0.0
    }

    /// The step that took longest.
    pub(crate) fn slowest_phase(&self) -> Option<&(String, f64)> {
        self.phases.iter().max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// The history: the runs, oldest first, and when each kind of alert was
/// last given (seconds since the epoch).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct History {
    pub runs: Vec<RunRecord>,
    pub alerted: BTreeMap<String, u64>,
    /// How many runs the file held when it was read.
    #[serde(skip)]
    file_runs: usize,
    /// The file must be rewritten rather than appended to: it was the old
    /// format, or part of it did not decode.
    #[serde(skip)]
    mend: bool,
    /// Read by [`read_light`]: the runs have no phases.
    #[serde(skip)]
    light: bool,
}

/// One entry of the log.
#[derive(Serialize, Deserialize)]
enum Entry {
    Run(RunRecord),
    Alerted(String, u64),
}

/// [`Entry`] borrowed, for writing: the same variants in the same order
/// encode to the same bytes.
#[derive(Serialize)]
enum EntryRef<'a> {
    Run(&'a RunRecord),
    Alerted(&'a str, u64),
}

/// [`Entry`] as the end of a run reads it: the same encoding, each run's
/// phases skipped (not allocated) and its mode borrowed. Decoding every
/// phase name of a full log was a tenth of a small pre-commit check's
/// main thread; the alerts do not look at phases.
#[derive(Deserialize)]
enum EntryLight<'a> {
    Run(#[serde(borrow)] RunLight<'a>),
    Alerted(&'a str, u64),
}

/// [`RunRecord`]'s fields in its order, but for the phases.
#[derive(Deserialize)]
struct RunLight<'a> {
    unix_seconds: u64,
    mode: &'a str,
    files: u32,
    not_checked: u32,
    duration_ms: f64,
    cache_hits: u64,
    analysed: u64,
    violations: u32,
    budget_ms: u64,
    overrun_ms: f64,
    #[allow(dead_code)]
    phases: SkippedPhases,
    store_bytes: u64,
    store_limit: u64,
}

/// A run's phases, read past: each name is still checked to be UTF-8, so
/// an entry decodes here exactly when it decodes in full.
struct SkippedPhases;

impl<'de> Deserialize<'de> for SkippedPhases {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Skip;
        impl<'de> serde::de::Visitor<'de> for Skip {
            type Value = SkippedPhases;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("phases")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                while seq.next_element::<(&'de str, f64)>()?.is_some() {}
                Ok(SkippedPhases)
            }
        }
        d.deserialize_seq(Skip)
    }
}

impl From<RunLight<'_>> for RunRecord {
    fn from(r: RunLight<'_>) -> Self {
        RunRecord {
            unix_seconds: r.unix_seconds,
            mode: r.mode.to_owned(),
            files: r.files,
            not_checked: r.not_checked,
            duration_ms: r.duration_ms,
            cache_hits: r.cache_hits,
            analysed: r.analysed,
            violations: r.violations,
            budget_ms: r.budget_ms,
            overrun_ms: r.overrun_ms,
            phases: Vec::new(),
            store_bytes: r.store_bytes,
            store_limit: r.store_limit,
        }
    }
}

pub(crate) fn path(cache_dir: &Path) -> PathBuf {
    cache_dir.join("history-v2")
}

/// The history in `cache_dir`; empty when there is none, and without the
/// entries from the first one that does not decode.
pub(crate) fn read(cache_dir: &Path) -> History {
    match std::fs::read(path(cache_dir)) {
        Ok(bytes) => decode(&bytes),
        Err(_) => {
            let legacy = std::fs::read(cache_dir.join("history-v1"))
                .ok()
                .and_then(|bytes| postcard::from_bytes::<History>(&bytes).ok());
            match legacy {
                Some(mut history) => {
                    history.file_runs = history.runs.len();
                    history.mend = true;
                    history
                }
                None => History::default(),
            }
        }
    }
}

/// [`read`] without the runs' phases, for the end of a run: enough for the
/// alerts and for appending. Should [`record`] have to rewrite the file,
/// it reads the phases then.
pub(crate) fn read_light(cache_dir: &Path) -> History {
    let Ok(bytes) = std::fs::read(path(cache_dir)) else {
        return read(cache_dir);
    };
    let mut history = History {
        light: true,
        ..History::default()
    };
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let Ok((entry, tail)) = postcard::take_from_bytes::<EntryLight<'_>>(rest) else {
            history.mend = true;
            break;
        };
        match entry {
            EntryLight::Run(run) => history.runs.push(run.into()),
            EntryLight::Alerted(kind, at) => {
                history.alerted.insert(kind.to_owned(), at);
            }
        }
        rest = tail;
    }
    history.file_runs = history.runs.len();
    history
}

fn decode(mut bytes: &[u8]) -> History {
    let mut history = History::default();
    while !bytes.is_empty() {
        let Ok((entry, rest)) = postcard::take_from_bytes::<Entry>(bytes) else {
            history.mend = true;
            break;
        };
        match entry {
            Entry::Run(run) => history.runs.push(run),
            Entry::Alerted(kind, at) => {
                history.alerted.insert(kind, at);
            }
        }
        bytes = rest;
    }
    history.file_runs = history.runs.len();
    history
}

/// Records the end of a run: `history` is what [`read`] returned, with
/// the run [`push`]ed and the alerts given; `given` are those alerts'
/// kinds. Appends the run and those alerts, or rewrites the file, through
/// a rename, with the last `keep` runs once it holds a quarter more (at
/// least 16) or needs mending.
pub(crate) fn record(
    cache_dir: &Path,
    history: &History,
    given: &[&str],
    keep: usize,
) -> std::io::Result<()> {
    let encode = |entries: &mut dyn Iterator<Item = EntryRef<'_>>| -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        for entry in entries {
            bytes = postcard::to_extend(&entry, bytes).map_err(std::io::Error::other)?;
        }
        Ok(bytes)
    };
    let target = path(cache_dir);
    let slack = (keep / 4).max(16);
    if history.mend || history.file_runs + 1 > keep + slack {
        let full;
        let history = if history.light {
            full = with_phases(cache_dir, history, keep);
            &full
        } else {
            history
        };
        let alerted = history
            .alerted
            .iter()
            .map(|(kind, &at)| EntryRef::Alerted(kind, at));
        let runs = history.runs.iter().map(EntryRef::Run);
        let bytes = encode(&mut alerted.chain(runs))?;
        let partial = cache_dir.join(format!(".history-v2.{}.partial", std::process::id()));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, target)?;
        // The old format's file is replaced, not kept beside.
        let _ = std::fs::remove_file(cache_dir.join("history-v1"));
        return Ok(());
    }
    let Some(run) = history.runs.last() else {
        return Ok(());
    };
    let alerted = given
        .iter()
        .filter_map(|kind| history.alerted.get_key_value(*kind))
        .map(|(kind, &at)| EntryRef::Alerted(kind, at));
    let bytes = encode(&mut std::iter::once(EntryRef::Run(run)).chain(alerted))?;
    // One write of the whole entry, appended: concurrent runs do not
    // interleave their bytes.
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(target)?
        .write_all(&bytes)
}

/// `light` (from [`read_light`], its last run pushed since) with every
/// run's phases: the file read in full, that last run and the alerts
/// given since added.
fn with_phases(cache_dir: &Path, light: &History, keep: usize) -> History {
    let mut full = read(cache_dir);
    if let Some(run) = light.runs.last() {
        push(&mut full, run.clone(), keep);
    }
    full.alerted.clone_from(&light.alerted);
    full.mend |= light.mend;
    full
}

/// Appends `run`, keeping the last `keep` runs.
pub(crate) fn push(history: &mut History, run: RunRecord, keep: usize) {
    history.runs.push(run);
    if history.runs.len() > keep {
        let extra = history.runs.len() - keep;
        history.runs.drain(..extra);
    }
}

/// The share of `runs`' contents the cache served, all runs together;
/// `None` when they had none.
/// Only runs that used a store count: a pre-commit check of a small change
/// runs without one, and its analyses say nothing about the cache.
pub(crate) fn hit_rate(runs: &[&RunRecord]) -> Option<f64> {
    let (hits, all) = runs
        .iter()
        .filter(|r| r.store_limit > 0)
        .fold((0, 0), |(h, a), r| {
            (h + r.cache_hits, a + r.cache_hits + r.analysed)
        });
    (all > 0).then(|| hits as f64 / all as f64)
}

/// The `p`-th percentile (0..=100) of `values`, by nearest rank.
pub(crate) fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// A sparkline of `values` (eight block heights, scaled to the maximum).
pub(crate) fn sparkline(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| match max {
            0 => BARS[0],
            _ => BARS[(v as usize * (BARS.len() - 1)).div_ceil(max as usize)],
        })
        .collect()
}

/// One mode's summary, for `antipasta history`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ModeSummary {
    pub mode: String,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// Contents from the cache over all contents, over these runs.
    pub hit_rate: Option<f64>,
    pub over_budget: usize,
    /// Violations per run, oldest first.
    pub violations: Vec<u32>,
}

/// Per mode (in the order modes first appear), the percentiles and counts
/// of `runs`.
pub(crate) fn summarise(runs: &[&RunRecord]) -> Vec<ModeSummary> {
    let mut modes: Vec<String> = Vec::new();
    for r in runs {
        if !modes.contains(&r.mode) {
            modes.push(r.mode.clone());
        }
    }
    modes
        .into_iter()
        .map(|mode| {
            let of: Vec<&RunRecord> = runs.iter().copied().filter(|r| r.mode == mode).collect();
            let durations: Vec<f64> = of.iter().map(|r| r.duration_ms).collect();
            ModeSummary {
                runs: of.len(),
                p50_ms: percentile(&durations, 50.0).unwrap_or(0.0),
                p95_ms: percentile(&durations, 95.0).unwrap_or(0.0),
                hit_rate: hit_rate(&of),
                over_budget: of.iter().filter(|r| r.over_budget()).count(),
                violations: of.iter().map(|r| r.violations).collect(),
                mode,
            }
        })
        .collect()
}

/// What the alerts compare against (`[alerts]` in the configuration).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AlertRules {
    pub enabled: bool,
    /// Recent runs looked at.
    pub window: usize,
    /// Runs of the window in which the budget ran out before it is said.
    pub budget_runs: usize,
    /// The window's p95 over the older runs' median.
    pub slowdown: f64,
    /// The window's hit rate under this share of the older runs'.
    pub hit_rate_drop: f64,
    /// The store's size over its limit.
    pub store_full: f64,
}

impl Default for AlertRules {
    fn default() -> Self {
        AlertRules {
            enabled: true,
            window: 20,
            budget_runs: 3,
            slowdown: 2.0,
            hit_rate_drop: 0.5,
            store_full: 0.9,
        }
    }
}

/// An alert: its kind (for the once-a-day rule) and its line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Alert {
    pub kind: &'static str,
    pub message: String,
}

/// A day, the least time between two alerts of one kind.
const ALERT_EVERY_SECONDS: u64 = 24 * 60 * 60;

/// The alerts the hook's recent runs (`mode`'s, the last one included)
/// call for, each kind at most once a day (`history.alerted` is updated);
/// `budget_ms` is the configured budget, for the advice.
pub(crate) fn alerts(
    history: &mut History,
    mode: &str,
    rules: &AlertRules,
    now: u64,
    budget_ms: u64,
) -> Vec<Alert> {
    if !rules.enabled {
        return Vec::new();
    }
    let runs: Vec<&RunRecord> = history.runs.iter().filter(|r| r.mode == mode).collect();
    let split = runs.len().saturating_sub(rules.window);
    let (older, recent) = runs.split_at(split);
    let mut found = Vec::new();
    let over = recent.iter().filter(|r| r.over_budget()).count();
    if rules.budget_runs > 0 && over >= rules.budget_runs {
        found.push(Alert {
            kind: "budget",
            message: format!(
                "the time budget ran out in {over} of the last {} runs: raise `budget_ms` \
                 (now {budget_ms}) or list the files that matter most in `critical`",
                recent.len()
            ),
        });
    }
    // The comparisons need a history of their own and a full window.
    if older.len() >= rules.window && recent.len() >= rules.window {
        let p95 = percentile(
            &recent.iter().map(|r| r.duration_ms).collect::<Vec<_>>(),
            95.0,
        );
        let median = percentile(
            &older.iter().map(|r| r.duration_ms).collect::<Vec<_>>(),
            50.0,
        );
        if let (Some(p95), Some(median)) = (p95, median) {
            if median > 0.0 && p95 >= rules.slowdown * median {
                found.push(Alert {
                    kind: "slowdown",
                    message: format!(
                        "runs got slower: the p95 of the last {} is {p95:.0} ms, {:.1}x the \
                         median before them ({median:.0} ms); `antipasta history` shows what \
                         took the time",
                        recent.len(),
                        p95 / median
                    ),
                });
            }
        }
        if let (Some(now_rate), Some(before)) = (hit_rate(recent), hit_rate(older)) {
            if before > 0.0 && now_rate < rules.hit_rate_drop * before {
                found.push(Alert {
                    kind: "hit_rate",
                    message: format!(
                        "the cache served {:.0} % of the last {} runs' files, down from {:.0} %: \
                         the store may be too small for this repository; raise `cache_size`",
                        now_rate * 100.0,
                        recent.len(),
                        before * 100.0
                    ),
                });
            }
        }
    }
    if let Some(last) = recent.last() {
        if last.store_limit > 0
            && last.store_limit < u64::MAX
            && last.store_bytes as f64 >= rules.store_full * last.store_limit as f64
        {
            found.push(Alert {
                kind: "store_full",
                message: format!(
                    "the cache store is at {:.0} % of its limit ({} of {} bytes): older \
                     entries are being evicted; raise `cache_size`",
                    last.store_bytes as f64 * 100.0 / last.store_limit as f64,
                    last.store_bytes,
                    last.store_limit
                ),
            });
        }
    }
    found.retain(|a| {
        let due = history
            .alerted
            .get(a.kind)
            .is_none_or(|&at| now.saturating_sub(at) >= ALERT_EVERY_SECONDS);
        if due {
            history.alerted.insert(a.kind.to_owned(), now);
        }
        due
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(duration_ms: f64) -> RunRecord {
        RunRecord {
            unix_seconds: 0,
            mode: "check".into(),
            files: 1,
            not_checked: 0,
            duration_ms,
            cache_hits: 1,
            analysed: 1,
            violations: 0,
            budget_ms: 1000,
            overrun_ms: 0.0,
            phases: vec![("analysis".into(), duration_ms)],
            store_bytes: 0,
            store_limit: 256 << 20,
        }
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(10.0));
        assert_eq!(percentile(&v, 95.0), Some(19.0));
        assert_eq!(percentile(&v, 100.0), Some(20.0));
        assert_eq!(percentile(&[7.0], 95.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "▁▂▃▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    /// What a run does at its end: read (without phases), push, alerts,
    /// record.
    fn end_run(dir: &Path, duration_ms: f64, given: &[(&'static str, u64)], keep: usize) {
        let mut h = read_light(dir);
        push(&mut h, run(duration_ms), keep);
        for (kind, at) in given {
            h.alerted.insert((*kind).to_owned(), *at);
        }
        let kinds: Vec<&str> = given.iter().map(|(k, _)| *k).collect();
        record(dir, &h, &kinds, keep).unwrap();
    }

    fn durations(h: &History) -> Vec<f64> {
        h.runs.iter().map(|r| r.duration_ms).collect()
    }

    #[test]
    fn the_log_appends_and_is_rewritten_past_its_slack() {
        let dir = tempfile::tempdir().unwrap();
        let keep = 4; // slack: 16
        end_run(dir.path(), 0.0, &[("budget", 7)], keep);
        let one = std::fs::metadata(path(dir.path())).unwrap().len();
        end_run(dir.path(), 1.0, &[], keep);
        let two = std::fs::metadata(path(dir.path())).unwrap().len();
        assert!(two > one, "appended: {one} -> {two}");
        let h = read(dir.path());
        assert_eq!(durations(&h), [0.0, 1.0]);
        assert_eq!(h.alerted.get("budget"), Some(&7));
        // Up to keep + slack runs are appended; the next one rewrites.
        for i in 2..20 {
            end_run(dir.path(), f64::from(i), &[], keep);
        }
        assert_eq!(read(dir.path()).runs.len(), 20);
        end_run(dir.path(), 20.0, &[("slowdown", 9)], keep);
        let h = read(dir.path());
        assert_eq!(durations(&h), [17.0, 18.0, 19.0, 20.0]);
        assert_eq!(h.alerted.get("budget"), Some(&7), "kept by the rewrite");
        assert_eq!(h.alerted.get("slowdown"), Some(&9));
        // A later alert of the same kind replaces the earlier one.
        end_run(dir.path(), 21.0, &[("budget", 30)], keep);
        assert_eq!(read(dir.path()).alerted.get("budget"), Some(&30));
    }

    #[test]
    fn a_light_read_is_a_full_one_without_phases_and_rewrites_keep_them() {
        let dir = tempfile::tempdir().unwrap();
        let keep = 4; // slack: 16
        for i in 0..20 {
            end_run(dir.path(), f64::from(i), &[("budget", 7)], keep);
        }
        let full = read(dir.path());
        let light = read_light(dir.path());
        assert!(light.runs.iter().all(|r| r.phases.is_empty()));
        let without = |h: &History| -> Vec<RunRecord> {
            let mut runs = h.runs.clone();
            runs.iter_mut().for_each(|r| r.phases.clear());
            runs
        };
        assert_eq!(without(&full), light.runs);
        assert_eq!(full.alerted, light.alerted);
        assert!(full
            .runs
            .iter()
            .all(|r| r.phases == run(r.duration_ms).phases));
        // The 21st run rewrites the file from a light read: every run kept
        // still has its phases.
        end_run(dir.path(), 20.0, &[], keep);
        let h = read(dir.path());
        assert_eq!(durations(&h), [17.0, 18.0, 19.0, 20.0]);
        assert!(h.runs.iter().all(|r| r.phases == run(r.duration_ms).phases));
        assert_eq!(h.alerted.get("budget"), Some(&7));
    }

    #[test]
    fn a_torn_entry_is_dropped_and_the_log_mended() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            end_run(dir.path(), f64::from(i), &[], 10);
        }
        let file = path(dir.path());
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        let h = read(dir.path());
        assert_eq!(durations(&h), [0.0, 1.0]);
        // The next run rewrites the file, so its own entry is readable.
        end_run(dir.path(), 3.0, &[], 10);
        assert_eq!(durations(&read(dir.path())), [0.0, 1.0, 3.0]);
    }

    #[test]
    fn the_old_format_is_read_then_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = History::default();
        old.runs.push(run(5.0));
        old.alerted.insert("budget".into(), 3);
        let v1 = dir.path().join("history-v1");
        std::fs::write(&v1, postcard::to_stdvec(&old).unwrap()).unwrap();
        assert_eq!(durations(&read(dir.path())), [5.0]);
        end_run(dir.path(), 6.0, &[], 10);
        let h = read(dir.path());
        assert_eq!(durations(&h), [5.0, 6.0]);
        assert_eq!(h.alerted.get("budget"), Some(&3));
        assert!(!v1.exists());
    }

    #[test]
    fn push_keeps_the_last_runs() {
        let mut h = History::default();
        for i in 0..5 {
            push(&mut h, run(f64::from(i)), 3);
        }
        let kept: Vec<f64> = h.runs.iter().map(|r| r.duration_ms).collect();
        assert_eq!(kept, [2.0, 3.0, 4.0]);
    }

    #[test]
    fn each_alert_fires_on_its_cause_only_and_once_a_day() {
        let rules = AlertRules::default();
        let healthy = || {
            let mut h = History::default();
            for _ in 0..40 {
                push(&mut h, run(10.0), 200);
            }
            h
        };
        let kinds = |h: &mut History| -> Vec<&'static str> {
            alerts(h, "check", &rules, 0, 1000)
                .iter()
                .map(|a| a.kind)
                .collect()
        };
        assert!(alerts(&mut healthy(), "check", &rules, 1000, 1000).is_empty());

        let mut h = healthy();
        for r in h.runs.iter_mut().rev().take(3) {
            r.not_checked = 2;
        }
        let found = alerts(&mut h, "check", &rules, 1000, 1000);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "budget");
        assert!(
            found[0].message.contains("3 of the last 20"),
            "{}",
            found[0].message
        );
        // Not again the same day; again the next.
        assert!(alerts(&mut h, "check", &rules, 1000 + 3600, 1000).is_empty());
        assert_eq!(alerts(&mut h, "check", &rules, 1000 + 86400, 1000).len(), 1);

        let mut h = healthy();
        for r in h.runs.iter_mut().rev().take(2) {
            r.duration_ms = 25.0;
        }
        assert_eq!(kinds(&mut h), ["slowdown"]);

        let mut h = healthy();
        for r in h.runs.iter_mut().rev().take(20) {
            r.cache_hits = 0;
        }
        assert_eq!(kinds(&mut h), ["hit_rate"]);

        // Runs without a store (small hook changes) are not a cache that
        // stopped serving.
        let mut h = healthy();
        for r in h.runs.iter_mut().rev().take(20) {
            r.cache_hits = 0;
            r.store_limit = 0;
        }
        assert_eq!(kinds(&mut h), Vec::<&str>::new());
        assert_eq!(
            hit_rate(&h.runs.iter().rev().take(20).collect::<Vec<_>>()),
            None
        );

        let mut h = healthy();
        h.runs.last_mut().unwrap().store_bytes = 250 << 20;
        assert_eq!(kinds(&mut h), ["store_full"]);

        // Other modes' runs are not the hook's; disabled is silent.
        let mut h = healthy();
        for r in &mut h.runs {
            r.not_checked = 1;
            r.mode = "metrics".into();
        }
        assert!(alerts(&mut h, "check", &rules, 0, 1000).is_empty());
        let off = AlertRules {
            enabled: false,
            ..rules
        };
        let mut h = healthy();
        h.runs.last_mut().unwrap().store_bytes = 250 << 20;
        assert!(alerts(&mut h, "check", &off, 0, 1000).is_empty());
    }
}
