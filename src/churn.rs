//! The branch's history through gix: which commits a `hotspots` run covers
//! ([`walk`]), and what each changed ([`changed_files`], [`line_counts`]).
//!
//! Input: the repository, HEAD, the range (`--since`, `--max-commits`)
//! and the parents to follow. Output: commits newest first
//! ([`CommitInfo`]), each commit's changed files against its first parent
//! (a tree diff that skips equal subtrees, as git does), and added/removed
//! line counts as `git log --numstat` gives them. No `git` subprocess.

use anyhow::{anyhow, Context, Result};
use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::git::FileChange;

/// One commit of the walk.
#[derive(Clone, Debug)]
pub(crate) struct CommitInfo {
    pub id: ObjectId,
    /// The first parent (`None` for a root commit).
    pub parent: Option<ObjectId>,
    /// More than one parent.
    pub merge: bool,
    /// The committer's time (what `--since` compares), seconds since the epoch.
    pub time: i64,
    /// The author, as `Name <email>`.
    pub author: String,
    pub tree: ObjectId,
}

/// Where the walk stops.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Since {
    /// The whole history.
    Always,
    /// Commits at or after this time (seconds since the epoch).
    Time(i64),
    /// Commits not reachable from this revision (`--since v1.2`).
    Revision(String),
}

/// `90d`, `12w`, `6h`, `1y` (365 days), a date `2026-01-31`, or a
/// revision; `now` is the current time in seconds.
pub(crate) fn parse_since(text: &str, now: i64) -> Since {
    let t = text.trim();
    let unit = |suffix: char, seconds: i64| {
        t.strip_suffix(suffix)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .map(|n| Since::Time(now - n * seconds))
    };
    if let Some(s) = unit('d', 86_400)
        .or_else(|| unit('w', 7 * 86_400))
        .or_else(|| unit('h', 3_600))
        .or_else(|| unit('y', 365 * 86_400))
    {
        return s;
    }
    if let Some(day) = parse_date(t) {
        return Since::Time(day);
    }
    Since::Revision(t.to_string())
}

/// `YYYY-MM-DD` as midnight UTC, in seconds since the epoch.
fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

/// The commits from `head` back, newest first: following first parents
/// only (git log --first-parent), or every parent.
pub(crate) fn walk(
    repo: &gix::Repository,
    head: ObjectId,
    since: &Since,
    max_commits: usize,
    first_parent: bool,
) -> Result<Vec<CommitInfo>> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let mut platform = repo.rev_walk([head]);
    if first_parent {
        platform = platform.first_parent_only();
    }
    let mut cutoff = None;
    platform = match since {
        Since::Always => platform.sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst)),
        Since::Time(seconds) => {
            cutoff = Some(*seconds);
            platform.sorting(Sorting::ByCommitTimeCutoff {
                order: CommitTimeOrder::NewestFirst,
                seconds: *seconds,
            })
        }
        Since::Revision(spec) => {
            let hidden = repo
                .rev_parse_single(spec.as_str())
                .map_err(|e| {
                    anyhow!("--since `{spec}` is neither a duration (90d), a date (2026-01-31) nor a revision: {e}")
                })?
                .detach();
            platform
                .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
                .with_hidden([hidden])
        }
    };
    let walk = platform
        .all()
        .map_err(|e| anyhow!("walking the history from {head}: {e}"))?;
    let mut out = Vec::new();
    for info in walk {
        if max_commits > 0 && out.len() >= max_commits {
            break;
        }
        let info = info.map_err(|e| anyhow!("walking the history from {head}: {e}"))?;
        let commit = info
            .object()
            .map_err(|e| anyhow!("reading commit {}: {e}", info.id))?;
        let decoded = commit
            .decode()
            .map_err(|e| anyhow!("decoding commit {}: {e}", info.id))?;
        let time = decoded.committer().map(|c| c.seconds()).unwrap_or(0);
        if cutoff.is_some_and(|c| time < c) {
            continue;
        }
        let author = decoded
            .author()
            .map(|a| {
                format!(
                    "{} <{}>",
                    a.name.trim().to_str_lossy(),
                    a.email.trim().to_str_lossy()
                )
            })
            .unwrap_or_default();
        let parents: Vec<ObjectId> = decoded.parents().collect();
        out.push(CommitInfo {
            id: info.id,
            parent: parents.first().copied(),
            merge: parents.len() > 1,
            time,
            author,
            tree: decoded.tree(),
        });
    }
    Ok(out)
}

