//! Git access through gix: which files changed, and their contents by blob id.
//!
//! Inputs: the current directory and the environment (`GIT_DIR`,
//! `GIT_WORK_TREE`, `GIT_INDEX_FILE` are honoured, so hooks run by `git commit
//! -a` or `git commit <paths>` see git's temporary index). Outputs:
//! [`FileChange`]s — a path with its old and new blob ids — and blob bytes.
//! The working tree is never read (but for the stat shortcut of `metrics`,
//! [`WorktreeIndex`], one `lstat` per file) and nothing is ever written: a
//! hook must not touch the index or the work tree.
//!
//! Only regular files (mode 100644 / 100755) count; symlinks and submodules
//! are skipped, and so are intent-to-add entries (`git add -N`), which a
//! commit does not include. An index with unmerged entries (a merge with
//! conflicts) is an error: there is no single staged version to judge.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use gix::bstr::ByteSlice;
use gix::ObjectId;

mod prefetch;

use prefetch::Looking;
pub(crate) use prefetch::{open_prefetched, prefetch, HeadTree};

/// One changed file between two snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileChange {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// Blob at the old side (HEAD, or the base commit); `None` if added.
    pub old: Option<ObjectId>,
    /// Blob at the new side (the index, or the head commit); `None` if deleted.
    pub new: Option<ObjectId>,
}

/// Opens the repository that contains `dir`, honouring git's environment.
pub(crate) fn open(dir: &Path) -> Result<gix::Repository> {
    use gix::discover::upwards::Error as Upwards;
    use gix::sec::trust::DefaultForLevel;
    // The index's trailing checksum is not verified on reading, as git
    // does not verify it (only `git fsck` does): hashing a large index
    // with collision-detecting SHA-1 was a tenth of a one-file hook's git
    // step. Reading only; antipasta never writes an index.
    let options = |level| {
        gix::open::Options::default_for_level(level).config_overrides(["index.skipHash=true"])
    };
    let trust = gix::sec::trust::Mapping {
        full: options(gix::sec::Trust::Full),
        reduced: options(gix::sec::Trust::Reduced),
    };
    gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
        dir,
        Default::default(),
        trust,
    )
    .map(gix::Repository::from)
    .map_err(|e| {
        match e.downcast_any_ref::<Upwards>() {
            Some(
                Upwards::NoGitRepository { .. } | Upwards::NoGitRepositoryWithinCeiling { .. },
            ) => {
                anyhow!(
                    "not inside a git repository: no `.git` in {} or any directory above it \
                     (`antipasta metrics` checks plain directories)",
                    dir.display()
                )
            }
            // gix's own message names the directory and says why.
            _ => anyhow!("cannot open the git repository: {e}"),
        }
    })
}

pub(super) fn head_tree(repo: &gix::Repository) -> Result<ObjectId> {
    Ok(repo
        .head_tree_id_or_empty()
        .map_err(|e| anyhow!("reading HEAD: {e}"))?
        .detach())
}

/// Directory that repository-relative paths are relative to.
pub(crate) fn work_dir(repo: &gix::Repository) -> Option<&Path> {
    repo.workdir()
}

/// Regular files of a snapshot: path → blob id.
type Snapshot = BTreeMap<String, ObjectId>;

/// A merged index entry a commit takes as a file: a regular file (100644
/// or 100755), not intent-to-add (`git add -N`).
fn is_committed_file(entry: &gix::index::Entry) -> bool {
    let regular = entry.mode == gix::index::entry::Mode::FILE
        || entry.mode == gix::index::entry::Mode::FILE_EXECUTABLE;
    regular
        && !entry
            .flags
            .contains(gix::index::entry::Flags::INTENT_TO_ADD)
}

