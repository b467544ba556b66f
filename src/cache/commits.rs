//! What each commit changed, for `hotspots`: a record per (commit, parent,
//! file selection) in the meta space, so that a second run over the same
//! history reads no old blob and diffs no old tree.

use super::Cache;
use crate::isolate::catch;

/// Meta key of a commit's record; `selection` names the options the
/// record depends on (the Python extensions, the parent diffed against).
fn commit_key(commit: &str, selection: &str) -> Vec<u8> {
    let mut key = b"commit/".to_vec();
    key.extend_from_slice(commit.as_bytes());
    key.push(b'/');
    key.extend_from_slice(selection.as_bytes());
    key
}

impl Cache {
    /// The record stored for this commit and selection, as written.
    pub(crate) fn commit_record(&self, commit: &str, selection: &str) -> Option<Vec<u8>> {
        if self.is_broken() {
            return None;
        }
        let key = commit_key(commit, selection);
        if let Ok(pending) = self.pending.lock() {
            if let Some(staged) = pending.meta.get(&key) {
                return staged.clone();
            }
        }
        match catch(|| self.meta.get(&key)) {
            Ok(Ok(found)) => found.map(|v| v.to_vec()),
            _ => None,
        }
    }

    /// Keeps a commit's record (written when the run finishes).
    pub(crate) fn record_commit(&self, commit: &str, selection: &str, record: Vec<u8>) {
        if self.is_broken() {
            return;
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.bytes += record.len();
            pending
                .meta
                .insert(commit_key(commit, selection), Some(record));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::CacheOptions;
    use super::*;

    #[test]
    fn commit_records_persist() {
        let dir = tempfile::tempdir().unwrap();
        let options = CacheOptions {
            limit_bytes: Some(256 << 20),
            ..CacheOptions::default()
        };
        let open = || Cache::open(dir.path(), 1, &options, &mut Vec::new()).unwrap();
        let cache = open();
        assert_eq!(cache.commit_record("abc", "py"), None);
        cache.record_commit("abc", "py", b"{}".to_vec());
        assert_eq!(
            cache.commit_record("abc", "py").as_deref(),
            Some(&b"{}"[..])
        );
        cache.finish();
        let cache = open();
        assert_eq!(
            cache.commit_record("abc", "py").as_deref(),
            Some(&b"{}"[..])
        );
        assert_eq!(cache.commit_record("abc", "other"), None);
    }
}
