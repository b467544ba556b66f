//! Old functions vs new functions → what really changed.
//!
//! Input: for each changed file, the functions of its old version (HEAD, or
//! a base commit) and of its new version (the index, or a head commit).
//! Output: one [`FunctionChange`] per new function. Functions are matched by
//! qualified name and occurrence; a matched function is **modified** when its
//! normalised AST differs (positions, comments and formatting do not count),
//! **unchanged** otherwise. An unmatched new function is **renamed** (moved)
//! when its normalised body equals that of an old function that disappeared
//! anywhere in the change — a function moved to another file, or a file
//! renamed, keeps its old verdict — and **added** otherwise. No I/O here.

use std::collections::HashMap;

use similar::{DiffTag, TextDiff};

use crate::metrics::FunctionReport;

/// How a function of the new version relates to the old version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    Added,
    Modified,
    Renamed,
    Unchanged,
}

impl ChangeKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Unchanged => "unchanged",
        }
    }
}

/// The functions of one changed file, both sides.
pub(crate) struct FilePair<'a> {
    pub old: &'a [FunctionReport],
    pub new: &'a [FunctionReport],
}

/// A new function and its counterpart: `(file, index)` into the old side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FunctionChange {
    pub kind: ChangeKind,
    /// Index into `pairs[file].new`.
    pub new: usize,
    /// `(file, index)` into `pairs[file].old` for modified, renamed and
    /// unchanged functions.
    pub old: Option<(usize, usize)>,
}

/// Classifies every new function of every file; the result has one list per
/// file, in the order of `pairs`.
pub(crate) fn diff_functions(pairs: &[FilePair<'_>]) -> Vec<Vec<FunctionChange>> {
    let mut result: Vec<Vec<FunctionChange>> = Vec::with_capacity(pairs.len());
    let mut matched_old: Vec<Vec<bool>> = pairs.iter().map(|p| vec![false; p.old.len()]).collect();
    for (fi, pair) in pairs.iter().enumerate() {
        let by_name: HashMap<(&str, u32), usize> = pair
            .old
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.qualname.as_str(), f.occurrence), i))
            .collect();
        let mut changes = Vec::with_capacity(pair.new.len());
        for (ni, f) in pair.new.iter().enumerate() {
            let change = match by_name.get(&(f.qualname.as_str(), f.occurrence)) {
                Some(&oi) => {
                    matched_old[fi][oi] = true;
                    let kind = if pair.old[oi].ast_hash == f.ast_hash {
                        ChangeKind::Unchanged
                    } else {
                        ChangeKind::Modified
                    };
                    FunctionChange {
                        kind,
                        new: ni,
                        old: Some((fi, oi)),
                    }
                }
                None => FunctionChange {
                    kind: ChangeKind::Added,
                    new: ni,
                    old: None,
                },
            };
            changes.push(change);
        }
        result.push(changes);
    }

    // Functions that disappeared, by body hash, in a stable order.
    let mut vanished: HashMap<u64, Vec<(usize, usize)>> = HashMap::new();
    for (fi, pair) in pairs.iter().enumerate() {
        for (oi, f) in pair.old.iter().enumerate() {
            if !matched_old[fi][oi] {
                vanished.entry(f.body_hash).or_default().push((fi, oi));
            }
        }
    }
    for v in vanished.values_mut() {
        v.reverse(); // pop() then yields them in source order
    }
    for (fi, changes) in result.iter_mut().enumerate() {
        for change in changes.iter_mut().filter(|c| c.kind == ChangeKind::Added) {
            let body = pairs[fi].new[change.new].body_hash;
            if let Some(old) = vanished.get_mut(&body).and_then(Vec::pop) {
                change.kind = ChangeKind::Renamed;
                change.old = Some(old);
            }
        }
    }
    result
}

/// Lines of `new` (1-based, inclusive ranges) that a line diff against
/// `old` marks as inserted or replaced; a pure deletion marks the line where
/// the removed lines stood. For the report only: what counts as a change is
/// decided on the AST, not here.
pub(crate) fn changed_lines(old: &str, new: &str) -> Vec<(u32, u32)> {
    let diff = TextDiff::from_lines(old, new);
    let last = new.lines().count().max(1) as u32;
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for op in diff.ops() {
        let r = op.new_range();
        let range = match op.tag() {
            DiffTag::Equal => continue,
            DiffTag::Delete => {
                let at = (r.start as u32 + 1).min(last);
                (at, at)
            }
            DiffTag::Insert | DiffTag::Replace => (r.start as u32 + 1, r.end as u32),
        };
        match ranges.last_mut() {
            Some(prev) if range.0 <= prev.1 + 1 => prev.1 = prev.1.max(range.1),
            _ => ranges.push(range),
        }
    }
    ranges
}

