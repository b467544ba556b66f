//! Time budget, priority order, and what was skipped.
//!
//! Stage: between "which files" and "analyse them". Input: the files, their
//! priority keys and a deadline. Output: each file's result, or `None` for a
//! file that never started because the deadline passed or a signal asked the
//! run to stop. Work runs in priority order on threads with a large stack
//! (deeply nested code recurses deeply); a file that has started always
//! finishes, so the run ends shortly after the deadline, never mid-file.
//!
//! Order: files matching the `critical` globs first, then files that had
//! violations when last judged (remembered in the cache), then the largest
//! change first (the most new code is the most likely to hold a violation),
//! then by path so that equal keys stay deterministic.
//!
//! The budget counts from the start of the process
//! ([`crate::timings::start`]): reading the configuration and the git index
//! spend the same budget.

use std::cmp::Reverse;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::metrics::{Cause, Degraded, Level};

/// Stack for analysis threads: every walk recurses once per nesting level.
pub(crate) const ANALYSIS_STACK_BYTES: usize = 64 * 1024 * 1024;

/// A deadline, or none.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    pub ms: u64,
    deadline: Option<Instant>,
    /// A sleep before each file (`ANTIPASTA_TEST_FILE_DELAY_MS`, for tests).
    file_delay: Option<Duration>,
}

impl Budget {
    /// `ms` from the start of the run; 0 means no limit.
    pub(crate) fn from_start(ms: u64) -> Budget {
        Budget {
            ms,
            deadline: (ms > 0).then(|| crate::timings::start() + Duration::from_millis(ms)),
            file_delay: None,
        }
    }

    /// This budget with a sleep before each file: the tests of the budget
    /// and of signals use a synthetic slow workload, independent of the
    /// machine's speed.
    pub(crate) fn with_file_delay(self, file_delay: Option<Duration>) -> Budget {
        Budget { file_delay, ..self }
    }

    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The level a file of `bytes` starts at now: full while the budget
    /// left covers a full analysis, else the highest level that fits (see
    /// [`level_for`]).
    pub(crate) fn level_now(&self, bytes: u64) -> Option<(Level, Degraded)> {
        let left = self.deadline?.saturating_duration_since(Instant::now());
        level_for(self.ms, left, bytes)
    }
}

/// Bytes per millisecond one core analyses at each level, in a release
/// build: the slower end of `cargo bench --bench throughput` (full: 24 MB/s
/// on sympy, 45 MB/s on the corpus; reduced skips the Halstead walk; the
/// minimal line scan, which needs no parse, runs at over 100 MB/s and
/// always starts).
const FULL_BYTES_PER_MS: u64 = 20_000;
const REDUCED_BYTES_PER_MS: u64 = 26_000;

/// Degradation under a budget: `None` (full) when `left` covers a full
/// analysis of `bytes`, else reduced if that fits, else minimal (which
/// always starts: it is cheap, and a file that has started finishes).
pub(crate) fn level_for(budget_ms: u64, left: Duration, bytes: u64) -> Option<(Level, Degraded)> {
    let need = |rate: u64| Duration::from_millis(bytes / rate);
    if need(FULL_BYTES_PER_MS) <= left {
        return None;
    }
    let level = if need(REDUCED_BYTES_PER_MS) <= left {
        Level::Reduced
    } else {
        Level::Minimal
    };
    Some((
        level,
        Degraded {
            cause: Cause::Budget,
            message: format!(
                "the time budget ({budget_ms} ms) had {} ms left, and a full analysis of {} \
                 bytes takes about {} ms",
                left.as_millis(),
                bytes,
                need(FULL_BYTES_PER_MS).as_millis()
            ),
        },
    ))
}

/// What one file is worth checking first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Priority {
    pub critical: bool,
    /// The file had violations when it was last judged (cache history).
    pub violated_before: bool,
    /// Bytes of the new content (or of the whole file for `metrics`).
    pub change_bytes: u64,
}

/// Indices of `keys` in the order work should start.
pub(crate) fn priority_order(keys: &[Priority]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| {
        let k = &keys[i];
        (
            Reverse(k.critical),
            Reverse(k.violated_before),
            Reverse(k.change_bytes),
            i,
        )
    });
    order
}

