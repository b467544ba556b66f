//! The only place where stages are wired together.
//!
//! [`run`] prepares a run once ([`prepare`]: the environment snapshot, the
//! cache options, the settings) and hands plain values to the mode:
//! [`gate`] (`check`, `diff`), [`metrics`] (the full-tree check) or one of
//! the maintenance [`commands`]. Nothing below `run` sees a clap type or
//! reads an environment variable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

mod baseline;
mod commands;
mod gate;
mod hotspots;
mod metrics;
mod prepare;
mod stats;

use crate::cli::{CheckArgs, Cli, Command, GateArgs, GateFlags};
use crate::config::{self, BudgetPolicy, Settings};
use crate::isolate::{is_internal, Internal};
use crate::metrics::MetricOptions;
use crate::report;
use prepare::Environment;

/// Runs a parsed command line; `Err` means exit code 2.
pub(crate) fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    // Before anything is read: a version always answers.
    if cli.version || matches!(cli.command, Some(Command::Version)) {
        let verbose = cli.gate.verbose || matches!(cli.command, Some(Command::Version));
        return version(verbose, out);
    }
    let mut env = Environment::read();
    env.metrics_file = cli.metrics_file.clone();
    crate::log::init(env.log.as_deref(), cli.log_format)?;
    // Always timed (a few clock reads per file): logs name each step as it
    // ends, and the run metrics and the history record the steps.
    crate::timings::enable(cli.timings);
    let result = run_command(cli, env, out);
    if let Some(timings) = crate::timings::shown() {
        out.flush()?;
        report::timings(&timings);
    }
    result
}

fn run_command(cli: Cli, env: Environment, out: &mut dyn Write) -> Result<ExitCode> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let config = cli.config.as_deref();
    let cache = prepare::cache_options(&cli.cache, &env)?;
    let command = match cli.command {
        None => Command::Check(CheckArgs {
            gate: GateArgs {
                paths: Vec::new(),
                flags: cli.gate,
            },
        }),
        Some(Command::Check(mut args)) => {
            args.gate.flags.merge_before(cli.gate);
            Command::Check(args)
        }
        Some(Command::Diff(mut args)) => {
            args.gate.flags.merge_before(cli.gate);
            Command::Diff(args)
        }
        Some(other) => {
            if cli.gate != GateFlags::default() {
                bail!(
                    "options given before `{0}` belong to `check` (a bare `antipasta -v` \
                     means `antipasta check -v`); put them after `{0}`",
                    other.name()
                );
            }
            other
        }
    };
    if matches!(
        command,
        Command::Check(_)
            | Command::Diff(_)
            | Command::Metrics(_)
            | Command::Baseline(_)
            | Command::Stats(_)
            | Command::Report(_)
    ) {
        if let Err(err) = crate::cancel::install() {
            report::warn(&[format!("Ctrl-C will not stop the run cleanly: {err}")]);
        }
    }
    match command {
        Command::Check(args) => {
            // pre-commit's `--from-ref/--to-ref` runs compare that range;
            // otherwise `check` is the pre-commit hook, which fails open.
            let range = env.pre_commit_range.clone();
            let hook = range.is_none();
            let run = gate::GateRun {
                cwd: &cwd,
                config,
                args: args.gate,
                range,
                cache: &cache,
                env: &env,
            };
            let result = crate::isolate::catch(|| gate::check(run, out))
                .unwrap_or_else(|panic| Err(anyhow::anyhow!(panic).context(Internal)));
            if hook {
                fail_open(result, &cwd, config)
            } else {
                result
            }
        }
        Command::Diff(args) => gate::check(
            gate::GateRun {
                cwd: &cwd,
                config,
                args: args.gate,
                range: Some(args.range),
                cache: &cache,
                env: &env,
            },
            out,
        ),
        Command::Metrics(args) => metrics::metrics(&cwd, config, args, &cache, &env, out),
        Command::Merge(args) => metrics::merge(&cwd, config, args, &env, out),
        Command::Stats(args) => stats::stats(&cwd, config, args, &cache, &env, out),
        Command::Report(args) => stats::report(&cwd, config, args, &cache, &env, out),
        Command::Hotspots(args) => hotspots::hotspots(&cwd, config, args, &cache, &env, out),
        Command::Baseline(cmd) => baseline::command(&cwd, config, cmd, &cache, &env, out),
        Command::Cache(cmd) => commands::cache(&cwd, &cache, cmd, out),
        Command::History(args) => commands::history(&cwd, config, &cache, args, &env, out),
        Command::Hook(cmd) => commands::hook(&cwd, cmd, out),
        Command::Config(cmd) => commands::config(&cwd, config, cmd, out),
        Command::Version => version(true, out),
    }
}

