//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn antipasta(dir: &Path, args: &[&str]) -> Output {
    antipasta_env(dir, args, &[])
}

/// The pre-commit check runs without its cache for staged changes under
/// 128 KiB, which is every test's. The tests set this so that the hook's
/// use of the cache is what they test; `cache::small_hook_changes_skip_the_cache`
/// tests the default.
pub const HOOK_CACHE_ALWAYS: (&str, &str) = ("ANTIPASTA_HOOK_CACHE_MIN_KB", "0");

/// [`antipasta`] with extra environment variables.
pub fn antipasta_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .current_dir(dir)
        .env(HOOK_CACHE_ALWAYS.0, HOOK_CACHE_ALWAYS.1)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("PRE_COMMIT_FROM_REF")
        .env_remove("PRE_COMMIT_TO_REF")
        .env_remove("ANTIPASTA_CACHE_DIR")
        // Outside a repository the cache goes to the user's cache directory;
        // keep it inside the test's own (hidden, so never walked) directory.
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .envs(env.iter().copied())
        .output()
        .expect("running antipasta")
}

/// `files[].path` of a JSON report, in order.
pub fn file_paths(report: &serde_json::Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .expect("a files array")
        .iter()
        .map(|f| f["path"].as_str().expect("a path"))
        .collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    write_bytes(dir, rel, text.as_bytes());
}

pub fn write_bytes(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A temporary git repository driven by the git CLI (the product itself
/// reads git only through gix).
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "dev@example.com"]);
        repo.git(&["config", "user.name", "Dev"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git_output(&self, args: &[&str]) -> Output {
        git_in(self.path(), args)
    }

    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn write(&self, rel: &str, text: &str) {
        write(self.path(), rel, text);
    }

    /// `git ARGS` with `input` on its stdin; its stdout.
    pub fn git_stdin(&self, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut child = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("running git");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    pub fn check(&self, args: &[&str]) -> Output {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        antipasta(self.path(), &all)
    }
}

/// Runs a real `git commit` (with whatever hook is installed), with the
/// built binaries first on PATH.
pub fn commit(repo: &Repo, args: &[&str]) -> Output {
    let mut all = vec!["commit", "-q"];
    all.extend_from_slice(args);
    git_with_binaries(repo, &all)
}

/// Runs `git ARGS` in `repo` with the built binaries first on PATH, as a
/// user who installed them would (`git antipasta`, hooks).
pub fn git_with_binaries(repo: &Repo, args: &[&str]) -> Output {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("git")
        .args(args)
        .current_dir(repo.path())
        .env("PATH", path)
        .env(HOOK_CACHE_ALWAYS.0, HOOK_CACHE_ALWAYS.1)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap()
}

pub fn git_in(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env(HOOK_CACHE_ALWAYS.0, HOOK_CACHE_ALWAYS.1)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("running git")
}

/// Directory holding the built binaries, to put on PATH for hooks.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_antipasta"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub const SIMPLE: &str = "def add(a, b):\n    return a + b\n";

/// Cognitive 1+2+3+4+5 = 15 with no boolean operators; cyclomatic 6.
pub const NESTED: &str = "\
def deep(a, b, c, d, e):
    if a:
        if b:
            if c:
                if d:
                    if e:
                        return 1
    return 0
";

/// Cognitive 22 (over the default 15), cyclomatic 9.
pub const COMPLEX: &str = "\
def deep(a, b, c, d, e):
    if a:
        if b:
            if c:
                if d:
                    if e and a or b:
                        return 1
                    for x in a:
                        return x
    return 0
";
