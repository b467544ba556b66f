//! A tree report → the report snapshot: what `antipasta report` draws and
//! what a later report compares itself with (`--baseline SNAPSHOT.json`).
//!
//! Input: the [`StatFile`]s of a `metrics` run (analysis, violations,
//! rules). Output: a [`Snapshot`] (every file with its source lines and
//! worst ratio, every function with every metric, the per-directory
//! summary) and, against an earlier one, its [`Delta`]: functions new,
//! worse, better and removed, and each directory's change. The JSON layout
//! (`docs/report.md`) is versioned by [`SNAPSHOT_VERSION`]; a snapshot of
//! another version is refused with a message, never half read. Pure: no
//! I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::config::{Rule, Scope};
use crate::metrics::MetricKind;
use crate::stats::{self, StatFile, FUNCTION_METRICS};

/// Bump when a field changes meaning or goes away.
pub(crate) const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub snapshot_version: u32,
    /// The antipasta version that wrote it.
    pub antipasta: String,
    /// Seconds since the Unix epoch.
    pub created: u64,
    /// The project's name (the root directory's), for the page title.
    pub project: String,
    /// The names of [`Function::values`], in order.
    pub function_metrics: Vec<String>,
    /// The function-scope limits before per-path overrides, by metric name:
    /// `[comparison, threshold]`.
    pub limits: BTreeMap<String, (String, f64)>,
    pub files: Vec<File>,
    /// Every directory holding a file, rolled up (a directory counts its
    /// subdirectories' files), `.` first.
    pub directories: Vec<Directory>,
    /// `report --hotspots`: the ranking `hotspots --format json` prints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspots: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct File {
    pub path: String,
    /// Source lines (the treemap's area).
    pub sloc: u64,
    /// The maintainability index, when computed.
    pub mi: Option<f64>,
    /// Why the file was not analysed.
    pub error: Option<String>,
    /// The worst ratio of a function metric to its limit (the colour).
    pub worst: f64,
    /// Violations the report holds for the file (functions and file).
    pub violations: usize,
    pub functions: Vec<Function>,
}

/// One function, with short keys: there are tens of thousands.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Function {
    /// The qualified name (`Class.method`).
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "l")]
    pub line: u32,
    #[serde(rename = "e")]
    pub end_line: u32,
    /// [`Snapshot::function_metrics`]' values, `null` where the analysis
    /// level did not compute one.
    #[serde(rename = "v", serialize_with = "compact_values")]
    pub values: Vec<Option<f64>>,
    /// The worst ratio to a limit.
    #[serde(rename = "w")]
    pub worst: f64,
    /// Indexes into `values` of the metrics it breaks.
    #[serde(rename = "x")]
    pub broken: Vec<usize>,
}

/// Whole values (most of them: counts, complexities) as integers: `2`
/// rather than `2.0`, a smaller page and faster to write.
fn compact_values<S: serde::Serializer>(values: &[Option<f64>], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(values.len()))?;
    for v in values {
        match v {
            Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => seq.serialize_element(&(*v as i64))?,
            other => seq.serialize_element(other)?,
        }
    }
    seq.end()
}

/// A directory's summary (the `stats` of its files).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Directory {
    pub path: String,
    pub files: usize,
    pub functions: usize,
    pub errors: usize,
    pub sloc: f64,
    pub violations: usize,
    pub worst: f64,
    pub cyclomatic_mean: Option<f64>,
    pub cyclomatic_max: Option<f64>,
    pub cognitive_mean: Option<f64>,
    pub cognitive_p90: Option<f64>,
    pub cognitive_max: Option<f64>,
    pub mi_mean: Option<f64>,
}

