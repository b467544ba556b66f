//! Observability: `--timings` in text and JSON, for the gate and `metrics`,
//! and that it changes nothing else.

use crate::common::*;

const BRANCHY: &str = "\
def f(a, b):
    if a:
        return 1
    if b:
        return 2
    return 3
";

fn staged_repo() -> Repo {
    let repo = Repo::new();
    repo.write("pkg/a.py", BRANCHY);
    repo.write("pkg/b.py", "def g():\n    return 0\n");
    repo.commit_all("base");
    repo.write(
        "pkg/a.py",
        &format!("{BRANCHY}\n\ndef h(x):\n    return x\n"),
    );
    repo.write("pkg/c.py", "def k(y):\n    return y + 1\n");
    repo.git(&["add", "-A"]);
    repo
}

/// The steps of a `timings` object, and checks that hold for every run:
/// the steps add up to the wall time, and the threads' numbers are sane.
fn steps_of(timings: &serde_json::Value) -> Vec<(String, f64)> {
    let wall = timings["wall_ms"].as_f64().expect("wall_ms");
    let steps: Vec<(String, f64)> = timings["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap().to_owned(),
                s["ms"].as_f64().unwrap(),
            )
        })
        .collect();
    let sum: f64 = steps.iter().map(|(_, ms)| ms).sum();
    assert!(wall > 0.0);
    assert!(
        (sum - wall).abs() <= wall * 0.05,
        "steps add up to {sum} ms, the wall time is {wall} ms"
    );
    let analysis = &timings["analysis"];
    if !analysis.is_null() {
        let threads = analysis["threads"].as_u64().unwrap() as usize;
        let busy = analysis["busy_ms"].as_array().unwrap();
        assert_eq!(busy.len(), threads);
        let efficiency = analysis["efficiency"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&efficiency), "{efficiency}");
        let busy: f64 = busy.iter().map(|b| b.as_f64().unwrap()).sum();
        let work: f64 = analysis["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["ms"].as_f64().unwrap())
            .sum();
        // The work kinds, with `other`, are the busy time (rounding aside).
        assert!((work - busy).abs() < 0.05 + busy * 0.01, "{work} vs {busy}");
    }
    steps
}

