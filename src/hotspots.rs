//! History → hotspots: what each commit changed ([`commit_record`]), and
//! the replay of those records oldest first ([`replay`]) into per-file and
//! per-function churn, change coupling and per-function trends.
//!
//! Input: for each commit of the range, its changed files with both sides'
//! functions (the gate's analysis) and line counts. Output: a
//! [`CommitRecord`] per commit (small; the cache keeps it, so a second run
//! reads no blob of an old commit) and [`Histories`]. A function is known
//! across commits by the gate's function diff: by qualified name, or by its
//! normalised body when it moved or was renamed; a change that only
//! reformats or edits comments leaves the normalised AST as it was and
//! does not count. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::diff::{diff_functions, ChangeKind, FilePair};
use crate::metrics::FunctionReport;

/// What one commit changed in the Python files it touched.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CommitRecord {
    pub files: Vec<FileDelta>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FileDelta {
    pub path: String,
    /// The blob after the commit (hex; `None`: deleted).
    pub blob: Option<String>,
    pub added: u32,
    pub removed: u32,
    /// Functions added, modified, moved here or removed (unchanged ones
    /// are not listed).
    pub functions: Vec<FunctionDelta>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum FunctionKind {
    Added,
    Modified,
    /// Renamed or moved with its normalised body unchanged: carries its
    /// history, counts no change.
    Moved,
    Removed,
}

/// A function's key in one version of the tree: file, qualified name,
/// occurrence (a file may define a name twice).
pub(crate) type FunctionKey = (String, String, u32);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FunctionDelta {
    pub name: String,
    pub occurrence: u32,
    pub kind: FunctionKind,
    /// Where a moved function was.
    pub from: Option<FunctionKey>,
    /// Cyclomatic, cognitive and lines after the commit (not when removed).
    pub metrics: Option<[u32; 3]>,
}

/// One changed file of a commit, with both sides' functions (`None`: the
/// side is absent, or could not be analysed).
pub(crate) struct ChangedFile<'a> {
    pub path: &'a str,
    pub blob: Option<String>,
    pub old: Option<&'a [FunctionReport]>,
    pub new: Option<&'a [FunctionReport]>,
    pub added: u32,
    pub removed: u32,
}

/// What a commit did to files and functions, by the gate's function diff.
pub(crate) fn commit_record(files: &[ChangedFile<'_>]) -> CommitRecord {
    let pairs: Vec<FilePair<'_>> = files
        .iter()
        .map(|f| FilePair {
            old: f.old.unwrap_or(&[]),
            new: f.new.unwrap_or(&[]),
        })
        .collect();
    let changes = diff_functions(&pairs);
    let mut matched: Vec<Vec<bool>> = pairs.iter().map(|p| vec![false; p.old.len()]).collect();
    let mut out: Vec<FileDelta> = Vec::with_capacity(files.len());
    for (fi, (file, changes)) in files.iter().zip(&changes).enumerate() {
        let mut functions = Vec::new();
        for c in changes {
            if let Some((ofi, oi)) = c.old {
                matched[ofi][oi] = true;
            }
            let f = &pairs[fi].new[c.new];
            let kind = match c.kind {
                ChangeKind::Unchanged => continue,
                ChangeKind::Added => FunctionKind::Added,
                ChangeKind::Modified => FunctionKind::Modified,
                ChangeKind::Renamed => FunctionKind::Moved,
            };
            let from = (kind == FunctionKind::Moved)
                .then_some(c.old)
                .flatten()
                .map(|(ofi, oi)| {
                    let o = &pairs[ofi].old[oi];
                    (
                        files[ofi].path.to_string(),
                        o.qualname.clone(),
                        o.occurrence,
                    )
                });
            functions.push(FunctionDelta {
                name: f.qualname.clone(),
                occurrence: f.occurrence,
                kind,
                from,
                metrics: Some([f.metrics.cyclomatic, f.metrics.cognitive, f.metrics.lines]),
            });
        }
        out.push(FileDelta {
            path: file.path.to_string(),
            blob: file.blob.clone(),
            added: file.added,
            removed: file.removed,
            functions,
        });
    }
    for (fi, pair) in pairs.iter().enumerate() {
        for (oi, f) in pair.old.iter().enumerate() {
            if !matched[fi][oi] {
                out[fi].functions.push(FunctionDelta {
                    name: f.qualname.clone(),
                    occurrence: f.occurrence,
                    kind: FunctionKind::Removed,
                    from: None,
                    metrics: None,
                });
            }
        }
    }
    CommitRecord { files: out }
}

/// The commit facts a replay needs.
pub(crate) struct CommitMeta<'a> {
    pub time: i64,
    pub author: &'a str,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct FileHistory {
    pub commits: u32,
    pub added: u64,
    pub removed: u64,
    pub authors: BTreeSet<String>,
    /// The latest commit time that touched it.
    pub last: i64,
}

