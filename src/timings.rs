//! Where a run's time went (`--timings`).
//!
//! Two views of one run. **Steps** are what the main thread does one after
//! another: [`step`] ends the step in progress and starts the next, so the
//! steps tile the run from the process start with no gap and add up to its
//! wall time. **Work** is what the analysis threads spend their time on
//! inside the analysis step, summed over threads and exclusive (a nested
//! [`work`] pauses the one around it), with each thread's busy time, which
//! gives the parallel efficiency: busy / (analysis wall × threads).
//!
//! Every checking run [`enable`]s it (logs, the run metrics and the history
//! record the steps): a step is one short lock, a work probe two clock
//! reads. Before that, and in unit tests that do not enable it, every probe
//! is one relaxed atomic load.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::log::ms;

/// A step of the main thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// From the process start: the command line, the environment.
    Startup,
    /// The repository and the configuration found and read.
    Discover,
    /// The changes: the git index against HEAD, or a commit range.
    Git,
    /// The files: the walk of the tree (and, overlapped, the cache opened).
    Walk,
    CacheOpen,
    /// The cache asked about both sides of every file, blob sizes read.
    CacheGet,
    /// Every file read and analysed, on the analysis threads.
    Analysis,
    /// Functions matched across the two sides, and the verdicts.
    Diff,
    /// The verdicts of a tree run (`metrics`, done on the threads) sorted.
    Judge,
    /// New results written to the cache store.
    CachePut,
    Report,
}

impl Step {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Step::Startup => "startup",
            Step::Discover => "discover",
            Step::Git => "git index and diff",
            Step::Walk => "walk and cache open",
            Step::CacheOpen => "cache open",
            Step::CacheGet => "cache get",
            Step::Analysis => "analysis",
            Step::Diff => "function diff and verdicts",
            Step::Judge => "judge",
            Step::CachePut => "cache put",
            Step::Report => "report",
        }
    }
}

/// A kind of work on an analysis thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Work {
    /// A blob from the object database, or a file from the disk.
    Read,
    Decode,
    Parse,
    /// Everything after the parse: functions, every metric family, markers.
    Metrics,
    CacheGet,
    /// Encoding and staging a record (the write itself is a step).
    CachePut,
    /// The thresholds applied (`metrics` judges on the threads).
    Judge,
}

const WORK: [Work; 7] = [
    Work::Read,
    Work::Decode,
    Work::Parse,
    Work::Metrics,
    Work::CacheGet,
    Work::CachePut,
    Work::Judge,
];

impl Work {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Work::Read => "read",
            Work::Decode => "decode",
            Work::Parse => "parse",
            Work::Metrics => "metrics",
            Work::CacheGet => "cache get",
            Work::CachePut => "cache put",
            Work::Judge => "judge",
        }
    }

    /// Its slot in [`WORK_NANOS`] (declaration order, as in [`WORK`]).
    fn index(self) -> usize {
        self as usize
    }
}

static START: OnceLock<Instant> = OnceLock::new();

/// The instant the process started its run (the first call fixes it): the
/// start of the first step, and of the time budget.
pub(crate) fn start() -> Instant {
    *START.get_or_init(Instant::now)
}

static ENABLED: AtomicBool = AtomicBool::new(false);
/// `--timings`: the report shows them (logs and run metrics only record).
static SHOWN: AtomicBool = AtomicBool::new(false);
static WORK_NANOS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

struct Steps {
    current: Step,
    since: Instant,
    done: Vec<(Step, Duration)>,
    /// Busy time of each analysis thread.
    busy: Vec<Duration>,
}

static STEPS: Mutex<Option<Steps>> = Mutex::new(None);

