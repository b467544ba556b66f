//! Robustness in real processes: pathological input never crashes the
//! process, per-file failures never abort the run, the hook fails open on
//! its own errors, the time budget names what it skipped, signals stop the
//! run with 130/143.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn pathological_nesting_gives_error_entries_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let cases = [
        (
            "parens.py",
            format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "brackets.py",
            format!("x = {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        ("unary.py", format!("x = {}1\n", "-".repeat(n))),
        ("nots.py", format!("x = {}1\n", "not ".repeat(n))),
        ("lambdas.py", format!("x = {}1\n", "lambda: ".repeat(n))),
        ("attrs.py", format!("x = a{}\n", ".a".repeat(n))),
        ("calls.py", format!("x = a{}\n", "()".repeat(n))),
        ("sum.py", format!("x = {}\n", vec!["1"; n].join(" + "))),
        ("power.py", format!("x = {}\n", vec!["2"; n].join(" ** "))),
        ("ifs.py", {
            // 3,000 nested blocks (100,000 would be a 5 GB file).
            let mut s = String::new();
            for i in 0..3_000 {
                s.push_str(&"\t".repeat(i));
                s.push_str("if x:\n");
            }
            s.push_str(&"\t".repeat(3_000));
            s.push_str("pass\n");
            s
        }),
    ];
    for (name, text) in &cases {
        write(dir.path(), name, text);
    }
    // Giant literals and long lines are fine: they are wide, not deep.
    let items: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
    write(
        dir.path(),
        "wide.py",
        &format!(
            "DATA = [{}]\nS = \"{}\"\ndef ok(a):\n    return a\n",
            items.join(", "),
            "x".repeat(1_000_000)
        ),
    );
    let out = antipasta(dir.path(), &["metrics", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    for file in report["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        if path == "wide.py" {
            assert!(file["error"].is_null(), "{file}");
            assert_eq!(file["functions"][0]["name"], "ok");
        } else {
            let error = file["error"].as_str().unwrap_or_default();
            assert!(error.starts_with("nesting too deep"), "{path}: {error}");
            // Degraded to what needs no parse: line counts, no functions.
            assert_eq!(file["analysis"], "minimal", "{path}");
            assert!(file["metrics"]["lines_of_code"].as_u64().unwrap() > 0);
            assert!(file["metrics"].get("cyclomatic_complexity").is_none());
        }
    }
    assert_eq!(report["summary"]["errors"], cases.len());
}

#[test]
fn budget_degrades_a_file_too_big_for_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".antipasta.toml", "max_file_bytes = 50000000\n");
    // About 12 MB: a full analysis is estimated at ~600 ms, reduced at
    // ~460 ms, so with a 400 ms budget only the line counts fit.
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 12_000_000 {
        text.push_str(&format!(
            "def f{i}(a, b):\n    if a and b:\n        return a + b * {i}\n    return 0\n\n"
        ));
        i += 1;
    }
    write(dir.path(), "huge.py", &text);
    let out = antipasta(
        dir.path(),
        &["metrics", "--budget", "400", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = &json(&out)["files"][0];
    assert_eq!(file["analysis"], "minimal", "{file}");
    let why = file["degraded"].as_str().unwrap();
    assert!(why.starts_with("the time budget (400 ms) had"), "{why}");
    assert!(file["error"].is_null());
    assert_eq!(file["functions"].as_array().unwrap().len(), 0);
    assert_eq!(
        file["metrics"]["lines_of_code"].as_u64(),
        Some(text.lines().count() as u64)
    );
    let text_out = antipasta(dir.path(), &["metrics", "--budget", "400"]);
    assert!(
        stdout(&text_out).contains("huge.py: minimal analysis (line counts only"),
        "{}",
        stdout(&text_out)
    );
    // The budget's degradation is not cached (a full run must not get it).
    let stats = stdout(&antipasta(dir.path(), &["cache", "stats"]));
    assert!(stats.contains("entries: 0"), "{stats}");
    assert!(stats.contains("last run: 0 hits, 1 misses"), "{stats}");
    // on_budget_exceeded = "fail" counts a degraded file like a skipped one.
    write(
        dir.path(),
        ".antipasta.toml",
        "max_file_bytes = 50000000\non_budget_exceeded = \"fail\"\n",
    );
    let out = antipasta(dir.path(), &["metrics", "--budget", "400", "-q"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn files_with_earlier_violations_are_checked_first() {
    let repo = Repo::new();
    repo.write("seed.py", SIMPLE);
    repo.commit_all("init");
    // Last by path and the smallest, so neither order would start it early.
    repo.write("pkg/zz_bad.py", COMPLEX);
    let padding = "# padding\n".repeat(200);
    for i in 0..12 {
        repo.write(&format!("pkg/m{i:02}.py"), &format!("{padding}{SIMPLE}"));
    }
    repo.git(&["add", "-A"]);
    // A first, unbudgeted check judges everything and remembers zz_bad.py.
    let first = repo.check(&["--budget", "0"]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    // Now 150 ms per file against 200 ms: only the first few start.
    let out = antipasta_env(
        repo.path(),
        &["check", "--budget", "200", "--format", "json"],
        &[("ANTIPASTA_TEST_FILE_DELAY_MS", "150")],
    );
    let report = json(&out);
    let checked = file_paths(&report);
    assert!(!report["not_checked"].as_array().unwrap().is_empty());
    // (On a machine so loaded that the index read spent the budget, nothing
    // starts at all.)
    if !checked.is_empty() {
        assert!(checked.contains(&"pkg/zz_bad.py"), "{checked:?}");
    }
}

#[test]
fn syntax_error_reports_partial_metrics() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.py",
        "def ok(a):\n    if a:\n        return 1\n    return 2\n\ndef bad(a):\n    return a +\n",
    );
    let out = antipasta(dir.path(), &["metrics", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let file = &json(&out)["files"][0];
    assert_eq!(file["partial"], true);
    assert!(file["error"]
        .as_str()
        .unwrap()
        .starts_with("syntax error at line 7"));
    assert_eq!(file["functions"].as_array().unwrap().len(), 1);
    assert_eq!(file["functions"][0]["name"], "ok");
    assert_eq!(file["functions"][0]["metrics"]["cyclomatic_complexity"], 2);
    assert_eq!(file["metrics"]["lines_of_code"], 7);
}

#[test]
fn binary_and_oversized_files_are_skipped_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".antipasta.toml", "max_file_bytes = 1000\n");
    write_bytes(dir.path(), "blob.py", b"x = 1\n\0\x01\x02");
    write(dir.path(), "big.py", &"x = 1\n".repeat(1000));
    write(dir.path(), "ok.py", SIMPLE);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("blob.py: skipped: binary file"), "{text}");
    assert!(
        text.contains("big.py: skipped: 6000 bytes is over max_file_bytes = 1000"),
        "{text}"
    );
    assert!(
        text.contains("3 files, 1 function, 0 violations, 2 skipped"),
        "{text}"
    );
}

/// A staged file whose blob is corrupt in the object database: reading it
/// fails inside antipasta, which is not the author's fault.
fn repo_with_corrupt_staged_blob() -> Repo {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo.write("app.py", "def add(a, b):\n    return b + a\n");
    repo.git(&["add", "app.py"]);
    let id = repo.git(&["rev-parse", ":app.py"]);
    let id = id.trim();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..]);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"not a zlib stream").unwrap();
    repo
}

