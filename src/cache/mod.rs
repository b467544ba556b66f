//! The analysis cache: an fjall (LSM-tree) store of finished file analyses,
//! keyed by content, shared by `check`, `diff` and `metrics`.
//!
//! Key = engine id (crate version + [`FORMAT`]) + the metric-options
//! fingerprint (never the thresholds: changing a limit invalidates nothing) +
//! a [`ContentId`] (a git blob id, or an xxh3-128 of bytes). Value = one
//! record: a record version byte, an xxh3-64 checksum over key and payload,
//! and the file's outcome (its whole [`FileAnalysis`](crate::metrics::FileAnalysis), or its per-file error
//! message) encoded with postcard. A record that fails any check is a miss
//! and a warning, never an error, and is removed.
//!
//! Where: `<git common dir>/antipasta-cache` inside a repository (linked
//! worktrees share it), else `$XDG_CACHE_HOME/antipasta` or
//! `~/.cache/antipasta`; `--cache-dir` / `ANTIPASTA_CACHE_DIR` override it and
//! `--no-cache` turns it off. The store lives in `store-v<SCHEMA>` below that
//! directory; a schema change starts a fresh store and deletes the old one.
//!
//! Writes. Nothing goes through fjall's journal: new records, access stamps
//! and removals are collected in memory and written as whole tables by bulk
//! ingestion (sorted, registered atomically) at the end of the run, or
//! earlier when more than [`PENDING_FLUSH_BYTES`] pile up. fjall replays its
//! whole journal on every open and only starts a new one at 64 MB, so a
//! journal that took every write made each warm run pay for all earlier
//! ones (12 ms of a 50 ms warm run on sympy); without it, opening costs
//! about a millisecond.
//!
//! Safety. fjall holds an exclusive lock on the store: a second process waits
//! about 200 ms, then runs uncached with a one-line notice. Values are only
//! written once an analysis is complete, an ingestion is registered whole or
//! not at all, and every record carries its own checksum bound to its key,
//! so `kill -9` at any point leaves either the old state or a detected bad
//! record, never a wrong answer (a run killed before its ingestion just
//! stores nothing). A store fjall cannot open, or that fails a read, is moved
//! aside (`store-v<SCHEMA>.corrupt`) and rebuilt, with a warning.
//!
//! Size. Each entry has an access stamp (minutes, refreshed at most hourly so
//! warm runs write almost nothing); when the store grows past its limit
//! (default 256 MB) the least recently used entries are evicted down to 80 %.
//!
//! The cache's notices are values ([`Notices`]) that the caller prints on
//! stderr: they must never mix into a report on stdout, and a cache problem
//! never changes a run's result.

pub(crate) mod admin;
mod commits;
pub(crate) mod content;
mod history;
mod record;
mod stats;
mod store;
mod worktree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use fjall::{Database, Keyspace, KeyspaceCreateOptions};

use crate::isolate::catch;
pub(crate) use crate::outcome::Outcome;
use crate::outcome::ProblemKind;
pub(crate) use content::ContentId;
use record::{decode_record, decode_stamp, encode_record, engine_prefix, key_prefix};
use stats::{read_runs, runs_path};
pub(crate) use worktree::{Content, WorktreeCache};

/// Bump when the store's layout (keyspaces, meta records) changes: a fresh
/// store is started and the old one deleted.
const SCHEMA: u32 = 3;
/// The store schema and the record format, for `antipasta version`.
pub(crate) fn formats() -> (u32, u32) {
    (SCHEMA, record::FORMAT)
}

/// How long to wait for a store held by another process.
const LOCK_WAIT: Duration = Duration::from_millis(200);
/// Access stamps are refreshed when older than this (minutes).
const TOUCH_EVERY_MINUTES: u32 = 60;
/// Pending writes larger than this are ingested before the run ends.
const PENDING_FLUSH_BYTES: usize = 32 * 1024 * 1024;

