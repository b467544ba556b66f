//! `--version`: the version, the commit of a build from a git checkout, and
//! the build's properties for a bug report.

use std::path::Path;

use crate::common::{antipasta, antipasta_env, git_in, git_with_binaries, stdout, Repo};

/// `abc1234 2026-12-02` for the checkout the tests were built from, or
/// `None` when they were built from a source archive.
fn built_commit() -> Option<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let top = git_in(manifest, &["rev-parse", "--show-toplevel"]);
    if !top.status.success()
        || Path::new(stdout(&top).trim()).canonicalize().ok() != manifest.canonicalize().ok()
    {
        return None;
    }
    Some(
        stdout(&git_in(manifest, &["log", "-1", "--format=%h %cs"]))
            .trim()
            .to_owned(),
    )
}

fn expected_line() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match built_commit() {
        Some(commit) => format!("antipasta {version} ({commit})\n"),
        None => format!("antipasta {version}\n"),
    }
}

#[test]
fn version_names_the_version_and_the_commit_it_was_built_from() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["--version", "-V"] {
        let out = antipasta(dir.path(), &[flag]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stdout(&out), expected_line(), "{flag}");
    }
}

#[test]
fn git_antipasta_version_is_the_same_program() {
    let repo = Repo::new();
    let out = git_with_binaries(&repo, &["antipasta", "--version"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out), expected_line());
}

#[test]
fn verbose_version_and_the_version_command_add_what_a_bug_report_needs() {
    let dir = tempfile::tempdir().unwrap();
    let verbose = antipasta(dir.path(), &["--version", "--verbose"]);
    let command = antipasta(dir.path(), &["version"]);
    assert_eq!(verbose.status.code(), Some(0));
    assert_eq!(stdout(&verbose), stdout(&command));
    let text = stdout(&verbose);
    let mut lines = text.lines();
    assert_eq!(format!("{}\n", lines.next().unwrap()), expected_line());
    let rows: Vec<(&str, &str)> = lines.map(|l| l.split_once(": ").unwrap()).collect();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "commit",
            "features",
            "target",
            "profile",
            "rustc",
            "cache",
            "json report"
        ]
    );
    let value = |key: &str| rows.iter().find(|(k, _)| *k == key).unwrap().1;
    match built_commit() {
        Some(commit) => assert_eq!(value("commit"), commit),
        None => assert!(value("commit").starts_with("unknown")),
    }
    assert!(
        value("target").starts_with(std::env::consts::ARCH),
        "{text}"
    );
    assert!(value("target").contains(std::env::consts::OS), "{text}");
    assert!(value("rustc").starts_with("rustc 1."), "{text}");
    let allocator = if cfg!(feature = "mimalloc") {
        "mimalloc"
    } else {
        "system"
    };
    assert_eq!(value("features"), format!("allocator={allocator}"));
    // The tests build the dev profile; the profile name is the directory's.
    assert_eq!(value("profile"), "debug");
    assert!(value("cache").starts_with("store schema "), "{text}");
}

#[test]
fn version_answers_even_where_a_run_could_not_start() {
    // Not a repository, and an environment that every other command rejects.
    let dir = tempfile::tempdir().unwrap();
    let out = antipasta_env(
        dir.path(),
        &["--version"],
        &[("ANTIPASTA_CACHE_SIZE", "lots")],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out), expected_line());
    let bad = antipasta_env(
        dir.path(),
        &["metrics"],
        &[("ANTIPASTA_CACHE_SIZE", "lots")],
    );
    assert_eq!(bad.status.code(), Some(2));
}