#[test]
fn hook_fails_open_on_internal_errors() {
    let repo = repo_with_corrupt_staged_blob();
    let out = repo.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("WARNING: the complexity check did not run"));
    assert!(stderr(&out).contains("app.py"), "{}", stderr(&out));

    repo.write(".antipasta.toml", "fail_open = false\n");
    let out = repo.check(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("app.py"), "{}", stderr(&out));
}

#[test]
fn budget_names_every_file_not_checked() {
    let repo = Repo::new();
    repo.write("seed.py", SIMPLE);
    repo.commit_all("init");
    repo.write(
        ".antipasta.toml",
        "budget_ms = 200\ncritical = [\"core/**\"]\n",
    );
    for i in 0..2_000 {
        let dir = if i < 3 { "core" } else { "pkg" };
        repo.write(
            &format!("{dir}/m{i:04}.py"),
            &format!("def f{i}(a):\n    return a + {i}\n"),
        );
    }
    repo.git(&["add", "-A"]);
    // A synthetic slow workload (5 ms per file) makes the budget run out on
    // any machine.
    let out = antipasta_env(
        repo.path(),
        &["check", "--format", "json"],
        &[("ANTIPASTA_TEST_FILE_DELAY_MS", "5")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    let not_checked: Vec<&str> = report["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let checked = file_paths(&report);
    assert!(!not_checked.is_empty());
    assert_eq!(checked.len() + not_checked.len(), 2_000);
    assert_eq!(report["summary"]["not_checked"], not_checked.len());
    // Critical files start first (if reading the index already spent the
    // budget on a loaded machine, nothing starts at all).
    if checked.len() >= 3 {
        for i in 0..3 {
            let critical = format!("core/m{i:04}.py");
            assert!(checked.contains(&critical.as_str()), "critical first");
        }
    }
    let err = stderr(&out);
    assert!(err.contains("time budget of 200 ms ran out"), "{err}");
    assert!(err.contains("antipasta check --budget 0"), "{err}");
    for path in &not_checked {
        assert!(err.contains(&format!("  {path}\n")), "{path} not named");
    }

    // `on_budget_exceeded = "fail"` turns the same situation into exit 1.
    repo.write(
        ".antipasta.toml",
        "budget_ms = 200\non_budget_exceeded = \"fail\"\n",
    );
    repo.git(&["add", ".antipasta.toml"]);
    let out = antipasta_env(
        repo.path(),
        &["check"],
        &[("ANTIPASTA_TEST_FILE_DELAY_MS", "5")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // `--budget 0` checks everything.
    let out = antipasta_env(repo.path(), &["check", "--budget", "0"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not checked"));
}

fn stopped_by(signal: &str) -> Option<i32> {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        write(dir.path(), &format!("m{i:03}.py"), SIMPLE);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["metrics"])
        .current_dir(dir.path())
        .env("ANTIPASTA_TEST_FILE_DELAY_MS", "100")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout(&out), "", "no report after a signal");
    assert!(stderr(&out).contains("no report"), "{}", stderr(&out));
    out.status.code()
}

#[cfg(unix)]
#[test]
fn sigint_exits_130() {
    assert_eq!(stopped_by("-INT"), Some(130));
}

#[cfg(unix)]
#[test]
fn sigterm_exits_143() {
    assert_eq!(stopped_by("-TERM"), Some(143));
}

#[test]
fn memory_cap_is_applied_and_normal_runs_fit_under_it() {
    let dir = tempfile::tempdir().unwrap();
    for k in 0..8 {
        write(dir.path(), &format!("m{k}.py"), SIMPLE);
    }
    // The smallest cap accepted: the analysis threads are as many as fit
    // (one here), where each thread's 64 MiB stack used to make the first
    // one fail to start.
    for cap in ["96", "160", "512"] {
        write(
            dir.path(),
            ".antipasta.toml",
            &format!("max_memory_mb = {cap}\n"),
        );
        let out = antipasta(dir.path(), &["metrics", "--no-cache"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{cap}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert_eq!(stderr(&out), "", "{cap}");
    }
    // A cap below that is a configuration error, not a hang or an abort.
    write(dir.path(), ".antipasta.toml", "max_memory_mb = 5\n");
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "max_memory_mb = 5 is below the 96 MiB a run needs (an analysis thread's 64 MiB \
             stack counts against the cap); set at least 96, or 0 for no cap"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn running_out_of_memory_under_the_cap_is_a_message_and_the_hook_fails_open_as_configured() {
    // One 4 MB file of 40,000 functions: well over 120 MiB at its peak in
    // any build.
    let dir = tempfile::tempdir().unwrap();
    cpu_heavy_files(dir.path(), 1);
    write(dir.path(), ".antipasta.toml", "max_memory_mb = 120\n");
    let out = antipasta(dir.path(), &["metrics", "--no-cache", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "antipasta: error: the memory limit (max_memory_mb = 120) was reached and ended the run \
         before it finished; raise max_memory_mb, or lower max_file_bytes to skip the largest \
         files\n"
    );
    assert!(out.stdout.is_empty(), "a partial report: {}", stdout(&out));
    // Skipping the file makes the same cap enough.
    write(
        dir.path(),
        ".antipasta.toml",
        "max_memory_mb = 120\nmax_file_bytes = 1000000\n",
    );
    let out = antipasta(dir.path(), &["metrics", "--no-cache", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("over max_file_bytes"),
        "{}",
        stdout(&out)
    );

    let repo = Repo::new();
    repo.write("a.py", "x = 1\n");
    repo.commit_all("base");
    cpu_heavy_files(repo.path(), 1);
    repo.write(".antipasta.toml", "max_memory_mb = 120\n");
    repo.git(&["add", "-A"]);
    let out = antipasta(repo.path(), &["check", "--no-cache", "--budget", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "antipasta: WARNING: the memory limit (max_memory_mb = 120) ended the complexity check; \
         the commit proceeds unchecked (fail_open = true); run `antipasta check` with a higher \
         limit to see the result\n"
    );
    repo.write(
        ".antipasta.toml",
        "max_memory_mb = 120\nfail_open = false\n",
    );
    let out = antipasta(repo.path(), &["check", "--no-cache", "--budget", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the memory limit (max_memory_mb = 120) was reached"));
}

/// `n` files of 4 MB each: three take several seconds of CPU for any
/// build.
fn cpu_heavy_files(dir: &std::path::Path, n: usize) {
    let body: String = (0..40_000)
        .map(|i| {
            format!(
                "def f{i}(x):\n    if x > {i}:\n        return x * {i}\n    \
                 return [y for y in range(x) if y % 3]\n\n"
            )
        })
        .collect();
    for k in 0..n {
        write(dir, &format!("big{k}.py"), &body);
    }
}

#[test]
fn the_cpu_limit_ends_a_run_with_a_message_and_the_hook_fails_open_as_configured() {
    let dir = tempfile::tempdir().unwrap();
    cpu_heavy_files(dir.path(), 3);
    write(dir.path(), ".antipasta.toml", "max_cpu_seconds = 1\n");
    let out = antipasta(dir.path(), &["metrics", "--no-cache", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "antipasta: error: the CPU limit (max_cpu_seconds = 1) was reached and ended the run \
         before it finished; raise max_cpu_seconds, or check fewer files\n"
    );
    assert!(out.stdout.is_empty(), "a partial report: {}", stdout(&out));
    // Without the limit the same run finishes.
    write(dir.path(), ".antipasta.toml", "");
    let out = antipasta(dir.path(), &["metrics", "--no-cache", ".", "-q"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    // The hook: fail_open lets the commit through and says so ...
    let repo = Repo::new();
    repo.write("a.py", "x = 1\n");
    repo.commit_all("base");
    cpu_heavy_files(repo.path(), 3);
    repo.write(".antipasta.toml", "max_cpu_seconds = 1\n");
    repo.git(&["add", "-A"]);
    let out = antipasta(repo.path(), &["check", "--no-cache"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "antipasta: WARNING: the CPU limit (max_cpu_seconds = 1) ended the complexity check; \
             the commit proceeds unchecked (fail_open = true)"
        ),
        "{}",
        stderr(&out)
    );
    // ... and fail_open = false blocks it.
    repo.write(
        ".antipasta.toml",
        "max_cpu_seconds = 1\nfail_open = false\n",
    );
    let out = antipasta(repo.path(), &["check", "--no-cache"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the CPU limit (max_cpu_seconds = 1) was reached"));
}

#[test]
fn a_utf16_file_is_an_encoding_error_not_a_binary_skip() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "def f():\n    return 1\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    write_bytes(dir.path(), "wide.py", &bytes);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an error, not a skip: {}",
        stdout(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains("UTF-16 (little-endian) byte order mark"),
        "{text}"
    );
    assert!(text.contains("save it as UTF-8"), "{text}");
    assert!(!text.contains("binary file"), "{text}");
}