/// Where the cache is and how a run may use it: plain values that `run`
/// takes from the command line and the environment, then completes with
/// the configuration ([`CacheOptions::with_configured_size`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct CacheOptions {
    pub disabled: bool,
    /// `--cache-dir`, else `ANTIPASTA_CACHE_DIR`.
    pub dir: Option<PathBuf>,
    /// The user's cache directory, for runs outside any repository.
    pub user_dir: Option<PathBuf>,
    /// Size limit on disk: `--cache-size` or `ANTIPASTA_CACHE_SIZE`, else
    /// the configured one; `None` (not configured yet): no limit.
    pub limit_bytes: Option<u64>,
    /// New results are only written when computing them took at least
    /// this long in total (`None`: always written). See [`Cache::finish`].
    pub write_min: Option<Duration>,
    /// `ANTIPASTA_CACHE_WRITE_MIN_MS`, which overrides a mode's `write_min`.
    pub write_min_override: Option<Duration>,
}

impl CacheOptions {
    /// These options with the configured size limit (`cache_size`, 0:
    /// none) unless the command line or the environment set one.
    pub(crate) fn with_configured_size(&self, bytes: u64) -> CacheOptions {
        let configured = if bytes == 0 { u64::MAX } else { bytes };
        CacheOptions {
            limit_bytes: self.limit_bytes.or(Some(configured)),
            ..self.clone()
        }
    }

    /// These options with `write_min` = `default`, unless
    /// `ANTIPASTA_CACHE_WRITE_MIN_MS` set it (0: always write).
    pub(crate) fn with_write_min(&self, default: Duration) -> CacheOptions {
        CacheOptions {
            write_min: Some(self.write_min_override.unwrap_or(default)),
            ..self.clone()
        }
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit_bytes.unwrap_or(u64::MAX)
    }
}

/// The pre-commit check's `write_min`: writing costs two table ingestions,
/// about 4-5 ms, more than re-analysing a few small files next time.
pub(crate) const HOOK_WRITE_MIN: Duration = Duration::from_millis(5);

/// The cache directory for a run in `repo` (or outside any repository);
/// `None` when caching is off or no location is known.
pub(crate) fn location(options: &CacheOptions, repo: Option<&gix::Repository>) -> Option<PathBuf> {
    if options.disabled {
        return None;
    }
    if let Some(dir) = &options.dir {
        return Some(dir.clone());
    }
    if let Some(repo) = repo {
        return Some(repo.common_dir().join("antipasta-cache"));
    }
    options.user_dir.clone()
}

/// Whether a store already exists in the cache directory `dir`.
pub(crate) fn store_exists(dir: &Path) -> bool {
    store_path(dir).exists()
}

/// Things about the cache the user should hear about (a busy or damaged
/// store); collected for the caller to print, never an error.
pub(crate) type Notices = Vec<String>;

fn notice(notices: &mut Notices, message: &str) {
    notices.push(format!("cache: {message}"));
}

/// An open store for one run.
pub(crate) struct Cache {
    /// Held for the run: the keyspace lives as long as its database.
    _db: Database,
    /// Everything, in three spaces (see [`store`]).
    keyspace: Keyspace,
    values: Space,
    access: Space,
    meta: Space,
    dir: PathBuf,
    prefix: [u8; 16],
    now_minutes: u32,
    limit: u64,
    hits: AtomicU64,
    misses: AtomicU64,
    writes: AtomicU64,
    bad_records: AtomicU64,
    /// A read failed inside fjall: stop using the store, move it aside at the end.
    broken: AtomicBool,
    /// Writes not yet ingested.
    pending: Mutex<Pending>,
    /// Total time spent computing the outcomes put so far (nanoseconds).
    computed_nanos: AtomicU64,
    /// See [`CacheOptions::write_min`].
    write_min: Option<Duration>,
}

use store::{ingest, Change, Space};

/// Writes collected during a run, per keyspace (key → new value, or
/// `None` for a removal).
#[derive(Default)]
struct Pending {
    values: HashMap<Vec<u8>, Option<Vec<u8>>>,
    access: HashMap<Vec<u8>, Option<Vec<u8>>>,
    meta: HashMap<Vec<u8>, Option<Vec<u8>>>,
    bytes: usize,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.values.is_empty() && self.access.is_empty() && self.meta.is_empty()
    }
}