/// Three decimals are enough to tell two values apart on a page and in a
/// comparison, and keep a large snapshot a third of the size.
fn rounded(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// The snapshot of a tree run.
pub(crate) fn snapshot(
    files: &[StatFile<'_>],
    base_rules: &[Rule],
    project: &str,
    created: u64,
) -> Snapshot {
    let out_files: Vec<File> = files.iter().map(file_entry).collect();
    let directories = directories(files, &out_files, base_rules);
    Snapshot {
        snapshot_version: SNAPSHOT_VERSION,
        antipasta: env!("CARGO_PKG_VERSION").to_string(),
        created,
        project: project.to_string(),
        function_metrics: FUNCTION_METRICS.iter().map(|m| m.name().into()).collect(),
        limits: base_rules
            .iter()
            .filter(|r| r.enabled && r.scope == Scope::Function)
            .map(|r| {
                (
                    r.metric.name().to_string(),
                    (r.comparison.as_str().to_string(), r.threshold),
                )
            })
            .collect(),
        directories,
        files: out_files,
        hotspots: None,
    }
}

fn file_entry(f: &StatFile<'_>) -> File {
    let Some(analysis) = f.analysis else {
        return File {
            path: f.path.to_string(),
            sloc: 0,
            mi: None,
            error: Some(f.problem.unwrap_or("not analysed").to_string()),
            worst: 0.0,
            violations: f.violations.len(),
            functions: Vec::new(),
        };
    };
    let functions: Vec<Function> = analysis
        .functions
        .iter()
        .map(|func| {
            let broken: BTreeSet<usize> = f
                .violations
                .iter()
                .filter(|v| v.function.as_deref() == Some(func.qualname.as_str()))
                .filter(|v| v.line == func.line)
                .filter_map(|v| FUNCTION_METRICS.iter().position(|m| *m == v.metric))
                .collect();
            Function {
                name: func.qualname.clone(),
                line: func.line,
                end_line: func.end_line,
                values: FUNCTION_METRICS
                    .iter()
                    .map(|&m| stats::function_value(analysis, func, m).map(rounded))
                    .collect(),
                worst: stats::worst_ratio(analysis, func, &f.rules).map_or(0.0, |w| rounded(w.0)),
                broken: broken.into_iter().collect(),
            }
        })
        .collect();
    File {
        path: f.path.to_string(),
        sloc: analysis
            .file_value(MetricKind::SourceLinesOfCode)
            .unwrap_or(0.0) as u64,
        mi: analysis
            .file_value(MetricKind::MaintainabilityIndex)
            .map(rounded),
        error: None,
        worst: functions.iter().map(|f| f.worst).fold(0.0, f64::max),
        violations: f.violations.len(),
        functions,
    }
}

/// The directories of `path`, outermost first, `.` included.
fn ancestors(path: &str) -> Vec<String> {
    let mut out = vec![".".to_string()];
    let parts: Vec<&str> = path.split('/').collect();
    for end in 1..parts.len() {
        out.push(parts[..end].join("/"));
    }
    out
}

fn directories(files: &[StatFile<'_>], entries: &[File], base_rules: &[Rule]) -> Vec<Directory> {
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for dir in ancestors(f.path) {
            members.entry(dir).or_default().push(i);
        }
    }
    let metrics = [
        MetricKind::CyclomaticComplexity,
        MetricKind::CognitiveComplexity,
        MetricKind::MaintainabilityIndex,
        MetricKind::SourceLinesOfCode,
    ];
    let mut out: Vec<Directory> = members
        .into_iter()
        .map(|(path, indexes)| {
            let group: Vec<&StatFile<'_>> = indexes.iter().map(|&i| &files[i]).collect();
            let g = stats::group_stats(&path, &group, &metrics, base_rules);
            let find = |metric, scope| {
                g.metrics
                    .iter()
                    .find(|m| m.metric == metric && m.scope == scope)
                    .map(|m| m.values.clone())
                    .unwrap_or_default()
            };
            let cyc = find(MetricKind::CyclomaticComplexity, Scope::Function);
            let cog = find(MetricKind::CognitiveComplexity, Scope::Function);
            let mi = find(MetricKind::MaintainabilityIndex, Scope::File);
            let sloc = find(MetricKind::SourceLinesOfCode, Scope::File);
            Directory {
                files: g.files,
                functions: g.functions,
                errors: g.errors,
                sloc: sloc.total,
                violations: indexes.iter().map(|&i| entries[i].violations).sum(),
                worst: indexes
                    .iter()
                    .map(|&i| entries[i].worst)
                    .fold(0.0, f64::max),
                cyclomatic_mean: cyc.mean.map(rounded),
                cyclomatic_max: cyc.max,
                cognitive_mean: cog.mean.map(rounded),
                cognitive_p90: cog.p90,
                cognitive_max: cog.max,
                mi_mean: mi.mean.map(rounded),
                path,
            }
        })
        .collect();
    // `.` sorts after names starting with `-` or `!`: put it first.
    out.sort_by(|a, b| (a.path != ".", &a.path).cmp(&(b.path != ".", &b.path)));
    out
}

/// Reads a snapshot written by `report --format json` (or
/// `--save-baseline`), refusing another version.
pub(crate) fn read(name: &str, text: &str) -> Result<Snapshot, String> {
    #[derive(Deserialize)]
    struct Head {
        snapshot_version: Option<u32>,
    }
    let head: Head = serde_json::from_str(text)
        .map_err(|e| format!("{name} is not a report snapshot (JSON): {e}"))?;
    match head.snapshot_version {
        Some(SNAPSHOT_VERSION) => serde_json::from_str(text)
            .map_err(|e| format!("{name} is not a complete report snapshot: {e}")),
        Some(other) => Err(format!(
            "{name} is a report snapshot of version {other}; this antipasta reads version \
             {SNAPSHOT_VERSION}: write the baseline again with `antipasta report --format json`"
        )),
        None => Err(format!(
            "{name} is not a report snapshot (no `snapshot_version`): write one with \
             `antipasta report --format json -o {name}`"
        )),
    }
}

/// A function of one snapshot that the other does not have, or one whose
/// gated metrics changed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct FunctionDelta {
    pub path: String,
    pub name: String,
    pub line: u32,
    /// The worst ratio before and after (`None` on the side it is absent).
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// The gated metrics that changed: `[name, before, after]`.
    pub changes: Vec<(String, f64, f64)>,
}

/// How a directory changed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct DirectoryDelta {
    pub path: String,
    pub files: (usize, usize),
    pub functions: (usize, usize),
    pub sloc: (f64, f64),
    pub violations: (usize, usize),
    pub worst: (f64, f64),
}

