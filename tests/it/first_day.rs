//! What a new user meets on the first day: file-scope metrics of legacy
//! files under a real `git commit` with the installed hook, options before
//! the command, a closed pipe, missing paths, legacy YAML, the closing line
//! of a blocked commit, and error messages that say a thing once.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::*;

/// `n` functions, each within every function limit (cyclomatic 5,
/// cognitive 7): 8 of them make a file of MI 42.17, under the default 50;
/// 4 of them MI 53.60.
fn functions(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "def f{i}(a, b, c):\n    if a and b:\n        for x in c:\n            \
                 if x > {i}:\n                return x\n    return {i}\n\n"
            )
        })
        .collect()
}

/// A repository with the hook installed and `legacy.py` committed.
fn hooked_repo(legacy: &str) -> Repo {
    let repo = Repo::new();
    repo.write("legacy.py", legacy);
    repo.commit_all("legacy");
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    repo
}

/// Stages `text` as `legacy.py` and commits it through the hook.
fn commit_legacy(repo: &Repo, text: &str) -> std::process::Output {
    repo.write("legacy.py", text);
    repo.git(&["add", "legacy.py"]);
    commit(repo, &["-m", "edit"])
}

fn assert_committed(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "the hook blocked: {}{}",
        stdout(out),
        stderr(out)
    );
}

fn assert_blocked(out: &std::process::Output) {
    assert!(!out.status.success(), "the hook let it through");
}

#[test]
fn legacy_file_under_mi_limit_takes_comments_blank_lines_and_reformatting() {
    let legacy = functions(8);
    let repo = hooked_repo(&legacy);
    // Its MI really is under the limit: a full check says so.
    let full = antipasta(repo.path(), &["metrics", "legacy.py"]);
    assert!(
        stdout(&full).contains("maintainability_index 42.17 < 50"),
        "{}",
        stdout(&full)
    );

    let commented = legacy.replacen("def f3", "# Why f3 exists.\ndef f3", 1);
    assert_committed(&commit_legacy(&repo, &commented));

    let blank = commented.replacen("\n\ndef f5", "\n\n\n\ndef f5", 1);
    assert_committed(&commit_legacy(&repo, &blank));

    let reformatted = blank
        .replace("def f1(a, b, c):", "def f1(a,\n       b,\n       c):")
        .replace("if a and b:", "if (a and b):  # both");
    assert_committed(&commit_legacy(&repo, &reformatted));
}

#[test]
fn small_code_change_to_low_mi_legacy_file_passes_within_the_margin() {
    let legacy = functions(8);
    let repo = hooked_repo(&legacy);
    // MI 42.17 → 41.52: 0.65 points worse, inside the default margin (6 %
    // of the limit 50: 3 points).
    let grown = format!("{legacy}def g(x):\n    return x + 1\n");
    assert_committed(&commit_legacy(&repo, &grown));
    // Doubling the file takes MI from 41.52 to about 28.7: far past the margin.
    let doubled = format!("{grown}{}", functions(16).replace("def f", "def h"));
    let out = commit_legacy(&repo, &doubled);
    assert_blocked(&out);
    let err = stderr(&out);
    assert!(
        err.contains("legacy.py:1: <file>: maintainability_index 41.52 → "),
        "{err}"
    );
    assert!(err.contains("< 50 (modified)"), "{err}");
}

#[test]
fn change_taking_mi_across_the_limit_is_blocked() {
    let repo = hooked_repo(&functions(4));
    let out = commit_legacy(&repo, &functions(8));
    assert_blocked(&out);
    assert!(
        stderr(&out).contains("legacy.py:1: <file>: maintainability_index 53.60 → 42.17 < 50"),
        "{}",
        stderr(&out)
    );
}

/// A repository with `legacy.py` committed and `file_metric_margin = 0`.
fn no_margin_repo(legacy: &str) -> Repo {
    let repo = Repo::new();
    repo.write("legacy.py", legacy);
    repo.write(".antipasta.toml", "file_metric_margin = 0\n");
    repo.commit_all("legacy");
    repo
}

/// Stages `text` as `legacy.py` and runs `antipasta check`.
fn stage_and_check(repo: &Repo, text: &str) -> std::process::Output {
    repo.write("legacy.py", text);
    repo.git(&["add", "legacy.py"]);
    repo.check(&[])
}

