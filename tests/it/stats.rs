//! `antipasta stats` and `antipasta report --format json` against an
//! aggregation of `metrics --format json` over the same tree: every count,
//! total, maximum and "over" equal, mean and median within 1e-9, p90 the
//! nearest rank.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// Python with some variety: loops, nesting, classes, boolean chains,
/// handlers, nested functions, a syntax error, a suppression marker.
fn varied_tree(dir: &Path) {
    for (i, pkg) in ["core", "core/io", "plugins", "scripts"].iter().enumerate() {
        if *pkg != "scripts" {
            write(dir, &format!("{pkg}/__init__.py"), "VERSION = 1\n");
        }
        for j in 0..4 {
            let mut text = String::from("import os\n\n");
            for k in 0..(2 + (i + j) % 4) {
                let depth = 1 + (i * 3 + j + k) % 6;
                text.push_str(&format!("def f{k}(a, b=1, *rest):\n"));
                for level in 0..depth {
                    let pad = "    ".repeat(level + 1);
                    if level % 2 == 0 {
                        text.push_str(&format!("{pad}if a > {level} and b or rest:\n"));
                    } else {
                        text.push_str(&format!("{pad}for x in range({level}):\n"));
                    }
                }
                text.push_str(&format!("{}return a + b * {k}\n", "    ".repeat(depth + 1)));
                text.push_str("    return None\n\n");
            }
            text.push_str(&format!(
                "class Thing{j}:\n    def run(self, path):\n        try:\n            with open(path) as fh:\n                return [l for l in fh if l]\n        except OSError:\n            return []\n\n    def helper(self):\n        def inner(q):\n            return q or self\n        return inner\n"
            ));
            write(dir, &format!("{pkg}/mod{j}.py"), &text);
        }
    }
    write(
        dir,
        "top.py",
        "def main():\n    # a comment\n    return 0\n",
    );
    write(
        dir,
        "core/broken.py",
        "def ok():\n    return 1\n\ndef bad(:\n    pass\n",
    );
    write(
        dir,
        "plugins/quiet.py",
        "def loud(a):  # antipasta: ignore -- reviewed\n    if a:\n        if a > 1:\n            if a > 2:\n                if a > 3:\n                    return 1\n    return 0\n",
    );
    write(
        dir,
        ".antipasta.toml",
        "[thresholds]\ncognitive_complexity = 6\ncyclomatic_complexity = 5\n\n[[overrides]]\npaths = [\"scripts/**\"]\n[overrides.thresholds]\ncognitive_complexity = 30\n",
    );
}

#[derive(Debug, Default)]
struct Agg {
    values: Vec<f64>,
    over: u64,
}

fn json_of(dir: &Path, args: &[&str]) -> Value {
    let out = antipasta(dir, args);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{args:?}: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
}

