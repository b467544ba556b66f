//! Logs: `tracing` events on standard error, for diagnosing a run without a
//! rebuild. Off unless `ANTIPASTA_LOG` sets a filter (`debug`,
//! `antipasta::cache=trace`, `warn,antipasta::git=debug`: tracing's
//! `EnvFilter` syntax); `--log-format json` writes one JSON object per line
//! (timestamp, level, target, message and the event's fields at the top
//! level). Logs never go to standard output and never change the exit code.
//!
//! Off costs nothing measurable: no subscriber is installed, so every event
//! is one check of tracing's global maximum level (`LevelFilter::OFF`).

use anyhow::{anyhow, Result};
use tracing_subscriber::EnvFilter;

/// `--log-format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the subscriber for `filter` (the value of `ANTIPASTA_LOG`);
/// nothing for `None`. A filter that does not parse is a usage error.
pub(crate) fn init(filter: Option<&str>, format: LogFormat) -> Result<()> {
    let Some(filter) = filter else {
        return Ok(());
    };
    let filter = EnvFilter::builder()
        .parse(filter)
        .map_err(|e| anyhow!("ANTIPASTA_LOG={filter:?} is not a log filter ({e}); try `debug` or `antipasta::cache=trace`"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(true);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
    installed.map_err(|e| anyhow!("cannot start logging: {e}"))
}

/// Milliseconds of a duration, for the `elapsed_ms` field of events.
pub(crate) fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
