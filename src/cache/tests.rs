//! The store's tests: a real fjall store in temp directories.

use super::*;
use crate::metrics::{analyze, MetricOptions};
use crate::outcome::Problem;
use crate::source::SourceText;

fn sample() -> Outcome {
    let source = SourceText::from_text("def f(x):\n    if x:\n        return 1\n    return 2\n");
    Ok(analyze(&source, MetricOptions::default()).unwrap())
}

/// The default `cache_size` (256 MB).
const DEFAULT_LIMIT_BYTES: u64 = 256 << 20;

fn options(limit: u64) -> CacheOptions {
    CacheOptions {
        disabled: false,
        dir: None,
        limit_bytes: Some(limit),
        ..CacheOptions::default()
    }
}

#[test]
fn fingerprint_separates_entries() {
    let dir = tempfile::tempdir().unwrap();
    let id = ContentId::of_bytes(b"x = 1\n");
    let cache = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    cache.put(&id, &sample());
    assert_eq!(cache.get(&id), Some(sample()));
    cache.finish();
    let other = Cache::open(
        dir.path(),
        2,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(other.get(&id), None);
    other.finish();
    let same = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(same.get(&id), Some(sample()));
}

#[test]
fn second_opener_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let first = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    let started = Instant::now();
    assert!(Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new()
    )
    .is_none());
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(first);
}

#[test]
fn eviction_drops_least_recently_used() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    let old = ContentId::of_bytes(b"old");
    let new = ContentId::of_bytes(b"new");
    cache.put(&old, &sample());
    cache.put(&new, &sample());
    // Age the first entry.
    cache.stage(
        Vec::new(),
        vec![(cache.key(&old), Some(5u32.to_le_bytes().to_vec()))],
    );
    cache.flush_pending();
    let size = cache.size();
    assert_eq!(cache.evict_to(size - 1).unwrap(), 1);
    assert_eq!(cache.get(&old), None);
    assert_eq!(cache.get(&new), Some(sample()));
}

#[test]
fn writes_bypass_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    let ids: Vec<ContentId> = (0..200u32)
        .map(|i| ContentId::of_bytes(&i.to_le_bytes()))
        .collect();
    for id in &ids {
        cache.put(id, &sample());
    }
    // Staged writes are visible at once; a replaced key keeps its last value.
    assert_eq!(cache.get(&ids[0]), Some(sample()));
    cache.put(&ids[0], &Err(Problem::error("second".to_owned())));
    cache.finish();
    // fjall preallocates its journal sparsely and trims it on recovery:
    // measure what the next open found.
    let cache = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    let journal: u64 = std::fs::read_dir(store_path(dir.path()))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jnl"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert!(journal < 1024, "journal holds {journal} bytes");
    assert_eq!(
        cache.get(&ids[0]),
        Some(Err(Problem::error("second".to_owned())))
    );
    for id in &ids[1..] {
        assert_eq!(cache.get(id), Some(sample()));
    }
    assert_eq!(read_runs(dir.path()).len(), 1);
}

#[test]
fn cheap_results_are_not_worth_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let open = |min: Option<Duration>| {
        let options = CacheOptions {
            write_min: min,
            ..options(DEFAULT_LIMIT_BYTES)
        };
        Cache::open(dir.path(), 1, &options, &mut Vec::new()).unwrap()
    };
    let id = ContentId::of_bytes(b"cheap");
    let cache = open(Some(Duration::from_secs(1)));
    let _ = cache.get_or_compute(&id, sample);
    cache.record_violations("a.py", true);
    cache.finish();
    let cache = open(None);
    assert_eq!(cache.get(&id), None);
    // The history is written regardless.
    assert!(cache.had_violations("a.py"));
    drop(cache);
    // Enough computing (charged here) makes the write worth it.
    let cache = open(Some(Duration::from_secs(1)));
    let _ = cache.get_or_compute(&id, sample);
    cache.charge(Duration::from_secs(1));
    cache.finish();
    assert_eq!(open(None).get(&id), Some(sample()));
}

#[test]
fn schema_change_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join("store-v0");
    std::fs::create_dir_all(stale.join("x")).unwrap();
    let cache = Cache::open(
        dir.path(),
        1,
        &options(DEFAULT_LIMIT_BYTES),
        &mut Vec::new(),
    )
    .unwrap();
    assert!(!stale.exists());
    assert!(store_path(dir.path()).exists());
    drop(cache);
}

#[test]
fn location_prefers_flag_then_repository() {
    let off = CacheOptions {
        disabled: true,
        ..CacheOptions::default()
    };
    assert_eq!(location(&off, None), None);
    let flag = CacheOptions {
        dir: Some(PathBuf::from("/x")),
        ..CacheOptions::default()
    };
    assert_eq!(location(&flag, None), Some(PathBuf::from("/x")));
}
