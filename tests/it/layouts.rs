//! The git layouts real repositories use (issue 17 item 4): each in a real
//! repository made by the git CLI, with the exact message where the answer
//! is an error.

use crate::common::*;

#[test]
fn a_shallow_clone_without_the_merge_base_says_how_to_fetch_it() {
    let upstream = Repo::new();
    for i in 0..3 {
        upstream.write(
            &format!("m{i}.py"),
            &format!("def f{i}():\n    return {i}\n"),
        );
        upstream.commit_all(&format!("c{i}"));
    }
    upstream.git(&["checkout", "-q", "-b", "feature"]);
    upstream.write("g.py", "def g():\n    return 0\n");
    upstream.commit_all("g");
    upstream.git(&["checkout", "-q", "main"]);
    upstream.write("h.py", "def h():\n    return 9\n");
    upstream.commit_all("h");

    let work = tempfile::tempdir().unwrap();
    let url = format!("file://{}", upstream.path().display());
    let clone = work.path().join("clone");
    let out = git_in(
        work.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "clone",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = git_in(
        &clone,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    assert!(out.status.success());

    // Two dots need no merge base, but the depth-1 clone lacks `HEAD~1`.
    let out = antipasta(&clone, &["diff", "HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.starts_with(
            "antipasta: error: cannot resolve revision `HEAD~1` in this shallow clone ("
        ) && message.ends_with(
            "): its history is cut off, so the revision is probably missing; fetch the \
                 history with `git fetch --unshallow` (or `git fetch --deepen=N`), or clone in \
                 full (GitHub Actions: `fetch-depth: 0` in actions/checkout; GitLab CI: \
                 `GIT_DEPTH: 0`)\n"
        ),
        "{message}"
    );

    let out = antipasta(&clone, &["diff", "origin/main...HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "antipasta: error: `origin/main` and `HEAD` have no common ancestor in this shallow \
         clone: its history is cut off, so the merge base is probably missing; fetch the \
         history with `git fetch --unshallow` (or `git fetch --deepen=N`), or clone in full \
         (GitHub Actions: `fetch-depth: 0` in actions/checkout; GitLab CI: `GIT_DEPTH: 0`)\n"
    );
    // With the history, the same range is checked.
    let out = git_in(&clone, &["fetch", "-q", "--unshallow"]);
    assert!(out.status.success());
    let out = antipasta(&clone, &["diff", "origin/main...HEAD", "-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 file, 1 changed function"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unrelated_histories_in_a_full_clone_keep_the_plain_message() {
    let repo = Repo::new();
    repo.write("a.py", "x = 1\n");
    repo.commit_all("a");
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.write("b.py", "y = 2\n");
    repo.commit_all("b");
    let out = antipasta(repo.path(), &["diff", "main...other"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "antipasta: error: `main` and `other` have no common ancestor\n"
    );
}

#[test]
fn a_sparse_index_counts_files_not_its_directory_entries() {
    let repo = Repo::new();
    repo.write("a/x.py", "def f():\n    return 1\n");
    repo.write("b/c/y.py", "def g():\n    return 2\n");
    repo.write("top.py", "def h():\n    return 3\n");
    repo.commit_all("base");
    repo.git(&["sparse-checkout", "set", "--cone", "a"]);
    repo.git(&["config", "index.sparse", "true"]);
    repo.git(&["sparse-checkout", "reapply"]);
    // The index really is sparse: `b/` is one directory entry.
    let listed = repo.git(&["ls-files", "--sparse"]);
    assert!(
        listed.lines().any(|l| l == "b/"),
        "not a sparse index: {listed}"
    );

    repo.write("a/x.py", "def f():\n    return 10\n");
    repo.git(&["add", "a/x.py"]);
    let out = antipasta(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(file_paths(&report), ["a/x.py"]);
    assert_eq!(report["summary"]["files"], 1);

    // A file staged outside the cone is judged like any other.
    let branches: String = (0..11)
        .map(|i| format!("    if x == {i}:\n        return {i}\n"))
        .collect();
    let body = format!("def busy(x):\n{branches}    return -1\n");
    let blob = repo.git_stdin(&["hash-object", "-w", "--stdin"], &body);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{},b/c/z.py", blob.trim()),
    ]);
    let out = antipasta(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(file_paths(&report), ["a/x.py", "b/c/z.py"]);
    assert_eq!(report["violations"][0]["path"], "b/c/z.py");
}

/// A function over the cyclomatic limit (11 > 10).
fn busy(name: &str) -> String {
    let branches: String = (0..11)
        .map(|i| format!("    if x == {i}:\n        return {i}\n"))
        .collect();
    format!("def {name}(x):\n{branches}    return -1\n")
}

/// Stages a new clean file and a new violating one; the gate must see
/// exactly those two, and block on the second.
fn assert_gate_sees_the_staged_files(repo: &Repo) {
    repo.write("pkg/clean.py", "def ok(x):\n    return x\n");
    repo.write("pkg/busy.py", &busy("busy"));
    repo.git(&["add", "pkg/clean.py", "pkg/busy.py"]);
    let out = antipasta(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(file_paths(&report), ["pkg/busy.py", "pkg/clean.py"]);
    assert_eq!(report["summary"]["violations"], 1);
    assert_eq!(report["violations"][0]["path"], "pkg/busy.py");
}

fn repo_with_history() -> Repo {
    let repo = Repo::new();
    for i in 0..5 {
        repo.write(
            &format!("lib/m{i}.py"),
            &format!("def f{i}():\n    return {i}\n"),
        );
    }
    repo.commit_all("base");
    repo
}

#[test]
fn a_sha256_repository_is_checked_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let out = git_in(
        dir.path(),
        &["init", "-q", "-b", "main", "--object-format=sha256"],
    );
    assert!(
        out.status.success(),
        "this git cannot make SHA-256 repositories"
    );
    let repo = Repo { dir };
    repo.git(&["config", "user.email", "dev@example.com"]);
    repo.git(&["config", "user.name", "Dev"]);
    repo.write("lib/m.py", "def f():\n    return 1\n");
    repo.commit_all("base");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).trim().len(), 64);
    assert_gate_sees_the_staged_files(&repo);
    // A range and the full tree too.
    repo.git(&["rm", "-q", "--cached", "pkg/busy.py"]);
    repo.git(&["commit", "-q", "-m", "clean"]);
    let out = antipasta(repo.path(), &["diff", "HEAD~1", "-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("1 file, 1 changed function, 0 violations"));
    let out = antipasta(repo.path(), &["metrics", "lib", "pkg/clean.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn split_indexes_and_every_index_version_give_the_same_answer() {
    for setup in [
        &["update-index", "--split-index"][..],
        &["update-index", "--index-version", "2"][..],
        &["update-index", "--index-version", "3"][..],
        &["update-index", "--index-version", "4"][..],
    ] {
        let repo = repo_with_history();
        repo.git(setup);
        assert_gate_sees_the_staged_files(&repo);
        if setup.contains(&"--split-index") {
            // The shared index really is in use.
            let shared = std::fs::read_dir(repo.path().join(".git"))
                .unwrap()
                .filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."));
            assert!(shared, "no shared index was written");
        }
    }
}

#[test]
fn an_untracked_cache_in_the_index_changes_nothing() {
    let repo = repo_with_history();
    repo.git(&["config", "core.untrackedCache", "true"]);
    repo.write("scratch.txt", "not tracked\n");
    repo.git(&["update-index", "--untracked-cache"]);
    repo.git(&["status", "--porcelain"]);
    assert_gate_sees_the_staged_files(&repo);
}

#[test]
fn a_blob_a_partial_clone_lacks_is_named_with_how_to_get_it() {
    let upstream = repo_with_history();
    upstream.write("lib/m0.py", &busy("f0"));
    upstream.commit_all("worse");
    // A file:// remote serves filters only when it allows them.
    upstream.git(&["config", "uploadpack.allowFilter", "true"]);
    let work = tempfile::tempdir().unwrap();
    let url = format!("file://{}", upstream.path().display());
    let out = git_in(
        work.path(),
        &[
            "clone",
            "-q",
            "--filter=blob:none",
            "--no-checkout",
            &url,
            "clone",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clone = work.path().join("clone");
    let promisor = git_in(&clone, &["config", "remote.origin.promisor"]);
    assert_eq!(String::from_utf8_lossy(&promisor.stdout).trim(), "true");
    let out = antipasta(&clone, &["diff", "HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let old_blob = upstream.git(&["rev-parse", "HEAD~1:lib/m0.py"]);
    assert_eq!(
        err,
        format!(
            "antipasta: error: the blob {} of lib/m0.py is not in this repository: it is a \
             partial clone (of `origin`, with a --filter), which fetches blobs when git needs \
             them, and antipasta reads only what is here; let git fetch them with `git diff \
             --stat` over the same range, or clone without --filter\n",
            old_blob.trim()
        )
    );
    // The advice works: after it, the range is checked.
    let out = git_in(&clone, &["diff", "--stat", "HEAD~1..HEAD"]);
    assert!(out.status.success());
    let out = antipasta(&clone, &["diff", "HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}