/// What changed since the baseline snapshot.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Delta {
    /// The baseline's file name and when it was written.
    pub baseline: String,
    pub baseline_created: u64,
    pub new: Vec<FunctionDelta>,
    pub worse: Vec<FunctionDelta>,
    pub better: Vec<FunctionDelta>,
    pub removed: Vec<FunctionDelta>,
    pub violations: (usize, usize),
    /// Directories whose counts changed, or that appeared or went away.
    pub directories: Vec<DirectoryDelta>,
}

impl Delta {
    /// `4 new, 1 worse, 2 better, 1 removed functions; violations 3 → 4`.
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} new, {} worse, {} better, {} removed {}; violations {} → {}",
            self.new.len(),
            self.worse.len(),
            self.better.len(),
            self.removed.len(),
            if self.removed.len() == 1 {
                "function"
            } else {
                "functions"
            },
            self.violations.0,
            self.violations.1
        )
    }
}

/// A function's identity across snapshots: its file, its name, and which
/// of the functions of that name it is (a file may define one twice).
fn keyed(snapshot: &Snapshot) -> HashMap<(String, String, usize), (&File, &Function)> {
    let mut out = HashMap::new();
    for file in &snapshot.files {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for func in &file.functions {
            let n = seen.entry(func.name.as_str()).or_default();
            out.insert((file.path.clone(), func.name.clone(), *n), (file, func));
            *n += 1;
        }
    }
    out
}

