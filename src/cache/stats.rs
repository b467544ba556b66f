//! Run statistics for `cache stats`: each run's hits and misses, in a small
//! file beside the store (`runs-v<SCHEMA>`), replaced by rename.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::{Cache, SCHEMA};

/// How many runs `cache stats` remembers.
pub(super) const RUNS_KEPT: usize = 20;

/// One run's cache use, for `cache stats`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(super) struct RunStat {
    pub(super) unix_minutes: u32,
    pub(super) hits: u64,
    pub(super) misses: u64,
}

/// The run log of `cache stats`, beside the store.
pub(super) fn runs_path(dir: &Path) -> PathBuf {
    dir.join(format!("runs-v{SCHEMA}"))
}

/// The run log; missing or unreadable is just empty (it is statistics).
pub(super) fn read_runs(dir: &Path) -> Vec<RunStat> {
    std::fs::read(runs_path(dir))
        .ok()
        .and_then(|bytes| postcard::from_bytes(&bytes).ok())
        .unwrap_or_default()
}

impl Cache {
    /// Appends this run's hits and misses to the run log. A small file
    /// beside the store, replaced by rename, not an fjall write: an
    /// ingestion costs a table and several fsyncs, too much for statistics
    /// on every warm run. Under the store's lock, so one writer at a time.
    pub(super) fn record_run(&self) -> Result<()> {
        if self.hits.load(Ordering::Relaxed) + self.misses.load(Ordering::Relaxed) == 0 {
            return Ok(());
        }
        let mut runs = read_runs(&self.dir);
        runs.push(RunStat {
            unix_minutes: self.now_minutes,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        });
        if runs.len() > RUNS_KEPT {
            runs.drain(..runs.len() - RUNS_KEPT);
        }
        let bytes = postcard::to_stdvec(&runs)?;
        let path = runs_path(&self.dir);
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)?;
        Ok(())
    }
}