#[test]
fn gate_timings_tile_the_run_in_json_and_text() {
    let repo = staged_repo();
    let out = antipasta(
        repo.path(),
        &["check", "--no-cache", "--timings", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = steps_of(&report["timings"]);
    let names: Vec<&str> = steps.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "startup",
            "discover",
            "git index and diff",
            "cache open",
            "cache get",
            "analysis",
            "function diff and verdicts",
            "cache put",
            "report"
        ]
    );
    let work: Vec<&str> = report["timings"]["analysis"]["work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["step"].as_str().unwrap())
        .collect();
    for kind in ["read", "decode", "parse", "metrics"] {
        assert!(work.contains(&kind), "{kind} missing from {work:?}");
    }
    // The text form, on stderr after the report; stdout is the report only.
    let text = antipasta(repo.path(), &["check", "-v", "--timings"]);
    assert_eq!(text.status.code(), Some(0));
    let err = stderr(&text);
    assert!(err.contains("antipasta: timings: "), "{err}");
    for step in ["git index and diff", "analysis", "parse", "cache put"] {
        assert!(err.contains(step), "{step} missing: {err}");
    }
    assert!(err.contains("efficiency"), "{err}");
    assert!(!stdout(&text).contains("timings"));
}

#[test]
fn timings_change_nothing_else() {
    let repo = staged_repo();
    for args in [
        &["check", "--no-cache", "--format", "json"][..],
        &["metrics", "--no-cache", "--format", "json", "pkg"][..],
        &["metrics", "--no-cache", "pkg"][..],
    ] {
        let plain = antipasta(repo.path(), args);
        let mut timed_args = args.to_vec();
        timed_args.push("--timings");
        let timed = antipasta(repo.path(), &timed_args);
        assert_eq!(plain.status.code(), timed.status.code(), "{args:?}");
        if args.contains(&"json") {
            let mut timed_report: serde_json::Value =
                serde_json::from_slice(&timed.stdout).unwrap();
            assert!(timed_report["timings"].is_object());
            timed_report.as_object_mut().unwrap().remove("timings");
            let plain_report: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
            assert!(plain_report.get("timings").is_none());
            assert_eq!(plain_report, timed_report, "{args:?}");
        } else {
            assert_eq!(stdout(&plain), stdout(&timed), "{args:?}");
            assert!(!stderr(&plain).contains("timings"));
        }
    }
}

#[test]
fn metrics_timings_with_a_warm_cache_show_cache_gets_not_parses() {
    let repo = staged_repo();
    let cold = antipasta(
        repo.path(),
        &["metrics", "--timings", "--format", "json", "pkg"],
    );
    assert_eq!(cold.status.code(), Some(0), "{}", stderr(&cold));
    let cold: serde_json::Value = serde_json::from_slice(&cold.stdout).unwrap();
    let names: Vec<String> = steps_of(&cold["timings"])
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        names,
        [
            "startup",
            "discover",
            "walk and cache open",
            "analysis",
            "cache put",
            "judge",
            "report"
        ]
    );
    let warm = antipasta(
        repo.path(),
        &["metrics", "--timings", "--format", "json", "pkg"],
    );
    let warm: serde_json::Value = serde_json::from_slice(&warm.stdout).unwrap();
    steps_of(&warm["timings"]);
    let work = |r: &serde_json::Value| -> Vec<String> {
        r["timings"]["analysis"]["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["step"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(work(&cold).contains(&"parse".to_owned()));
    assert!(
        !work(&warm).contains(&"parse".to_owned()),
        "{:?}",
        work(&warm)
    );
    assert!(work(&warm).contains(&"cache get".to_owned()));
}

#[test]
fn json_logs_parse_and_carry_their_fields_on_stderr_only() {
    let repo = staged_repo();
    let plain = antipasta(repo.path(), &["check", "--format", "json"]);
    let logged = antipasta_env(
        repo.path(),
        &["check", "--format", "json", "--log-format", "json"],
        &[("ANTIPASTA_LOG", "debug")],
    );
    assert_eq!(plain.status.code(), logged.status.code());
    // The report on stdout is the same (timings are only in it on request).
    let a: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&logged.stdout).unwrap();
    assert_eq!(a, b);
    let lines: Vec<serde_json::Value> = stderr(&logged)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    for line in &lines {
        for field in ["timestamp", "level", "target", "message"] {
            assert!(line.get(field).is_some(), "{field} missing in {line}");
        }
    }
    let find = |message: &str| {
        lines
            .iter()
            .filter(|l| l["message"] == message)
            .collect::<Vec<_>>()
    };
    let analysed = find("file analysed");
    assert_eq!(analysed.len(), 2, "{lines:?}");
    let a = analysed.iter().find(|l| l["path"] == "pkg/a.py").unwrap();
    assert_eq!(a["target"], "antipasta::run::gate");
    let staged = repo.git_output(&["rev-parse", ":pkg/a.py"]);
    assert_eq!(a["new"], stdout(&staged).trim());
    assert!(a["elapsed_ms"].as_f64().is_some());
    let phases: Vec<&str> = find("phase done")
        .iter()
        .map(|l| l["phase"].as_str().unwrap())
        .collect();
    assert!(phases.contains(&"git index and diff"), "{phases:?}");
    assert!(phases.contains(&"analysis"));
    assert_eq!(find("staged changes")[0]["changes"], 2);
    assert_eq!(find("staged changes")[0]["target"], "antipasta::git");
    // A target filter: only the cache's lines.
    let cache_only = antipasta_env(
        repo.path(),
        &["check", "--log-format", "json"],
        &[("ANTIPASTA_LOG", "antipasta::cache=trace")],
    );
    let targets: Vec<serde_json::Value> = stderr(&cache_only)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["target"].clone())
        .collect();
    assert!(!targets.is_empty());
    assert!(
        targets.iter().all(|t| t == "antipasta::cache"),
        "{targets:?}"
    );
    // Without ANTIPASTA_LOG, nothing is logged.
    assert_eq!(stderr(&plain), "");
}