#[test]
fn margin_is_configurable_and_zero_means_no_worse() {
    let legacy = functions(8);
    let repo = no_margin_repo(&legacy);
    let out = stage_and_check(&repo, &format!("{legacy}def g(x):\n    return x + 1\n"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("maintainability_index 42.17 → 41.52 < 50 (modified)"),
        "{}",
        stdout(&out)
    );
    // A comment-only change still passes with no margin at all.
    let out = stage_and_check(&repo, &legacy.replacen("def f2", "# note\ndef f2", 1));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    repo.write(".antipasta.toml", "file_metric_margin = -1\n");
    let out = repo.check(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("file_metric_margin must be a percentage (of the limit) of 0 or more"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn worsening_hidden_by_rounding_is_shown_with_more_digits() {
    // `>` → `>=` in one of 22 functions lowers MI from 21.2346 to 21.2272:
    // both are 21.23 at two decimals.
    let legacy = functions(22);
    let repo = no_margin_repo(&legacy);
    let out = stage_and_check(&repo, &legacy.replacen("if x > 7:", "if x >= 7:", 1));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "legacy.py:1: <file>: maintainability_index 21.235 → 21.227 < 50 (modified)\n\
         1 file, 1 changed function, 1 violation\n"
    );
}

#[test]
fn options_work_before_the_default_command() {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo.write("app.py", &format!("{SIMPLE}\ndef two(x):\n    return x\n"));
    repo.git(&["add", "app.py"]);

    let out = antipasta(repo.path(), &["-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "1 file, 1 changed function, 0 violations\n");

    let git = git_with_binaries(&repo, &["antipasta", "-v"]);
    assert_eq!(git.status.code(), Some(0), "{}", stderr(&git));
    assert_eq!(stdout(&git), "1 file, 1 changed function, 0 violations\n");

    let json = antipasta(repo.path(), &["--format", "json", "--budget", "0"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(report["summary"]["changed_functions"], 1);

    // Before `check` they mean what they mean after it.
    let before = antipasta(repo.path(), &["-t", "cyclomatic_complexity=0", "check"]);
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));

    // Before another command they are refused, not silently dropped.
    let misplaced = antipasta(repo.path(), &["-v", "metrics"]);
    assert_eq!(misplaced.status.code(), Some(2));
    assert_eq!(
        stderr(&misplaced),
        "antipasta: error: options given before `metrics` belong to `check` (a bare \
         `antipasta -v` means `antipasta check -v`); put them after `metrics`\n"
    );
}

#[test]
fn closed_pipe_ends_quietly_with_the_report_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // Far more JSON than a pipe buffers, with one violation (exit 1).
    for i in 0..150 {
        write(dir.path(), &format!("m{i:03}.py"), &functions(8));
    }
    write(
        dir.path(),
        ".antipasta.toml",
        "[thresholds]\nmaintainability_index = 0\n",
    );
    write(dir.path(), "zz.py", COMPLEX);
    let mut child = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["metrics", "--no-cache", "--format", "json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The pipe's read end is closed here, like `| head -c 100`.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "",
        "no error for a reader that stopped reading"
    );
}

#[test]
fn missing_path_is_one_error_entry_among_the_others() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", SIMPLE);
    let out = antipasta(dir.path(), &["metrics", "a.py", "nope.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out),
        "nope.py: error: cannot read: No such file or directory (os error 2)\n\
         2 files, 1 function, 0 violations, 1 error\n"
    );

    let out = antipasta(
        dir.path(),
        &["metrics", "--format", "json", "a.py", "nope.py"],
    );
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(file_paths(&report), ["a.py", "nope.py"]);
    assert_eq!(report["files"][0]["functions"][0]["name"], "add");
    assert_eq!(
        report["files"][1]["error"],
        "cannot read: No such file or directory (os error 2)"
    );
    assert_eq!(report["summary"]["errors"], 1);
}

const LEGACY_YAML: &str = "\
defaults:
  max_cyclomatic_complexity: 10
languages:
  - name: python
    metrics:
      - type: cyclomatic_complexity
        threshold: 10
      - type: halstead_volume
        threshold: 1000
  - name: javascript
    metrics: []
";

#[test]
fn legacy_yaml_warnings_name_the_fix_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", SIMPLE);
    write(dir.path(), ".antipasta.yaml", LEGACY_YAML);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("antipasta config migrate").count(), 1, "{err}");
    assert!(
        err.lines().last().unwrap().contains("config migrate"),
        "{err}"
    );

    let validate = antipasta(dir.path(), &["config", "validate"]);
    let text = stdout(&validate);
    assert!(
        text.contains("note: halstead_volume is judged per file, not per function"),
        "{text}"
    );

    // After the migration the warnings are gone and the meaning is kept.
    let migrate = antipasta(dir.path(), &["config", "migrate"]);
    assert_eq!(migrate.status.code(), Some(0), "{}", stderr(&migrate));
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(stderr(&out), "");
    let toml = std::fs::read_to_string(dir.path().join(".antipasta.toml")).unwrap();
    assert!(toml.contains("scope = \"file\""), "{toml}");
    assert!(
        toml.contains("#   - halstead_volume is judged per file, not per function"),
        "the migration notes name the scope difference: {toml}"
    );
}

#[test]
fn minimal_legacy_yaml_from_the_docs_works_unchanged() {
    let readme = include_str!("../../docs/configuration.md");
    let start = readme
        .find("```yaml\n# .antipasta.yaml")
        .expect("docs/configuration.md shows a minimal .antipasta.yaml");
    let body = &readme[start + "```yaml\n".len()..];
    let yaml = &body[..body.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", COMPLEX);
    write(dir.path(), ".antipasta.yaml", yaml);
    let out = antipasta(dir.path(), &["metrics"]);
    assert_eq!(stderr(&out), "", "no warnings for the docs' own example");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("cognitive_complexity 22 > 15"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn blocked_commit_ends_with_how_to_proceed_and_the_marker_works() {
    let repo = hooked_repo(SIMPLE);
    repo.write("bad.py", COMPLEX);
    repo.git(&["add", "bad.py"]);
    let out = commit(&repo, &["-m", "complex"]);
    assert_blocked(&out);
    let err = stderr(&out);
    assert_eq!(
        err.lines().last().unwrap(),
        "antipasta: commit blocked by 1 violation: simplify the code, or exempt a function \
         with `# antipasta: ignore[metric] -- <reason>` on its `def` line, or commit with \
         `git commit --no-verify`",
        "{err}"
    );
    // Following the advice works.
    repo.write(
        "bad.py",
        &COMPLEX.replacen(
            "def deep(a, b, c, d, e):",
            "def deep(a, b, c, d, e):  # antipasta: ignore -- parser table, reviewed",
            1,
        ),
    );
    repo.git(&["add", "bad.py"]);
    assert_committed(&commit(&repo, &["-m", "exempt"]));

    let help = antipasta(repo.path(), &["--help"]);
    assert!(
        stdout(&help).contains("# antipasta: ignore"),
        "{}",
        stdout(&help)
    );
}

#[test]
fn failed_range_check_says_so_without_no_verify() {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo.write("bad.py", COMPLEX);
    repo.commit_all("bad");
    let out = antipasta(repo.path(), &["diff", "HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.ends_with(
            "antipasta: check failed by 1 violation: simplify the code, or exempt a function \
             with `# antipasta: ignore[metric] -- <reason>` on its `def` line\n"
        ),
        "{err}"
    );
}

/// Words of a message, for [`assert_says_once`].
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '`' || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_end_matches([':', ';', '.', ')'])
                .trim_start_matches('(')
        })
        .map(str::to_lowercase)
        .collect()
}

/// No run of four words, and no path, appears twice in one message line.
fn assert_says_once(message: &str) {
    for line in message.lines() {
        let w = words(line);
        let mut seen = std::collections::HashSet::new();
        for four in w.windows(4) {
            assert!(
                seen.insert(four.to_vec()),
                "says `{}` twice: {line}",
                four.join(" ")
            );
        }
        let mut paths = std::collections::HashSet::new();
        for word in w.iter().filter(|w| w.contains('/') && w.len() > 3) {
            assert!(paths.insert(word), "names {word} twice: {line}");
        }
    }
}

#[test]
fn error_messages_say_each_thing_once() {
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "a.py", SIMPLE);
    let bad_config = tempfile::tempdir().unwrap();
    write(
        bad_config.path(),
        ".antipasta.toml",
        "budget_ms = \"soon\"\n",
    );
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    let cases: Vec<(&std::path::Path, Vec<&str>)> = vec![
        (plain.path(), vec![]),
        (plain.path(), vec!["check", "-v"]),
        (plain.path(), vec!["diff", "main...HEAD"]),
        (plain.path(), vec!["hook", "install"]),
        (plain.path(), vec!["metrics", "nope.py", "a.py"]),
        (plain.path(), vec!["metrics", "-t", "cyclomatic=3"]),
        (
            plain.path(),
            vec!["metrics", "-t", "cyclomatic_complexity=many"],
        ),
        (plain.path(), vec!["--config", "missing.toml", "metrics"]),
        (plain.path(), vec!["--config", ".", "metrics"]),
        (plain.path(), vec!["--cache-size", "lots", "metrics"]),
        (plain.path(), vec!["config", "migrate"]),
        (bad_config.path(), vec!["metrics"]),
        (repo.path(), vec!["diff", "nosuchbranch...HEAD"]),
        (repo.path(), vec!["diff", "HEAD~5..HEAD"]),
        (repo.path(), vec!["-v", "metrics"]),
    ];
    for (dir, args) in cases {
        let out = antipasta(dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!text.trim().is_empty(), "{args:?} says nothing");
        assert_says_once(&text);
    }
}

#[test]
fn outside_a_repository_the_message_is_plain() {
    let dir = tempfile::tempdir().unwrap();
    let out = antipasta(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "antipasta: error: not inside a git repository: no `.git` in {} or any directory \
             above it (`antipasta metrics` checks plain directories)\n",
            dir.path().display()
        )
    );
}