/// `(scope, metric)` → values and violations, from a `metrics` report's
/// files that `keep` accepts.
fn aggregate(report: &Value, keep: &dyn Fn(&str) -> bool) -> BTreeMap<(String, String), Agg> {
    let mut out: BTreeMap<(String, String), Agg> = BTreeMap::new();
    for file in report["files"].as_array().unwrap() {
        if !keep(file["path"].as_str().unwrap()) || file["metrics"].is_null() {
            continue;
        }
        for (name, value) in file["metrics"].as_object().unwrap() {
            if let Some(v) = value.as_f64() {
                out.entry(("file".into(), name.clone()))
                    .or_default()
                    .values
                    .push(v);
            }
        }
        for func in file["functions"].as_array().unwrap() {
            for (name, value) in func["metrics"].as_object().unwrap() {
                if let Some(v) = value.as_f64() {
                    out.entry(("function".into(), name.clone()))
                        .or_default()
                        .values
                        .push(v);
                }
            }
        }
        for v in file["violations"].as_array().unwrap() {
            let scope = if v["function"].is_null() {
                "file"
            } else {
                "function"
            };
            out.entry((scope.into(), v["type"].as_str().unwrap().into()))
                .or_default()
                .over += 1;
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

/// Every metric of a `stats` group against the aggregation.
fn compare_group(group: &Value, agg: &BTreeMap<(String, String), Agg>, label: &str) {
    let mut compared = 0;
    for (scope, key) in [("function", "function_metrics"), ("file", "file_metrics")] {
        for (metric, s) in group[key].as_object().unwrap() {
            let empty = Agg::default();
            let a = agg.get(&(scope.into(), metric.clone())).unwrap_or(&empty);
            let mut values = a.values.clone();
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let what = format!("{label} {scope} {metric}");
            assert_eq!(s["count"].as_u64().unwrap() as usize, n, "{what} count");
            assert_eq!(s["over"].as_u64().unwrap(), a.over, "{what} over");
            let total: f64 = values.iter().sum();
            assert!(close(s["total"].as_f64().unwrap(), total), "{what} total");
            if n == 0 {
                assert!(s["mean"].is_null() && s["max"].is_null(), "{what} empty");
                continue;
            }
            assert_eq!(s["max"].as_f64().unwrap(), values[n - 1], "{what} max");
            assert!(
                close(s["mean"].as_f64().unwrap(), total / n as f64),
                "{what} mean"
            );
            let median = if n % 2 == 1 {
                values[n / 2]
            } else {
                (values[n / 2 - 1] + values[n / 2]) / 2.0
            };
            assert!(
                close(s["median"].as_f64().unwrap(), median),
                "{what} median"
            );
            let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n);
            assert_eq!(s["p90"].as_f64().unwrap(), values[rank - 1], "{what} p90");
            compared += 1;
        }
    }
    assert!(compared >= 20, "{label}: only {compared} metrics compared");
}

#[test]
fn stats_equal_an_aggregation_of_the_metrics_report() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let report = json_of(dir.path(), &["metrics", "--format", "json"]);
    let stats = json_of(dir.path(), &["stats", "--format", "json", "--by-directory"]);
    let files = report["files"].as_array().unwrap().len();
    assert_eq!(stats["overall"]["files"].as_u64().unwrap() as usize, files);
    assert_eq!(
        stats["overall"]["errors"], 0,
        "a syntax error still gives a partial analysis"
    );
    let everything = aggregate(&report, &|_| true);
    assert!(everything[&("function".into(), "cognitive_complexity".into())].over > 0);
    compare_group(&stats["overall"], &everything, "overall");
    let groups: Vec<&str> = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, [".", "core", "plugins", "scripts"]);
    for g in stats["groups"].as_array().unwrap() {
        let name = g["name"].as_str().unwrap().to_string();
        let keep = |p: &str| match p.rsplit_once('/') {
            None => name == ".",
            Some((d, _)) => d == name || d.starts_with(&format!("{name}/")),
        };
        compare_group(g, &aggregate(&report, &keep), &name);
    }
}

#[test]
fn stats_by_module_follow_the_packages() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let report = json_of(dir.path(), &["metrics", "--format", "json"]);
    let stats = json_of(dir.path(), &["stats", "--format", "json", "--by-module"]);
    let names: Vec<&str> = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["(no package)", "core", "core.io", "plugins"]);
    let module = |p: &str| -> &'static str {
        match p.rsplit_once('/').map(|(d, _)| d) {
            Some("core") => "core",
            Some("core/io") => "core.io",
            Some("plugins") => "plugins",
            _ => "(no package)",
        }
    };
    for g in stats["groups"].as_array().unwrap() {
        let name = g["name"].as_str().unwrap();
        compare_group(g, &aggregate(&report, &|p| module(p) == name), name);
    }
}

#[test]
fn stats_choose_metrics_by_prefix_and_rank_the_worst() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let stats = json_of(
        dir.path(),
        &[
            "stats", "--format", "json", "-m", "cog", "-m", "loc", "--top", "3",
        ],
    );
    let functions: Vec<&String> = stats["overall"]["function_metrics"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(functions, ["cognitive_complexity", "lines_of_code"]);
    let files: Vec<&String> = stats["overall"]["file_metrics"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        files,
        [
            "cognitive_complexity",
            "lines_of_code",
            "logical_lines_of_code",
            "source_lines_of_code",
            "comment_lines",
            "blank_lines"
        ]
    );
    let top = stats["top"].as_array().unwrap();
    assert_eq!(top.len(), 3);
    let ratios: Vec<f64> = top.iter().map(|t| t["ratio"].as_f64().unwrap()).collect();
    assert!(ratios.windows(2).all(|w| w[0] >= w[1]), "{ratios:?}");
    // The worst is the deepest function outside scripts/ (whose override
    // raises the cognitive limit to 30): a ratio against its own limit.
    let worst = &top[0];
    assert!(
        !worst["path"].as_str().unwrap().starts_with("scripts/"),
        "{worst}"
    );
    assert!(
        top.iter().all(|t| t["metric"] == "cognitive_complexity"),
        "-m cog,loc ranks by the cognitive limit only: {top:?}"
    );
    assert_eq!(
        worst["ratio"].as_f64().unwrap(),
        worst["value"].as_f64().unwrap() / worst["limit"]["threshold"].as_f64().unwrap()
    );
}

