//! End-to-end tests of the `antipasta` binary: real files in temp directories,
//! real processes, exit codes and output.

use crate::common::*;

#[test]
fn clean_tree_exits_zero_with_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/a.py", SIMPLE);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out), @"1 file, 1 function, 0 violations");
}

#[test]
fn violation_exits_one_and_names_function() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", SIMPLE);
    write(dir.path(), "b.py", NESTED);
    let out = antipasta(dir.path(), &["metrics", "-t", "cognitive_complexity=10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out), @r"
    b.py:1:1: deep: cognitive_complexity 15 > 10
    2 files, 2 functions, 1 violation
    ");
}

#[test]
fn json_report_has_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.py", NESTED);
    let out = antipasta(
        dir.path(),
        &[
            "metrics",
            "--format",
            "json",
            "-t",
            "cyclomatic_complexity=5",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn syntax_error_is_reported_and_run_continues() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.py", "def f(:\n    pass\n");
    write(dir.path(), "good.py", SIMPLE);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("bad.py: error: syntax error at line 1, column 7"),
        "{text}"
    );
    assert!(
        text.ends_with("2 files, 1 function, 0 violations, 1 error\n"),
        "{text}"
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = antipasta(dir.path(), &["metrics", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gitignored_and_ignore_patterns_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "build/\n");
    write(dir.path(), "build/gen.py", NESTED);
    write(dir.path(), "migrations/0001.py", NESTED);
    write(dir.path(), "app.py", SIMPLE);
    write(
        dir.path(),
        ".antipasta.toml",
        "ignore_patterns = [\"migrations/**\"]\n",
    );
    let out = antipasta(dir.path(), &["metrics", "-t", "cognitive_complexity=1"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "1 file, 1 function, 0 violations\n");
}

#[test]
fn files_and_directory_flags_like_python_antipasta() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.py", SIMPLE);
    write(dir.path(), "other/b.py", SIMPLE);
    write(dir.path(), "c.py", SIMPLE);
    let out = antipasta(
        dir.path(),
        &[
            "metrics",
            "--files",
            "c.py",
            "--directory",
            "src",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(file_paths(&v), ["c.py", "src/a.py"]);
}

#[test]
fn undecodable_file_is_an_error_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin.py"), b"x = '\xe9'\n").unwrap();
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("latin.py: error: cannot decode byte 0xe9"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn quiet_prints_the_same_summary_line_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", SIMPLE);
    write(dir.path(), "b.py", NESTED);
    let args = ["metrics", "-t", "cognitive_complexity=10"];
    let full = stdout(&antipasta(dir.path(), &args));
    let quiet = antipasta(dir.path(), &[&args[..], &["-q"]].concat());
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(stdout(&quiet), "2 files, 2 functions, 1 violation\n");
    assert_eq!(full.lines().last(), stdout(&quiet).lines().next());
}
