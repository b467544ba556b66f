//! antipasta: a code-complexity gate for Python.
//!
//! The library holds every stage; the two binaries (`antipasta`, `git-antipasta`)
//! are thin wrappers around [`cli_main`]. Stages are wired together only in `run`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub(crate) mod alloc;
pub(crate) mod analyze;
pub(crate) mod baseline;
pub(crate) mod budget;
pub(crate) mod cache;
pub(crate) mod cancel;
pub(crate) mod churn;
pub(crate) mod cli;
pub(crate) mod codecs;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod exemptions;
pub(crate) mod functions;
pub(crate) mod git;
pub(crate) mod guard;
pub(crate) mod history;
pub(crate) mod hook;
pub(crate) mod hotspots;
pub(crate) mod isolate;
pub(crate) mod log;
pub mod metrics;
pub(crate) mod outcome;
pub(crate) mod parse;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod sandbox;
pub(crate) mod snapshot;
pub(crate) mod source;
pub(crate) mod stats;
pub(crate) mod suppress;
pub(crate) mod thresholds;
pub(crate) mod timings;
pub(crate) mod version;

/// The allocator of every antipasta binary (see Cargo.toml for why).
/// Wrapped so that running out of memory under `max_memory_mb` is a
/// message and an exit code, not an abort ([`alloc`]).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: alloc::Capped<alloc::mimalloc::Mimalloc> =
    alloc::Capped(alloc::mimalloc::Mimalloc);

#[cfg(not(feature = "mimalloc"))]
#[global_allocator]
static ALLOCATOR: alloc::Capped<std::alloc::System> = alloc::Capped(std::alloc::System);

/// Parses the command line, runs it and maps the outcome to an exit code:
/// 0 clean, 1 violations, 2 usage, configuration or internal error, 130/143
/// when stopped by a signal. A panic anywhere is caught and reported as an
/// internal error, never an abort.
pub fn cli_main() -> ExitCode {
    timings::start();
    install_panic_hook();
    // The pre-commit check opens its repository while the command line
    // is parsed (see git::prefetch); a pre-commit range
    // (`--from-ref/--to-ref`) needs no HEAD.
    if is_staged_check(std::env::args_os().skip(1)) {
        let range = ["PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"]
            .iter()
            .all(|v| std::env::var(v).is_ok());
        // The machine's size, which the analysis asks for, is read there too.
        git::prefetch(!range, budget::read_machine);
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout with exit 0 and usage errors
            // to stderr with exit 2.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(ClosedPipeIsFine(stdout.lock()));
    let result = isolate::catch(|| run::run(cli, &mut out))
        .unwrap_or_else(|panic| Err(anyhow::anyhow!(panic)));
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(err), _) => {
            eprintln!("antipasta: error: {err:#}");
            ExitCode::from(2)
        }
        (Ok(_), Err(err)) => {
            eprintln!("antipasta: error: writing output: {err}");
            ExitCode::from(2)
        }
    }
}

/// Every command but `check`, by the name clap knows it by.
const OTHER_COMMANDS: [&str; 13] = [
    "baseline", "cache", "config", "diff", "help", "history", "hook", "hotspots", "merge",
    "metrics", "report", "stats", "version",
];

/// Whether a command line (without the program) asks for the staged
/// check, `check` or no command at all, as far as a glance tells before
/// clap parses it: no argument names another command (options may come
/// before the command, some with a value, so its position is not known).
/// A wrong guess costs only time: the prefetch's work unused, or not done.
fn is_staged_check(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let mut args = args.peekable();
    if args.peek().is_none() {
        return true;
    }
    args.all(|a| !OTHER_COMMANDS.iter().any(|c| a == *c))
}

/// Installs the process-wide panic hook: quiet for panics that
/// [`isolate::catch`] turns into a file's internal error (the report names
/// them), and saying that any other panic is antipasta's bug.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if isolate::catching() {
            return;
        }
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
        eprintln!("antipasta: internal error (a bug in antipasta, please report it): {info}");
    }));
}

/// Standard output that a reader may close early (`antipasta metrics | head`):
/// once the pipe is closed, the rest of the report is dropped and the run
/// ends with the exit code the report would have had, as Unix tools do.
/// Other write errors (a full disk) are still errors.
struct ClosedPipeIsFine<W>(W);

impl<W: Write> Write for ClosedPipeIsFine<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// Decodes, parses and measures one file's bytes; returns how many functions
/// it has (0 for a file that fails). For the throughput benchmark only.
#[doc(hidden)]
pub fn bench_analyze(bytes: &[u8]) -> usize {
    source::decode(bytes)
        .ok()
        .and_then(|s| {
            // What `metrics` computes (function hashes are the gate's).
            let options = metrics::MetricOptions {
                function_hashes: false,
                ..metrics::MetricOptions::default()
            };
            metrics::analyze(&s, options).ok()
        })
        .map_or(0, |a| a.functions.len())
}

/// The fuzz target's entry: arbitrary bytes through guard → decode → parse →
/// function index → metrics → thresholds → function diff against the same
/// bytes with a line appended. Must never panic; returns how many functions
/// the diff paired. Runs on the caller's thread (give it a large stack).
#[doc(hidden)]
pub fn fuzz_pipeline(bytes: &[u8]) -> usize {
    let options = metrics::MetricOptions::default();
    let limit = guard::DEFAULT_MAX_FILE_BYTES;
    // `analyze_bytes` turns panics into internal errors or a lower analysis
    // level; for the fuzzer they are the findings, so they panic again here.
    let analyse = |b: &[u8]| match analyze::analyze_bytes(b, limit, options) {
        Err(p) if p.kind == outcome::ProblemKind::Internal => panic!("{p}"),
        Ok(a)
            if a.degraded
                .as_ref()
                .is_some_and(|d| d.cause == metrics::Cause::Internal) =>
        {
            panic!("{}", a.degraded.map(|d| d.message).unwrap_or_default())
        }
        other => other.ok(),
    };
    let Some(old) = analyse(bytes) else {
        return 0;
    };
    let mut edited = bytes.to_vec();
    edited.extend_from_slice(b"\ndef fuzz_added(a):\n    return a\n");
    let new = analyse(&edited);
    let _ = thresholds::check_thresholds(&config::default_rules(), &old);
    let empty = Vec::new();
    let pairs = [diff::FilePair {
        old: &old.functions,
        new: new.as_ref().map_or(&empty, |a| &a.functions),
    }];
    diff::diff_functions(&pairs).iter().map(Vec::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_other_commands_are_every_command_but_check() {
        let mut known: Vec<String> = cli::Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .filter(|n| n != "check")
            .collect();
        known.push("help".into());
        known.sort();
        known.dedup();
        assert_eq!(known, OTHER_COMMANDS);
    }

    #[test]
    fn a_staged_check_is_check_or_no_command_with_any_options() {
        let line = |s: &str| {
            s.split_whitespace()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        for yes in [
            "",
            "check",
            "--no-cache check",
            "--cache-dir d check a.py",
            "-v",
            "check src/stats.py",
        ] {
            assert!(is_staged_check(line(yes).into_iter()), "{yes}");
        }
        for no in [
            "metrics",
            "--cache-dir d diff main...HEAD",
            "-c x.toml stats",
            "help check",
        ] {
            assert!(!is_staged_check(line(no).into_iter()), "{no}");
        }
    }
}
