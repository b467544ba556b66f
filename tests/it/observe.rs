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