fn snapshot_of_state(state: &gix::index::State, check_conflicts: bool) -> Result<Snapshot> {
    let mut files = Snapshot::new();
    let mut conflicted = Vec::new();
    for entry in state.entries() {
        let path = entry.path(state);
        if entry.flags.stage_raw() != 0 {
            if check_conflicts {
                conflicted.push(path.to_str_lossy().into_owned());
            }
            continue;
        }
        if !is_committed_file(entry) {
            continue;
        }
        files.insert(path.to_str_lossy().into_owned(), entry.id);
    }
    if !conflicted.is_empty() {
        conflicted.dedup();
        bail!(
            "the index has unmerged paths (resolve the conflicts and `git add` them first): {}",
            conflicted.join(", ")
        );
    }
    Ok(files)
}

fn snapshot_of_tree(repo: &gix::Repository, tree: ObjectId) -> Result<Snapshot> {
    let index = repo
        .index_from_tree(&tree)
        .map_err(|e| anyhow!("reading tree {tree}: {e}"))?;
    snapshot_of_state(&index, false)
}

/// Files whose staged content differs from HEAD (HEAD may be unborn).
///
/// As git does: HEAD's tree and the index are walked together, directory
/// by directory, and a directory whose cache-tree entry (the index's TREE
/// extension) is valid and names HEAD's tree for it is skipped whole. A
/// one-file commit thus decodes the trees on the changed path only, not
/// all of HEAD. A sparse or split index takes the full comparison.
///
/// HEAD's tree is looked up on another thread while this one reads the
/// index (`head`: by the [`Prefetch`], else on a thread started here): the
/// lookup opens the pack index, the index read decodes every entry, and
/// neither needs the other.
pub(crate) fn staged_changes(repo: &gix::Repository, head: HeadTree) -> Result<Vec<FileChange>> {
    let read_index = || {
        repo.index_or_empty()
            .map_err(|e| anyhow!("reading the index {}: {e}", repo.index_path().display()))
    };
    let joined = |thread: Looking| match thread.join() {
        Ok(Some(head)) => head,
        Ok(None) => head_tree(repo),
        Err(_) => Err(anyhow!("internal error: reading HEAD panicked")),
    };
    let (head_tree, index) = match head.0 {
        Some(thread) => {
            let index = read_index();
            (joined(thread), index)
        }
        None => std::thread::scope(|scope| {
            let own = repo.clone();
            let looking = std::thread::Builder::new()
                .name("antipasta-git".into())
                .spawn_scoped(scope, move || head_tree(&own));
            let index = read_index();
            let head = match looking {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|_| Err(anyhow!("internal error: reading HEAD panicked"))),
                // No thread to spare: look it up here.
                Err(_) => head_tree(repo),
            };
            (head, index)
        }),
    };
    let (head_tree, index) = (head_tree?, index?);
    tracing::debug!(
        index = %repo.index_path().display(),
        entries = index.entries().len(),
        cache_tree = index.tree().is_some(),
        "index read"
    );
    if index.is_sparse() || index.link().is_some() {
        tracing::debug!("sparse or split index: comparing every entry with HEAD");
        return staged_changes_in_full(repo, head_tree, &index);
    }
    refuse_conflicts(&index)?;
    let head = (head_tree != ObjectId::empty_tree(head_tree.kind())).then_some(head_tree);
    let mut changes = Vec::new();
    let walk = TreeWalk {
        repo,
        state: &index,
    };
    walk.dir(head, index.tree(), b"", index.entries(), &mut changes)?;
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    tracing::debug!(changes = changes.len(), "staged changes");
    Ok(changes)
}

/// [`staged_changes`] by comparing every path of HEAD with every entry of
/// the index.
fn staged_changes_in_full(
    repo: &gix::Repository,
    head_tree: ObjectId,
    index: &gix::index::State,
) -> Result<Vec<FileChange>> {
    let mut staged = snapshot_of_state(index, true)?;
    // A sparse index keeps a directory outside the sparse-checkout cone as
    // one entry naming its tree: its files are staged as that tree has
    // them (not deleted, and the directory itself is not a file).
    for entry in index.entries() {
        if entry.mode == gix::index::entry::Mode::DIR && entry.flags.stage_raw() == 0 {
            let prefix = entry.path(index).to_str_lossy().into_owned();
            let prefix = prefix.trim_end_matches('/');
            for (path, id) in snapshot_of_tree(repo, entry.id)? {
                staged.insert(format!("{prefix}/{path}"), id);
            }
        }
    }
    let head = snapshot_of_tree(repo, head_tree)?;
    Ok(compare(head, staged))
}