/// `now` against `before`: a function is worse when a metric with a
/// function limit (in `now`) grew, better when none grew and one shrank;
/// a value its analysis did not compute on one side does not count.
pub(crate) fn delta(before: &Snapshot, now: &Snapshot, baseline: &str) -> Delta {
    let gated: Vec<(usize, &str)> = now
        .function_metrics
        .iter()
        .enumerate()
        .filter(|(_, name)| now.limits.contains_key(name.as_str()))
        .map(|(i, name)| (i, name.as_str()))
        .collect();
    let old = keyed(before);
    let new = keyed(now);
    let mut out = Delta {
        baseline: baseline.to_string(),
        baseline_created: before.created,
        violations: (
            before.files.iter().map(|f| f.violations).sum(),
            now.files.iter().map(|f| f.violations).sum(),
        ),
        ..Delta::default()
    };
    for (key, (_, func)) in &new {
        let entry = |before: Option<f64>, changes| FunctionDelta {
            path: key.0.clone(),
            name: func.name.clone(),
            line: func.line,
            before,
            after: Some(func.worst),
            changes,
        };
        let Some((_, was)) = old.get(key) else {
            out.new.push(entry(None, Vec::new()));
            continue;
        };
        let mut changes = Vec::new();
        let (mut grew, mut shrank) = (false, false);
        for &(i, name) in &gated {
            // The old snapshot's column of that metric, found by name.
            let Some(j) = before.function_metrics.iter().position(|m| m == name) else {
                continue;
            };
            let (Some(Some(a)), Some(Some(b))) = (was.values.get(j), func.values.get(i)) else {
                continue;
            };
            if a != b {
                grew |= b > a;
                shrank |= b < a;
                changes.push((name.to_string(), *a, *b));
            }
        }
        if grew {
            out.worse.push(entry(Some(was.worst), changes));
        } else if shrank {
            out.better.push(entry(Some(was.worst), changes));
        }
    }
    for (key, (_, func)) in &old {
        if !new.contains_key(key) {
            out.removed.push(FunctionDelta {
                path: key.0.clone(),
                name: func.name.clone(),
                line: func.line,
                before: Some(func.worst),
                after: None,
                changes: Vec::new(),
            });
        }
    }
    for list in [
        &mut out.new,
        &mut out.worse,
        &mut out.better,
        &mut out.removed,
    ] {
        list.sort_by(|a, b| (&a.path, a.line, &a.name).cmp(&(&b.path, b.line, &b.name)));
    }
    out.directories = directory_deltas(before, now);
    out
}

