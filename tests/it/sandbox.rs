//! The sandbox is real: a sandboxed run cannot write outside the cache and
//! its output files, nor connect over TCP. The probe
//! (`ANTIPASTA_TEST_SANDBOX_PROBE`) exists in debug builds only.

use crate::common::*;

fn staged_repo() -> Repo {
    let repo = Repo::new();
    repo.write("a.py", "x = 1\n");
    repo.commit_all("base");
    repo.write("a.py", "def f():\n    return 1\n");
    repo.git(&["add", "-A"]);
    repo
}

/// Landlock's availability on this kernel, as the product reports it.
fn active(stderr: &str) -> bool {
    stderr.contains("antipasta: sandbox: active (Landlock ABI ")
}

#[test]
fn a_sandboxed_check_cannot_write_outside_the_cache_nor_connect() {
    let repo = staged_repo();
    let outside = repo.path().join("escape.txt");
    let out = antipasta_env(
        repo.path(),
        &["check", "-v"],
        &[("ANTIPASTA_TEST_SANDBOX_PROBE", outside.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    if !active(&err) {
        // A kernel without Landlock: the run says so, and nothing is claimed.
        assert!(err.contains("antipasta: sandbox: not active ("), "{err}");
        eprintln!("Landlock is not available on this kernel: {err}");
        return;
    }
    assert!(
        err.contains(&format!(
            "sandbox probe: cannot write {}: Permission denied",
            outside.display()
        )),
        "{err}"
    );
    assert!(!outside.exists());
    assert!(err.contains("sandbox probe: tcp denied"), "{err}");
    assert!(err.contains("no TCP bind or connect"), "{err}");

    // The cache directory stays writable.
    let inside = repo.path().join(".git/antipasta-cache/probe.txt");
    let out = antipasta_env(
        repo.path(),
        &["check"],
        &[("ANTIPASTA_TEST_SANDBOX_PROBE", inside.to_str().unwrap())],
    );
    assert!(
        stderr(&out).contains("sandbox probe: wrote"),
        "{}",
        stderr(&out)
    );

    // sandbox = false: the same write goes through.
    repo.write(".antipasta.toml", "sandbox = false\n");
    let out = antipasta_env(
        repo.path(),
        &["check", "-v"],
        &[("ANTIPASTA_TEST_SANDBOX_PROBE", outside.to_str().unwrap())],
    );
    assert!(stderr(&out).contains("antipasta: sandbox: off (sandbox = false)"));
    assert!(outside.exists());
}

#[test]
fn a_sandboxed_metrics_run_writes_its_report_and_metrics_files_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/a.py", "def f(x):\n    return x\n");
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let outside = dir.path().join("escape.txt");
    let out = antipasta_env(
        dir.path(),
        &[
            "metrics",
            "pkg",
            "--format",
            "json",
            "-o",
            "report.json",
            "--metrics-file",
            "out/run.prom",
        ],
        &[("ANTIPASTA_TEST_SANDBOX_PROBE", outside.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    assert!(std::fs::read_to_string(dir.path().join("out/run.prom"))
        .unwrap()
        .contains("antipasta_files{mode=\"metrics\",state=\"checked\"} 1"));
    if err.contains("cannot write") {
        // The report's directory is not writable: only the report is.
        assert!(!outside.exists());
        assert!(err.contains("tcp denied"), "{err}");
    } else {
        assert!(err.contains("sandbox probe: wrote"), "{err}");
        eprintln!("Landlock is not available on this kernel: {err}");
    }
}
