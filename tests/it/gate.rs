//! The staged gate in real repositories: `antipasta check`, `diff`, the
//! installed hook under a real `git commit`.

use crate::common::*;

fn code(o: &std::process::Output) -> Option<i32> {
    o.status.code()
}

/// A repository whose first commit has one simple function.
fn repo_with_simple() -> Repo {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo
}

#[test]
fn simple_staged_complex_unstaged_passes() {
    let repo = repo_with_simple();
    repo.write(
        "app.py",
        &format!("{SIMPLE}\ndef helper(x):\n    return x\n"),
    );
    repo.git(&["add", "app.py"]);
    // The working tree gets complex code that is not staged.
    repo.write("app.py", COMPLEX);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "silent on success");
}

#[test]
fn complex_staged_simple_unstaged_fails() {
    let repo = repo_with_simple();
    repo.write("app.py", COMPLEX);
    repo.git(&["add", "app.py"]);
    repo.write("app.py", SIMPLE);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    insta::assert_snapshot!(stdout(&out), @r"
    app.py:1: deep: cognitive_complexity 22 > 15 (added)
    1 file, 1 changed function, 1 violation
    ");
}

#[test]
fn unchanged_legacy_function_is_not_reported() {
    let repo = Repo::new();
    repo.write("legacy.py", COMPLEX);
    repo.commit_all("legacy");
    // Reformat the legacy function and add a comment: no code change.
    let reformatted = COMPLEX.replace(
        "def deep(a, b, c, d, e):",
        "def deep(a, b, c,\n         d, e):  # legacy",
    );
    repo.write(
        "legacy.py",
        &format!("{reformatted}\n\ndef new(x):\n    return x\n"),
    );
    repo.git(&["add", "legacy.py"]);
    let out = repo.check(&["-v"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "1 file, 1 changed function, 0 violations\n");
}

#[test]
fn modified_no_worse_passes_but_worse_fails() {
    let repo = Repo::new();
    repo.write("legacy.py", COMPLEX);
    repo.commit_all("legacy");
    // Made simpler but still over the limit: allowed under no-worse.
    repo.write("legacy.py", &COMPLEX.replace("if e and a or b:", "if e:"));
    repo.git(&["add", "legacy.py"]);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    // Strict policy rejects the same change.
    repo.write(".antipasta.toml", "modified = \"strict\"\n");
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("cognitive_complexity 22 → 20 > 15 (modified)"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_file(repo.path().join(".antipasta.toml")).unwrap();
    // Made worse: rejected.
    repo.write(
        "legacy.py",
        &COMPLEX.replace("if e and a or b:", "if e and a or b and not c:"),
    );
    repo.git(&["add", "legacy.py"]);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("legacy.py:1: deep: cognitive_complexity 22 → 23 > 15 (modified)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn first_commit_on_unborn_head() {
    let repo = Repo::new();
    repo.write("a.py", NESTED);
    repo.git(&["add", "a.py"]);
    let out = repo.check(&["-v"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "1 file, 1 changed function, 0 violations\n");
    repo.write("b.py", COMPLEX);
    repo.git(&["add", "b.py"]);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(1));
}

#[test]
fn deleted_file_is_fine_and_renamed_file_keeps_verdict() {
    let repo = Repo::new();
    repo.write("old.py", COMPLEX);
    repo.write("gone.py", SIMPLE);
    repo.commit_all("init");
    repo.git(&["mv", "old.py", "new name.py"]);
    repo.git(&["rm", "-q", "gone.py"]);
    let out = repo.check(&["-v", "--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["functions"][0]["change"], "renamed");
    assert_eq!(v["functions"][0]["path"], "new name.py");
    assert_eq!(v["summary"]["files"], 3);
}

#[test]
fn merge_conflict_is_a_clear_error() {
    let repo = repo_with_simple();
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.write("app.py", "def add(a, b):\n    return a - b\n");
    repo.commit_all("other");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("app.py", "def add(a, b):\n    return a * b\n");
    repo.commit_all("main");
    let merge = repo.git_output(&["merge", "-q", "other"]);
    assert!(!merge.status.success());
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("unmerged paths"), "{}", stderr(&out));
    assert!(stderr(&out).contains("app.py"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symlinks_and_submodules_are_skipped() {
    let sub = repo_with_simple();
    let repo = repo_with_simple();
    repo.write("real.py", COMPLEX);
    repo.git(&["add", "real.py"]);
    repo.git(&["commit", "-q", "-m", "real", "--no-verify"]);
    std::os::unix::fs::symlink("real.py", repo.path().join("link.py")).unwrap();
    repo.git(&["add", "link.py"]);
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.path().to_str().unwrap(),
        "vendored",
    ]);
    let out = repo.check(&["-v"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "0 files, 0 changed functions, 0 violations\n");
}

#[test]
fn intent_to_add_entries_are_skipped() {
    let repo = repo_with_simple();
    repo.write("later.py", COMPLEX);
    repo.git(&["add", "-N", "later.py"]);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn bom_crlf_and_latin1_files_are_decoded() {
    let repo = repo_with_simple();
    write_bytes(
        repo.path(),
        "bom.py",
        b"\xEF\xBB\xBFdef f(a):\r\n    return a\r\n",
    );
    write_bytes(
        repo.path(),
        "latin.py",
        b"# -*- coding: latin-1 -*-\ndef g():\n    return '\xe9'\n",
    );
    repo.git(&["add", "."]);
    let out = repo.check(&["-v"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "2 files, 2 changed functions, 0 violations\n");
}

#[test]
fn undecodable_staged_file_is_an_error() {
    let repo = repo_with_simple();
    write_bytes(repo.path(), "bad.py", b"x = '\xe9'\n");
    repo.git(&["add", "bad.py"]);
    let out = repo.check(&[]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stdout(&out).contains("bad.py: error: cannot decode byte 0xe9"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn linked_worktree_and_detached_head() {
    let repo = repo_with_simple();
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "--detach",
        wt_path.to_str().unwrap(),
    ]);
    write(&wt_path, "more.py", COMPLEX);
    let add = git_in(&wt_path, &["add", "more.py"]);
    assert!(add.status.success());
    let out = antipasta(&wt_path, &["check"]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).starts_with("more.py:1: deep:"),
        "{}",
        stdout(&out)
    );
    // The main worktree's index is untouched by the linked one.
    assert_eq!(code(&repo.check(&[])), Some(0));
}

#[test]
fn outside_a_repository_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = antipasta(dir.path(), &["check"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("not inside a git repository"),
        "{}",
        stderr(&out)
    );
}

/// The repository is opened while the command line is read (from the
/// process's directory): from a subdirectory, and from a directory that
/// is not in the repository, the staged changes judged are the same.
#[test]
fn check_from_a_subdirectory_or_with_git_dir_judges_the_same_changes() {
    let repo = repo_with_simple();
    repo.write("pkg/deep/mod.py", COMPLEX);
    repo.git(&["add", "pkg"]);
    let from_root = repo.check(&["--format", "json"]);
    assert_eq!(code(&from_root), Some(1), "{}", stderr(&from_root));
    let sub = repo.path().join("pkg/deep");
    let from_sub = antipasta(&sub, &["check", "--format", "json"]);
    assert_eq!(
        stdout(&from_sub),
        stdout(&from_root),
        "{}",
        stderr(&from_sub)
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let git_dir = repo.path().join(".git");
    let work_tree = repo.path().to_str().unwrap();
    let with_env = antipasta_env(
        elsewhere.path(),
        &["check", "--format", "json"],
        &[
            ("GIT_DIR", git_dir.to_str().unwrap()),
            ("GIT_WORK_TREE", work_tree),
        ],
    );
    assert_eq!(code(&with_env), Some(1), "{}", stderr(&with_env));
    assert_eq!(
        file_paths(&serde_json::from_str(&stdout(&with_env)).unwrap()),
        ["pkg/deep/mod.py"]
    );
}

#[test]
fn non_ascii_paths_and_explicit_path_filter() {
    let repo = repo_with_simple();
    repo.write("dir with space/naïve.py", COMPLEX);
    repo.write("other.py", COMPLEX);
    repo.git(&["add", "."]);
    let out = repo.check(&["dir with space/naïve.py"]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("dir with space/naïve.py:1: deep:"), "{text}");
    assert!(!text.contains("other.py"), "{text}");
}

#[test]
fn diff_range_uses_merge_base() {
    let repo = repo_with_simple();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.py", COMPLEX);
    repo.commit_all("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main_only.py", &COMPLEX.replace("return 0", "return -1"));
    repo.commit_all("main moves on");
    repo.git(&["checkout", "-q", "feature"]);
    for spec in ["main...feature", "main"] {
        let out = antipasta(repo.path(), &["diff", spec]);
        assert_eq!(
            code(&out),
            Some(1),
            "{spec}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let text = stdout(&out);
        assert!(text.contains("feature.py:1: deep"), "{text}");
        assert!(!text.contains("main_only.py"), "{spec}: {text}");
    }
    // Two dots compare the tips directly, so main's own file shows as deleted
    // (not judged) and feature's file as added.
    let out = antipasta(repo.path(), &["diff", "main..feature", "-v"]);
    assert_eq!(code(&out), Some(1));
    let bad = antipasta(repo.path(), &["diff", "nosuchbranch...feature"]);
    assert_eq!(code(&bad), Some(2));
    assert!(stderr(&bad).contains("nosuchbranch"), "{}", stderr(&bad));
}

#[test]
fn installed_hook_blocks_complex_commits() {
    let repo = repo_with_simple();
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    repo.write("bad.py", COMPLEX);
    repo.git(&["add", "bad.py"]);
    let out = commit(&repo, &["-m", "complex"]);
    assert!(!out.status.success(), "the hook must block the commit");
    // git sends a hook's output to stderr.
    assert!(
        stderr(&out).contains("bad.py:1: deep: cognitive_complexity"),
        "{}",
        stderr(&out)
    );
    repo.write("bad.py", SIMPLE);
    repo.git(&["add", "bad.py"]);
    let out = commit(&repo, &["-m", "simple"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn hook_sees_temporary_index_of_commit_a_and_commit_path() {
    let repo = repo_with_simple();
    assert_eq!(code(&antipasta(repo.path(), &["hook", "install"])), Some(0));
    // Tracked file made complex in the work tree only: `git commit -a`
    // stages it through a temporary index (GIT_INDEX_FILE).
    repo.write("app.py", COMPLEX);
    let out = commit(&repo, &["-a", "-m", "all"]);
    assert!(
        !out.status.success(),
        "commit -a must be judged on what it commits"
    );
    // `git commit <path>` likewise.
    let out = commit(&repo, &["app.py", "-m", "path"]);
    assert!(
        !out.status.success(),
        "commit <path> must be judged on what it commits"
    );
    // The simple version commits fine through the same temporary index.
    repo.write("app.py", "def add(a, b):\n    return b + a\n");
    let out = commit(&repo, &["app.py", "-m", "path"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

/// A pre-commit hook that is not antipasta's.
const FOREIGN_HOOK: &str = "#!/bin/sh\necho theirs\nexit 0\n";

#[test]
fn hook_install_never_silently_replaces() {
    let repo = repo_with_simple();
    repo.write(".git/hooks/pre-commit", FOREIGN_HOOK);
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("--chain"), "{}", stderr(&out));
    let out = antipasta(repo.path(), &["hook", "install", "--chain"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let hook = std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).unwrap();
    assert!(hook.contains("antipasta pre-commit hook"));
    let out = antipasta(repo.path(), &["hook", "uninstall"]);
    assert_eq!(code(&out), Some(0));
    let hook = std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).unwrap();
    assert!(hook.contains("echo theirs"), "the chained hook is restored");
}

#[test]
fn hook_force_replaces_uninstall_leaves_foreign_hooks_and_reinstall_is_idempotent() {
    let repo = repo_with_simple();
    let hook = repo.path().join(".git/hooks/pre-commit");
    let out = antipasta(repo.path(), &["hook", "uninstall"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("no pre-commit hook installed in "),
        "{}",
        stdout(&out)
    );
    repo.write(".git/hooks/pre-commit", FOREIGN_HOOK);
    // Uninstall never removes a hook that is not antipasta's.
    let out = antipasta(repo.path(), &["hook", "uninstall"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("is not antipasta's hook; leaving it alone"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::read_to_string(&hook)
        .unwrap()
        .contains("echo theirs"));
    // --force replaces it, and nothing is kept to chain.
    let out = antipasta(repo.path(), &["hook", "install", "--force"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("antipasta pre-commit hook") && !text.contains("echo theirs"));
    assert!(!repo
        .path()
        .join(".git/hooks/pre-commit.antipasta-chained")
        .exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "not executable: {mode:o}");
    }
    // Installing over antipasta's own hook needs no flag.
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // The installed hook blocks a complex function for real.
    repo.write("app.py", COMPLEX);
    repo.git(&["add", "app.py"]);
    let out = commit(&repo, &["-m", "complex"]);
    assert!(!out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("app.py:1: deep: cognitive_complexity"),
        "{}",
        stderr(&out)
    );
    let out = antipasta(repo.path(), &["hook", "uninstall"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("removed "), "{}", stdout(&out));
    assert!(!hook.exists());
}

#[test]
fn hook_install_respects_core_hooks_path() {
    let repo = repo_with_simple();
    repo.git(&["config", "core.hooksPath", "githooks"]);
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(repo.path().join("githooks/pre-commit").exists());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn check_never_writes_to_index_or_worktree() {
    let repo = repo_with_simple();
    repo.write("app.py", COMPLEX);
    repo.git(&["add", "app.py"]);
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    let status = repo.git(&["status", "--porcelain"]);
    let _ = repo.check(&[]);
    assert_eq!(
        std::fs::read(repo.path().join(".git/index")).unwrap(),
        index
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), status);
}

#[test]
fn json_lists_changed_lines_of_each_changed_function() {
    let repo = Repo::new();
    repo.write(
        "m.py",
        "def f(a):\n    x = 1\n    return a\n\n\ndef g(b):\n    return b\n",
    );
    repo.commit_all("init");
    repo.write(
        "m.py",
        "def f(a):\n    x = 2\n    return a\n\n\ndef g(b):\n    return b\n\n\ndef h():\n    pass\n",
    );
    repo.git(&["add", "m.py"]);
    let out = repo.check(&["--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}{}", stdout(&out), stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let functions = v["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 2, "g is unchanged: {v}");
    assert_eq!(functions[0]["name"], "f");
    assert_eq!(functions[0]["change"], "modified");
    assert_eq!(functions[0]["changed_lines"], serde_json::json!([[2, 2]]));
    assert_eq!(functions[1]["name"], "h");
    assert_eq!(functions[1]["changed_lines"], serde_json::json!([[10, 11]]));
}

#[test]
fn git_antipasta_without_arguments_checks_the_staged_changes() {
    let repo = repo_with_simple();
    repo.write("bad.py", COMPLEX);
    repo.git(&["add", "bad.py"]);
    let out = git_with_binaries(&repo, &["antipasta"]);
    assert_eq!(code(&out), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("bad.py:1: deep: cognitive_complexity 22 > 15 (added)"),
        "{}",
        stdout(&out)
    );
}