/// The parts of `ranges` inside lines `first..=last`.
pub(crate) fn clip(ranges: &[(u32, u32)], first: u32, last: u32) -> Vec<(u32, u32)> {
    ranges
        .iter()
        .filter(|(a, b)| *b >= first && *a <= last)
        .map(|&(a, b)| (a.max(first), b.min(last)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, MetricOptions};
    use crate::source::SourceText;

    fn functions(src: &str) -> Vec<FunctionReport> {
        analyze(&SourceText::from_text(src), MetricOptions::default())
            .unwrap()
            .functions
    }

    fn kinds(old: &str, new: &str) -> Vec<(String, ChangeKind)> {
        let (o, n) = (functions(old), functions(new));
        let pairs = [FilePair { old: &o, new: &n }];
        diff_functions(&pairs)[0]
            .iter()
            .map(|c| (n[c.new].qualname.clone(), c.kind))
            .collect()
    }

    #[test]
    fn changed_lines_cover_edits_inserts_and_deletions() {
        let old = "a\nb\nc\nd\ne\n";
        let new = "a\nB\nc\nd\nx\ny\ne\n";
        assert_eq!(changed_lines(old, new), [(2, 2), (5, 6)]);
        // Deleting "c" marks the line that follows the gap.
        assert_eq!(changed_lines(old, "a\nb\nd\ne\n"), [(3, 3)]);
        assert_eq!(clip(&[(2, 2), (5, 6)], 4, 10), [(5, 6)]);
        assert_eq!(clip(&[(2, 9)], 4, 6), [(4, 6)]);
    }

    #[test]
    fn formatting_and_comments_are_unchanged() {
        let old = "def f(a, b):\n    return a+b\n";
        let new = "# header\n\ndef f(a,\n      b):\n    # add them\n    return (a + b)  # sum\n";
        assert_eq!(kinds(old, new), [("f".into(), ChangeKind::Unchanged)]);
    }

    #[test]
    fn body_edit_without_touching_def_line_is_modified() {
        let old = "def f(a):\n    return a\n";
        let new = "def f(a):\n    if a:\n        return a\n    return a\n";
        assert_eq!(kinds(old, new), [("f".into(), ChangeKind::Modified)]);
    }

    #[test]
    fn new_function_is_added() {
        let old = "def f():\n    pass\n";
        let new = "def f():\n    pass\n\ndef g():\n    return 1\n";
        assert_eq!(
            kinds(old, new),
            [
                ("f".into(), ChangeKind::Unchanged),
                ("g".into(), ChangeKind::Added)
            ]
        );
    }

    #[test]
    fn renamed_function_keeps_identity() {
        let old = "def f(a):\n    return a * 2\n";
        let new = "def double(a):\n    return a * 2\n";
        assert_eq!(kinds(old, new), [("double".into(), ChangeKind::Renamed)]);
    }

    #[test]
    fn moved_into_class_is_renamed() {
        let old = "def f(self):\n    return self.x\n";
        let new = "class K:\n    def f(self):\n        return self.x\n";
        assert_eq!(kinds(old, new), [("K.f".into(), ChangeKind::Renamed)]);
    }

    #[test]
    fn function_moved_to_another_file_is_renamed() {
        let a_old = functions("def f(a):\n    return a + 1\n");
        let a_new = functions("");
        let b_old = functions("");
        let b_new = functions("def f(a):\n    return a + 1\n");
        let pairs = [
            FilePair {
                old: &a_old,
                new: &a_new,
            },
            FilePair {
                old: &b_old,
                new: &b_new,
            },
        ];
        let changes = diff_functions(&pairs);
        assert_eq!(changes[1][0].kind, ChangeKind::Renamed);
        assert_eq!(changes[1][0].old, Some((0, 0)));
    }

    #[test]
    fn decorator_change_is_modified() {
        let old = "def f():\n    pass\n";
        let new = "@cache\ndef f():\n    pass\n";
        assert_eq!(kinds(old, new), [("f".into(), ChangeKind::Modified)]);
    }

    #[test]
    fn conditional_duplicates_match_by_occurrence() {
        let old = "if x:\n    def f():\n        return 1\nelse:\n    def f():\n        return 2\n";
        let new = "if x:\n    def f():\n        return 1\nelse:\n    def f():\n        return 3\n";
        assert_eq!(
            kinds(old, new),
            [
                ("f".into(), ChangeKind::Unchanged),
                ("f".into(), ChangeKind::Modified)
            ]
        );
    }
}