/// One change of a function: the commit (its index in the replay) and
/// the metrics after it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct FunctionChange {
    pub commit: usize,
    /// Its file and name at that commit.
    pub path: String,
    pub name: String,
    pub kind: FunctionKind,
    pub metrics: [u32; 3],
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FunctionHistory {
    /// Where it is after the last commit (`None`: removed).
    pub key: Option<FunctionKey>,
    /// The commits that changed its normalised body, oldest first
    /// (including the one that added it, when in range).
    pub changes: Vec<FunctionChange>,
}

/// Everything a replay of the range learns.
#[derive(Debug, Default)]
pub(crate) struct Histories {
    pub files: BTreeMap<String, FileHistory>,
    pub functions: Vec<FunctionHistory>,
    /// Pairs of files (sorted) and how many commits changed both.
    pub file_pairs: BTreeMap<(String, String), u32>,
    /// Pairs of functions (indexes into `functions`) and how many commits
    /// changed both.
    pub function_pairs: BTreeMap<(usize, usize), u32>,
}

/// Replays the records oldest first. Commits changing more than
/// `max_changeset` files (or functions) count for churn but not for
/// coupling: a mass reformat or rename couples everything to everything.
pub(crate) fn replay(
    commits: &[(CommitMeta<'_>, &CommitRecord)],
    max_changeset: usize,
) -> Histories {
    let mut h = Histories::default();
    let mut alive: HashMap<FunctionKey, usize> = HashMap::new();
    for (ci, (meta, record)) in commits.iter().enumerate() {
        for f in &record.files {
            let e = h.files.entry(f.path.clone()).or_default();
            e.commits += 1;
            e.added += u64::from(f.added);
            e.removed += u64::from(f.removed);
            e.authors.insert(meta.author.to_string());
            e.last = e.last.max(meta.time);
        }
        if record.files.len() <= max_changeset {
            for (i, a) in record.files.iter().enumerate() {
                for b in &record.files[i + 1..] {
                    let pair = if a.path <= b.path {
                        (a.path.clone(), b.path.clone())
                    } else {
                        (b.path.clone(), a.path.clone())
                    };
                    *h.file_pairs.entry(pair).or_default() += 1;
                }
            }
        }
        // Sources first: a moved function leaves its old key before a new
        // function may take it.
        let mut leaving: HashMap<FunctionKey, usize> = HashMap::new();
        for f in &record.files {
            for d in &f.functions {
                if d.kind == FunctionKind::Removed {
                    let key = (f.path.clone(), d.name.clone(), d.occurrence);
                    if let Some(id) = alive.remove(&key) {
                        h.functions[id].key = None;
                    }
                }
                if let Some(from) = &d.from {
                    if let Some(id) = alive.remove(from) {
                        leaving.insert(from.clone(), id);
                    }
                }
            }
        }
        let mut changed: Vec<usize> = Vec::new();
        for f in &record.files {
            for d in f
                .functions
                .iter()
                .filter(|d| d.kind != FunctionKind::Removed)
            {
                let key = (f.path.clone(), d.name.clone(), d.occurrence);
                let known = match &d.from {
                    Some(from) => leaving.remove(from),
                    None => alive.remove(&key),
                };
                let id = known.unwrap_or_else(|| {
                    h.functions.push(FunctionHistory::default());
                    h.functions.len() - 1
                });
                h.functions[id].key = Some(key.clone());
                alive.insert(key, id);
                if d.kind != FunctionKind::Moved {
                    h.functions[id].changes.push(FunctionChange {
                        commit: ci,
                        path: f.path.clone(),
                        name: d.name.clone(),
                        kind: d.kind,
                        metrics: d.metrics.unwrap_or_default(),
                    });
                    changed.push(id);
                }
            }
        }
        for id in leaving.into_values() {
            h.functions[id].key = None;
        }
        if changed.len() <= max_changeset {
            changed.sort_unstable();
            changed.dedup();
            for (i, &a) in changed.iter().enumerate() {
                for &b in &changed[i + 1..] {
                    *h.function_pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    h
}

/// Coupling degree, as code-maat defines it: the shared commits over the
/// mean of the two entities' commits.
pub(crate) fn coupling_degree(shared: u32, a: u32, b: u32) -> f64 {
    let mean = (f64::from(a) + f64::from(b)) / 2.0;
    if mean == 0.0 {
        0.0
    } else {
        f64::from(shared) / mean
    }
}

/// The hotspot score: change frequency normalised to the busiest entity
/// (0..1) times the worst ratio of a metric to its limit now (1 = at the
/// limit). Complex code nobody touches and busy code that is simple both
/// score low; busy code past its limits scores high.
pub(crate) fn score(changes: u32, max_changes: u32, worst_ratio: f64) -> f64 {
    if max_changes == 0 {
        0.0
    } else {
        f64::from(changes) / f64::from(max_changes) * worst_ratio
    }
}

/// A file of the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct FileSpot {
    pub path: String,
    pub score: f64,
    pub commits: u32,
    pub added: u64,
    pub removed: u64,
    pub authors: usize,
    pub last: i64,
    /// The worst ratio of one of its functions to a limit, now.
    pub worst: f64,
}

/// A function of the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct FunctionSpot {
    pub path: String,
    pub name: String,
    pub score: f64,
    /// Commits that changed its normalised body.
    pub changes: u32,
    pub worst: f64,
    pub metrics: [u32; 3],
}

/// Two files or functions that change together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Coupling {
    pub a: String,
    pub b: String,
    pub shared: u32,
    pub degree: f64,
}

/// The ranking a `hotspots` run prints.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct Hotspots {
    pub commits: usize,
    pub files: Vec<FileSpot>,
    pub functions: Vec<FunctionSpot>,
    pub file_coupling: Vec<Coupling>,
    pub function_coupling: Vec<Coupling>,
}

/// How the ranking reads the present: the worst ratio of a file's
/// functions and of one function, at HEAD (`None`: it is not there).
pub(crate) struct Present<'a> {
    pub file_worst: &'a dyn Fn(&str) -> Option<f64>,
    pub function_worst: &'a dyn Fn(&FunctionKey) -> Option<f64>,
}

/// Ranks what exists at HEAD by [`score`], worst first, `top` of each;
/// couplings of at least `min_shared` commits, strongest first.
pub(crate) fn rank(
    h: &Histories,
    commits: usize,
    present: &Present<'_>,
    top: usize,
    min_shared: u32,
) -> Hotspots {
    let max_file = h.files.values().map(|f| f.commits).max().unwrap_or(0);
    let mut files: Vec<FileSpot> = h
        .files
        .iter()
        .filter_map(|(path, f)| {
            let worst = (present.file_worst)(path)?;
            Some(FileSpot {
                path: path.clone(),
                score: score(f.commits, max_file, worst),
                commits: f.commits,
                added: f.added,
                removed: f.removed,
                authors: f.authors.len(),
                last: f.last,
                worst,
            })
        })
        .collect();
    files.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.commits.cmp(&a.commits))
            .then_with(|| a.path.cmp(&b.path))
    });
    files.truncate(top);
    let changes = |f: &FunctionHistory| f.changes.len() as u32;
    let max_fn = h.functions.iter().map(changes).max().unwrap_or(0);
    let mut functions: Vec<FunctionSpot> = h
        .functions
        .iter()
        .filter_map(|f| {
            let key = f.key.as_ref()?;
            let worst = (present.function_worst)(key)?;
            Some(FunctionSpot {
                path: key.0.clone(),
                name: key.1.clone(),
                score: score(changes(f), max_fn, worst),
                changes: changes(f),
                worst,
                metrics: f.changes.last().map_or([0; 3], |c| c.metrics),
            })
        })
        .collect();
    functions.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.changes.cmp(&a.changes))
            .then_with(|| (&a.path, &a.name).cmp(&(&b.path, &b.name)))
    });
    functions.truncate(top);
    let mut file_coupling: Vec<Coupling> = h
        .file_pairs
        .iter()
        .filter(|(_, &n)| n >= min_shared)
        .map(|((a, b), &shared)| Coupling {
            a: a.clone(),
            b: b.clone(),
            shared,
            degree: coupling_degree(shared, h.files[a].commits, h.files[b].commits),
        })
        .collect();
    let name = |f: &FunctionHistory| match (&f.key, f.changes.last()) {
        (Some(k), _) => format!("{}::{}", k.0, k.1),
        (None, Some(c)) => format!("{}::{} (removed)", c.path, c.name),
        (None, None) => String::new(),
    };
    let mut function_coupling: Vec<Coupling> = h
        .function_pairs
        .iter()
        .filter(|(_, &n)| n >= min_shared)
        .map(|(&(a, b), &shared)| {
            let (fa, fb) = (&h.functions[a], &h.functions[b]);
            Coupling {
                a: name(fa),
                b: name(fb),
                shared,
                degree: coupling_degree(shared, changes(fa), changes(fb)),
            }
        })
        .collect();
    for list in [&mut file_coupling, &mut function_coupling] {
        list.sort_by(|x, y| {
            y.degree
                .total_cmp(&x.degree)
                .then(y.shared.cmp(&x.shared))
                .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
        });
        list.truncate(top);
    }
    Hotspots {
        commits,
        files,
        functions,
        file_coupling,
        function_coupling,
    }
}