fn now_minutes() -> u32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    u32::try_from(secs / 60).unwrap_or(u32::MAX)
}

fn store_path(dir: &Path) -> PathBuf {
    dir.join(format!("store-v{SCHEMA}"))
}

fn corrupt_path(dir: &Path) -> PathBuf {
    dir.join(format!("store-v{SCHEMA}.corrupt"))
}

/// Why a store could not be opened.
enum OpenFailure {
    /// Another process holds it.
    Locked,
    /// It cannot be used right now (permissions, a full disk): skip it.
    Unavailable(String),
    /// Its files are damaged or from an unknown format: move it aside.
    Corrupt(String),
}

fn open_database(store: &Path) -> Result<Database, OpenFailure> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        // fjall already retries a held lock for ~200 ms when recovering an
        // existing store; creating a new one fails at once, hence this loop.
        let opened = catch(|| {
            Database::builder(store)
                .worker_threads(1)
                .cache_size(8 * 1024 * 1024)
                .open()
        });
        match opened {
            Ok(Ok(db)) => return Ok(db),
            Ok(Err(fjall::Error::Locked)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(Err(fjall::Error::Locked)) => return Err(OpenFailure::Locked),
            Ok(Err(fjall::Error::Io(e)))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied
                        | std::io::ErrorKind::ReadOnlyFilesystem
                        | std::io::ErrorKind::StorageFull
                ) =>
            {
                return Err(OpenFailure::Unavailable(e.to_string()))
            }
            Ok(Err(e)) => return Err(OpenFailure::Corrupt(e.to_string())),
            Err(_) => return Err(OpenFailure::Corrupt("opening it panicked".to_owned())),
        }
    }
}

fn keyspace(db: &Database) -> fjall::Result<Keyspace> {
    db.keyspace("cache", KeyspaceCreateOptions::default)
}

/// Moves a damaged store out of the way (replacing an older damaged one).
fn move_aside(dir: &Path) -> std::io::Result<PathBuf> {
    let aside = corrupt_path(dir);
    if aside.exists() {
        std::fs::remove_dir_all(&aside)?;
    }
    std::fs::rename(store_path(dir), &aside)?;
    Ok(aside)
}