fn directory_deltas(before: &Snapshot, now: &Snapshot) -> Vec<DirectoryDelta> {
    let old: HashMap<&str, &Directory> = before
        .directories
        .iter()
        .map(|d| (d.path.as_str(), d))
        .collect();
    let new: HashMap<&str, &Directory> = now
        .directories
        .iter()
        .map(|d| (d.path.as_str(), d))
        .collect();
    let paths: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let empty = Directory {
        path: String::new(),
        files: 0,
        functions: 0,
        errors: 0,
        sloc: 0.0,
        violations: 0,
        worst: 0.0,
        cyclomatic_mean: None,
        cyclomatic_max: None,
        cognitive_mean: None,
        cognitive_p90: None,
        cognitive_max: None,
        mi_mean: None,
    };
    let mut out: Vec<DirectoryDelta> = paths
        .into_iter()
        .filter_map(|path| {
            let a = old.get(path).copied().unwrap_or(&empty);
            let b = new.get(path).copied().unwrap_or(&empty);
            let d = DirectoryDelta {
                path: path.to_string(),
                files: (a.files, b.files),
                functions: (a.functions, b.functions),
                sloc: (a.sloc, b.sloc),
                violations: (a.violations, b.violations),
                worst: (a.worst, b.worst),
            };
            let same = d.files.0 == d.files.1
                && d.functions.0 == d.functions.1
                && d.sloc.0 == d.sloc.1
                && d.violations.0 == d.violations.1
                && d.worst.0 == d.worst.1;
            (!same).then_some(d)
        })
        .collect();
    out.sort_by(|a, b| (a.path != ".", &a.path).cmp(&(b.path != ".", &b.path)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, FileAnalysis, MetricOptions};
    use crate::source::SourceText;
    use crate::thresholds::check_thresholds;

    fn analysis(src: &str) -> FileAnalysis {
        analyze(&SourceText::from_text(src), MetricOptions::default()).unwrap()
    }

    fn rules() -> Vec<Rule> {
        vec![Rule::with_defaults(MetricKind::CognitiveComplexity, 2.0)]
    }

    fn snap(sources: &[(&str, &str)]) -> Snapshot {
        let analyses: Vec<FileAnalysis> = sources.iter().map(|(_, s)| analysis(s)).collect();
        let violations: Vec<_> = analyses
            .iter()
            .map(|a| check_thresholds(&rules(), a))
            .collect();
        let files: Vec<StatFile<'_>> = sources
            .iter()
            .zip(&analyses)
            .zip(&violations)
            .map(|(((path, _), a), v)| StatFile {
                path,
                analysis: Some(a),
                problem: None,
                violations: v,
                rules: rules(),
            })
            .collect();
        snapshot(&files, &rules(), "demo", 7)
    }

    const SIMPLE: &str = "def f():\n    return 1\n";
    const NESTED: &str =
        "def f(x):\n    if x:\n        if x > 1:\n            return 2\n    return 3\n";

    #[test]
    fn directories_roll_up_their_subdirectories() {
        let s = snap(&[("a/b/m.py", NESTED), ("a/n.py", SIMPLE), ("top.py", SIMPLE)]);
        let dirs: Vec<(&str, usize, usize)> = s
            .directories
            .iter()
            .map(|d| (d.path.as_str(), d.files, d.violations))
            .collect();
        assert_eq!(dirs, [(".", 3, 1), ("a", 2, 1), ("a/b", 1, 1)]);
        let m = &s.files[0];
        assert_eq!((m.sloc, m.worst, m.violations), (5, 1.5, 1));
        assert_eq!(m.functions[0].broken, [1], "cognitive is column 1");
    }

    #[test]
    fn deltas_name_new_worse_better_and_removed_functions() {
        let before = snap(&[
            (
                "m.py",
                &format!("{SIMPLE}\ndef g(x):\n    if x:\n        return 1\n"),
            ),
            ("old.py", SIMPLE),
        ]);
        let now = snap(&[(
            "m.py",
            &format!("{NESTED}\ndef g(x):\n    return x\n\ndef h():\n    pass\n"),
        )]);
        let d = delta(&before, &now, "base.json");
        let names = |l: &[FunctionDelta]| -> Vec<String> {
            l.iter()
                .map(|f| format!("{}::{}", f.path, f.name))
                .collect()
        };
        assert_eq!(names(&d.new), ["m.py::h"]);
        assert_eq!(names(&d.worse), ["m.py::f"]);
        assert_eq!(names(&d.better), ["m.py::g"]);
        assert_eq!(names(&d.removed), ["old.py::f"]);
        assert_eq!(
            d.worse[0].changes,
            [("cognitive_complexity".into(), 0.0, 3.0)]
        );
        assert_eq!(d.violations, (0, 1));
        assert_eq!(
            d.summary(),
            "1 new, 1 worse, 1 better, 1 removed function; violations 0 → 1"
        );
        let root = &d.directories[0];
        assert_eq!(
            (root.path.as_str(), root.files, root.functions),
            (".", (2, 1), (3, 3))
        );
    }

    #[test]
    fn a_snapshot_reads_back_and_another_version_is_refused() {
        let s = snap(&[("m.py", NESTED)]);
        let text = serde_json::to_string(&s).unwrap();
        let back = read("s.json", &text).unwrap();
        assert_eq!(
            back.files[0].functions[0].values,
            s.files[0].functions[0].values
        );
        let other = text.replace("\"snapshot_version\":1", "\"snapshot_version\":9");
        assert!(read("s.json", &other).unwrap_err().contains("version 9"));
        assert!(read("r.json", "{\"version\": 1}")
            .unwrap_err()
            .contains("no `snapshot_version`"));
    }
}
