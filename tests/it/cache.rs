//! The analysis cache with real processes: warm runs equal cold ones,
//! concurrent writers, writers killed at random moments, a corrupted store,
//! same-second edits under git's stat shortcut, and the `cache` commands.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use crate::common::*;

/// Runs antipasta in `dir` with the cache in `cache` (`None`: `--no-cache`).
fn run(dir: &Path, cache: Option<&Path>, args: &[&str]) -> Output {
    command(dir, cache, args)
        .output()
        .expect("running antipasta")
}

fn command(dir: &Path, cache: Option<&Path>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_antipasta"));
    cmd.current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("ANTIPASTA_CACHE_SIZE")
        .env(HOOK_CACHE_ALWAYS.0, HOOK_CACHE_ALWAYS.1);
    match cache {
        Some(c) => {
            cmd.env("ANTIPASTA_CACHE_DIR", c);
        }
        None => {
            cmd.env_remove("ANTIPASTA_CACHE_DIR").arg("--no-cache");
        }
    }
    cmd.args(args);
    cmd
}

/// A tree of `n` Python files with distinct, non-trivial contents.
fn project(dir: &Path, n: usize, salt: usize) {
    for i in 0..n {
        let mut text = String::new();
        for f in 0..8 {
            text.push_str(&format!(
                "def f{f}_{salt}(a, b, c):\n    if a and b:\n        for x in c:\n            if x > {i}:\n                return x\n    return {}\n\n",
                f + salt
            ));
        }
        write(dir, &format!("pkg/m{i:03}.py"), &text);
    }
}

fn json_metrics(dir: &Path, cache: Option<&Path>) -> (Option<i32>, String) {
    let out = run(dir, cache, &["metrics", "--format", "json"]);
    (out.status.code(), stdout(&out))
}

