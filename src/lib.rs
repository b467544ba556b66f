//! antipasta: a code-complexity gate for Python.
//!
//! The library holds every stage; the two binaries (`antipasta`, `git-antipasta`)
//! are thin wrappers around [`cli_main`]. Stages are wired together only in `run`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub(crate) mod cache;
pub(crate) mod cli;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod functions;
pub(crate) mod git;
pub(crate) mod hook;
pub mod metrics;
pub(crate) mod parse;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod source;
pub(crate) mod thresholds;

/// Parses the command line, runs it and maps the outcome to an exit code:
/// 0 clean, 1 violations, 2 usage, configuration or internal error.
pub fn cli_main() -> ExitCode {
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
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = run::run(cli, &mut out);
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(err), _) => {
            eprintln!("antipasta: error: {err:#}");
            ExitCode::from(2)
        }
        (Ok(_), Err(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Ok(_), Err(err)) => {
            eprintln!("antipasta: error: writing output: {err}");
            ExitCode::from(2)
        }
    }
}

/// Decodes, parses and measures one file's bytes; returns how many functions
/// it has (0 for a file that fails). For the throughput benchmark only.
#[doc(hidden)]
pub fn bench_analyze(bytes: &[u8]) -> usize {
    source::decode(bytes)
        .ok()
        .and_then(|s| metrics::analyze(&s, metrics::MetricOptions::default()).ok())
        .map_or(0, |a| a.functions.len())
}
