//! Time budget, priority order, and what was skipped.
//!
//! Stage: between "which files" and "analyse them". Input: the files, their
//! priority keys and a deadline. Output: each file's result, or `None` for a
//! file that never started because the deadline passed or a signal asked the
//! run to stop. Work runs in priority order on threads with a large stack
//! (deeply nested code recurses deeply); a file that has started always
//! finishes, so the run ends shortly after the deadline, never mid-file.
//!
//! Order: files matching the `critical` globs first, then the largest change
//! first (the most new code is the most likely to hold a violation), then
//! by path so that equal keys stay deterministic.
//!
//! The budget counts from the start of the process ([`start`]): reading the
//! configuration and the git index spend the same budget.

use std::cmp::Reverse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Stack for analysis threads: every walk recurses once per nesting level.
pub(crate) const ANALYSIS_STACK_BYTES: usize = 64 * 1024 * 1024;

static START: OnceLock<Instant> = OnceLock::new();

/// The instant the process started its run (the first call fixes it).
pub(crate) fn start() -> Instant {
    *START.get_or_init(Instant::now)
}

/// A deadline, or none.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    pub ms: u64,
    deadline: Option<Instant>,
}

impl Budget {
    /// `ms` from the start of the run; 0 means no limit.
    pub(crate) fn from_start(ms: u64) -> Budget {
        Budget {
            ms,
            deadline: (ms > 0).then(|| start() + Duration::from_millis(ms)),
        }
    }

    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// What one file is worth checking first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Priority {
    pub critical: bool,
    /// Bytes of the new content (or of the whole file for `metrics`).
    pub change_bytes: u64,
}

/// Indices of `keys` in the order work should start.
pub(crate) fn priority_order(keys: &[Priority]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| (Reverse(keys[i].critical), Reverse(keys[i].change_bytes), i));
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
    let next = AtomicUsize::new(0);
    let workers = worker_count(items.len());
    let slow = test_delay();
    let worker = || {
        let mut done = Vec::new();
        loop {
            if budget.expired() || crate::cancel::requested().is_some() {
                break;
            }
            let k = next.fetch_add(1, Ordering::SeqCst);
            let Some(&i) = order.get(k) else { break };
            if let Some(d) = slow {
                std::thread::sleep(d);
            }
            done.push((i, f(&items[i])));
        }
        done
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
                .map_err(|_| anyhow::anyhow!("internal error: an analysis thread panicked"))?;
            for (i, r) in done {
                results[i] = Some(r);
            }
        }
        Ok(())
    })?;
    Ok(results)
}

/// Memory one analysis thread may need at its peak: the AST, tokens and
/// metrics of a large file (the 5 MB default limit) with room to spare.
const WORKER_MEMORY_BYTES: u64 = 512 * 1024 * 1024;

/// One thread per core, no more threads than items, and no more than the
/// available memory carries (so a small container does not thrash).
fn worker_count(items: usize) -> usize {
    if items <= 1 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(items).min(memory_workers()).max(1)
}

fn memory_workers() -> usize {
    let Ok(mut system) = sysinfo::System::new() else {
        return usize::MAX;
    };
    system.refresh_memory();
    let available = system.available_memory();
    if available == 0 {
        // Not reported on this platform: do not limit.
        return usize::MAX;
    }
    usize::try_from(available / WORKER_MEMORY_BYTES).unwrap_or(usize::MAX)
}

/// Applies `max_memory_mb` as an OS limit on the data segment (heap and
/// anonymous mappings), so a runaway allocation fails inside antipasta
/// instead of exhausting the machine. 0 leaves the limit alone. Returns a
/// warning when the limit cannot be set.
pub(crate) fn apply_memory_cap(max_memory_mb: u64) -> Option<String> {
    if max_memory_mb == 0 {
        return None;
    }
    let bytes = max_memory_mb.saturating_mul(1024 * 1024);
    rlimit::setrlimit(rlimit::Resource::DATA, bytes, rlimit::INFINITY)
        .or_else(|_| {
            // An existing hard limit below infinity: keep it as the hard one.
            let (_, hard) = rlimit::getrlimit(rlimit::Resource::DATA)?;
            rlimit::setrlimit(rlimit::Resource::DATA, bytes.min(hard), hard)
        })
        .err()
        .map(|e| format!("cannot cap memory at {max_memory_mb} MiB: {e}"))
}

/// A delay before each file, for the tests of the budget and of signals
/// (a synthetic slow workload makes them independent of machine speed).
fn test_delay() -> Option<Duration> {
    let ms: u64 = std::env::var("ANTIPASTA_TEST_FILE_DELAY_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critical_first_then_largest() {
        let keys = [
            Priority {
                critical: false,
                change_bytes: 10,
            },
            Priority {
                critical: true,
                change_bytes: 1,
            },
            Priority {
                critical: false,
                change_bytes: 99,
            },
            Priority {
                critical: true,
                change_bytes: 5,
            },
        ];
        assert_eq!(priority_order(&keys), [3, 1, 2, 0]);
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
    fn expired_budget_starts_nothing() {
        let items = [1, 2, 3];
        let budget = Budget {
            ms: 1,
            deadline: Some(start()),
        };
        let out = map_in_order(&items, &[0, 1, 2], budget, |x| *x).unwrap();
        assert!(out.iter().all(Option::is_none));
    }
}
