//! `antipasta hotspots` on a repository with a known history, built by the
//! git CLI: every count checked against what the history holds.

use serde_json::Value;

use crate::common::*;

const SIMPLE: &str = "def parse(x):\n    return x\n";
const BRANCHY: &str =
    "def parse(x):\n    if x:\n        for i in x:\n            if i:\n                return i\n    return None\n";
const BRANCHY_REFORMATTED: &str = "def parse( x ):\n    # a comment only\n    if x:\n        for i in x:\n            if i:\n                return i\n    return None\n";
const HELPER: &str = "def helper(y):\n    return y * 2\n";
const HELPER_V2: &str = "def helper(y):\n    if y:\n        return y * 3\n    return 0\n";

/// c1 adds app.py (parse) and util.py (helper); c2 makes parse branchy and
/// helper v2 (both files); c3 reformats parse only; c4 moves app.py to
/// core/app.py; c5 changes helper alone; c6 changes both again.
fn history() -> Repo {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.write("util.py", HELPER);
    repo.write("README.md", "not python\n");
    repo.commit_all("c1");
    repo.write("app.py", BRANCHY);
    repo.write("util.py", HELPER_V2);
    repo.commit_all("c2");
    repo.write("app.py", BRANCHY_REFORMATTED);
    repo.commit_all("c3");
    repo.git(&["tag", "v3"]);
    repo.git(&["mv", "app.py", "core_app.py"]);
    repo.commit_all("c4");
    repo.write("util.py", HELPER);
    repo.git(&["add", "-A"]);
    repo.git(&[
        "-c",
        "user.name=Bob",
        "-c",
        "user.email=bob@example.com",
        "commit",
        "-q",
        "-m",
        "c5",
    ]);
    repo.write(
        "core_app.py",
        &format!("{BRANCHY}\n\ndef extra():\n    return 1\n"),
    );
    repo.write("util.py", HELPER_V2);
    repo.commit_all("c6");
    repo
}

fn json(repo: &Repo, args: &[&str]) -> Value {
    let mut all = vec!["hotspots", "--format", "json"];
    all.extend_from_slice(args);
    let out = antipasta(repo.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {report}"))
}

fn function<'a>(report: &'a Value, path: &str, name: &str) -> &'a Value {
    report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path && f["name"] == name)
        .unwrap_or_else(|| panic!("{path}::{name} not in {report}"))
}

