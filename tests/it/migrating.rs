//! The Python antipasta's command lines: its file-selection flags select
//! the files it selects (recorded from antipasta 1.2.0 by
//! scripts/python-antipasta-file-sets.py), and `config generate` / `config
//! view` work.

use serde_json::Value;

use crate::common::{antipasta, file_paths, stderr, stdout, write};

fn fixture() -> Value {
    let text = include_str!("../fixtures/python-antipasta-file-sets.json");
    serde_json::from_str(text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// The recorded tree: the config file, the .gitignore, the files.
fn recorded_tree(f: &Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = crate::common::git_in(dir.path(), &["init", "-q"]);
    assert!(git.status.success());
    for rel in strings(&f["files"]) {
        write(dir.path(), &rel, f["source"].as_str().unwrap());
    }
    write(dir.path(), ".gitignore", f["gitignore"].as_str().unwrap());
    write(dir.path(), ".antipasta.yaml", f["config"].as_str().unwrap());
    dir
}

#[test]
fn python_antipasta_command_lines_select_the_same_files() {
    let f = fixture();
    let dir = recorded_tree(&f);
    for case in f["cases"].as_array().unwrap() {
        let args = strings(&case["args"]);
        let mut all = vec!["metrics", "--no-cache", "--format", "json"];
        all.extend(args.iter().map(String::as_str));
        let out = antipasta(dir.path(), &all);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&out)
        );
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let mut got: Vec<&str> = file_paths(&report);
        got.sort_unstable();
        let expected = strings(case.get("antipasta").unwrap_or(&case["python"]));
        assert_eq!(got, expected, "{args:?}");
    }
}

#[test]
fn violations_exit_1_not_2_as_in_the_python_antipasta() {
    let f = fixture();
    let dir = recorded_tree(&f);
    let out = antipasta(
        dir.path(),
        &["metrics", "--no-cache", "-d", ".", "-q", "-t", "cyc=1"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn include_pattern_rescues_files_that_gitignore_or_patterns_exclude() {
    let f = fixture();
    let dir = recorded_tree(&f);
    let run = |args: &[&str]| {
        let mut all = vec!["metrics", "--no-cache", "--format", "json"];
        all.extend_from_slice(args);
        let out = antipasta(dir.path(), &all);
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        file_paths(&report)
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    let plain = run(&[]);
    assert!(!plain.contains(&"build/b.py".to_string()), "{plain:?}");
    let rescued = run(&["-i", "build/*.py", "-i", "docs/conf.py"]);
    assert!(rescued.contains(&"build/b.py".to_string()), "{rescued:?}");
    assert!(rescued.contains(&"docs/conf.py".to_string()), "{rescued:?}");
    assert_eq!(rescued.len(), plain.len() + 2, "{rescued:?}");
    // A bad pattern is a usage error naming the flag.
    let out = antipasta(dir.path(), &["metrics", "-e", "src/{a,b", "--no-cache"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-e `src/{a,b`"), "{}", stderr(&out));
}

#[test]
fn config_generate_and_view_are_init_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let out = antipasta(dir.path(), &["config", "generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join(".antipasta.toml")).unwrap();
    assert!(written.contains("[thresholds]"), "{written}");
    // It never overwrites silently, except with the Python flag that says so.
    let again = antipasta(dir.path(), &["config", "generate"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let forced = antipasta(dir.path(), &["config", "generate", "--non-interactive"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    // -o names the file; YAML is refused with the reason.
    let other = antipasta(
        dir.path(),
        &["config", "generate", "-o", "ci/antipasta.toml"],
    );
    assert_eq!(other.status.code(), Some(2), "no ci/ directory yet");
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    let other = antipasta(
        dir.path(),
        &["config", "generate", "-o", "ci/antipasta.toml"],
    );
    assert_eq!(other.status.code(), Some(0), "{}", stderr(&other));
    let yaml = antipasta(dir.path(), &["config", "generate", "-o", ".antipasta.yaml"]);
    assert_eq!(yaml.status.code(), Some(2));
    assert!(
        stderr(&yaml).contains("antipasta writes TOML"),
        "{}",
        stderr(&yaml)
    );

    write(dir.path(), ".antipasta.toml", "budget_ms = 250\n");
    let view = antipasta(dir.path(), &["config", "view"]);
    assert_eq!(view.status.code(), Some(0), "{}", stderr(&view));
    assert_eq!(
        stdout(&view),
        stdout(&antipasta(dir.path(), &["config", "show"]))
    );
    assert!(stdout(&view).contains("budget_ms = 250"));
    let raw = antipasta(dir.path(), &["config", "view", "-f", "raw", "--validate"]);
    assert_eq!(stdout(&raw), "budget_ms = 250\n");
    let other = antipasta(dir.path(), &["config", "view", "-p", "ci/antipasta.toml"]);
    assert!(
        stdout(&other).contains("budget_ms = 1000"),
        "{}",
        stdout(&other)
    );
}

#[test]
fn antipasta_no_cache_turns_the_cache_off() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", crate::common::SIMPLE);
    let cache = dir.path().join(".cache").join("antipasta");
    let off =
        crate::common::antipasta_env(dir.path(), &["metrics"], &[("ANTIPASTA_NO_CACHE", "yes")]);
    assert_eq!(off.status.code(), Some(0), "{}", stderr(&off));
    assert!(!cache.exists(), "no cache with ANTIPASTA_NO_CACHE");
    let on = antipasta(dir.path(), &["metrics"]);
    assert_eq!(on.status.code(), Some(0));
    assert!(cache.exists(), "the cache is used otherwise");
}