thread_local! {
    /// The work in progress on this thread, and since when it is counted.
    static CURRENT: Cell<Option<(Work, Instant)>> = const { Cell::new(None) };
    /// Whether this thread is an analysis thread (only their work counts).
    static WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as an analysis thread.
pub(crate) fn worker_thread() {
    WORKER.with(|w| w.set(true));
}

/// Whether timing is on (threads then measure their busy time).
pub(crate) fn on() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Turns timing on; the startup step counts from the process start.
/// `shown`: the report shows them (`--timings`).
pub(crate) fn enable(shown: bool) {
    SHOWN.store(shown, Ordering::Relaxed);
    if let Ok(mut steps) = STEPS.lock() {
        *steps = Some(Steps {
            current: Step::Startup,
            since: start(),
            done: Vec::new(),
            busy: Vec::new(),
        });
        ENABLED.store(true, Ordering::Relaxed);
    }
}

/// Ends the step in progress and starts `next`.
pub(crate) fn step(next: Step) {
    if !on() {
        return;
    }
    let now = Instant::now();
    if let Ok(mut guard) = STEPS.lock() {
        if let Some(steps) = guard.as_mut() {
            let took = now - steps.since;
            tracing::debug!(
                target: "antipasta::phase",
                phase = steps.current.name(),
                elapsed_ms = crate::log::ms(took),
                "phase done"
            );
            match steps.done.last_mut() {
                Some((s, d)) if *s == steps.current => *d += took,
                _ => steps.done.push((steps.current, took)),
            }
            steps.current = next;
            steps.since = now;
        }
    }
}

/// Records one analysis thread's busy time.
pub(crate) fn thread_busy(busy: Duration) {
    if !on() {
        return;
    }
    if let Ok(mut guard) = STEPS.lock() {
        if let Some(steps) = guard.as_mut() {
            steps.busy.push(busy);
        }
    }
}

fn add(kind: Work, took: Duration) {
    let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
    WORK_NANOS[kind.index()].fetch_add(nanos, Ordering::Relaxed);
}

/// Restores the outer work when a [`work`] ends, even by a panic.
struct Restore(Option<(Work, Instant)>);

impl Drop for Restore {
    fn drop(&mut self) {
        let end = Instant::now();
        let outer = self.0.map(|(k, _)| (k, end));
        if let Some((kind, since)) = CURRENT.with(|c| c.replace(outer)) {
            add(kind, end - since);
        }
    }
}

/// Runs `f`, counting its time (less any nested work) as `kind`.
pub(crate) fn work<R>(kind: Work, f: impl FnOnce() -> R) -> R {
    if !on() || !WORKER.with(Cell::get) {
        return f();
    }
    let now = Instant::now();
    let outer = CURRENT.with(|c| c.replace(Some((kind, now))));
    if let Some((k, since)) = outer {
        add(k, now - since);
    }
    let _restore = Restore(outer);
    f()
}

/// A run's timings, as `--timings` prints them and the JSON report holds.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Timings {
    /// From the process start to the end of the last step.
    pub wall_ms: f64,
    pub steps: Vec<StepTime>,
    /// The analysis threads; absent when no file was analysed.
    pub analysis: Option<Threads>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct StepTime {
    pub step: &'static str,
    pub ms: f64,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Threads {
    pub threads: usize,
    /// Each thread's busy time.
    pub busy_ms: Vec<f64>,
    /// Busy time over (the analysis step's wall time × threads).
    pub efficiency: f64,
    /// Summed over the threads; what is not listed is `other`.
    pub work: Vec<StepTime>,
}

static CACHE_HITS: AtomicU64 = AtomicU64::new(0);
static ANALYSED: AtomicU64 = AtomicU64::new(0);

/// A content served by the cache.
pub(crate) fn count_cache_hit() {
    CACHE_HITS.fetch_add(1, Ordering::Relaxed);
}

/// A content analysed.
pub(crate) fn count_analysed() {
    ANALYSED.fetch_add(1, Ordering::Relaxed);
}

static STORE_BYTES: AtomicU64 = AtomicU64::new(0);
static STORE_LIMIT: AtomicU64 = AtomicU64::new(0);

/// The cache store's size and limit when the run closed it.
pub(crate) fn note_store(bytes: u64, limit: u64) {
    STORE_BYTES.store(bytes, Ordering::Relaxed);
    STORE_LIMIT.store(limit, Ordering::Relaxed);
}

/// The cache store's size and limit in bytes (0, 0: no store was used).
pub(crate) fn store_size() -> (u64, u64) {
    (
        STORE_BYTES.load(Ordering::Relaxed),
        STORE_LIMIT.load(Ordering::Relaxed),
    )
}

/// The run's counters so far.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    pub cache_hits: u64,
    pub analysed: u64,
}

pub(crate) fn counts() -> Counts {
    Counts {
        cache_hits: CACHE_HITS.load(Ordering::Relaxed),
        analysed: ANALYSED.load(Ordering::Relaxed),
    }
}

/// [`snapshot`] when `--timings` asked for them in the report.
pub(crate) fn shown() -> Option<Timings> {
    SHOWN.load(Ordering::Relaxed).then(snapshot).flatten()
}

/// The timings so far, with the step in progress counted up to now; `None`
/// when timing is off.
pub(crate) fn snapshot() -> Option<Timings> {
    if !on() {
        return None;
    }
    let now = Instant::now();
    let guard = STEPS.lock().ok()?;
    let steps = guard.as_ref()?;
    let mut done = steps.done.clone();
    let took = now - steps.since;
    match done.last_mut() {
        Some((s, d)) if *s == steps.current => *d += took,
        _ => done.push((steps.current, took)),
    }
    let wall: Duration = done.iter().map(|(_, d)| *d).sum();
    let analysis_wall: Duration = done
        .iter()
        .filter(|(s, _)| *s == Step::Analysis)
        .map(|(_, d)| *d)
        .sum();
    let analysis = (!steps.busy.is_empty()).then(|| {
        let busy: Duration = steps.busy.iter().sum();
        let mut work: Vec<StepTime> = WORK
            .iter()
            .map(|w| StepTime {
                step: w.name(),
                ms: ms(Duration::from_nanos(
                    WORK_NANOS[w.index()].load(Ordering::Relaxed),
                )),
            })
            .filter(|w| w.ms > 0.0)
            .collect();
        let listed: f64 = work.iter().map(|w| w.ms).sum();
        work.push(StepTime {
            step: "other",
            ms: ((ms(busy) - listed).max(0.0) * 1e3).round() / 1e3,
        });
        let capacity = analysis_wall.as_secs_f64() * steps.busy.len() as f64;
        Threads {
            threads: steps.busy.len(),
            busy_ms: steps.busy.iter().map(|d| ms(*d)).collect(),
            efficiency: if capacity > 0.0 {
                ((busy.as_secs_f64() / capacity).min(1.0) * 1000.0).round() / 1000.0
            } else {
                0.0
            },
            work,
        }
    });
    Some(Timings {
        wall_ms: ms(wall),
        steps: done
            .iter()
            .map(|(s, d)| StepTime {
                step: s.name(),
                ms: ms(*d),
            })
            .collect(),
        analysis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test: the state is process-wide.
    #[test]
    fn steps_tile_the_run_and_nested_work_is_exclusive() {
        assert!(snapshot().is_none());
        work(Work::Parse, || ());
        assert_eq!(WORK_NANOS[Work::Parse.index()].load(Ordering::Relaxed), 0);
        enable(true);
        work(Work::Parse, || ());
        assert_eq!(WORK_NANOS[Work::Parse.index()].load(Ordering::Relaxed), 0);
        worker_thread();
        step(Step::Discover);
        std::thread::sleep(Duration::from_millis(3));
        step(Step::Analysis);
        work(Work::Parse, || {
            std::thread::sleep(Duration::from_millis(4));
            work(Work::Metrics, || {
                std::thread::sleep(Duration::from_millis(6))
            });
            std::thread::sleep(Duration::from_millis(4));
        });
        thread_busy(Duration::from_millis(18));
        step(Step::Report);
        let t = snapshot().unwrap();
        let names: Vec<_> = t.steps.iter().map(|s| s.step).collect();
        assert_eq!(names, ["startup", "discover", "analysis", "report"]);
        let sum: f64 = t.steps.iter().map(|s| s.ms).sum();
        assert!((sum - t.wall_ms).abs() < 0.01, "{sum} vs {}", t.wall_ms);
        assert!(t.steps[1].ms >= 3.0);
        let a = t.analysis.unwrap();
        let of = |name| a.work.iter().find(|w| w.step == name).map(|w| w.ms);
        let (parse, metrics) = (of("parse").unwrap(), of("metrics").unwrap());
        assert!((8.0..12.0).contains(&parse), "parse {parse}");
        assert!((6.0..9.0).contains(&metrics), "metrics {metrics}");
        assert_eq!(a.threads, 1);
        // A panic inside work still restores the outer kind.
        let _ = std::panic::catch_unwind(|| work(Work::Read, || panic!("x")));
        assert!(CURRENT.with(Cell::get).is_none());
    }
}