/// The tree of a commit.
pub(crate) fn tree_of(repo: &gix::Repository, commit: ObjectId) -> Result<ObjectId> {
    let object = repo
        .find_object(commit)
        .with_context(|| format!("reading commit {commit}"))?;
    let commit = object
        .try_into_commit()
        .map_err(|e| anyhow!("{commit} is not a commit: {e}"))?;
    Ok(commit
        .tree_id()
        .map_err(|e| anyhow!("reading the tree of {}: {e}", commit.id))?
        .detach())
}

/// The files that differ between two trees (`None`: the empty tree), for
/// paths `keep` accepts: blobs only, sorted by path. Equal subtrees are
/// skipped without being read.
pub(crate) fn changed_files(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<FileChange>> {
    let tree_bytes = |id: Option<ObjectId>| -> Result<Vec<u8>> {
        match id {
            None => Ok(Vec::new()),
            Some(id) => Ok(repo
                .find_object(id)
                .with_context(|| format!("reading tree {id}"))?
                .detach()
                .data),
        }
    };
    let (a, b) = (tree_bytes(old)?, tree_bytes(Some(new))?);
    let kind = new.kind();
    let mut recorder = gix_diff::tree::Recorder::default();
    gix_diff::tree(
        gix::objs::TreeRefIter::from_bytes(&a, kind),
        gix::objs::TreeRefIter::from_bytes(&b, kind),
        gix_diff::tree::State::default(),
        &repo.objects,
        &mut recorder,
    )
    .map_err(|e| anyhow!("comparing trees {old:?} and {new}: {e}"))?;
    use gix_diff::tree::recorder::Change;
    let mut out = Vec::new();
    for change in recorder.records {
        let (path, old, new) = match change {
            Change::Addition {
                entry_mode,
                oid,
                path,
                ..
            } if entry_mode.is_blob() => (path, None, Some(oid)),
            Change::Deletion {
                entry_mode,
                oid,
                path,
                ..
            } if entry_mode.is_blob() => (path, Some(oid), None),
            Change::Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
                path,
            } => (
                path,
                previous_entry_mode.is_blob().then_some(previous_oid),
                entry_mode.is_blob().then_some(oid),
            ),
            _ => continue,
        };
        let path = path.to_str_lossy().into_owned();
        if (old.is_some() || new.is_some()) && keep(&path) {
            out.push(FileChange { path, old, new });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Lines added and removed from `old` to `new`, as `git log --numstat`
/// counts them: git's Myers diff with its heuristics (a minimal diff can
/// differ, on about 1 % of real changes), a last line without its newline
/// being a different line from the same text with one.
pub(crate) fn line_counts(old: &[u8], new: &[u8]) -> (u32, u32) {
    use gix_imara_diff::{sources::byte_lines, Algorithm, Diff, InternedInput};
    let input = InternedInput::new(byte_lines(old), byte_lines(new));
    let diff = Diff::compute(Algorithm::Myers, &input);
    (diff.count_additions(), diff.count_removals())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_dates_and_revisions() {
        let now = 1_000_000_000;
        assert_eq!(parse_since("90d", now), Since::Time(now - 90 * 86_400));
        assert_eq!(parse_since("2w", now), Since::Time(now - 14 * 86_400));
        assert_eq!(parse_since("1y", now), Since::Time(now - 365 * 86_400));
        assert_eq!(parse_since("1970-01-02", now), Since::Time(86_400));
        assert_eq!(parse_since("2026-03-01", now), Since::Time(1_772_323_200));
        assert_eq!(parse_since("v1.2", now), Since::Revision("v1.2".into()));
        assert_eq!(
            parse_since("2026-13-01", now),
            Since::Revision("2026-13-01".into())
        );
    }

    #[test]
    fn line_counts_match_numstat() {
        assert_eq!(line_counts(b"a\nb\nc\n", b"a\nB\nc\nd\n"), (2, 1));
        assert_eq!(line_counts(b"", b"x\ny\n"), (2, 0));
        assert_eq!(line_counts(b"x\ny\n", b""), (0, 2));
        // The missing final newline makes the last line differ.
        assert_eq!(line_counts(b"a\nb", b"a\nb\n"), (1, 1));
        assert_eq!(line_counts(b"same\n", b"same\n"), (0, 0));
    }
}
