//! Run preparation: the environment, read once, and the plain options the
//! stages below `run` take instead of clap types.
//!
//! Input: the process environment and the parsed command line. Output:
//! [`Environment`] (a snapshot: nothing below `run` reads a variable),
//! [`CacheOptions`] and a mode's [`Prepared`] settings. Reading the
//! configuration is the only other I/O.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, Result};

use crate::cache::CacheOptions;
use crate::cli::CacheArgs;
use crate::config::{self, parse_size, Settings};

/// Every environment variable antipasta reads, read once at the start.
#[derive(Clone, Debug, Default)]
pub(crate) struct Environment {
    /// `PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF`, when pre-commit sets both
    /// (`--from-ref/--to-ref` runs and pre-push hooks).
    pub pre_commit_range: Option<String>,
    /// `ANTIPASTA_CACHE_DIR` (empty counts as unset).
    pub cache_dir: Option<PathBuf>,
    /// `ANTIPASTA_NO_CACHE` is `1`, `true` or `yes` (the Python antipasta's
    /// switch): as `--no-cache`.
    pub no_cache: bool,
    /// `ANTIPASTA_CACHE_SIZE`, unparsed (empty counts as unset).
    pub cache_size: Option<String>,
    /// `ANTIPASTA_CACHE_WRITE_MIN_MS`, when it is a number.
    pub cache_write_min: Option<Duration>,
    /// `ANTIPASTA_HOOK_CACHE_MIN_KB` in bytes, when it is a number: the
    /// pre-commit check opens its cache only for staged changes at least
    /// this large (see `gate::HOOK_CACHE_MIN_BYTES`).
    pub hook_cache_min: Option<u64>,
    /// `$XDG_CACHE_HOME/antipasta` (absolute only), else `~/.cache/antipasta`.
    pub user_cache_dir: Option<PathBuf>,
    /// `ANTIPASTA_TEST_FILE_DELAY_MS`: a sleep before each file, for the
    /// tests of the budget and of signals (a synthetic slow workload makes
    /// them independent of machine speed).
    pub test_file_delay: Option<Duration>,
    /// Standard output is a terminal (colour in the text report).
    pub stdout_is_terminal: bool,
    /// Standard error is a terminal and `CI` is not set: a progress bar
    /// may be drawn.
    pub progress: bool,
    /// `ANTIPASTA_LOG`: the log filter (empty counts as unset).
    pub log: Option<String>,
    /// `ANTIPASTA_TEST_SANDBOX_PROBE` (debug builds only): a path a
    /// sandboxed run tries to write, for the sandbox's test.
    #[cfg(debug_assertions)]
    pub sandbox_probe: Option<PathBuf>,
    /// Not a variable: `--metrics-file`, which every checking mode honours
    /// (relative to the current directory).
    pub metrics_file: Option<PathBuf>,
    /// Where an instrumented (coverage) build writes its profiles
    /// (`LLVM_PROFILE_FILE`'s directory): the sandbox keeps it writable,
    /// or every process of a coverage run would lose its counts.
    pub profile_dir: Option<PathBuf>,
}

impl Environment {
    pub(crate) fn read() -> Environment {
        let var = |name: &str| std::env::var(name).ok();
        let non_empty = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let millis = |name: &str| {
            var(name)
                .and_then(|ms| ms.trim().parse().ok())
                .map(Duration::from_millis)
        };
        let pre_commit_range = match (var("PRE_COMMIT_FROM_REF"), var("PRE_COMMIT_TO_REF")) {
            (Some(from), Some(to)) => Some(format!("{from}...{to}")),
            _ => None,
        };
        Environment {
            pre_commit_range,
            cache_dir: std::env::var_os("ANTIPASTA_CACHE_DIR")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
            no_cache: var("ANTIPASTA_NO_CACHE").is_some_and(|v| {
                matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")
            }),
            cache_size: non_empty("ANTIPASTA_CACHE_SIZE"),
            cache_write_min: millis("ANTIPASTA_CACHE_WRITE_MIN_MS"),
            hook_cache_min: var("ANTIPASTA_HOOK_CACHE_MIN_KB")
                .and_then(|kb| kb.trim().parse::<u64>().ok())
                .map(|kb| kb.saturating_mul(1024)),
            user_cache_dir: user_cache_dir(),
            test_file_delay: millis("ANTIPASTA_TEST_FILE_DELAY_MS"),
            stdout_is_terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
            progress: crate::report::progress::stderr_is_terminal()
                && var("CI").is_none_or(|v| v.is_empty()),
            log: non_empty("ANTIPASTA_LOG"),
            metrics_file: None,
            profile_dir: std::env::var_os("LLVM_PROFILE_FILE")
                .map(PathBuf::from)
                .and_then(|f| f.parent().map(Path::to_path_buf))
                .filter(|d| d.is_absolute()),
            #[cfg(debug_assertions)]
            sandbox_probe: std::env::var_os("ANTIPASTA_TEST_SANDBOX_PROBE").map(PathBuf::from),
        }
    }
}

/// `$XDG_CACHE_HOME/antipasta`, else `~/.cache/antipasta`.
fn user_cache_dir() -> Option<PathBuf> {
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from) {
        if xdg.is_absolute() {
            return Some(xdg.join("antipasta"));
        }
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".cache").join("antipasta"))
}