/// Maps `f` over `items`, starting them in `order`, on up to `workers`
/// threads. An item that had not started when the budget expired or a
/// signal arrived gives `None`.
pub(crate) fn map_in_order<T, R, F>(
    items: &[T],
    order: &[usize],
    budget: Budget,
    f: F,
) -> Result<Vec<Option<R>>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_in_order_with(items, order, budget, || Ok(()), |_, item| f(item))
}

/// [`map_in_order`] with per-thread state: each worker starts by calling
/// `init` (a repository handle, say: a gix Repository is not Sync), then
/// passes its state to `f` for every item it takes.
pub(crate) fn map_in_order_with<T, S, R, I, F>(
    items: &[T],
    order: &[usize],
    budget: Budget,
    init: I,
    f: F,
) -> Result<Vec<Option<R>>>
where
    T: Sync,
    R: Send,
    I: Fn() -> Result<S> + Sync,
    F: Fn(&mut S, &T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let workers = worker_count(items.len());
    let slow = budget.file_delay;
    let worker = || -> Result<Vec<(usize, R)>> {
        let mut done = Vec::new();
        let mut state = None;
        let timed = crate::timings::on();
        if timed {
            crate::timings::worker_thread();
        }
        let mut busy = Duration::ZERO;
        loop {
            if budget.expired() || crate::cancel::requested().is_some() {
                break;
            }
            let k = next.fetch_add(1, Ordering::SeqCst);
            let Some(&i) = order.get(k) else { break };
            if let Some(d) = slow {
                std::thread::sleep(d);
            }
            let started = timed.then(Instant::now);
            let state = match &mut state {
                Some(s) => s,
                None => state.insert(init()?),
            };
            done.push((i, f(state, &items[i])));
            if let Some(started) = started {
                busy += started.elapsed();
            }
        }
        if timed {
            crate::timings::thread_busy(busy);
        }
        Ok(done)
    };
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let handle = std::thread::Builder::new()
                .name("antipasta-worker".into())
                .stack_size(ANALYSIS_STACK_BYTES)
                .spawn_scoped(scope, worker)
                .context("starting an analysis thread")?;
            handles.push(handle);
        }
        for handle in handles {
            let done = handle
                .join()
                .map_err(|_| anyhow::anyhow!("internal error: an analysis thread panicked"))??;
            for (i, r) in done {
                results[i] = Some(r);
            }
        }
        Ok(())
    })?;
    Ok(results)
}

/// Whether a run of `items` work items leaves a core idle that could
/// take half of one: the machine (cores, available memory) has room for at
/// least twice as many analysis threads. Never under `max_memory_mb`: two
/// halves of a large file at once can need twice the memory of one, which
/// the cap's thread count does not plan for.
pub(crate) fn spare_core(items: usize) -> bool {
    MEMORY_CAP_BYTES.load(Ordering::Relaxed) == 0 && thread_room() >= items.saturating_mul(2)
}

/// Runs `a` on a second analysis thread while `b` runs here, for a caller
/// that [`spare_core`] said may: a one-file commit then analyses its two
/// sides at once instead of one after the other. When the thread cannot
/// start, or has not started `a` by the time `b` is done, `a` runs here
/// after `b`. A panic in `a` goes on in the caller, as if `a` had run
/// here.
pub(crate) fn join<RA, RB>(a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB) -> (RA, RB)
where
    RA: Send,
{
    let slot = std::sync::Mutex::new(Some(a));
    let take = || slot.lock().ok().and_then(|mut a| a.take());
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("antipasta-worker".into())
            .stack_size(ANALYSIS_STACK_BYTES)
            .spawn_scoped(scope, || {
                let timed = crate::timings::on();
                if timed {
                    crate::timings::worker_thread();
                }
                let started = Instant::now();
                let result = take().map(|a| a());
                if timed {
                    crate::timings::thread_busy(started.elapsed());
                }
                result
            });
        let rb = b();
        // `a` not started yet (the thread did not start, or still waits
        // for a core: a busy machine, or a scheduler that packs short work
        // onto one core, as some VMs' do): it runs here now, on this
        // thread's warm heap, rather than after that wait. The thread then
        // finds nothing to run.
        if let Some(a) = take() {
            return (a(), rb);
        }
        let ra = match spawned.map(|handle| handle.join()) {
            Ok(Ok(Some(ra))) => ra,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Ok(Ok(None)) | Err(_) => {
                unreachable!("`a` runs exactly once: here or on the thread")
            }
        };
        (ra, rb)
    })
}

