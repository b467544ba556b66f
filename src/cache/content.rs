//! Content ids: what a cached analysis is keyed by, and the stat shortcut
//! that finds a working-tree file's id without reading it.
//!
//! Inputs: blob ids from git, file bytes, or (in `metrics` mode inside a
//! repository) the git index plus one `lstat` per file. Output: a
//! [`ContentId`]. Nothing here writes anything.
//!
//! Two namespaces, never mixed: [`ContentId::Blob`] is only ever attached to
//! analyses of bytes whose git blob id *is* that id (blobs read from the
//! object database, or working-tree bytes whose hash was checked against the
//! index), so `check`, `diff` and `metrics` share entries safely even when
//! filters (`core.autocrlf`, clean filters) make the working tree differ from
//! the blob. Everything else is [`ContentId::Bytes`], an xxh3-128 of the bytes.
//!
//! The stat shortcut is git's: an index entry whose recorded stat data
//! (mtime, ctime, size, inode, uid, gid) still matches the file is assumed to
//! describe the file's content. An entry whose mtime is not older than the
//! index file itself is *racy* (the file may have been edited in the same
//! second the index was written, leaving the stat data unchanged): such files
//! are read and hashed, exactly as git re-checks them. The comparison is by
//! whole seconds, which is stricter than git's nanosecond check.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::ObjectId;

/// The identity of one file content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ContentId {
    /// A git object id of these exact bytes.
    Blob(ObjectId),
    /// xxh3-128 of the bytes.
    Bytes(u128),
}

impl ContentId {
    /// The id of bytes that did not come from git.
    pub(crate) fn of_bytes(bytes: &[u8]) -> ContentId {
        ContentId::Bytes(twox_hash::XxHash3_128::oneshot(bytes))
    }

    /// The key suffix: a kind byte, then the id.
    pub(super) fn encode(&self, key: &mut Vec<u8>) {
        match self {
            ContentId::Blob(id) => {
                key.push(b'g');
                key.extend_from_slice(id.as_bytes());
            }
            ContentId::Bytes(h) => {
                key.push(b'x');
                key.extend_from_slice(&h.to_be_bytes());
            }
        }
    }
}

/// Whether `bytes` are exactly the blob `id` (git's `blob <len>\0` header
/// hashed with the content).
pub(crate) fn is_blob_of(bytes: &[u8], id: &ObjectId) -> bool {
    gix::objs::compute_hash(id.kind(), gix::objs::Kind::Blob, bytes).is_ok_and(|h| h == *id)
}

/// The stat data of the repository's index, for the stat shortcut.
pub(crate) struct WorktreeIndex {
    /// The work tree, canonical.
    workdir: PathBuf,
    /// Regular, merged, non-intent-to-add entries: path → (stat, blob).
    entries: HashMap<String, (gix::index::entry::Stat, ObjectId)>,
    /// The index file's mtime in whole seconds, read before the index.
    index_mtime_secs: i64,
}

impl WorktreeIndex {
    /// Reads the repository's index (honouring `GIT_INDEX_FILE`); `None`
    /// when there is no work tree or no readable index (the shortcut is an
    /// optimisation: without it every file is read and hashed).
    pub(crate) fn load(repo: &gix::Repository) -> Option<WorktreeIndex> {
        let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
        // Stat first: an index rewritten after this only makes more entries
        // look racy, never fewer.
        let index_mtime = std::fs::metadata(repo.index_path()).ok()?.modified().ok()?;
        let index_mtime_secs = match index_mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).ok()?,
            Err(_) => return None,
        };
        let index = repo.index().ok()?;
        let mut entries = HashMap::with_capacity(index.entries().len());
        for entry in index.entries() {
            let regular = entry.mode == gix::index::entry::Mode::FILE
                || entry.mode == gix::index::entry::Mode::FILE_EXECUTABLE;
            if !regular
                || entry.flags.stage_raw() != 0
                || entry
                    .flags
                    .contains(gix::index::entry::Flags::INTENT_TO_ADD)
            {
                continue;
            }
            let Ok(path) = entry.path(&index).to_str() else {
                continue;
            };
            entries.insert(path.to_owned(), (entry.stat, entry.id));
        }
        Some(WorktreeIndex {
            workdir,
            entries,
            index_mtime_secs,
        })
    }

    /// The blob the index records for `path` and the file's size, if the
    /// file's stat data still matches the entry and the entry is not racy.
    /// `path` is absolute.
    pub(crate) fn unchanged_blob(&self, path: &Path) -> Option<(ObjectId, u64)> {
        let rel = self.repo_relative(path)?;
        let (stat, id) = self.entries.get(&rel)?;
        if i64::from(stat.mtime.secs) >= self.index_mtime_secs {
            return None;
        }
        let meta = gix::index::fs::Metadata::from_path_no_follow(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let now = gix::index::entry::Stat::from_fs(&meta).ok()?;
        let options = gix::index::entry::stat::Options {
            trust_ctime: true,
            check_stat: true,
            use_nsec: false,
            use_stdev: false,
        };
        stat.matches(&now, options).then_some((*id, meta.len()))
    }

    /// `path` relative to the work tree with `/` separators; `None` outside it.
    fn repo_relative(&self, path: &Path) -> Option<String> {
        let mut normal = PathBuf::new();
        for part in path.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    normal.pop();
                }
                other => normal.push(other),
            }
        }
        let rel = normal.strip_prefix(&self.workdir).ok()?;
        let mut out = String::new();
        for part in rel.components() {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(part.as_os_str().to_str()?);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_hash_matches_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = ObjectId::from_hex(b"ce013625030ba8dba906f756967f9e9ca394464a").unwrap();
        assert!(is_blob_of(b"hello\n", &id));
        assert!(!is_blob_of(b"hello", &id));
    }

    #[test]
    fn namespaces_never_collide() {
        let mut a = Vec::new();
        ContentId::of_bytes(b"x").encode(&mut a);
        let mut b = Vec::new();
        ContentId::Blob(ObjectId::null(gix::hash::Kind::Sha1)).encode(&mut b);
        assert_ne!(a[0], b[0]);
        assert_eq!(a.len(), 17);
        assert_eq!(b.len(), 21);
    }

    #[test]
    fn relative_paths_resolve_dots() {
        let index = WorktreeIndex {
            workdir: PathBuf::from("/repo"),
            entries: HashMap::new(),
            index_mtime_secs: 0,
        };
        assert_eq!(
            index.repo_relative(Path::new("/repo/./src/../pkg/a.py")),
            Some("pkg/a.py".to_owned())
        );
        assert_eq!(index.repo_relative(Path::new("/elsewhere/a.py")), None);
    }
}
