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
