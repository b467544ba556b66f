//! The baseline ledger: the violations a legacy codebase already has,
//! recorded so that a full-tree check fails only on new or worsened ones.
//!
//! A ledger entry is (path, qualified name, a fingerprint of the function's
//! normalised body, metric, value); a file-scope entry has no name and the
//! fingerprint of the module's normalised code. A current violation takes
//! an entry by path + name + metric first, then by fingerprint + metric
//! (the function moved to another file, the file was renamed, the class
//! renamed), each entry at most once. A matched violation is reported only
//! when its value is worse than recorded; improvements pass.
//!
//! The ledger only shrinks: [`update`] drops entries that no longer match a
//! violation and lowers values that improved, and never adds or raises
//! one. The file is JSON with one entry per line, sorted, so that its diffs
//! review well. Input and output are text and plain values; the caller
//! reads and writes the file (only `baseline create/update` ever do).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::config::Comparison;
use crate::metrics::{FileAnalysis, MetricKind};
use crate::report::{FileResult, Report};
use crate::thresholds::{format_value, Violation};

/// The ledger's file name in the project root, unless configured.
pub(crate) use crate::config::DEFAULT_BASELINE_FILE as DEFAULT_FILE;

const VERSION: u32 = 1;

/// The fingerprint of a violation whose hash was not computed (0): it
/// identifies nothing, so it never matches by fingerprint.
const NO_FINGERPRINT: &str = "0000000000000000";

/// One recorded violation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// Relative to the project root, `/`-separated.
    pub path: String,
    /// The qualified name; `None` for a file-scope rule.
    pub function: Option<String>,
    /// xxh3 of the normalised body (the module's code for a file entry), hex.
    pub fingerprint: String,
    pub metric: String,
    pub value: f64,
}

impl Entry {
    fn sort_key(&self) -> (&str, &str, &str, &str) {
        (
            &self.path,
            self.function.as_deref().unwrap_or(""),
            &self.metric,
            &self.fingerprint,
        )
    }
}

/// A parsed ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Baseline {
    pub entries: Vec<Entry>,
}

/// Reads a ledger; the error says what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<Baseline, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        version: u32,
        entries: Vec<Entry>,
    }
    let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if file.version != VERSION {
        return Err(format!(
            "ledger version {} (this antipasta reads version {VERSION})",
            file.version
        ));
    }
    for e in &file.entries {
        if MetricKind::from_name(&e.metric).is_none() {
            return Err(format!(
                "unknown metric `{}` in the entry for {}",
                e.metric, e.path
            ));
        }
    }
    Ok(Baseline {
        entries: file.entries,
    })
}

/// The ledger's text: sorted, one entry per line.
pub(crate) fn render(baseline: &Baseline) -> String {
    let mut entries: Vec<&Entry> = baseline.entries.iter().collect();
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"entries\": [");
    for (i, e) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        // An entry is plain strings and a number: it always serialises.
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    out.push_str(if entries.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// A current violation with its identity in ledger terms.
pub(crate) struct Current<'a> {
    pub path: String,
    pub violation: &'a Violation,
    pub fingerprint: String,
}

/// Every violation of the report with its ledger identity; `key` maps a
/// report path to the ledger's path (`None`: the file is outside it).
pub(crate) fn current<'a>(
    report: &'a Report,
    key: &dyn Fn(&str) -> Option<String>,
) -> Vec<Current<'a>> {
    let mut out = Vec::new();
    for file in &report.files {
        let Some(path) = key(&file.path) else {
            continue;
        };
        for v in &file.violations {
            out.push(Current {
                path: path.clone(),
                violation: v,
                fingerprint: fingerprint(file, v),
            });
        }
    }
    out
}

fn fingerprint(file: &FileResult, v: &Violation) -> String {
    let analysis: Option<&FileAnalysis> = file.outcome.as_ref().and_then(|o| o.as_ref().ok());
    let hash = match (&v.function, analysis) {
        (Some(name), Some(a)) => a
            .functions
            .iter()
            .find(|f| &f.qualname == name && f.line == v.line)
            .map_or(0, |f| f.body_hash),
        (None, Some(a)) => a.code_hash.unwrap_or(0),
        _ => 0,
    };
    format!("{hash:016x}")
}