/// How many analysis threads the machine carries: cores, bounded by the
/// available memory and `max_memory_mb`. Worked out once per process (it
/// reads /proc), after the configuration has set the cap.
fn thread_room() -> usize {
    static ROOM: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *ROOM.get_or_init(|| {
        let (cores, available) = machine();
        cores.min(memory_workers(available)).max(1)
    })
}

/// The machine's cores and available memory (0: not reported), read once
/// per process from /proc and the cgroup files.
fn machine() -> (usize, u64) {
    static MACHINE: std::sync::OnceLock<(usize, u64)> = std::sync::OnceLock::new();
    *MACHINE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let available = sysinfo::System::new().map_or(0, |mut system| {
            system.refresh_memory();
            system.available_memory()
        });
        (cores, available)
    })
}

/// Reads the machine's size now, off the path of the run: the pre-commit
/// check's prefetch thread does (git::prefetch), before the analysis asks.
pub(crate) fn read_machine() {
    machine();
}

/// Memory one analysis thread may need at its peak: the AST, tokens and
/// metrics of a large file (the 5 MB default limit) with room to spare.
const WORKER_MEMORY_BYTES: u64 = 512 * 1024 * 1024;

/// One thread per core, no more threads than items, and no more than the
/// available memory carries (so a small container does not thrash) or
/// than fit under `max_memory_mb`.
fn worker_count(items: usize) -> usize {
    if items <= 1 {
        return 1;
    }
    thread_room().min(items)
}

fn memory_workers(available: u64) -> usize {
    let capped = capped_workers(MEMORY_CAP_BYTES.load(Ordering::Relaxed));
    if available == 0 {
        // Not reported on this platform: do not limit.
        return capped;
    }
    usize::try_from(available / WORKER_MEMORY_BYTES)
        .unwrap_or(usize::MAX)
        .min(capped)
}

/// The smallest `max_memory_mb` a run can work under: one analysis
/// thread's stack (reserved address space counts against `RLIMIT_DATA`)
/// plus [`CAPPED_RESERVE_BYTES`] for everything else. Below it the walk or
/// the first thread fails to start.
pub(crate) const MIN_MEMORY_MB: u64 = (ANALYSIS_STACK_BYTES as u64 + CAPPED_RESERVE_BYTES) >> 20;

/// Under a memory cap, what is kept outside the analysis threads: the
/// binary's heap, the walk's and the cache's threads, the git index.
const CAPPED_RESERVE_BYTES: u64 = 32 << 20;

/// Under a memory cap, what one more analysis thread takes: its stack
/// and the working memory of a typical file (a large one needs more; the
/// cap then ends the run with its message).
const CAPPED_WORKER_BYTES: u64 = ANALYSIS_STACK_BYTES as u64 + (32 << 20);

/// The cap set by [`apply_memory_cap`], 0 for none.
static MEMORY_CAP_BYTES: AtomicU64 = AtomicU64::new(0);

/// How many analysis threads fit under a cap of `cap` bytes (0: no cap):
/// at least one, since a cap below [`MIN_MEMORY_MB`] is refused when the
/// configuration is read.
fn capped_workers(cap: u64) -> usize {
    if cap == 0 {
        return usize::MAX;
    }
    let room = cap.saturating_sub(CAPPED_RESERVE_BYTES) / CAPPED_WORKER_BYTES;
    usize::try_from(room).unwrap_or(usize::MAX).max(1)
}