#[test]
fn a_log_filter_that_does_not_parse_is_a_usage_error() {
    let repo = staged_repo();
    let out = antipasta_env(
        repo.path(),
        &["check"],
        &[("ANTIPASTA_LOG", "antipasta::[")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("ANTIPASTA_LOG=\"antipasta::[\" is not a log filter"),
        "{err}"
    );
}

/// A staged change with one violation (cyclomatic 11 > 10) and one clean file.
fn violating_repo() -> Repo {
    let repo = staged_repo();
    let branches: String = (0..11)
        .map(|i| format!("    if x == {i}:\n        return {i}\n"))
        .collect();
    repo.write(
        "pkg/d.py",
        &format!("def busy(x):\n{branches}    return -1\n"),
    );
    repo.git(&["add", "-A"]);
    repo
}

#[test]
fn the_prometheus_metrics_file_parses_and_matches_the_report() {
    let repo = violating_repo();
    let prom = repo.path().join("out/run.prom");
    std::fs::create_dir_all(prom.parent().unwrap()).unwrap();
    // Written to the cache however fast (for the re-run below).
    let out = antipasta_env(
        repo.path(),
        &[
            "check",
            "--format",
            "json",
            "--metrics-file",
            "out/run.prom",
        ],
        &[("ANTIPASTA_CACHE_WRITE_MIN_MS", "0")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(&prom).unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap();
    let value = |name: &str, label: Option<(&str, &str)>| -> f64 {
        let samples: Vec<_> = scrape
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
            .collect();
        assert_eq!(samples.len(), 1, "{name} {label:?} in\n{text}");
        assert_eq!(samples[0].labels.get("mode"), Some("check"));
        match samples[0].value {
            prometheus_parse::Value::Gauge(v) => v,
            ref other => panic!("{name} is not a gauge: {other:?}"),
        }
    };
    let summary = &report["summary"];
    let n = |v: &serde_json::Value| v.as_u64().unwrap() as f64;
    assert_eq!(
        value("antipasta_files", Some(("state", "checked"))),
        n(&summary["files"])
    );
    assert_eq!(
        value("antipasta_files", Some(("state", "not_checked"))),
        0.0
    );
    assert_eq!(
        value("antipasta_files", Some(("state", "failed"))),
        n(&summary["errors"])
    );
    assert_eq!(
        value("antipasta_violations", None),
        n(&summary["violations"])
    );
    assert_eq!(value("antipasta_violations", None), 1.0);
    assert_eq!(
        value("antipasta_functions", None),
        n(&summary["changed_functions"])
    );
    // Three changed files: a.py has two sides, the new c.py and d.py one
    // each; nothing was cached.
    assert_eq!(
        value("antipasta_contents", Some(("source", "analysed"))),
        4.0
    );
    assert_eq!(value("antipasta_contents", Some(("source", "cache"))), 0.0);
    let duration = value("antipasta_run_duration_seconds", None);
    let phases: f64 = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "antipasta_phase_seconds")
        .map(|s| match s.value {
            prometheus_parse::Value::Gauge(v) => v,
            _ => panic!("not a gauge"),
        })
        .sum();
    assert!(
        (phases - duration).abs() <= duration * 0.05,
        "{phases} vs {duration}"
    );
    assert_eq!(value("antipasta_budget_seconds", None), 1.0);
    assert!(value("antipasta_peak_memory_bytes", None) > 1e6);
    // Every family is documented.
    for family in [
        "antipasta_files",
        "antipasta_contents",
        "antipasta_phase_seconds",
    ] {
        assert!(scrape.docs.contains_key(family), "{family} has no HELP");
        assert!(text.contains(&format!("# TYPE {family} gauge")));
    }
    // No partial file is left beside it.
    let left: Vec<_> = std::fs::read_dir(prom.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("run.prom")]);

    // A re-run serves every content from the cache.
    let again = antipasta(repo.path(), &["check", "--metrics-file", "out/run.json"]);
    assert_eq!(again.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("out/run.json")).unwrap()).unwrap();
    assert_eq!(json["mode"], "check");
    assert_eq!(json["contents_from_cache"], 4);
    assert_eq!(json["contents_analysed"], 0);
    assert_eq!(json["violations"], 1);
    assert!(json["phases"]["analysis"].as_f64().is_some());
}