/// For each current violation, the entry it takes, if any: by path, name
/// and metric first (the entry with the same fingerprint preferred), then
/// by fingerprint and metric; each entry at most once.
pub(crate) fn match_entries(baseline: &Baseline, current: &[Current<'_>]) -> Vec<Option<usize>> {
    let mut taken = vec![false; baseline.entries.len()];
    let mut by_name: HashMap<(&str, Option<&str>, &str), Vec<usize>> = HashMap::new();
    let mut by_print: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, e) in baseline.entries.iter().enumerate() {
        by_name
            .entry((&e.path, e.function.as_deref(), &e.metric))
            .or_default()
            .push(i);
        by_print
            .entry((&e.fingerprint, &e.metric))
            .or_default()
            .push(i);
    }
    let mut out = vec![None; current.len()];
    for (ci, c) in current.iter().enumerate() {
        let metric = c.violation.metric.name();
        let key = (c.path.as_str(), c.violation.function.as_deref(), metric);
        let Some(candidates) = by_name.get(&key) else {
            continue;
        };
        let free = |i: &&usize| !taken[**i];
        let pick = candidates
            .iter()
            .filter(free)
            .find(|i| baseline.entries[**i].fingerprint == c.fingerprint)
            .or_else(|| candidates.iter().find(free))
            .copied();
        if let Some(i) = pick {
            taken[i] = true;
            out[ci] = Some(i);
        }
    }
    for (ci, c) in current.iter().enumerate() {
        // A fingerprint of 0 means none was computed: no identity to match.
        if out[ci].is_some() || c.fingerprint == NO_FINGERPRINT {
            continue;
        }
        let key = (c.fingerprint.as_str(), c.violation.metric.name());
        if let Some(i) = by_print
            .get(&key)
            .and_then(|list| list.iter().find(|i| !taken[**i]))
            .copied()
        {
            taken[i] = true;
            out[ci] = Some(i);
        }
    }
    out
}

/// Whether `value` is worse than the recorded `baseline` under `comparison`
/// (a larger value for a maximum, a smaller one for a minimum).
pub(crate) fn worse(comparison: Comparison, value: f64, baseline: f64) -> bool {
    match comparison {
        Comparison::Le | Comparison::Lt => value > baseline,
        Comparison::Ge | Comparison::Gt => value < baseline,
        Comparison::Eq | Comparison::Ne => value != baseline,
    }
}

/// Applies the ledger to a report: a baselined violation stays only when it
/// got worse (then it carries the recorded value); the others leave the
/// violations and are counted in the file's `baselined`.
pub(crate) fn apply(
    report: &mut Report,
    baseline: &Baseline,
    key: &dyn Fn(&str) -> Option<String>,
) {
    let matched: Vec<Option<f64>> = {
        let current = current(report, key);
        match_entries(baseline, &current)
            .into_iter()
            .map(|m| m.map(|i| baseline.entries[i].value))
            .collect()
    };
    let mut matched = matched.into_iter();
    for file in &mut report.files {
        if key(&file.path).is_none() {
            continue;
        }
        let violations = std::mem::take(&mut file.violations);
        for mut v in violations {
            match matched.next().flatten() {
                Some(recorded) if !worse(v.comparison, v.value, recorded) => file.baselined += 1,
                Some(recorded) => {
                    v.baseline = Some(recorded);
                    file.violations.push(v);
                }
                None => file.violations.push(v),
            }
        }
    }
}