/// The cache options of a run from the command line and the environment:
/// `--cache-dir`, else `ANTIPASTA_CACHE_DIR`; `--cache-size`, else
/// `ANTIPASTA_CACHE_SIZE` (checked here, before anything runs). The mode
/// completes them with the configured size and its `write_min`.
pub(crate) fn cache_options(args: &CacheArgs, env: &Environment) -> Result<CacheOptions> {
    let limit_bytes = match (args.cache_size, &env.cache_size) {
        (Some(size), _) => Some(size),
        (None, Some(text)) => {
            Some(parse_size(text).map_err(|e| anyhow!("ANTIPASTA_CACHE_SIZE: {e}"))?)
        }
        (None, None) => None,
    };
    Ok(CacheOptions {
        disabled: args.no_cache || env.no_cache,
        dir: args.cache_dir.clone().or_else(|| env.cache_dir.clone()),
        user_dir: env.user_cache_dir.clone(),
        limit_bytes,
        write_min: None,
        write_min_override: env.cache_write_min,
    })
}

/// A checking mode's settings, prepared the same way for every mode.
pub(crate) struct Prepared {
    pub settings: Settings,
    /// The directory relative patterns are matched against.
    pub root: PathBuf,
    /// For the user, in this order: the configuration's, then the memory cap's.
    pub warnings: Vec<String>,
}

/// Loads the configuration found from `cwd` (or the one named), applies
/// the `-t metric=value` overrides and sets the memory cap, with what
/// reaching it does; `hook`: the pre-commit hook, which fails open (when
/// `fail_open`).
pub(crate) fn settings(
    cwd: &Path,
    explicit_config: Option<&Path>,
    thresholds: &[String],
    hook: bool,
) -> Result<Prepared> {
    let loaded = config::load(cwd, explicit_config)?;
    let mut settings = loaded.settings;
    for t in thresholds {
        config::apply_threshold_override(&mut settings, t)?;
    }
    let mut warnings = loaded.warnings;
    if settings.max_memory_mb > 0 {
        let (message, code) = memory_exhausted(&settings, hook);
        crate::alloc::on_exhausted(message, code);
    }
    warnings.extend(crate::budget::apply_memory_cap(settings.max_memory_mb));
    Ok(Prepared {
        settings,
        root: loaded.root,
        warnings,
    })
}

/// What reaching a resource limit prints and exits with: `key = n` names
/// the limit, `fix` says what to change. `hook`: the pre-commit hook,
/// which fails open (when `fail_open`): a warning, exit 0.
fn limit_reached(
    settings: &Settings,
    hook: bool,
    (what, key, n): (&str, &str, u64),
    fix: &str,
) -> (String, i32) {
    if hook && settings.fail_open {
        (
            format!(
                "antipasta: WARNING: the {what} limit ({key} = {n}) ended the complexity check; \
                 the commit proceeds unchecked (fail_open = true); run `antipasta check` with a \
                 higher limit to see the result\n"
            ),
            0,
        )
    } else {
        (
            format!(
                "antipasta: error: the {what} limit ({key} = {n}) was reached and ended the run \
                 before it finished; {fix}\n"
            ),
            2,
        )
    }
}

/// What running out of memory under `max_memory_mb` prints and exits with.
fn memory_exhausted(settings: &Settings, hook: bool) -> (String, i32) {
    let limit = ("memory", "max_memory_mb", settings.max_memory_mb);
    let fix = "raise max_memory_mb, or lower max_file_bytes to skip the largest files";
    limit_reached(settings, hook, limit, fix)
}

/// Applies `max_cpu_seconds` for a run; `hook`: the pre-commit hook,
/// which fails open (when `fail_open`) and says so. A warning when the
/// CPU limit cannot be set.
pub(crate) fn caps(settings: &Settings, hook: bool) -> Option<String> {
    let n = settings.max_cpu_seconds;
    let fix = "raise max_cpu_seconds, or check fewer files";
    let (message, code) = limit_reached(settings, hook, ("CPU", "max_cpu_seconds", n), fix);
    crate::budget::apply_cpu_cap(n, message, code)
}

/// Enters the sandbox (unless `sandbox = false`) with write access kept
/// for the cache directory, the `--output` file (created now, so that
/// only the file itself, not its directory, stays writable) and the run
/// metrics file's directory (it is replaced by a rename), then, in debug
/// builds, runs the test probe.
pub(crate) fn sandbox(
    (settings, root, cwd): (&Settings, &Path, &Path),
    cache_dir: Option<&Path>,
    outputs: &[PathBuf],
    env: &Environment,
) -> crate::sandbox::Status {
    let parent = |p: &Path| {
        let p = cwd.join(p);
        p.parent().map(Path::to_path_buf).unwrap_or(p)
    };
    let metrics_file = metrics_file(settings, root, env);
    let outputs = outputs.iter().map(|p| cwd.join(p)).filter(|p| {
        !settings.sandbox
            || std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .is_ok()
    });
    let writable: Vec<PathBuf> = cache_dir
        .map(Path::to_path_buf)
        .into_iter()
        .chain(outputs)
        .chain(metrics_file.as_deref().map(parent))
        .chain(env.profile_dir.clone())
        .collect();
    let status = crate::sandbox::enter(settings.sandbox, &writable);
    #[cfg(debug_assertions)]
    if let Some(line) = crate::sandbox::probe(env.sandbox_probe.as_deref()) {
        crate::report::say(&line);
    }
    status
}

/// The run metrics file: `--metrics-file` (relative to the current
/// directory), else `metrics_file` relative to the project root.
pub(crate) fn metrics_file(settings: &Settings, root: &Path, env: &Environment) -> Option<PathBuf> {
    env.metrics_file
        .clone()
        .or_else(|| settings.metrics_file.as_ref().map(|m| root.join(m)))
}