/// An index with unmerged entries has no single staged version to judge.
fn refuse_conflicts(state: &gix::index::State) -> Result<()> {
    if state.entries().iter().all(|e| e.flags.stage_raw() == 0) {
        return Ok(());
    }
    snapshot_of_state(state, true).map(|_| ())
}

/// HEAD's trees and the index, walked together.
struct TreeWalk<'r> {
    repo: &'r gix::Repository,
    state: &'r gix::index::State,
}

/// What one side has under a name of a directory.
#[derive(Clone, Copy)]
enum Side<'e> {
    /// A committed regular file.
    File(ObjectId),
    /// A directory: HEAD's tree id / the index entries below it.
    HeadDir(ObjectId),
    IndexDir(&'e [gix::index::Entry]),
    /// A symlink, a submodule, an intent-to-add entry: not a file here.
    Other,
}

impl<'r> TreeWalk<'r> {
    /// The changes below `prefix` (`""` or `dir/`): `head` is HEAD's tree
    /// there (`None`: none), `cache` the index's cache-tree node for it,
    /// `entries` the index entries below it (contiguous, sorted).
    fn dir(
        &self,
        head: Option<ObjectId>,
        cache: Option<&gix::index::extension::Tree>,
        prefix: &[u8],
        entries: &[gix::index::Entry],
        out: &mut Vec<FileChange>,
    ) -> Result<()> {
        if let (Some(head), Some(cache)) = (head, cache) {
            if cache.num_entries.is_some() && cache.id == head {
                return Ok(());
            }
        }
        let mut head_children: Vec<(Vec<u8>, Side<'_>)> = Vec::new();
        if let Some(id) = head {
            let tree = self
                .repo
                .find_tree(id)
                .map_err(|e| anyhow!("reading tree {id}: {e}"))?;
            let decoded = tree
                .decode()
                .map_err(|e| anyhow!("decoding tree {id}: {e}"))?;
            for entry in &decoded.entries {
                let side = if entry.mode.is_tree() {
                    Side::HeadDir(entry.oid.to_owned())
                } else if entry.mode.is_blob() {
                    Side::File(entry.oid.to_owned())
                } else {
                    Side::Other
                };
                head_children.push((entry.filename.to_vec(), side));
            }
        }
        let mut seen = vec![false; head_children.len()];
        // Names are unique within a tree: a map, not a scan per entry.
        let by_name: HashMap<&[u8], usize> = head_children
            .iter()
            .enumerate()
            .map(|(k, (n, _))| (n.as_slice(), k))
            .collect();
        let mut i = 0;
        while i < entries.len() {
            let path: &[u8] = entries[i].path(self.state);
            let rest = &path[prefix.len()..];
            let (name, side, next) = match rest.iter().position(|&b| b == b'/') {
                Some(slash) => {
                    let name = &rest[..slash];
                    let dir_len = prefix.len() + slash + 1;
                    let run = entries[i..]
                        .iter()
                        .take_while(|e| {
                            let p: &[u8] = e.path(self.state);
                            p.len() > dir_len && p[..dir_len] == path[..dir_len]
                        })
                        .count();
                    (name, Side::IndexDir(&entries[i..i + run]), i + run)
                }
                None => {
                    let e = &entries[i];
                    let side = if e.flags.stage_raw() == 0 && is_committed_file(e) {
                        Side::File(e.id)
                    } else {
                        Side::Other
                    };
                    (rest, side, i + 1)
                }
            };
            let head_side = by_name
                .get(name)
                .copied()
                .map(|k| {
                    seen[k] = true;
                    head_children[k].1
                })
                .unwrap_or(Side::Other);
            let child_cache = match side {
                Side::IndexDir(_) => {
                    cache.and_then(|c| c.children.iter().find(|t| t.name.as_slice() == name))
                }
                _ => None,
            };
            self.pair(prefix, name, head_side, side, child_cache, out)?;
            i = next;
        }
        for (k, (name, side)) in head_children.iter().enumerate() {
            if !seen[k] {
                self.pair(prefix, name, *side, Side::Other, None, out)?;
            }
        }
        Ok(())
    }

    /// The changes under one name, HEAD's side against the index's.
    fn pair(
        &self,
        prefix: &[u8],
        name: &[u8],
        head: Side<'_>,
        index: Side<'_>,
        cache: Option<&gix::index::extension::Tree>,
        out: &mut Vec<FileChange>,
    ) -> Result<()> {
        let path = || {
            let mut p = prefix.to_vec();
            p.extend_from_slice(name);
            p
        };
        let text = |p: &[u8]| p.to_str_lossy().into_owned();
        // A file on one side, something else (or a directory) on the other.
        match (head, index) {
            (Side::File(old), Side::File(new)) => {
                if old != new {
                    out.push(FileChange {
                        path: text(&path()),
                        old: Some(old),
                        new: Some(new),
                    });
                }
                return Ok(());
            }
            (Side::File(old), _) => out.push(FileChange {
                path: text(&path()),
                old: Some(old),
                new: None,
            }),
            (_, Side::File(new)) => out.push(FileChange {
                path: text(&path()),
                old: None,
                new: Some(new),
            }),
            _ => {}
        }
        let head_dir = match head {
            Side::HeadDir(id) => Some(id),
            _ => None,
        };
        let index_dir = match index {
            Side::IndexDir(entries) => entries,
            _ => &[],
        };
        if head_dir.is_some() || !index_dir.is_empty() {
            let mut below = path();
            below.push(b'/');
            self.dir(head_dir, cache, &below, index_dir, out)?;
        }
        Ok(())
    }
}

/// Files that differ between two commits (or any tree-ish revisions).
pub(crate) fn commit_changes(
    repo: &gix::Repository,
    old: ObjectId,
    new: ObjectId,
) -> Result<Vec<FileChange>> {
    let old = snapshot_of_tree(repo, tree_of(repo, old)?)?;
    let new = snapshot_of_tree(repo, tree_of(repo, new)?)?;
    Ok(compare(old, new))
}

fn tree_of(repo: &gix::Repository, commit: ObjectId) -> Result<ObjectId> {
    let object = repo
        .find_object(commit)
        .map_err(|e| anyhow!("reading object {commit}: {e}"))?;
    let tree = object
        .peel_to_tree()
        .map_err(|e| anyhow!("{commit} does not name a commit or tree: {e}"))?;
    Ok(tree.id)
}

fn compare(old: Snapshot, new: Snapshot) -> Vec<FileChange> {
    let mut changes = Vec::new();
    for (path, &id) in &new {
        match old.get(path) {
            Some(&before) if before == id => {}
            before => changes.push(FileChange {
                path: path.clone(),
                old: before.copied(),
                new: Some(id),
            }),
        }
    }
    for (path, &id) in &old {
        if !new.contains_key(path) {
            changes.push(FileChange {
                path: path.clone(),
                old: Some(id),
                new: None,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

/// How to get the history a shallow clone cut off.
const SHALLOW_FIX: &str = "fetch the history with `git fetch --unshallow` (or `git fetch \
     --deepen=N`), or clone in full (GitHub Actions: `fetch-depth: 0` in actions/checkout; \
     GitLab CI: `GIT_DEPTH: 0`)";

/// Resolves `BASE...HEAD` (merge base of the two), `BASE..HEAD` or `BASE`
/// (meaning `BASE...HEAD`) into the old and new commits.
pub(crate) fn resolve_range(repo: &gix::Repository, spec: &str) -> Result<(ObjectId, ObjectId)> {
    let (base, head, merge_base) = if let Some((a, b)) = spec.split_once("...") {
        (a, b, true)
    } else if let Some((a, b)) = spec.split_once("..") {
        (a, b, false)
    } else {
        (spec, "HEAD", true)
    };
    let head = if head.is_empty() { "HEAD" } else { head };
    let base = if base.is_empty() { "HEAD" } else { base };
    let shallow = repo.is_shallow().unwrap_or(false);
    let resolve = |rev: &str| -> Result<ObjectId> {
        repo.rev_parse_single(rev)
            .map(|id| id.detach())
            .map_err(|e| match shallow {
                true => anyhow!(
                    "cannot resolve revision `{rev}` in this shallow clone ({e}): its history \
                     is cut off, so the revision is probably missing; {SHALLOW_FIX}"
                ),
                false => anyhow!("cannot resolve revision `{rev}`: {e}"),
            })
    };
    let base_id = resolve(base)?;
    let head_id = resolve(head)?;
    let old = if merge_base {
        let found = repo.merge_base(base_id, head_id);
        match found {
            Ok(Some(id)) => id.detach(),
            Ok(None) | Err(_) if shallow => bail!(
                "`{base}` and `{head}` have no common ancestor in this shallow clone: its \
                 history is cut off, so the merge base is probably missing; {SHALLOW_FIX}"
            ),
            Ok(None) => bail!("`{base}` and `{head}` have no common ancestor"),
            Err(e) => bail!("finding the merge base of `{base}` and `{head}`: {e}"),
        }
    } else {
        base_id
    };
    Ok((old, head_id))
}

/// Reads a blob's bytes.
pub(crate) fn read_blob(repo: &gix::Repository, id: ObjectId, path: &str) -> Result<Vec<u8>> {
    crate::timings::work(crate::timings::Work::Read, || read_blob_now(repo, id, path))
}

fn read_blob_now(repo: &gix::Repository, id: ObjectId, path: &str) -> Result<Vec<u8>> {
    let blob = repo.find_blob(id).map_err(|e| {
        let missing = !repo.has_object(id);
        match partial_clone(repo) {
            Some(remote) if missing => anyhow::Error::new(MissingObject(format!(
                "the blob {id} of {path} is not in this repository: it is a partial clone \
                 (of `{remote}`, with a --filter), which fetches blobs when git needs them, \
                 and antipasta reads only what is here; let git fetch them with `git diff \
                 --stat` over the same range, or clone without --filter"
            ))),
            _ => anyhow!("reading blob {id} for {path}: {e}"),
        }
    })?;
    Ok(blob.detach().data)
}

/// An object the repository does not have, for a reason the user can fix
/// (not antipasta's own failure).
#[derive(Debug)]
pub(crate) struct MissingObject(String);

impl std::fmt::Display for MissingObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingObject {}

/// The promisor remote of a partial clone: `extensions.partialClone`, or
/// a remote with `promisor = true` (what `git clone --filter` sets).
fn partial_clone(repo: &gix::Repository) -> Option<String> {
    let config = repo.config_snapshot();
    if let Some(name) = config.string("extensions.partialClone") {
        return Some(name.to_string());
    }
    repo.remote_names()
        .into_iter()
        .map(|name| name.to_string())
        .find(|name| config.boolean(format!("remote.{name}.promisor").as_str()) == Some(true))
}

/// The size of blob `id` from its object header, without inflating the
/// object; 0 when the header cannot be read (the blob's read reports that).
pub(crate) fn blob_size(repo: &gix::Repository, id: ObjectId) -> u64 {
    repo.find_header(id).map_or(0, |h| h.size())
}

/// The index's stat data, for `metrics`' shortcut: a working-tree file
/// whose stat data matches its index entry is taken to hold that entry's
/// blob, without being read.
///
/// The stat shortcut is git's: an index entry whose recorded stat data
/// (mtime, ctime, size, inode, uid, gid) still matches the file is assumed to
/// describe the file's content. An entry whose mtime is not older than the
/// index file itself is *racy* (the file may have been edited in the same
/// second the index was written, leaving the stat data unchanged): such files
/// are read and hashed, exactly as git re-checks them. The comparison is by
/// whole seconds, which is stricter than git's nanosecond check.
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
            if entry.flags.stage_raw() != 0 || !is_committed_file(entry) {
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

    /// The blob the index records for `path` (absolute), whatever the
    /// file's stat data says: for a file the shortcut cannot vouch for (a
    /// racy entry, as every file of a fresh clone is), the caller hashes
    /// the bytes and compares, so the same content gets the same key in
    /// every checkout.
    pub(crate) fn recorded_blob(&self, path: &Path) -> Option<ObjectId> {
        let rel = self.repo_relative(path)?;
        self.entries.get(&rel).map(|(_, id)| *id)
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
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The walk that skips what the cache-tree says is unchanged gives the
    /// full comparison's answer, with the cache-tree valid, partly
    /// invalidated and missing, on files, directories, symlinks,
    /// intent-to-add entries and a file turned directory and back.
    #[test]
    fn cache_tree_walk_equals_the_full_comparison() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q"]);
        let check = |what: &str| {
            let repo = gix::open(dir).unwrap();
            let index = repo.index_or_empty().unwrap();
            let head = repo.head_tree_id_or_empty().unwrap().detach();
            let full = staged_changes_in_full(&repo, head, &index).unwrap();
            assert_eq!(
                staged_changes(&repo, HeadTree(None)).unwrap(),
                full,
                "{what}"
            );
            // HEAD's tree from another thread, as the prefetch gives it.
            let own = repo.clone();
            let looking = std::thread::spawn(move || Some(head_tree(&own)));
            let prefetched = staged_changes(&repo, HeadTree(Some(looking))).unwrap();
            assert_eq!(prefetched, full, "{what}, prefetched");
            full.len()
        };
        assert_eq!(check("unborn HEAD, empty index"), 0);
        for i in 0..5 {
            write(dir, &format!("pkg{i}/sub/a.py"), "x = 1\n");
            write(dir, &format!("pkg{i}/b.py"), "y = 2\n");
        }
        write(dir, "top.py", "z = 3\n");
        write(dir, "pkg0/sub/deeper/c.py", "c = 1\n");
        git(dir, &["add", "-A"]);
        assert_eq!(check("unborn HEAD, all staged"), 12);
        git(dir, &["commit", "-q", "-m", "one"]);
        assert_eq!(check("clean, cache-tree valid"), 0);

        write(dir, "pkg0/sub/deeper/c.py", "c = 2\n");
        write(dir, "pkg9/new.py", "n = 1\n");
        write(dir, "pkg3/b.py", "y = 3\n");
        git(dir, &["add", "-A"]);
        git(dir, &["rm", "-q", "-r", "--cached", "pkg2"]);
        assert_eq!(check("edits, an added and a removed directory"), 5);
        git(dir, &["commit", "-q", "-m", "two"]);

        // A file becomes a directory and a directory a file.
        git(dir, &["rm", "-q", "--cached", "top.py"]);
        std::fs::remove_file(dir.join("top.py")).unwrap();
        write(dir, "top.py/inner.py", "i = 1\n");
        git(dir, &["rm", "-q", "-r", "--cached", "pkg4"]);
        std::fs::remove_dir_all(dir.join("pkg4")).unwrap();
        write(dir, "pkg4", "now a file\n");
        git(dir, &["add", "-A"]);
        assert_eq!(check("file <-> directory, pkg2 back"), 7);
        git(dir, &["commit", "-q", "-m", "three"]);

        // A symlink replacing a file, an intent-to-add file, an exec bit.
        std::fs::remove_file(dir.join("pkg1/b.py")).unwrap();
        std::os::unix::fs::symlink("sub/a.py", dir.join("pkg1/b.py")).unwrap();
        write(dir, "pkg1/ita.py", "ita = 1\n");
        git(dir, &["add", "pkg1/b.py"]);
        git(dir, &["add", "-N", "pkg1/ita.py"]);
        git(dir, &["update-index", "--chmod=+x", "pkg3/b.py"]);
        assert_eq!(check("symlink, intent-to-add, mode"), 1);

        // The same staged state with every cache-tree node invalidated.
        git(dir, &["commit", "-q", "-m", "four"]);
        write(dir, "pkg0/b.py", "y = 9\n");
        git(dir, &["add", "-A"]);
        let with_tree = check("cache-tree");
        git(dir, &["rm", "-q", "-r", "--cached", "."]);
        git(dir, &["add", "-A"]);
        assert_eq!(check("cache-tree invalidated"), with_tree);
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
