//! The progress bar of long runs: files done of the total, the rate and the
//! time left, on standard error (indicatif). Only on a terminal, never in
//! CI (`CI` set) or with `-q`, and only once a run has taken about a
//! second: a hook run that ends in 30 ms never flickers a bar.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether standard error is a terminal (where a bar can be drawn).
pub(crate) fn stderr_is_terminal() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// How long a run goes before its bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A bar over `total` files; hidden until [`SHOW_AFTER`], or for good
/// when not `wanted`.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    pub(crate) fn new(total: usize, wanted: bool) -> Progress {
        let bar = (wanted && total > 1).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "antipasta: {bar:30} {pos}/{len} files, {per_sec}, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// One more file done.
    pub(crate) fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        if bar.is_hidden() && self.started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        }
        bar.inc(1);
    }

    /// Removes the bar (the report follows).
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