/// Deletes stores of other schemas (only called when starting a new one).
fn remove_old_schemas(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let current = format!("store-v{SCHEMA}");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("store-v") && name != current && !name.ends_with(".corrupt") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Cache {
    /// Opens the store in `dir` for a run with these metric options; `None`
    /// (with a notice saying why) when it cannot be used. Never an error.
    pub(crate) fn open(
        dir: &Path,
        fingerprint: u64,
        options: &CacheOptions,
        notices: &mut Notices,
    ) -> Option<Cache> {
        let cache = Cache::open_store(dir, fingerprint, options, notices)?;
        Some(Cache {
            write_min: options.write_min,
            ..cache
        })
    }

    fn open_store(
        dir: &Path,
        fingerprint: u64,
        options: &CacheOptions,
        notices: &mut Notices,
    ) -> Option<Cache> {
        match Cache::open_raw(dir, fingerprint, options.limit()) {
            Ok(cache) => Some(cache),
            Err(OpenFailure::Locked) => {
                notice(
                    notices,
                    "the cache is in use by another antipasta process; running without it",
                );
                None
            }
            Err(OpenFailure::Unavailable(why)) => {
                notice(
                    notices,
                    &format!("cannot use {} ({why}); running without it", dir.display()),
                );
                None
            }
            Err(OpenFailure::Corrupt(why)) => {
                let moved = move_aside(dir);
                match &moved {
                    Ok(aside) => notice(
                        notices,
                        &format!(
                        "the cache store is damaged ({why}); moved it to {} and starting a new one",
                        aside.display()
                    ),
                    ),
                    Err(e) => notice(
                        notices,
                        &format!(
                            "the cache store is damaged ({why}) and cannot be moved aside ({e}); \
                         running without it"
                        ),
                    ),
                }
                moved.ok()?;
                match Cache::open_raw(dir, fingerprint, options.limit()) {
                    Ok(cache) => Some(cache),
                    Err(_) => {
                        notice(
                            notices,
                            "cannot start a new cache store; running without it",
                        );
                        None
                    }
                }
            }
        }
    }

    fn open_raw(dir: &Path, fingerprint: u64, limit: u64) -> Result<Cache, OpenFailure> {
        let store = store_path(dir);
        if !store.exists() {
            std::fs::create_dir_all(dir)
                .map_err(|e| OpenFailure::Unavailable(format!("creating it: {e}")))?;
            remove_old_schemas(dir);
        }
        let started = Instant::now();
        let db = open_database(&store)?;
        let keyspace = keyspace(&db).map_err(|e| OpenFailure::Corrupt(e.to_string()))?;
        tracing::debug!(
            path = %store.display(),
            elapsed_ms = crate::log::ms(started.elapsed()),
            "store opened"
        );
        Ok(Cache {
            _db: db,
            values: Space::new(&keyspace, store::VALUES),
            access: Space::new(&keyspace, store::ACCESS),
            meta: Space::new(&keyspace, store::META),
            keyspace,
            dir: dir.to_path_buf(),
            prefix: key_prefix(fingerprint),
            now_minutes: now_minutes(),
            limit,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            bad_records: AtomicU64::new(0),
            broken: AtomicBool::new(false),
            pending: Mutex::new(Pending::default()),
            computed_nanos: AtomicU64::new(0),
            write_min: None,
        })
    }

    fn key(&self, id: &ContentId) -> Vec<u8> {
        let mut key = Vec::with_capacity(16 + 33);
        key.extend_from_slice(&self.prefix);
        id.encode(&mut key);
        key
    }

    /// The cache directory (the store is below it).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn is_broken(&self) -> bool {
        self.broken.load(Ordering::Relaxed)
    }

    fn mark_broken(&self) {
        self.broken.store(true, Ordering::Relaxed);
    }

    /// The cached outcome for this content, if any.
    pub(crate) fn get(&self, id: &ContentId) -> Option<Outcome> {
        crate::timings::work(crate::timings::Work::CacheGet, || self.get_now(id))
    }

    fn get_now(&self, id: &ContentId) -> Option<Outcome> {
        if self.is_broken() {
            return None;
        }
        let key = self.key(id);
        let staged = match self.pending.lock() {
            Ok(pending) => pending.values.get(&key).cloned(),
            Err(_) => return None,
        };
        let found = match staged {
            Some(staged) => staged.map(fjall::Slice::from),
            None => match catch(|| self.values.get(&key)) {
                Ok(Ok(found)) => found,
                Ok(Err(_)) | Err(_) => {
                    self.mark_broken();
                    return None;
                }
            },
        };
        let Some(bytes) = found else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(id = %id, "miss");
            return None;
        };
        match decode_record(&key, &bytes) {
            Some(outcome) => {
                tracing::trace!(id = %id, bytes = bytes.len(), "hit");
                crate::timings::count_cache_hit();
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.touch(&key);
                Some(outcome)
            }
            None => {
                tracing::warn!(id = %id, "bad record: ignored and removed");
                self.bad_records.fetch_add(1, Ordering::Relaxed);
                self.misses.fetch_add(1, Ordering::Relaxed);
                self.stage(vec![(key.clone(), None)], vec![(key, None)]);
                None
            }
        }
    }

    /// Refreshes an entry's access stamp when it is stale.
    fn touch(&self, key: &[u8]) {
        let stale = match self.access.get(key) {
            Ok(Some(stamp)) => decode_stamp(&stamp)
                .is_none_or(|s| s.saturating_add(TOUCH_EVERY_MINUTES) < self.now_minutes),
            Ok(None) => true,
            Err(_) => false,
        };
        if stale {
            self.stage(Vec::new(), vec![(key.to_vec(), Some(self.stamp()))]);
        }
    }

    /// Stores the outcome for this content (after the analysis finished).
    pub(crate) fn put(&self, id: &ContentId, outcome: &Outcome) {
        // A skipped file depends on settings (size limit), an internal
        // failure on antipasta's bugs: neither belongs to the content.
        // A degraded analysis depends on the budget or on a failure, not
        // only on the content.
        if self.is_broken()
            || matches!(outcome, Err(p) if p.kind != ProblemKind::Error)
            || matches!(outcome, Ok(a) if a.degraded.is_some())
        {
            return;
        }
        let key = self.key(id);
        if let Some(record) = encode_record(&key, outcome) {
            self.stage_record(key, record);
        }
    }

    /// Computes an outcome, charging its time (see [`Cache::charge`]), and
    /// stores it.
    pub(crate) fn compute_and_put(
        &self,
        id: &ContentId,
        compute: impl FnOnce() -> Outcome,
    ) -> Outcome {
        let started = Instant::now();
        let outcome = compute();
        self.charge(started.elapsed());
        crate::timings::work(crate::timings::Work::CachePut, || self.put(id, &outcome));
        outcome
    }

    /// Counts time spent computing an outcome that is then put.
    fn charge(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.computed_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Whether this run's new results are worth their write (see
    /// [`CacheOptions::write_min`]).
    fn worth_writing(&self) -> bool {
        self.write_min.is_none_or(|min| {
            Duration::from_nanos(self.computed_nanos.load(Ordering::Relaxed)) >= min
        })
    }

    /// Stages an encoded (and checked) record with a fresh access stamp.
    fn stage_record(&self, key: Vec<u8>, record: Vec<u8>) {
        self.writes.fetch_add(1, Ordering::Relaxed);
        self.stage(
            vec![(key.clone(), Some(record))],
            vec![(key, Some(self.stamp()))],
        );
    }

    fn stamp(&self) -> Vec<u8> {
        self.now_minutes.to_le_bytes().to_vec()
    }

    /// Queues changes for the next ingestion, which happens now if enough
    /// has piled up.
    fn stage(&self, values: Vec<Change>, access: Vec<Change>) {
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        pending.bytes += values
            .iter()
            .chain(&access)
            .map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len))
            .sum::<usize>();
        pending.values.extend(values);
        pending.access.extend(access);
        if pending.bytes > PENDING_FLUSH_BYTES {
            let batch = std::mem::take(&mut *pending);
            drop(pending);
            self.write(batch);
        }
    }

    /// Ingests everything staged so far.
    fn flush_pending(&self) {
        let batch = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return,
        };
        self.write(batch);
    }

    /// Ingests a batch: access stamps first, so a value is never without the
    /// stamp that lets eviction find it.
    fn write(&self, batch: Pending) {
        if batch.is_empty() || self.is_broken() {
            return;
        }
        let started = Instant::now();
        let records = batch.values.len();
        let written = catch(|| {
            ingest(
                &self.keyspace,
                vec![
                    (store::ACCESS, batch.access.into_iter().collect()),
                    (store::VALUES, batch.values.into_iter().collect()),
                    (store::META, batch.meta.into_iter().collect()),
                ],
            )
        });
        match written {
            Ok(Ok(())) => tracing::debug!(
                records,
                elapsed_ms = crate::log::ms(started.elapsed()),
                "ingested"
            ),
            _ => {
                tracing::warn!("an ingestion failed: the store is set aside");
                self.mark_broken();
            }
        }
    }

    /// The cached outcome, or `compute`'s (which is then stored).
    pub(crate) fn get_or_compute(
        &self,
        id: &ContentId,
        compute: impl FnOnce() -> Outcome,
    ) -> Outcome {
        if let Some(outcome) = self.get(id) {
            return outcome;
        }
        self.compute_and_put(id, compute)
    }

    /// Ends the run: reports bad records, records the hit rate, persists new
    /// entries as tables (so the next open need not replay a journal),
    /// enforces the size limit, and moves a damaged store aside. Returns
    /// what the user should hear about.
    pub(crate) fn finish(self) -> Notices {
        let mut notices = Notices::new();
        let bad = self.bad_records.load(Ordering::Relaxed);
        if bad > 0 {
            notice(
                &mut notices,
                &format!(
                    "ignored and removed {bad} unreadable record{}",
                    if bad == 1 { "" } else { "s" }
                ),
            );
        }
        if self.is_broken() {
            let dir = self.dir.clone();
            drop(self);
            match move_aside(&dir) {
                Ok(aside) => notice(
                    &mut notices,
                    &format!(
                        "the cache store failed a read; moved it to {} (it will be rebuilt)",
                        aside.display()
                    ),
                ),
                Err(e) => notice(
                    &mut notices,
                    &format!("the cache store failed a read and cannot be moved aside: {e}"),
                ),
            }
            return notices;
        }
        if !self.worth_writing() {
            tracing::debug!(
                computed_ms = self.computed_nanos.load(Ordering::Relaxed) as f64 / 1e6,
                "new results not written: cheaper to recompute than to write"
            );
            // Cheaper to recompute next time than to write now; removals
            // and the violation history are still written.
            if let Ok(mut pending) = self.pending.lock() {
                pending.values.retain(|_, v| v.is_none());
                pending.access.retain(|_, v| v.is_none());
            }
        }
        self.flush_pending();
        let _ = self.record_run();
        crate::timings::note_store(self.size(), self.limit);
        if self.writes.load(Ordering::Relaxed) > 0 && self.size() > self.limit {
            let _ = self.evict_to(self.limit / 10 * 8);
        }
        notices
    }

    /// Bytes the store's tables take. Not fjall's `disk_space`: that adds
    /// the journal, which antipasta never writes but which a new store
    /// preallocates (64 MB, sparse) until its next open.
    pub(crate) fn size(&self) -> u64 {
        self.keyspace.disk_space()
    }

    /// Removes these keys' values and access stamps (values first, so an
    /// interrupted removal never leaves a value eviction cannot find).
    fn remove(&self, keys: &[Vec<u8>]) -> fjall::Result<()> {
        let gone = || {
            keys.iter()
                .map(|k| (k.clone(), None))
                .collect::<Vec<Change>>()
        };
        ingest(
            &self.keyspace,
            vec![(store::VALUES, gone()), (store::ACCESS, gone())],
        )
    }

    /// Removes least recently used entries until the values' size fits
    /// `target` bytes, then compacts so the space is really returned.
    /// Returns how many entries were removed.
    fn evict_to(&self, target: u64) -> Result<usize> {
        let size = self.size();
        if size <= target {
            return Ok(0);
        }
        let mut excess = size - target;
        let mut entries = Vec::new();
        for kv in self.access.iter() {
            let (key, stamp) = kv?;
            let stamp = decode_stamp(&stamp).unwrap_or(0);
            let bytes = self.values.size_of(&key)?.map_or(0, u64::from);
            entries.push((stamp, key, bytes));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut removed = Vec::new();
        for (_, key, bytes) in entries {
            if excess == 0 {
                break;
            }
            excess = excess.saturating_sub(bytes + key.len() as u64);
            removed.push(key.to_vec());
        }
        self.remove(&removed)?;
        let removed = removed.len();
        self.keyspace.major_compact()?;
        Ok(removed)
    }
}

/// Opens the store for a `cache` subcommand (which must not silently skip).
fn open_for_admin(dir: &Path, limit: u64) -> Result<Cache> {
    match Cache::open_raw(dir, 0, limit) {
        Ok(cache) => Ok(cache),
        Err(OpenFailure::Locked) => {
            anyhow::bail!(
                "the cache at {} is in use by another antipasta process",
                dir.display()
            )
        }
        Err(OpenFailure::Unavailable(why)) | Err(OpenFailure::Corrupt(why)) => {
            Err(anyhow::anyhow!(why))
                .with_context(|| format!("opening the cache at {}", dir.display()))
        }
    }
}

#[cfg(test)]
mod tests;
