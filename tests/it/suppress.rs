//! Reasoned, per-metric suppression markers, end to end in real temporary
//! repositories: each placement, each metric list, stale markers, unknown
//! metric names, `--no-ignore`, `--report-ignored`, `require_reason`, the
//! file-level form, and the gate.

use serde_json::Value;

use crate::common::{antipasta, commit, stderr, stdout, Repo};

/// A function body over the cyclomatic (10) and cognitive (15) limits.
const BODY: &str = r"    if a:
        if b:
            if c:
                for x in a:
                    if x and b or c:
                        while x:
                            if x > 1:
                                x -= 1
                            elif x:
                                break
    return a
";

/// `def NAME(a, b, c):` with `head` before it and `tail` on the def line.
fn complex(head: &str, def: &str, tail: &str) -> String {
    format!("{head}{def}(a, b, c):{tail}\n{BODY}")
}

fn run(repo: &Repo, args: &[&str]) -> (Option<i32>, String, String) {
    let out = antipasta(repo.path(), args);
    (out.status.code(), stdout(&out), stderr(&out))
}

/// `metrics --format json` of the tree: the exit code and the report.
fn json(repo: &Repo, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["metrics", "--no-cache", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(repo, &args);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, report)
}

/// (function, metric) of every violation in a `metrics` JSON report.
fn violated(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["violations"].as_array().unwrap().iter())
        .map(|v| {
            (
                v["function"].as_str().unwrap_or("<file>").to_string(),
                v["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn tree(files: &[(&str, &str)]) -> Repo {
    let repo = Repo::new();
    for (path, text) in files {
        repo.write(path, text);
    }
    repo.commit_all("start");
    repo
}

const BOTH: &str = "cyclomatic_complexity, cognitive_complexity";

#[test]
fn every_placement_exempts_only_its_function() {
    let m = format!("# antipasta: ignore[{BOTH}] -- legacy parser");
    let source = [
        complex("", "def on_def_line", &format!("  {m}")),
        complex(&format!("{m}\n"), "def on_line_above", ""),
        complex(
            &format!("{m}\n@decorator\n@decorator\n"),
            "def above_decorators",
            "",
        ),
        complex(&format!("@decorator\n{m}\n"), "def between_decorators", ""),
        complex(
            "@decorator\n",
            "async def async_decorated",
            &format!("  {m}"),
        ),
        complex("", "def unmarked", ""),
        complex(&format!("{m}\n\n"), "def too_far_above", ""),
    ]
    .join("\n\n");
    let repo = tree(&[(
        "mod.py",
        &format!("def decorator(f):\n    return f\n\n\n{source}"),
    )]);
    let (code, report) = json(&repo, &[]);
    assert_eq!(code, Some(1));
    let names: Vec<String> = violated(&report)
        .into_iter()
        .map(|(f, _)| f)
        .filter(|f| f != "<file>")
        .collect();
    assert_eq!(
        names,
        ["too_far_above", "too_far_above", "unmarked", "unmarked"],
        "{report:#}"
    );
    let file = &report["files"][0];
    assert_eq!(file["suppressed"].as_array().unwrap().len(), 10);
    assert!(file["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["reason"] == "legacy parser"));
    assert_eq!(report["summary"]["suppressed"], 10);
}

#[test]
fn a_metric_list_exempts_those_metrics_and_no_others() {
    let cases = [
        ("[cyclomatic_complexity]", vec!["cognitive_complexity"]),
        ("[cognitive_complexity]", vec!["cyclomatic_complexity"]),
        (&format!("[{BOTH}]") as &str, vec![]),
        ("[ Cognitive_Complexity ,cyclomatic_complexity ]", vec![]),
        ("", vec![]),
    ];
    for (list, left) in cases {
        let marker = format!("  # antipasta: ignore{list} -- why");
        let repo = tree(&[("a.py", &complex("", "def f", &marker))]);
        let (code, report) = json(&repo, &[]);
        let metrics: Vec<String> = violated(&report).into_iter().map(|(_, m)| m).collect();
        assert_eq!(metrics, left, "{list}");
        assert_eq!(code, Some(if left.is_empty() { 0 } else { 1 }), "{list}");
    }
}

#[test]
fn a_stale_marker_is_reported_with_its_position_as_configured() {
    let src =
        "def simple(a):  # antipasta: ignore[cognitive_complexity] -- was complex\n    return a\n";
    let repo = tree(&[("a.py", src)]);
    let (code, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(
            "a.py:1:17: warning: stale suppression of `cognitive_complexity`: simple is within \
             its limit; remove it from the marker"
        ),
        "{out}"
    );
    assert!(out.contains("1 stale suppression"), "{out}");

    repo.write(".antipasta.toml", "stale_suppressions = \"error\"\n");
    let (code, out, err) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("a.py:1:17: error: stale suppression"), "{out}");

    repo.write(".antipasta.toml", "stale_suppressions = \"off\"\n");
    let (code, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(0));
    assert!(!out.contains("stale"), "{out}");

    // A marker that still suppresses something is not stale.
    repo.write(".antipasta.toml", "stale_suppressions = \"error\"\n");
    repo.write(
        "a.py",
        &complex("", "def f", &format!("  # antipasta: ignore[{BOTH}] -- r")),
    );
    let (code, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn an_unknown_metric_in_a_marker_is_an_error_with_a_suggestion() {
    let src = complex(
        "",
        "def f",
        "  # antipasta: ignore[cyclomatic, cognitive_complexity] -- r",
    );
    let repo = tree(&[("a.py", &src)]);
    let (code, out, err) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        out.contains(
            "a.py:1:18: error: unknown metric `cyclomatic` in a suppression marker; did you mean \
             `cyclomatic_complexity`?"
        ),
        "{out}"
    );
    // The known name in the same marker still applies.
    assert!(out.contains("f: cyclomatic_complexity 11 > 10"), "{out}");
    assert!(!out.contains("f: cognitive_complexity"), "{out}");
    let src = complex("", "def f", "  # antipasta: ignore[zzzz] -- r");
    repo.write("a.py", &src);
    let (code, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(2));
    assert!(
        out.contains("known metrics: cyclomatic_complexity, "),
        "{out}"
    );
}

#[test]
fn no_ignore_disregards_markers_and_report_ignored_lists_them() {
    let src = [
        complex(
            "",
            "def listed",
            &format!("  # antipasta: ignore[{BOTH}] -- table driven"),
        ),
        complex("", "def bare", "  # complexipy: ignore"),
    ]
    .join("\n\n");
    let repo = tree(&[("a.py", &src)]);
    let (code, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("ignored:"), "{out}");
    assert!(out.contains("0 violations, 4 suppressed"), "{out}");

    let (code, out, _) = run(&repo, &["metrics", "--no-cache", "--report-ignored"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("a.py:1:1: listed: ignored: cyclomatic_complexity 11 > 10 -- table driven"),
        "{out}"
    );
    assert!(
        out.contains(": bare: ignored: cognitive_complexity") && out.contains("(no reason given)"),
        "{out}"
    );

    let (code, report) = json(&repo, &["--no-ignore"]);
    assert_eq!(code, Some(1));
    assert_eq!(violated(&report).len(), 4, "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 0);
}

#[test]
fn require_reason_makes_a_marker_without_one_an_error() {
    let src = [
        complex(
            "",
            "def explained",
            &format!("  # antipasta: ignore[{BOTH}] -- legacy"),
        ),
        complex(
            "",
            "def unexplained",
            &format!("  # antipasta: ignore[{BOTH}]"),
        ),
    ]
    .join("\n\n");
    let repo = tree(&[("a.py", &src)]);
    let (code, _, _) = run(&repo, &["metrics", "--no-cache"]);
    assert_eq!(code, Some(0));
    repo.write(".antipasta.toml", "require_reason = true\n");
    let (code, report) = json(&repo, &[]);
    assert_eq!(code, Some(1));
    let names: Vec<String> = violated(&report).into_iter().map(|(f, _)| f).collect();
    assert_eq!(names, ["unexplained", "unexplained"]);
    let note = &report["files"][0]["suppression_notes"][0];
    assert_eq!(note["problem"], "no_reason", "{report:#}");
    assert_eq!(note["severity"], "error");
    assert_eq!(note["function"], "unexplained");
    let (_, out, _) = run(&repo, &["metrics", "--no-cache"]);
    assert!(
        out.contains("error: suppression without a reason for unexplained (require_reason = true)"),
        "{out}"
    );
}

#[test]
fn a_file_marker_exempts_file_scope_metrics() {
    // Long, comment-free, branchy code: a maintainability index under 50.
    let mut body = String::new();
    for i in 0..60 {
        body.push_str(&format!(
            "def f{i}(a, b):\n    if a and b or a:\n        return a * b + {i} - a / b\n    return b ** {i}\n\n"
        ));
    }
    let repo = tree(&[("gen.py", &body)]);
    let (code, report) = json(&repo, &[]);
    assert_eq!(code, Some(1));
    assert!(violated(&report).contains(&("<file>".into(), "maintainability_index".into())));
    let marked = format!(
        "#!/usr/bin/env python\n# antipasta: ignore-file[maintainability_index] -- generated code\n{body}"
    );
    repo.write("gen.py", &marked);
    let (code, report) = json(&repo, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(
        report["files"][0]["suppressed"][0]["reason"],
        "generated code"
    );
    // Below the first comment block it is no file marker.
    repo.write("gen.py", &format!("x = 1\n{}", &marked[22..]));
    let (code, _) = json(&repo, &[]);
    assert_eq!(code, Some(1));
}

#[test]
fn the_gate_honours_markers_on_changed_functions() {
    let repo = tree(&[("a.py", "def f(a):\n    return a\n")]);
    // A new complex function with a marker passes the hook.
    repo.write(
        "a.py",
        &complex(
            "",
            "def f",
            &format!("  # antipasta: ignore[{BOTH}] -- state machine"),
        ),
    );
    repo.git(&["add", "a.py"]);
    let out = repo.check(&["--report-ignored", "-v"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out)
        .contains("ignored: cyclomatic_complexity 1 → 11 > 10 (modified) -- state machine"));
    let out = commit(&repo, &["-m", "marked"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A change to the marker alone changes no code: nothing is judged.
    repo.write(
        "a.py",
        &complex(
            "",
            "def f",
            "  # antipasta: ignore[cognitive_complexity] -- r",
        ),
    );
    repo.git(&["add", "a.py"]);
    assert_eq!(repo.check(&[]).status.code(), Some(0));
    // Worse code with only one metric listed: the other blocks.
    let changed = complex(
        "",
        "def f",
        "  # antipasta: ignore[cognitive_complexity] -- r",
    )
    .replace(
        "    return a\n",
        "    if a > 3:\n        return b\n    return a\n",
    );
    repo.write("a.py", &changed);
    repo.git(&["add", "a.py"]);
    let out = repo.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("f: cyclomatic_complexity 11 → 12 > 10"),
        "{}",
        stdout(&out)
    );
    let out = repo.check(&["--no-ignore"]);
    assert!(
        stdout(&out).contains("f: cognitive_complexity"),
        "{}",
        stdout(&out)
    );
    // A marker with an unknown name blocks the commit with exit 2.
    repo.write(
        "a.py",
        &changed.replace("[cognitive_complexity]", "[cognitive]"),
    );
    repo.git(&["add", "a.py"]);
    let out = repo.check(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("did you mean `cognitive_complexity`?"));
}

#[test]
fn marker_problems_reach_the_ci_formats_at_the_marker() {
    let src = [
        "def simple(a):  # antipasta: ignore[cognitive_complexity] -- was complex\n    return a\n"
            .to_string(),
        complex("", "def f", "  # antipasta: ignore[cyclomatic] -- r"),
    ]
    .join("\n\n");
    let repo = tree(&[("a.py", &src)]);
    let (code, sarif, _) = run(&repo, &["metrics", "--no-cache", "--format", "sarif"]);
    assert_eq!(code, Some(2));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    crate::formats::assert_valid_sarif(&sarif);
    let run0 = &sarif["runs"][0];
    let markers: Vec<&Value> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "suppression_marker")
        .collect();
    assert_eq!(markers.len(), 2, "{sarif:#}");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in &markers {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "suppression_marker");
    }
    let region = |r: &Value| {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        (region["startLine"].as_u64(), region["startColumn"].as_u64())
    };
    assert_eq!(region(markers[0]), (Some(1), Some(17)));
    assert_eq!(markers[0]["level"], "warning");
    assert_eq!(region(markers[1]), (Some(5), Some(18)));
    assert_eq!(markers[1]["level"], "error");

    let (_, github, _) = run(&repo, &["metrics", "--no-cache", "--format", "github"]);
    assert!(
        github.contains("::warning file=a.py,line=1,col=17,title=antipasta suppression marker::stale suppression of `cognitive_complexity`"),
        "{github}"
    );
    assert!(
        github.contains("::error file=a.py,line=5,col=18,"),
        "{github}"
    );

    let (_, gitlab, _) = run(&repo, &["metrics", "--no-cache", "--format", "gitlab"]);
    let gitlab: Value = serde_json::from_str(&gitlab).unwrap();
    let issues: Vec<&Value> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["check_name"] == "suppression_marker")
        .collect();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["severity"], "minor");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
    assert_eq!(issues[1]["severity"], "major");
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
}