#[test]
fn files_count_commits_lines_and_authors() {
    let repo = history();
    let r = json(&repo, &["--min-shared", "2"]);
    assert_eq!(r["range"]["commits"], 6);
    let util = file(&r, "util.py");
    // c1 +2; c2 +4 -2 (lines 2-4 new, 2 old); c5 +2 -4; c6 +4 -2.
    let numstat = repo.git(&["log", "--numstat", "--format=", "--", "util.py"]);
    let (added, removed) = numstat
        .lines()
        .filter(|l| !l.is_empty())
        .fold((0, 0), |(a, r), l| {
            let mut p = l.split('\t');
            (
                a + p.next().unwrap().parse::<u64>().unwrap(),
                r + p.next().unwrap().parse::<u64>().unwrap(),
            )
        });
    assert_eq!(util["commits"], 4);
    assert_eq!(
        (
            util["added"].as_u64().unwrap(),
            util["removed"].as_u64().unwrap()
        ),
        (added, removed)
    );
    assert_eq!(util["authors"], 2, "Dev and Bob");
    // app.py is gone from HEAD: not ranked; core_app.py has c4 and c6.
    assert!(r["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["path"] != "app.py"));
    assert_eq!(file(&r, "core_app.py")["commits"], 2);
    assert!(r["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["path"] != "README.md"));
    // util.py and app.py changed together in c1, c2: coupled at 2.
    let pairs: Vec<(String, u64)> = r["file_coupling"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!("{}+{}", c["a"].as_str().unwrap(), c["b"].as_str().unwrap()),
                c["shared"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, [("app.py+util.py".to_string(), 2)]);
    let degree = r["file_coupling"][0]["degree"].as_f64().unwrap();
    // app.py: c1-c4 (c4 deletes it); util.py: c1, c2, c5, c6.
    assert_eq!(
        degree,
        2.0 / ((4.0 + 4.0) / 2.0),
        "shared / mean of their commits"
    );
}

#[test]
fn functions_count_body_changes_through_a_move_not_a_reformat() {
    let repo = history();
    let r = json(&repo, &[]);
    // parse: added (c1), modified (c2); the reformat (c3) and the file move
    // (c4) change nothing; c6 appends a function, parse's body stays.
    let parse = function(&r, "core_app.py", "parse");
    assert_eq!(parse["changes"], 2);
    assert_eq!(parse["metrics"], serde_json::json!([4, 6, 6]));
    // helper: c1, c2, c5, c6.
    assert_eq!(function(&r, "util.py", "helper")["changes"], 4);
    assert_eq!(function(&r, "core_app.py", "extra")["changes"], 1);
    // The score: changes / most changes × worst ratio now.
    let helper = function(&r, "util.py", "helper");
    let worst = helper["worst"].as_f64().unwrap();
    assert!(
        (helper["score"].as_f64().unwrap() - worst).abs() < 1e-12,
        "{helper}"
    );
    assert!(
        (parse["score"].as_f64().unwrap() - 0.5 * parse["worst"].as_f64().unwrap()).abs() < 1e-12
    );
}

#[test]
fn a_function_trend_follows_its_history_across_the_move() {
    let repo = history();
    let out = antipasta(
        repo.path(),
        &["hotspots", "--function", "core_app.py::parse"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("core_app.py::parse: 2 changes"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("app.py::parse") && l.starts_with("  2"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].contains("added") && rows[0].ends_with("app.py::parse"),
        "{text}"
    );
    assert!(rows[1].contains("modified"), "{text}");
    let csv = stdout(&antipasta(
        repo.path(),
        &[
            "hotspots",
            "--function",
            "core_app.py::parse",
            "--format",
            "csv",
        ],
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "commit,date,path,name,change,cyclomatic,cognitive,lines"
    );
    assert!(lines[1].ends_with(",app.py,parse,Added,1,0,2"), "{csv}");
    assert!(lines[2].ends_with(",app.py,parse,Modified,4,6,6"), "{csv}");
    let bad = antipasta(
        repo.path(),
        &["hotspots", "--function", "core_app.py::nope"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("no function `nope` of core_app.py changed"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn the_range_follows_since_and_max_commits() {
    let repo = history();
    let r = json(&repo, &["--since", "v3"]);
    assert_eq!(r["range"]["commits"], 3, "c4, c5, c6");
    assert_eq!(file(&r, "util.py")["commits"], 2);
    let r = json(&repo, &["--max-commits", "1"]);
    assert_eq!(r["range"]["commits"], 1);
    assert_eq!(function(&r, "core_app.py", "extra")["changes"], 1);
    let bad = antipasta(repo.path(), &["hotspots", "--since", "no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--since `no-such-rev` is neither a duration"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn merges_count_once_on_first_parents_and_not_at_all_on_every_parent() {
    let repo = Repo::new();
    repo.write("a.py", SIMPLE);
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("a.py", BRANCHY);
    repo.commit_all("topic 1");
    repo.write("b.py", HELPER);
    repo.commit_all("topic 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("c.py", HELPER);
    repo.commit_all("main 1");
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge", "topic"]);
    let first = json(&repo, &[]);
    assert_eq!(first["range"]["commits"], 3, "base, main 1, merge");
    assert_eq!(file(&first, "a.py")["commits"], 2, "base and the merge");
    let all = json(&repo, &["--all-parents"]);
    assert_eq!(all["range"]["commits"], 5);
    assert_eq!(
        file(&all, "a.py")["commits"],
        2,
        "base and topic 1; the merge adds nothing"
    );
    assert_eq!(file(&all, "b.py")["commits"], 1);
}

#[test]
fn a_second_run_reads_its_records_from_the_cache() {
    let repo = history();
    let first = stdout(&antipasta(repo.path(), &["hotspots", "--format", "json"]));
    let again = antipasta_env(
        repo.path(),
        &["hotspots", "--format", "json", "--timings"],
        &[],
    );
    assert_eq!(
        stdout(&again),
        first,
        "the same answer from the cached records"
    );
    let no_cache = stdout(&antipasta(
        repo.path(),
        &["hotspots", "--format", "json", "--no-cache"],
    ));
    assert_eq!(no_cache, first);
    assert!(repo.path().join(".git/antipasta-cache").is_dir());
}

#[test]
fn hotspots_need_a_commit() {
    let repo = Repo::new();
    let out = antipasta(repo.path(), &["hotspots"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no commit yet"), "{}", stderr(&out));
}

#[test]
fn text_and_csv_rank_the_same_files_and_functions() {
    let repo = history();
    let text = stdout(&antipasta(repo.path(), &["hotspots", "--min-shared", "2"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("6 commits (first parents, "), "{text}");
    let section = |title: &str| -> Vec<&str> {
        let start = lines
            .iter()
            .position(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("{title}: {text}"));
        lines[start + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .copied()
            .collect()
    };
    let files = section("files (");
    assert!(files[0].contains("score  commits  +lines"), "{text}");
    assert_eq!(files.len(), 3, "header, util.py and core_app.py: {text}");
    assert!(
        files[1].ends_with("  util.py"),
        "the most changed file leads: {text}"
    );
    let functions = section("functions (");
    assert_eq!(functions.len(), 4, "header and three functions: {text}");
    assert!(functions[1].ends_with("util.py::helper"), "{text}");
    let coupled = section("files that change together");
    assert_eq!(coupled.len(), 1, "{text}");
    assert!(
        coupled[0]
            .trim_start()
            .starts_with("0.50     2  app.py  util.py"),
        "{text}"
    );
    // parse and helper were added together (c1) and changed together (c2):
    // 2 shared of their 2 and 4 changes.
    assert_eq!(
        section("functions that change together"),
        ["   0.67     2  core_app.py::parse  util.py::helper"]
    );
    let csv = stdout(&antipasta(
        repo.path(),
        &["hotspots", "--format", "csv", "--min-shared", "2"],
    ));
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "kind", "path", "name", "score", "commits", "added", "removed", "authors", "last",
            "worst"
        ]
    );
    assert_eq!(
        (rows[1][0], rows[1][1], rows[1][4]),
        ("file", "util.py", "4")
    );
    assert!(rows
        .iter()
        .any(|r| r[0] == "function" && r[1] == "util.py" && r[2] == "helper" && r[4] == "4"));
    assert!(rows
        .iter()
        .any(|r| r[0] == "file_coupling" && r[1] == "app.py" && r[2] == "util.py" && r[4] == "2"));
}