#[test]
fn stats_describe_and_exit_zero_even_with_violations() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let out = antipasta(
        dir.path(),
        &["stats", "-m", "cyc,cog", "--by-directory", "--top", "2"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("all files: 22 files, 107 functions"),
        "{text}"
    );
    assert!(text.contains("directory core: 11 files"), "{text}");
    assert!(
        text.lines().any(|l| l
            .split_whitespace()
            .take(2)
            .eq(["cognitive_complexity", "function"])),
        "{text}"
    );
    assert!(
        text.contains("worst functions (value against its limit):"),
        "{text}"
    );
    let csv = stdout(&antipasta(
        dir.path(),
        &["stats", "--format", "csv", "-m", "mai"],
    ));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("group,scope,metric,count,total,mean,median,p90,max,over,comparison,threshold")
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &row[..4],
        [".", "file", "maintainability_index", "21"],
        "no MI for the syntax error"
    );
    assert_eq!(&row[10..], [">=", "50"]);
}

#[test]
fn stats_refuse_an_unknown_metric() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "x = 1\n");
    let out = antipasta(dir.path(), &["stats", "-m", "complexity"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown metric `complexity`: use a metric name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_report_snapshot_holds_every_file_and_function() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let report = json_of(dir.path(), &["metrics", "--format", "json"]);
    let out = antipasta(
        dir.path(),
        &["report", "--format", "json", "-o", "snap.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("wrote snap.json (22 files, 107 functions, "),
        "{}",
        stdout(&out)
    );
    let snap: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("snap.json")).unwrap())
            .unwrap();
    assert_eq!(snap["snapshot_version"], 1);
    let files = report["files"].as_array().unwrap();
    let snap_files = snap["files"].as_array().unwrap();
    assert_eq!(snap_files.len(), files.len());
    for (a, b) in files.iter().zip(snap_files) {
        assert_eq!(a["path"], b["path"]);
        assert_eq!(
            a["functions"].as_array().unwrap().len(),
            b["functions"].as_array().unwrap().len()
        );
        // No source lines where radon's tokenizer rejects the file.
        let sloc = a["metrics"]["source_lines_of_code"].as_u64().unwrap_or(0);
        assert_eq!(b["sloc"].as_u64(), Some(sloc), "{}", a["path"]);
        assert_eq!(
            a["violations"].as_array().unwrap().len() as u64,
            b["violations"].as_u64().unwrap()
        );
    }
    let root = &snap["directories"][0];
    assert_eq!(root["path"], ".");
    assert_eq!(root["files"], 22);
    // The same directory summary as `stats` gives for the tree.
    let stats = json_of(dir.path(), &["stats", "--format", "json"]);
    let cog = &stats["overall"]["function_metrics"]["cognitive_complexity"];
    assert_eq!(root["cognitive_max"], cog["max"]);
    assert_eq!(root["cognitive_p90"], cog["p90"]);
    assert_eq!(root["functions"], stats["overall"]["functions"]);
}

#[test]
fn a_baseline_that_is_not_a_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "def f():\n    return 1\n");
    write(
        dir.path(),
        "ledger.json",
        "{\"version\": 1, \"entries\": []}",
    );
    let out = antipasta(dir.path(), &["report", "--baseline", "ledger.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ledger.json is not a report snapshot (no `snapshot_version`)"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("antipasta-report.html").exists(),
        "nothing written"
    );
    let out = antipasta(dir.path(), &["report", "--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("reading the baseline snapshot missing.json"));
}

#[test]
fn the_html_report_is_one_file_with_its_data_inline() {
    let dir = tempfile::tempdir().unwrap();
    varied_tree(dir.path());
    let out = antipasta(
        dir.path(),
        &["report", "-o", "out/r.html", "--save-baseline"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "the output directory does not exist"
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = antipasta(
        dir.path(),
        &["report", "-o", "out/r.html", "--save-baseline"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.path().join("out/r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for remote in ["http://", "https://", "<link", "src=\""] {
        assert!(!html.contains(remote), "the page refers to {remote}");
    }
    assert!(
        dir.path().join("out/r.json").is_file(),
        "--save-baseline writes beside it"
    );
    let again = antipasta(
        dir.path(),
        &["report", "-o", "out/r2.html", "--baseline", "out/r.json"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again)
            .contains("compared with out/r.json: 0 new, 0 worse, 0 better, 0 removed functions"),
        "{}",
        stdout(&again)
    );
}
