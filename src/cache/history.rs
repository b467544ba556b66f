//! The violation history the time budget orders work by: whether each file
//! had violations when it was last judged (a meta key per path, present
//! while it had some). Files with violations are checked first.

use super::Cache;
use crate::isolate::catch;

/// Meta key of a path's violation history (present: it had violations).
fn history_key(path: &str) -> Vec<u8> {
    let mut key = b"violations/".to_vec();
    key.extend_from_slice(path.as_bytes());
    key
}

impl Cache {
    /// Whether the file at `path` (relative to the project root) had
    /// violations when it was last judged: such files are checked first
    /// under a time budget.
    pub(crate) fn had_violations(&self, path: &str) -> bool {
        if self.is_broken() {
            return false;
        }
        let key = history_key(path);
        if let Ok(pending) = self.pending.lock() {
            if let Some(staged) = pending.meta.get(&key) {
                return staged.is_some();
            }
        }
        matches!(catch(|| self.meta.contains_key(&key)), Ok(Ok(true)))
    }

    /// Remembers whether the file at `path` has violations now (written
    /// only when that changes).
    pub(crate) fn record_violations(&self, path: &str, violations: bool) {
        if self.had_violations(path) == violations {
            return;
        }
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        let value = violations.then(|| self.stamp());
        pending.meta.insert(history_key(path), value);
    }
}

#[cfg(test)]
mod tests {
    use super::super::CacheOptions;
    use super::*;

    fn options() -> CacheOptions {
        CacheOptions {
            limit_bytes: Some(256 << 20),
            ..CacheOptions::default()
        }
    }

    #[test]
    fn violation_history_persists_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let open = || Cache::open(dir.path(), 1, &options(), &mut Vec::new()).unwrap();
        let cache = open();
        assert!(!cache.had_violations("pkg/a.py"));
        cache.record_violations("pkg/a.py", true);
        cache.record_violations("pkg/b.py", false);
        assert!(cache.had_violations("pkg/a.py"));
        cache.finish();
        let cache = open();
        assert!(cache.had_violations("pkg/a.py"));
        assert!(!cache.had_violations("pkg/b.py"));
        cache.record_violations("pkg/a.py", false);
        cache.finish();
        assert!(!open().had_violations("pkg/a.py"));
    }
}