/// Applies `max_cpu_seconds` as an OS limit on the process's CPU time
/// (RLIMIT_CPU, all threads together; 0 leaves it alone). Reaching it
/// ends the run with `message` and exit `code` (see
/// [`crate::cancel::on_cpu_limit`]); a hard limit a little above lets the
/// kernel end a process that would ignore the signal. Returns a warning
/// when the limit cannot be set.
pub(crate) fn apply_cpu_cap(seconds: u64, message: String, code: i32) -> Option<String> {
    if seconds == 0 {
        return None;
    }
    // Already used CPU counts: the limit is on the process's total.
    let set = || -> std::io::Result<()> {
        crate::cancel::on_cpu_limit(message, code)?;
        let (_, hard) = rlimit::getrlimit(rlimit::Resource::CPU)?;
        let wanted_hard = seconds.saturating_add(5).min(hard);
        rlimit::setrlimit(rlimit::Resource::CPU, seconds.min(wanted_hard), wanted_hard)
    };
    set()
        .err()
        .map(|e| format!("cannot cap CPU time at {seconds} s: {e}"))
}

/// Applies `max_memory_mb` as an OS limit on the data segment (heap,
/// anonymous mappings, thread stacks), so a runaway allocation fails
/// inside antipasta instead of exhausting the machine, and the analysis
/// threads are as many as fit under it. 0 leaves the limit alone. Returns
/// a warning when the limit cannot be set. What a refused allocation does
/// is set apart ([`crate::alloc::on_exhausted`]).
pub(crate) fn apply_memory_cap(max_memory_mb: u64) -> Option<String> {
    if max_memory_mb == 0 {
        return None;
    }
    let bytes = max_memory_mb.saturating_mul(1024 * 1024);
    let applied = rlimit::setrlimit(rlimit::Resource::DATA, bytes, rlimit::INFINITY)
        .map(|()| bytes)
        .or_else(|_| {
            // An existing hard limit below infinity: keep it as the hard one.
            let (_, hard) = rlimit::getrlimit(rlimit::Resource::DATA)?;
            rlimit::setrlimit(rlimit::Resource::DATA, bytes.min(hard), hard)
                .map(|()| bytes.min(hard))
        });
    match applied {
        Ok(cap) => {
            // The thread count plans for the limit in force.
            MEMORY_CAP_BYTES.store(cap, Ordering::Relaxed);
            None
        }
        Err(e) => Some(format!("cannot cap memory at {max_memory_mb} MiB: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_runs_both_once_and_a_panic_reaches_the_caller() {
        let runs = AtomicUsize::new(0);
        let started = std::sync::atomic::AtomicBool::new(false);
        let name = || std::thread::current().name().map(str::to_owned);
        let (a, b) = join(
            || {
                started.store(true, Ordering::SeqCst);
                runs.fetch_add(1, Ordering::SeqCst);
                name()
            },
            || {
                runs.fetch_add(1, Ordering::SeqCst);
                // Until `a` has started on its thread, or it would run here.
                let waiting = Instant::now();
                while !started.load(Ordering::SeqCst) && waiting.elapsed() < Duration::from_secs(20)
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                7
            },
        );
        assert_eq!((runs.load(Ordering::SeqCst), b), (2, 7));
        assert_eq!(a.as_deref(), Some("antipasta-worker"));
        // `b` done at once: `a` runs exactly once, on its thread or, not
        // started yet, here.
        let (a, b) = join(
            || {
                runs.fetch_add(1, Ordering::SeqCst);
                name()
            },
            || 8,
        );
        assert_eq!((runs.load(Ordering::SeqCst), b), (3, 8));
        assert!(
            a.as_deref() == Some("antipasta-worker") || a == name(),
            "ran on {a:?}"
        );
        let caught = std::panic::catch_unwind(|| {
            join(|| panic!("side a"), || 1);
        });
        let message = caught.unwrap_err();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"side a"));
        // As many items as threads: no core is spare.
        assert!(!spare_core(usize::MAX / 2));
        assert_eq!(spare_core(1), thread_room() >= 2);
    }

    #[test]
    fn memory_cap_limits_the_analysis_threads() {
        let mib = |n: u64| n << 20;
        assert_eq!(capped_workers(0), usize::MAX);
        assert_eq!(capped_workers(mib(MIN_MEMORY_MB)), 1);
        assert_eq!(capped_workers(mib(160)), 1);
        // 32 reserved + 2 × (64 stack + 32 working).
        assert_eq!(capped_workers(mib(224)), 2);
        assert_eq!(capped_workers(mib(2048)), 21);
        assert_eq!(MIN_MEMORY_MB, 96);
    }

    #[test]
    fn budget_left_picks_the_highest_level_that_fits() {
        let ms = Duration::from_millis;
        // 1 MB: full ~50 ms, reduced ~38 ms.
        let mb = 1_000_000;
        assert_eq!(level_for(200, ms(60), mb), None);
        assert_eq!(level_for(200, ms(50), mb), None);
        let (level, why) = level_for(200, ms(45), mb).unwrap();
        assert_eq!((level, why.cause), (Level::Reduced, Cause::Budget));
        assert_eq!(
            why.message,
            "the time budget (200 ms) had 45 ms left, and a full analysis of 1000000 bytes \
             takes about 50 ms"
        );
        assert_eq!(level_for(200, ms(10), mb).unwrap().0, Level::Minimal);
        assert_eq!(level_for(200, ms(0), mb).unwrap().0, Level::Minimal);
        // Small files always fit while any time is left.
        assert_eq!(level_for(200, ms(1), 10_000), None);
    }

    #[test]
    fn no_budget_never_degrades() {
        assert!(Budget::from_start(0).level_now(u64::MAX).is_none());
    }

    #[test]
    fn critical_first_then_earlier_violations_then_largest() {
        let p = |critical, violated_before, change_bytes| Priority {
            critical,
            violated_before,
            change_bytes,
        };
        let keys = [
            p(false, false, 10),
            p(true, false, 1),
            p(false, false, 99),
            p(true, false, 5),
            p(false, true, 2),
            p(true, true, 1),
        ];
        assert_eq!(priority_order(&keys), [5, 3, 1, 4, 2, 0]);
    }

    #[test]
    fn unlimited_budget_maps_everything() {
        let items: Vec<u32> = (0..50).collect();
        let order: Vec<usize> = (0..50).rev().collect();
        let out = map_in_order(&items, &order, Budget::from_start(0), |x| x * 2).unwrap();
        assert!(out
            .iter()
            .enumerate()
            .all(|(i, r)| *r == Some(i as u32 * 2)));
    }

    #[test]
    fn each_worker_initialises_its_state_once_and_only_when_it_works() {
        let inits = AtomicUsize::new(0);
        let items: Vec<u32> = (0..40).collect();
        let order: Vec<usize> = (0..40).collect();
        let out = map_in_order_with(
            &items,
            &order,
            Budget::from_start(0),
            || Ok(inits.fetch_add(1, Ordering::SeqCst) * 1000),
            |state, x| *state + *x as usize,
        )
        .unwrap();
        let n = inits.load(Ordering::SeqCst);
        assert!(n >= 1 && n <= worker_count(items.len()), "{n} inits");
        assert!(out
            .iter()
            .enumerate()
            .all(|(i, r)| r.is_some_and(|v| v % 1000 == i)));
        // A worker that never takes an item never initialises.
        inits.store(0, Ordering::SeqCst);
        let expired = Budget {
            ms: 1,
            deadline: Some(crate::timings::start()),
            file_delay: None,
        };
        let out = map_in_order_with(
            &items,
            &order,
            expired,
            || {
                inits.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
            |_, x| *x,
        )
        .unwrap();
        assert!(out.iter().all(Option::is_none));
        assert_eq!(inits.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_failing_initialisation_fails_the_map() {
        let items = [1, 2];
        let err = map_in_order_with(
            &items,
            &[0, 1],
            Budget::from_start(0),
            || -> Result<()> { anyhow::bail!("no handle") },
            |_, x| *x,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "no handle");
    }

    #[test]
    fn expired_budget_starts_nothing() {
        let items = [1, 2, 3];
        let budget = Budget {
            ms: 1,
            deadline: Some(crate::timings::start()),
            file_delay: None,
        };
        let out = map_in_order(&items, &[0, 1, 2], budget, |x| *x).unwrap();
        assert!(out.iter().all(Option::is_none));
    }
}