/// Every current violation as a new ledger (`baseline create`).
pub(crate) fn create(current: &[Current<'_>]) -> Baseline {
    Baseline {
        entries: current.iter().map(entry).collect(),
    }
}

fn entry(c: &Current<'_>) -> Entry {
    Entry {
        path: c.path.clone(),
        function: c.violation.function.clone(),
        fingerprint: c.fingerprint.clone(),
        metric: c.violation.metric.name().to_string(),
        value: c.violation.value,
    }
}

/// What [`update`] did to the ledger.
#[derive(Debug, Default)]
pub(crate) struct Shrink {
    /// Entries that no longer match a violation.
    pub dropped: Vec<Entry>,
    /// Entries whose value improved: (old entry, new value).
    pub lowered: Vec<(Entry, f64)>,
    /// Entries kept whose path, name or fingerprint were brought up to date
    /// (the function moved or was renamed).
    pub moved: usize,
    /// Entries left as they were because their file was not analysed.
    pub outside: usize,
}

impl Shrink {
    /// Whether the ledger could shrink (what `baseline check` fails on).
    pub(crate) fn shrinks(&self) -> bool {
        !self.dropped.is_empty() || !self.lowered.is_empty()
    }
}

/// The ledger shrunk to the current violations: each matched entry keeps
/// the better of its value and the current one and takes the current
/// identity; an unmatched entry is dropped when its file was analysed
/// (`analysed`) or no longer exists (`exists` is false), else kept as it is.
/// Never adds or raises an entry.
pub(crate) fn update(
    baseline: &Baseline,
    current: &[Current<'_>],
    analysed: &HashSet<String>,
    exists: &dyn Fn(&str) -> bool,
) -> (Baseline, Shrink) {
    let matches = match_entries(baseline, current);
    let mut by_entry: Vec<Option<&Current<'_>>> = vec![None; baseline.entries.len()];
    for (c, m) in current.iter().zip(&matches) {
        if let Some(i) = m {
            by_entry[*i] = Some(c);
        }
    }
    let mut shrink = Shrink::default();
    let mut entries = Vec::new();
    for (old, now) in baseline.entries.iter().zip(by_entry) {
        match now {
            Some(c) => {
                let comparison = c.violation.comparison;
                let mut next = entry(c);
                if worse(comparison, c.violation.value, old.value) {
                    // Never raised: a worse value keeps failing.
                    next.value = old.value;
                } else if c.violation.value != old.value {
                    shrink.lowered.push((old.clone(), c.violation.value));
                }
                if (&next.path, &next.function, &next.fingerprint)
                    != (&old.path, &old.function, &old.fingerprint)
                {
                    shrink.moved += 1;
                }
                entries.push(next);
            }
            None if analysed.contains(&old.path) || !exists(&old.path) => {
                shrink.dropped.push(old.clone());
            }
            None => {
                shrink.outside += 1;
                entries.push(old.clone());
            }
        }
    }
    (Baseline { entries }, shrink)
}

/// `path: name metric recorded` for listing entries.
pub(crate) fn describe(e: &Entry) -> String {
    format!(
        "{}: {} {} {}",
        e.path,
        e.function.as_deref().unwrap_or("<file>"),
        e.metric,
        format_value(e.value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(function: Option<&str>, metric: MetricKind, value: f64) -> Violation {
        Violation {
            metric,
            value,
            threshold: 15.0,
            comparison: Comparison::Le,
            line: 1,
            column: 1,
            function: function.map(str::to_owned),
            change: None,
            before: None,
            baseline: None,
        }
    }

    fn entry(path: &str, function: &str, print: &str, value: f64) -> Entry {
        Entry {
            path: path.into(),
            function: Some(function.into()),
            fingerprint: print.into(),
            metric: "cognitive_complexity".into(),
            value,
        }
    }

    #[test]
    fn ledger_text_round_trips_sorted_one_entry_per_line() {
        let b = Baseline {
            entries: vec![
                entry("b.py", "g", "00000000000000bb", 20.0),
                entry("a.py", "f", "00000000000000aa", 19.0),
            ],
        };
        let text = render(&b);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines[3].contains("\"a.py\""), "{text}");
        assert!(lines[4].contains("\"b.py\""), "{text}");
        let back = parse(&text).unwrap();
        assert_eq!(back.entries.len(), 2);
        assert_eq!(render(&back), text);
        assert_eq!(
            parse(&render(&Baseline::default())).unwrap().entries,
            vec![]
        );
    }

    #[test]
    fn bad_ledgers_are_refused_with_the_reason() {
        assert!(parse("{").is_err());
        assert!(parse("{\"version\": 2, \"entries\": []}")
            .unwrap_err()
            .contains("version 2"));
        let bad_metric = render(&Baseline {
            entries: vec![Entry {
                metric: "cognitve".into(),
                ..entry("a.py", "f", "1", 1.0)
            }],
        });
        assert!(parse(&bad_metric)
            .unwrap_err()
            .contains("unknown metric `cognitve`"));
    }

    #[test]
    fn matches_by_name_then_by_fingerprint_each_entry_once() {
        let b = Baseline {
            entries: vec![
                entry("a.py", "C.f", "0000000000000001", 19.0),
                entry("a.py", "g", "0000000000000002", 30.0),
            ],
        };
        let v1 = violation(Some("C.f"), MetricKind::CognitiveComplexity, 20.0);
        let v2 = violation(Some("D.g"), MetricKind::CognitiveComplexity, 25.0);
        let v3 = violation(Some("h"), MetricKind::CognitiveComplexity, 25.0);
        let current = vec![
            // Same path and name, body changed.
            Current {
                path: "a.py".into(),
                violation: &v1,
                fingerprint: "00000000000000ff".into(),
            },
            // Renamed and moved: found by its fingerprint.
            Current {
                path: "b.py".into(),
                violation: &v2,
                fingerprint: "0000000000000002".into(),
            },
            // A second copy of the same body: the entry is taken.
            Current {
                path: "c.py".into(),
                violation: &v3,
                fingerprint: "0000000000000002".into(),
            },
        ];
        assert_eq!(match_entries(&b, &current), vec![Some(0), Some(1), None]);
    }

    #[test]
    fn worse_follows_the_comparison() {
        assert!(worse(Comparison::Le, 20.0, 19.0));
        assert!(!worse(Comparison::Le, 19.0, 19.0));
        assert!(worse(Comparison::Ge, 40.0, 45.0));
        assert!(!worse(Comparison::Ge, 50.0, 45.0));
    }

    #[test]
    fn update_only_shrinks() {
        let b = Baseline {
            entries: vec![
                entry("a.py", "f", "0000000000000001", 19.0),
                entry("a.py", "g", "0000000000000002", 30.0),
                entry("a.py", "gone", "0000000000000003", 30.0),
                entry("other.py", "k", "0000000000000004", 30.0),
                entry("deleted.py", "k", "0000000000000005", 30.0),
            ],
        };
        let better = violation(Some("f"), MetricKind::CognitiveComplexity, 17.0);
        let worse_now = violation(Some("g"), MetricKind::CognitiveComplexity, 35.0);
        let new = violation(Some("new"), MetricKind::CognitiveComplexity, 50.0);
        let current = vec![
            Current {
                path: "a.py".into(),
                violation: &better,
                fingerprint: "0000000000000001".into(),
            },
            Current {
                path: "a.py".into(),
                violation: &worse_now,
                fingerprint: "0000000000000002".into(),
            },
            Current {
                path: "a.py".into(),
                violation: &new,
                fingerprint: "0000000000000009".into(),
            },
        ];
        let analysed: HashSet<String> = ["a.py".to_string()].into();
        let exists = |p: &str| p != "deleted.py";
        let (next, shrink) = update(&b, &current, &analysed, &exists);
        let values: Vec<(&str, f64)> = next
            .entries
            .iter()
            .map(|e| (e.function.as_deref().unwrap(), e.value))
            .collect();
        // f lowered, g not raised, gone and deleted.py dropped, other.py
        // (not analysed) kept, the new violation not added.
        assert_eq!(values, vec![("f", 17.0), ("g", 30.0), ("k", 30.0)]);
        assert_eq!(shrink.lowered.len(), 1);
        assert_eq!(shrink.dropped.len(), 2);
        assert_eq!(shrink.outside, 1);
        assert!(shrink.shrinks());
    }
}