/// A small pseudo-random sequence (no extra dependency): xorshift seeded by the clock.
struct Rng(u64);
impl Rng {
    fn new() -> Rng {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        Rng(u64::from(nanos) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn warm_run_equals_cold_run_and_hits() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    project(dir.path(), 5, 0);
    write(dir.path(), "broken.py", "def f(:\n");
    let uncached = json_metrics(dir.path(), None);
    assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
    assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
    let stats = stdout(&run(dir.path(), Some(cache.path()), &["cache", "stats"]));
    assert!(stats.contains("entries: 6"), "{stats}");
    assert!(stats.contains("last run: 6 hits, 0 misses"), "{stats}");
    // Thresholds are not part of the key.
    let out = run(
        dir.path(),
        Some(cache.path()),
        &["metrics", "-t", "cyc=1", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stats = stdout(&run(dir.path(), Some(cache.path()), &["cache", "stats"]));
    assert!(stats.contains("last run: 6 hits, 0 misses"), "{stats}");
}

#[test]
fn concurrent_writers_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    project(dir.path(), 60, 1);
    let uncached = json_metrics(dir.path(), None);
    let children: Vec<_> = (0..3)
        .map(|_| {
            command(
                dir.path(),
                Some(cache.path()),
                &["metrics", "--format", "json"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            (out.status.code(), stdout(&out)),
            uncached,
            "{}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(
            err.is_empty() || err.contains("in use by another antipasta process"),
            "{err}"
        );
    }
    assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
}

#[test]
fn killed_writers_never_poison_later_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut rng = Rng::new();
    for round in 0..8 {
        // New contents every round, so every killed run was writing.
        project(dir.path(), 80, round + 10);
        let mut child = command(dir.path(), Some(cache.path()), &["metrics", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(600)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let uncached = json_metrics(dir.path(), None);
        let out = run(
            dir.path(),
            Some(cache.path()),
            &["metrics", "--format", "json"],
        );
        assert_eq!(
            (out.status.code(), stdout(&out)),
            uncached,
            "round {round}: {}",
            stderr(&out)
        );
        // And the run after that, from what the previous one stored.
        assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
    }
    let verify = run(dir.path(), Some(cache.path()), &["cache", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
}

/// The store inside a cache directory (`store-v<schema>`, whatever the
/// current schema is).
fn store_dir(cache: &Path) -> std::path::PathBuf {
    let name = std::fs::read_dir(cache)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("store-v") && !n.contains('.'))
        .unwrap_or_else(|| "store-v-missing".to_owned());
    cache.join(name)
}

/// Every regular file below `dir`.
fn files_below(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn corrupted_store_recovers(damage: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    project(dir.path(), 20, 2);
    let uncached = json_metrics(dir.path(), None);
    assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
    for file in files_below(&store_dir(cache.path())) {
        if file.file_name().is_some_and(|n| n != "lock") {
            damage(&file);
        }
    }
    let out = run(
        dir.path(),
        Some(cache.path()),
        &["metrics", "--format", "json"],
    );
    assert_eq!(
        (out.status.code(), stdout(&out)),
        uncached,
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("cache"), "{}", stderr(&out));
    assert!(store_dir(cache.path()).with_extension("corrupt").exists());
    // Rebuilt: the next run is served from a working store.
    assert_eq!(json_metrics(dir.path(), Some(cache.path())), uncached);
    let stats = stdout(&run(dir.path(), Some(cache.path()), &["cache", "stats"]));
    assert!(stats.contains("last run: 20 hits"), "{stats}");
}

#[test]
fn garbage_store_is_moved_aside_and_rebuilt() {
    corrupted_store_recovers(|file| {
        let len = std::fs::metadata(file).unwrap().len().max(16);
        let garbage: Vec<u8> = (0..len).map(|i| (i * 7 + 13) as u8).collect();
        std::fs::write(file, garbage).unwrap();
    });
}

#[test]
fn truncated_store_is_moved_aside_and_rebuilt() {
    corrupted_store_recovers(|file| {
        let len = std::fs::metadata(file).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
        f.set_len(len / 3).unwrap();
    });
}

#[test]
fn same_second_edit_is_never_served_stale() {
    // Same size, different metrics: only the content tells them apart.
    let before = "def f(a, b, c):\n    return 1 + 2 + 345\n";
    let after = "def f(a, b, c):\n    return a or b or c\n";
    assert_eq!(before.len(), after.len());
    for round in 0..4 {
        let repo = Repo::new();
        repo.write("a.py", before);
        // Pin the mtime so the index entry and the edit share a second.
        let mtime = SystemTime::now();
        let set_mtime = || {
            std::fs::File::options()
                .write(true)
                .open(repo.path().join("a.py"))
                .unwrap()
                .set_modified(mtime)
                .unwrap();
        };
        set_mtime();
        repo.git(&["add", "a.py"]);
        let first = antipasta(repo.path(), &["metrics", "--format", "json"]);
        assert!(stdout(&first).contains("\"cyclomatic_complexity\": 1"));
        repo.write("a.py", after);
        set_mtime();
        let out = antipasta(repo.path(), &["metrics", "--format", "json"]);
        let uncached = antipasta(repo.path(), &["--no-cache", "metrics", "--format", "json"]);
        assert_eq!(stdout(&out), stdout(&uncached), "round {round}");
        assert!(
            stdout(&out).contains("\"cyclomatic_complexity\": 3"),
            "round {round}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn stat_shortcut_serves_unchanged_files() {
    let repo = Repo::new();
    repo.write("a.py", SIMPLE);
    repo.write("b.py", NESTED);
    // Make the index strictly newer than the files (not racy).
    std::thread::sleep(Duration::from_millis(1100));
    repo.commit_all("init");
    let cold = antipasta(repo.path(), &["metrics", "--format", "json"]);
    let warm = antipasta(repo.path(), &["metrics", "--format", "json"]);
    assert_eq!(stdout(&cold), stdout(&warm));
    let stats = stdout(&antipasta(repo.path(), &["cache", "stats"]));
    assert!(stats.contains("last run: 2 hits, 0 misses"), "{stats}");
    assert!(store_dir(&repo.path().join(".git/antipasta-cache")).exists());
    // An edit with a new size is seen even though the index is untouched.
    repo.write("a.py", COMPLEX);
    let edited = antipasta(repo.path(), &["metrics", "-q"]);
    assert_eq!(edited.status.code(), Some(1), "{}", stdout(&edited));
}

/// Makes every index entry of `dir` racy (its mtime not older than the
/// index file's), as in a clone whose files and index were written in the
/// same second.
fn make_racy(dir: &Path) {
    let index = dir.join(".git/index");
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn a_handed_cache_serves_racy_and_stat_clean_checkouts_alike() {
    let origin = tempfile::tempdir().unwrap();
    project(origin.path(), 5, 1);
    assert!(git_in(origin.path(), &["init", "-q"]).status.success());
    for args in [
        &["add", "-A"][..],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "commit",
            "-qm",
            "init",
        ],
    ] {
        assert!(git_in(origin.path(), args).status.success());
    }
    let clone = |name: &str| {
        let to = origin.path().parent().unwrap().join(format!(
            "{}-{name}",
            origin.path().file_name().unwrap().to_str().unwrap()
        ));
        let out = git_in(origin.path(), &["clone", "-q", ".", to.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        to
    };
    let (racy, clean) = (clone("racy"), clone("clean"));
    make_racy(&racy);
    // The clean checkout's index strictly newer than its files.
    std::thread::sleep(Duration::from_millis(1100));
    assert!(git_in(&clean, &["update-index", "--really-refresh", "-q"])
        .status
        .success());
    std::fs::File::options()
        .write(true)
        .open(clean.join(".git/index"))
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(2))
        .unwrap();
    let uncached = json_metrics(&clean, None);
    // Each way round: the cache filled in one checkout serves the other.
    for (first, second) in [(&racy, &clean), (&clean, &racy)] {
        let cache = tempfile::tempdir().unwrap();
        assert_eq!(json_metrics(first, Some(cache.path())), uncached);
        assert_eq!(json_metrics(second, Some(cache.path())), uncached);
        let stats = stdout(&run(second, Some(cache.path()), &["cache", "stats"]));
        assert!(
            stats.contains("last run: 5 hits, 0 misses"),
            "{} then {}: {stats}",
            first.display(),
            second.display()
        );
    }
    // An edit in the racy checkout is a new content, not the recorded blob.
    let cache = tempfile::tempdir().unwrap();
    json_metrics(&clean, Some(cache.path()));
    write(&racy, "pkg/m000.py", COMPLEX);
    let edited = json_metrics(&racy, Some(cache.path()));
    assert_eq!(edited, json_metrics(&racy, None));
    let stats = stdout(&run(&racy, Some(cache.path()), &["cache", "stats"]));
    assert!(stats.contains("last run: 4 hits, 1 misses"), "{stats}");
    for dir in [racy, clean] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// The hook with its default threshold: a small staged change runs
/// without the cache (no store is opened, none created), a change of at
/// least 128 KiB of Python uses it, and the answers are the same.
#[test]
fn small_hook_changes_skip_the_cache() {
    let store = |repo: &Repo| repo.path().join(".git/antipasta-cache");
    let check = |repo: &Repo, min_kb: Option<&str>| {
        // No time budget: on a loaded machine a debug build creating its
        // store can run past the hook's default, and this is about the cache.
        let mut cmd = command(
            repo.path(),
            Some(&store(repo)),
            &["check", "--format", "json", "--budget", "0"],
        );
        cmd.env_remove(HOOK_CACHE_ALWAYS.0)
            .env("ANTIPASTA_CACHE_WRITE_MIN_MS", "0");
        if let Some(kb) = min_kb {
            cmd.env(HOOK_CACHE_ALWAYS.0, kb);
        }
        cmd.output().unwrap()
    };
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo.write("app.py", &format!("{SIMPLE}\n{NESTED}"));
    repo.git(&["add", "app.py"]);
    let small = check(&repo, None);
    assert_eq!(small.status.code(), Some(0), "{}", stderr(&small));
    assert!(
        !store(&repo).join("store-v3").exists(),
        "a store was created"
    );
    // The run is in the history all the same, for the hook's alerts.
    let history = stdout(&antipasta(repo.path(), &["history", "--format", "json"]));
    assert!(history.contains("\"runs\": 1"), "{history}");
    // The same change with the threshold at 0 goes through the cache.
    let cached = check(&repo, Some("0"));
    assert_eq!(stdout(&cached), stdout(&small));
    let stats = stdout(&antipasta(repo.path(), &["cache", "stats"]));
    assert!(stats.contains("entries: 2"), "{stats}");
    // Past the threshold (a 130 KiB file), the default uses it: its two
    // entries are read, the new file's is written.
    let big: String = (0..2800)
        .map(|i| format!("def f{i}(a):\n    return a + {i:>20}\n"))
        .collect();
    assert!(big.len() > 130 * 1024, "{}", big.len());
    repo.write("big.py", &big);
    repo.git(&["add", "big.py"]);
    let large = check(&repo, None);
    let uncached = antipasta(
        repo.path(),
        &["--no-cache", "check", "--format", "json", "--budget", "0"],
    );
    assert_eq!(
        (large.status.code(), stdout(&large)),
        (uncached.status.code(), stdout(&uncached)),
        "{}",
        stderr(&large)
    );
    let stats = stdout(&antipasta(repo.path(), &["cache", "stats"]));
    assert!(stats.contains("last run: 2 hits, 1 misses"), "{stats}");
    assert!(stats.contains("entries: 3"), "{stats}");
}

#[test]
fn gate_serves_head_side_from_cache() {
    let repo = Repo::new();
    repo.write("app.py", SIMPLE);
    repo.commit_all("init");
    repo.write("app.py", &format!("{SIMPLE}\n{NESTED}"));
    repo.git(&["add", "app.py"]);
    // The hook does not write results cheaper to redo than its write_min
    // (5 ms by default; set far above this run's cost here, so that a slow,
    // loaded machine cannot make the result depend on timing).
    let first = antipasta_env(
        repo.path(),
        &["check", "--format", "json"],
        &[("ANTIPASTA_CACHE_WRITE_MIN_MS", "60000")],
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let stats = stdout(&antipasta(repo.path(), &["cache", "stats"]));
    assert!(stats.contains("entries: 0"), "{stats}");
    // With every result written, the next run reads both sides.
    let check = || {
        antipasta_env(
            repo.path(),
            &["check", "--format", "json"],
            &[("ANTIPASTA_CACHE_WRITE_MIN_MS", "0")],
        )
    };
    let first = check();
    let second = check();
    assert_eq!(stdout(&first), stdout(&second));
    let stats = stdout(&antipasta(repo.path(), &["cache", "stats"]));
    assert!(stats.contains("entries: 2"), "{stats}");
    assert!(stats.contains("last run: 2 hits, 0 misses"), "{stats}");
    let uncached = antipasta(
        repo.path(),
        &["--no-cache", "check", "--format", "json", "--budget", "0"],
    );
    assert_eq!(stdout(&uncached), stdout(&first));
}

#[test]
fn cache_is_not_opened_when_unused() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit_all("init");
    repo.write("README.md", "hello again\n");
    repo.git(&["add", "README.md"]);
    assert_eq!(repo.check(&[]).status.code(), Some(0));
    assert!(antipasta(repo.path(), &["--version"]).status.success());
    assert!(antipasta(repo.path(), &["config", "show"]).status.success());
    assert!(!repo.path().join(".git/antipasta-cache").exists());
}

#[test]
fn export_and_import_hand_over_a_warm_cache() {
    let dir = tempfile::tempdir().unwrap();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    project(dir.path(), 4, 3);
    let uncached = json_metrics(dir.path(), None);
    assert_eq!(json_metrics(dir.path(), Some(a.path())), uncached);
    let file = dir.path().join("warm.cache");
    let file = file.to_str().unwrap();
    let out = run(dir.path(), Some(a.path()), &["cache", "export", file]);
    assert!(
        stdout(&out).contains("exported 4 entries"),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), Some(b.path()), &["cache", "import", file]);
    assert!(
        stdout(&out).contains("imported 4 entries"),
        "{}",
        stderr(&out)
    );
    assert_eq!(json_metrics(dir.path(), Some(b.path())), uncached);
    let stats = stdout(&run(dir.path(), Some(b.path()), &["cache", "stats"]));
    assert!(stats.contains("last run: 4 hits, 0 misses"), "{stats}");

    // A damaged export is refused as a whole, and nothing else appears.
    let mut bytes = std::fs::read(file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(file, bytes).unwrap();
    let c = tempfile::tempdir().unwrap();
    let out = run(dir.path(), Some(c.path()), &["cache", "import", file]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));
    assert!(!store_dir(c.path()).exists());
}

#[test]
fn clear_and_gc_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    project(dir.path(), 3, 4);
    json_metrics(dir.path(), Some(cache.path()));
    let out = run(dir.path(), Some(cache.path()), &["cache", "verify"]);
    assert!(stdout(&out).contains("3 good records"), "{}", stdout(&out));
    let out = run(dir.path(), Some(cache.path()), &["cache", "gc"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(dir.path(), Some(cache.path()), &["cache", "clear"]);
    assert!(
        stdout(&out).contains("removed 3 entries"),
        "{}",
        stdout(&out)
    );
    let stats = stdout(&run(dir.path(), Some(cache.path()), &["cache", "stats"]));
    assert!(stats.contains("entries: 0"), "{stats}");
}

/// `entries: N` from `cache stats`.
fn stat_entries(dir: &Path, cache: &Path) -> usize {
    let stats = stdout(&run(dir, Some(cache), &["cache", "stats"]));
    stats
        .lines()
        .find_map(|l| l.strip_prefix("entries: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no entry count in {stats}"))
}

#[test]
fn configured_size_limit_evicts() {
    let dir = tempfile::tempdir().unwrap();
    let big = tempfile::tempdir().unwrap();
    let small = tempfile::tempdir().unwrap();
    // About 240 kB of records.
    project(dir.path(), 800, 0);
    let uncached = json_metrics(dir.path(), None);
    assert_eq!(json_metrics(dir.path(), Some(big.path())), uncached);
    assert_eq!(stat_entries(dir.path(), big.path()), 800);
    write(dir.path(), ".antipasta.toml", "cache_size = \"200KB\"\n");
    assert_eq!(json_metrics(dir.path(), Some(small.path())), uncached);
    let kept = stat_entries(dir.path(), small.path());
    assert!(kept > 0 && kept < 800, "{kept} entries kept");
    // The command line wins over the configuration.
    let out = run(
        dir.path(),
        Some(small.path()),
        &["--cache-size", "1G", "metrics", "-q"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stat_entries(dir.path(), small.path()), 800);
    // `cache gc` ends at or below the limit on disk, however small.
    for limit in ["150KB", "60KB", "20KB"] {
        let out = run(
            dir.path(),
            Some(small.path()),
            &["--cache-size", limit, "cache", "gc"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let stats = stdout(&run(dir.path(), Some(small.path()), &["cache", "stats"]));
        let on_disk: u64 = stats
            .lines()
            .find_map(|l| l.strip_prefix("on disk: "))
            .and_then(|l| l.split('(').nth(1))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no size in {stats}"));
        let wanted: u64 = limit.trim_end_matches("KB").parse::<u64>().unwrap() << 10;
        assert!(on_disk <= wanted, "{limit}: {stats}\n{}", stdout(&out));
    }
}