/// What range a run read, for the report's heading.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Range {
    pub commits: usize,
    pub first_parent: bool,
    pub since: Option<String>,
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
}

/// One function's metrics at each commit that changed it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Trend {
    pub path: String,
    pub name: String,
    pub points: Vec<TrendPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct TrendPoint {
    pub commit: String,
    pub time: i64,
    /// Its file and name at that commit.
    pub path: String,
    pub name: String,
    pub kind: FunctionKind,
    pub cyclomatic: u32,
    pub cognitive: u32,
    pub lines: u32,
}

/// The history of the function now at `path::name` (its first
/// occurrence), or `None` when no function there changed in the range.
pub(crate) fn trend<'h>(h: &'h Histories, path: &str, name: &str) -> Option<&'h FunctionHistory> {
    h.functions.iter().find(|f| {
        f.key
            .as_ref()
            .is_some_and(|k| k.0 == path && k.1 == name && k.2 == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, FileAnalysis, MetricOptions};
    use crate::source::SourceText;

    fn functions(src: &str) -> FileAnalysis {
        analyze(&SourceText::from_text(src), MetricOptions::default()).unwrap()
    }

    fn record(files: &[(&str, Option<&str>, Option<&str>)]) -> CommitRecord {
        let analyses: Vec<(Option<FileAnalysis>, Option<FileAnalysis>)> = files
            .iter()
            .map(|(_, o, n)| (o.map(functions), n.map(functions)))
            .collect();
        let changed: Vec<ChangedFile<'_>> = files
            .iter()
            .zip(&analyses)
            .map(|((path, ..), (o, n))| ChangedFile {
                path,
                blob: None,
                old: o.as_ref().map(|a| a.functions.as_slice()),
                new: n.as_ref().map(|a| a.functions.as_slice()),
                added: 1,
                removed: 0,
            })
            .collect();
        commit_record(&changed)
    }

    fn kinds(r: &CommitRecord) -> Vec<(String, FunctionKind)> {
        r.files
            .iter()
            .flat_map(|f| {
                f.functions
                    .iter()
                    .map(move |d| (format!("{}::{}", f.path, d.name), d.kind))
            })
            .collect()
    }

    const A1: &str = "def a(x):\n    return x\n";
    const A1_REFORMATTED: &str = "def a( x ):\n    # why\n    return (x)\n";
    const A2: &str = "def a(x):\n    if x:\n        return 1\n    return x\n";

    #[test]
    fn a_reformat_changes_no_function() {
        assert!(kinds(&record(&[("m.py", Some(A1), Some(A1_REFORMATTED))])).is_empty());
    }

    #[test]
    fn added_modified_moved_and_removed() {
        let r = record(&[
            (
                "m.py",
                Some("def a(x):\n    return x\n\ndef gone():\n    pass\n"),
                Some(A2),
            ),
            ("old.py", Some("def keep(y):\n    return y * 2\n"), None),
            (
                "new.py",
                None,
                Some("def kept(y):\n    return y * 2\n\ndef fresh():\n    return 0\n"),
            ),
        ]);
        assert_eq!(
            kinds(&r),
            [
                ("m.py::a".to_string(), FunctionKind::Modified),
                ("m.py::gone".to_string(), FunctionKind::Removed),
                ("new.py::kept".to_string(), FunctionKind::Moved),
                ("new.py::fresh".to_string(), FunctionKind::Added),
            ]
        );
        let moved = &r.files[2].functions[0];
        assert_eq!(moved.from, Some(("old.py".into(), "keep".into(), 1)));
    }

    #[test]
    fn a_move_carries_the_history_and_counts_no_change() {
        let c1 = record(&[("old.py", None, Some(A1))]);
        let c2 = record(&[("old.py", Some(A1), Some(A2))]);
        let c3 = record(&[("old.py", Some(A2), None), ("new.py", None, Some(A2))]);
        let c4 = record(&[("new.py", Some(A2), Some(A1))]);
        let meta = |t| CommitMeta {
            time: t,
            author: "ann",
        };
        let h = replay(
            &[
                (meta(1), &c1),
                (meta(2), &c2),
                (meta(3), &c3),
                (meta(4), &c4),
            ],
            30,
        );
        assert_eq!(h.functions.len(), 1, "one function throughout");
        let f = &h.functions[0];
        assert_eq!(f.key, Some(("new.py".into(), "a".into(), 1)));
        let commits: Vec<usize> = f.changes.iter().map(|c| c.commit).collect();
        assert_eq!(
            commits,
            [0, 1, 3],
            "added, modified, (moved: no change), modified"
        );
        assert_eq!(f.changes[1].metrics, [2, 1, 4]);
        assert_eq!(h.files["old.py"].commits, 3);
        assert_eq!(h.files["new.py"].commits, 2);
        assert_eq!(h.file_pairs[&("new.py".into(), "old.py".into())], 1);
    }

    #[test]
    fn large_commits_do_not_couple() {
        let c = record(&[
            ("a.py", None, Some(A1)),
            ("b.py", None, Some(A1)),
            ("c.py", None, Some(A1)),
        ]);
        let meta = CommitMeta {
            time: 1,
            author: "ann",
        };
        assert_eq!(replay(&[(meta, &c)], 3).file_pairs.len(), 3);
        let meta = CommitMeta {
            time: 1,
            author: "ann",
        };
        assert!(replay(&[(meta, &c)], 2).file_pairs.is_empty());
    }

    #[test]
    fn coupling_and_score() {
        assert_eq!(coupling_degree(3, 4, 2), 1.0);
        assert_eq!(coupling_degree(1, 4, 4), 0.25);
        assert_eq!(score(5, 10, 2.0), 1.0);
        assert_eq!(score(0, 0, 2.0), 0.0);
    }
}