/// Renders the report to `--output FILE` when given, else to `out`.
fn render_report(
    report: &report::Report,
    format: report::Format,
    style: report::Style,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    match output {
        None => report::render(report, format, style, out).context("writing the report"),
        Some(path) => {
            let write = || -> std::io::Result<()> {
                let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
                report::render(report, format, style, &mut file)?;
                file.into_inner().map_err(|e| e.into_error())?.sync_all()
            };
            write().with_context(|| format!("writing the report to {}", path.display()))
        }
    }
}

/// `--version`, `--version --verbose` and `version`.
fn version(verbose: bool, out: &mut dyn Write) -> Result<ExitCode> {
    let text = if verbose {
        crate::version::verbose()
    } else {
        crate::version::line() + "\n"
    };
    out.write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The pre-commit hook's answer to its own failure (a panic, a git object
/// that cannot be read, threads that cannot start): let the commit through
/// with a loud warning, unless the configuration says `fail_open = false`.
/// Problems the user must fix (not a repository, a bad configuration,
/// unmerged paths) stay errors.
fn fail_open(
    result: Result<ExitCode>,
    cwd: &Path,
    explicit_config: Option<&Path>,
) -> Result<ExitCode> {
    let err = match result {
        Err(err) if is_internal(&err) => err,
        other => return other,
    };
    let open = config::load(cwd, explicit_config).map_or(true, |l| l.settings.fail_open);
    if open {
        report::say(&format!(
            "WARNING: the complexity check did not run: {err:#}\n\
             antipasta: WARNING: the commit proceeds unchecked (fail_open = true); \
             run `antipasta check` to see the problem"
        ));
        Ok(ExitCode::SUCCESS)
    } else {
        Err(err)
    }
}

/// Where a checking run ends, for [`finish_run`].
pub(super) struct RunEnd<'a> {
    pub mode: &'static str,
    /// The pre-commit hook (`check` on the staged changes): alerts.
    pub hook: bool,
    pub budget_ms: u64,
    pub settings: &'a Settings,
    pub root: &'a Path,
    /// The cache directory, where the run history lives (`None`: no cache,
    /// no history).
    pub cache_dir: Option<PathBuf>,
}

/// What every checking mode does once its report is out: the run metrics
/// file (`--metrics-file`, else `metrics_file` relative to the project
/// root), the run history and, after a hook run, its alerts. None of it
/// ever changes the run's result: a file that cannot be written is a
/// warning.
fn finish_run(end: RunEnd<'_>, report: &report::Report, env: &Environment) {
    let Some(timings) = crate::timings::snapshot() else {
        return;
    };
    let metrics = report::run_metrics::RunMetrics::of(end.mode, report, &timings, end.budget_ms);
    if let Some(target) = prepare::metrics_file(end.settings, end.root, env) {
        if let Err(e) = report::run_metrics::write_file(&metrics, &target) {
            report::warn(&[format!("{e:#}")]);
        }
    }
    let keep = end.settings.history_runs as usize;
    let Some(dir) = end.cache_dir.filter(|d| keep > 0 && d.is_dir()) else {
        return;
    };
    let mut history = crate::history::read_light(&dir);
    let store = crate::timings::store_size();
    crate::history::push(&mut history, metrics.history_record(store), keep);
    let alerts = if end.hook {
        crate::history::alerts(
            &mut history,
            end.mode,
            &end.settings.alerts,
            metrics.timestamp_seconds,
            end.settings.budget_ms,
        )
    } else {
        Vec::new()
    };
    let given: Vec<&str> = alerts.iter().map(|a| a.kind).collect();
    let _ = crate::history::record(&dir, &history, &given, keep);
    report::warn(&alerts.into_iter().map(|a| a.message).collect::<Vec<_>>());
}

/// The one exit-code rule of every checking mode: 2 when a file could not
/// be analysed (an error that blocks), else 1 for violations or for files
/// the budget left unchecked under `on_budget_exceeded = "fail"`, else 0.
fn exit_code(errors: usize, violations: usize, over_budget: bool, settings: &Settings) -> u8 {
    if errors > 0 {
        2
    } else if violations > 0 || (over_budget && settings.on_budget_exceeded == BudgetPolicy::Fail) {
        1
    } else {
        0
    }
}

/// The exit code once suppression markers are counted: a marker naming an
/// unknown metric is bad input (2); one without a required reason, or a
/// stale one under `stale_suppressions = "error"`, fails the run (1).
fn with_markers(code: u8, s: &crate::report::Summary) -> u8 {
    let markers = if s.unknown_metrics > 0 {
        2
    } else if s.marker_errors > 0 {
        1
    } else {
        0
    };
    code.max(markers)
}

/// The cache namespace: every option that changes a stored value. Runs
/// without function hashes (`metrics`) and with them (`check`, `diff`) keep
/// separate entries, so the gate never reads an entry that lacks hashes.
pub(crate) fn cache_fingerprint(settings: &Settings, options: MetricOptions) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = twox_hash::XxHash64::with_seed(0);
    settings.fingerprint().hash(&mut h);
    options.function_hashes.hash(&mut h);
    h.finish()
}