#[test]
fn the_metrics_file_can_be_configured_and_a_bad_name_is_refused() {
    let repo = violating_repo();
    repo.write(".antipasta.toml", "metrics_file = \"ci/metrics.prom\"\n");
    std::fs::create_dir_all(repo.path().join("ci")).unwrap();
    let out = antipasta(repo.path(), &["metrics", "pkg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(repo.path().join("ci/metrics.prom")).unwrap();
    assert!(
        text.contains("antipasta_violations{mode=\"metrics\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("antipasta_files{mode=\"metrics\",state=\"checked\"} 4"),
        "{text}"
    );
    // A name that says no format: exit 2 before anything runs.
    let out = antipasta(repo.path(), &["check", "--metrics-file", "m.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("must end in .prom"),
        "{}",
        stderr(&out)
    );
    repo.write(".antipasta.toml", "metrics_file = \"m.csv\"\n");
    let out = antipasta(repo.path(), &["metrics", "pkg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("metrics_file"), "{}", stderr(&out));
    // A directory that does not exist: a warning, the result unchanged.
    repo.write(".antipasta.toml", "");
    let out = antipasta(
        repo.path(),
        &["metrics", "pkg", "--metrics-file", "nowhere/m.prom"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("writing the metrics file"),
        "{}",
        stderr(&out)
    );
}

fn history_json(repo: &Repo, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["history", "--format", "json"];
    args.extend_from_slice(extra);
    let out = antipasta(repo.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Nearest-rank percentile, computed here independently of the product.
fn nearest_rank(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank - 1]
}

#[test]
fn history_after_real_hook_commits_has_the_right_counts_and_percentiles() {
    let repo = Repo::new();
    repo.write("pkg/a.py", BRANCHY);
    repo.commit_all("base");
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Four commits through the real hook; the third is blocked once.
    for i in 0..4 {
        let body = if i == 2 {
            let branches: String = (0..11)
                .map(|k| format!("    if x == {k}:\n        return {k}\n"))
                .collect();
            format!("def busy{i}(x):\n{branches}    return -1\n")
        } else {
            format!("def f{i}(x):\n    return x + {i}\n")
        };
        repo.write(&format!("pkg/m{i}.py"), &body);
        repo.git(&["add", "-A"]);
        let out = commit(&repo, &["-q", "-m", &format!("c{i}")]);
        if i == 2 {
            assert!(!out.status.success(), "the violation was not blocked");
            repo.write(&format!("pkg/m{i}.py"), "def fine(x):\n    return x\n");
            repo.git(&["add", "-A"]);
            let out = commit(&repo, &["-q", "-m", "fixed"]);
            assert!(out.status.success(), "{}", stderr(&out));
        } else {
            assert!(out.status.success(), "{}", stderr(&out));
        }
    }
    // And one full-tree run.
    let out = antipasta(repo.path(), &["metrics", "pkg"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let h = history_json(&repo, &[]);
    let runs = h["runs"].as_array().unwrap();
    let modes: Vec<&str> = runs.iter().map(|r| r["mode"].as_str().unwrap()).collect();
    assert_eq!(
        modes,
        ["check", "check", "check", "check", "check", "metrics"]
    );
    let violations: Vec<u64> = runs
        .iter()
        .map(|r| r["violations"].as_u64().unwrap())
        .collect();
    assert_eq!(violations, [0, 0, 1, 0, 0, 0]);
    let files: Vec<u64> = runs.iter().map(|r| r["files"].as_u64().unwrap()).collect();
    assert_eq!(files, [1, 1, 1, 1, 1, 5]);
    let check = &h["modes"][0];
    assert_eq!(check["mode"], "check");
    assert_eq!(check["runs"], 5);
    assert_eq!(check["violations"], serde_json::json!([0, 0, 1, 0, 0]));
    let durations: Vec<f64> = runs[..5]
        .iter()
        .map(|r| r["duration_ms"].as_f64().unwrap())
        .collect();
    assert_eq!(
        check["p50_ms"].as_f64().unwrap(),
        nearest_rank(durations.clone(), 50.0)
    );
    assert_eq!(
        check["p95_ms"].as_f64().unwrap(),
        nearest_rank(durations, 95.0)
    );
    let (hits, all) = runs[..5].iter().fold((0, 0), |(h, a), r| {
        let hit = r["cache_hits"].as_u64().unwrap();
        (h + hit, a + hit + r["analysed"].as_u64().unwrap())
    });
    assert_eq!(
        check["hit_rate"].as_f64().unwrap(),
        hits as f64 / all as f64
    );
    // Each run's phases add up to its duration.
    for r in runs {
        let sum: f64 = r["phases"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        let d = r["duration_ms"].as_f64().unwrap();
        assert!((sum - d).abs() <= d * 0.05 + 0.01, "{sum} vs {d}");
    }
    // --mode filters; the text form names the modes and the slowest runs.
    let only = history_json(&repo, &["--mode", "metrics"]);
    assert_eq!(only["runs"].as_array().unwrap().len(), 1);
    let text = antipasta(repo.path(), &["history"]);
    let text = stdout(&text);
    assert!(text.contains("6 runs in "), "{text}");
    assert!(
        text.contains("violations per check run, oldest first: 0 0 1 0 0"),
        "{text}"
    );
    assert!(text.contains("slowest recent runs:"), "{text}");
    assert!(text.contains("most in "), "{text}");
    // history_runs bounds it.
    repo.write(".antipasta.toml", "history_runs = 3\n");
    let out = antipasta(repo.path(), &["metrics", "pkg"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        history_json(&repo, &[])["runs"].as_array().unwrap().len(),
        3
    );
}

/// Runs `antipasta check` (the hook's command) with `env`; its stderr.
fn hook_run(repo: &Repo, env: &[(&str, &str)]) -> String {
    let out = antipasta_env(repo.path(), &["check"], env);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    stderr(&out)
}

fn alert_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.starts_with("antipasta: warning:")
                && !l.contains("not checked")
                && !l.contains("time budget ran out before")
        })
        .collect()
}

#[test]
fn the_budget_alert_fires_after_repeated_overruns_once_a_day_and_never_when_healthy() {
    let repo = staged_repo();
    repo.write(
        ".antipasta.toml",
        "budget_ms = 400\n[alerts]\nwindow = 3\nbudget_runs = 2\n",
    );
    // Healthy runs: no alert.
    for _ in 0..3 {
        let err = hook_run(&repo, &[]);
        assert!(alert_lines(&err).is_empty(), "{err}");
    }
    // Each file sleeps 500 ms first: the 400 ms budget leaves a file unchecked.
    let slow = [("ANTIPASTA_TEST_FILE_DELAY_MS", "500")];
    let first = hook_run(&repo, &slow);
    assert!(
        !first.contains("time budget ran out in"),
        "one overrun is not a pattern: {first}"
    );
    let second = hook_run(&repo, &slow);
    let alerts: Vec<&str> = second
        .lines()
        .filter(|l| l.contains("ran out in"))
        .collect();
    assert_eq!(alerts.len(), 1, "{second}");
    assert!(
        alerts[0].starts_with("antipasta: warning: the time budget ran out in 2 of the last 3 runs: raise `budget_ms` (now 400)"),
        "{}",
        alerts[0]
    );
    // The same day: not again.
    let third = hook_run(&repo, &slow);
    assert!(!third.contains("ran out in"), "{third}");
    // `metrics` runs never alert.
    let out = antipasta_env(repo.path(), &["metrics", "pkg", "--budget", "400"], &slow);
    assert!(!stderr(&out).contains("ran out in"));
}

#[test]
fn the_slowdown_and_store_alerts_fire_on_their_causes() {
    let repo = staged_repo();
    repo.write(".antipasta.toml", "budget_ms = 0\n[alerts]\nwindow = 2\n");
    for _ in 0..2 {
        assert!(alert_lines(&hook_run(&repo, &[])).is_empty());
    }
    // Two runs much slower than the two before them.
    let slow = [("ANTIPASTA_TEST_FILE_DELAY_MS", "150")];
    let err = hook_run(&repo, &slow);
    assert!(alert_lines(&err).is_empty(), "{err}");
    let err = hook_run(&repo, &slow);
    let lines = alert_lines(&err);
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("runs got slower: the p95 of the last 2 is"),
        "{}",
        lines[0]
    );

    // A store at its limit: with the limit at 1 byte, every run evicts.
    let repo = staged_repo();
    repo.write(".antipasta.toml", "[alerts]\nstore_full = 0.9\n");
    let err = hook_run(
        &repo,
        &[
            ("ANTIPASTA_CACHE_SIZE", "1"),
            ("ANTIPASTA_CACHE_WRITE_MIN_MS", "0"),
        ],
    );
    let lines = alert_lines(&err);
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("the cache store is at"), "{}", lines[0]);
    assert!(lines[0].contains("raise `cache_size`"), "{}", lines[0]);
    // Alerts can be turned off.
    let repo = staged_repo();
    repo.write(".antipasta.toml", "[alerts]\nenabled = false\n");
    let err = hook_run(
        &repo,
        &[
            ("ANTIPASTA_CACHE_SIZE", "1"),
            ("ANTIPASTA_CACHE_WRITE_MIN_MS", "0"),
        ],
    );
    assert!(alert_lines(&err).is_empty(), "{err}");
}

#[test]
fn the_hit_rate_alert_fires_when_the_cache_stops_serving() {
    let repo = staged_repo();
    repo.write(
        ".antipasta.toml",
        // Only the hit rate: four runs of a loaded machine can differ
        // twice in time, which is the slowdown alert's cause.
        "[alerts]\nwindow = 2\nstore_full = 1.0\nslowdown = 1000.0\n",
    );
    let write_all = [("ANTIPASTA_CACHE_WRITE_MIN_MS", "0")];
    // A first run, then three re-runs served by the cache.
    for _ in 0..4 {
        let err = hook_run(&repo, &write_all);
        assert!(alert_lines(&err).is_empty(), "{err}");
    }
    // An emptied store serves nothing (the history is kept).
    let clear = || {
        let out = antipasta(repo.path(), &["cache", "clear"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    let served = |err: &str| {
        err.lines()
            .filter(|l| l.contains("the cache served"))
            .count()
    };
    clear();
    assert_eq!(served(&hook_run(&repo, &[])), 0);
    clear();
    let err = hook_run(&repo, &[]);
    assert_eq!(served(&err), 1, "{err}");
    assert!(
        err.contains("the cache served 0 % of the last 2 runs' files, down from 75 %"),
        "{err}"
    );
}

/// Runs `antipasta ARGS` in `dir` under a pseudo-terminal (util-linux's
/// `script`), with `env`; everything the terminal showed.
fn under_a_terminal(dir: &std::path::Path, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_antipasta"));
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .envs(env.iter().copied())
        .output()
        .expect("running script (util-linux)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_progress_bar_appears_on_a_terminal_for_long_runs_only() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..24 {
        write(
            dir.path(),
            &format!("pkg/m{i}.py"),
            "def f(x):\n    return x\n",
        );
    }
    // 24 files of 120 ms each on at most two threads: well over a second.
    let slow = [("ANTIPASTA_TEST_FILE_DELAY_MS", "120")];
    let shown = under_a_terminal(dir.path(), "metrics pkg --no-cache", &slow);
    assert!(
        shown.contains("/24 files"),
        "no bar on the terminal:\n{shown}"
    );
    assert!(shown.contains("left"), "{shown}");
    // The report is still there, after the bar.
    assert!(shown.contains("24 files, 24 functions"), "{shown}");
    // -q, CI, a fast run, and piped output: no bar.
    let quiet = under_a_terminal(dir.path(), "metrics pkg --no-cache -q", &slow);
    assert!(!quiet.contains("/24 files"), "{quiet}");
    let ci = under_a_terminal(
        dir.path(),
        "metrics pkg --no-cache",
        &[("ANTIPASTA_TEST_FILE_DELAY_MS", "120"), ("CI", "true")],
    );
    assert!(!ci.contains("/24 files"), "{ci}");
    let fast = under_a_terminal(dir.path(), "metrics pkg --no-cache", &[]);
    assert!(!fast.contains("/24 files"), "{fast}");
    let piped = antipasta_env(dir.path(), &["metrics", "pkg", "--no-cache"], &slow);
    assert!(!stderr(&piped).contains("files,"), "{}", stderr(&piped));
    assert!(!stdout(&piped).contains("/24"));
}
