//! Cancellation: Ctrl-C (SIGINT) and SIGTERM stop a run promptly.
//!
//! Stage: installed once by the analysing commands (`check`, `diff`,
//! `metrics`) before any file is read. The first signal only sets a flag:
//! workers start no new file, the run reports nothing and exits with the
//! shell's convention, 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
//! Nothing is written to the repository, so stopping between files leaves
//! no state behind. A second signal exits at once with the same code, in
//! case a file takes long.
//!
//! Why signal-hook: its `flag` module registers async-signal-safe handlers
//! that only store to an atomic, and it reports *which* signal arrived (the
//! exit code differs); `ctrlc` merges every termination signal into one
//! callback.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The signal that asked the run to stop, 0 for none.
static SIGNAL: AtomicUsize = AtomicUsize::new(0);
/// Set by the first signal; arms the immediate exit on the second.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Installs the handlers. Failing to install them only costs promptness, so
/// the error is returned for a warning, not a stop.
#[cfg(unix)]
pub(crate) fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::flag;
    for signal in [SIGINT, SIGTERM] {
        // Order matters: the shutdown checks ARMED before this signal sets it.
        flag::register_conditional_shutdown(signal, 128 + signal, &ARMED)?;
        flag::register(signal, &ARMED)?;
        flag::register_usize(signal, &SIGNAL, signal as usize)?;
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn install() -> std::io::Result<()> {
    Ok(())
}

/// The exit code a cancelled run ends with (128 + signal), `None` if no
/// signal arrived.
pub(crate) fn requested() -> Option<u8> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(u8::try_from(128 + signal).unwrap_or(130)),
    }
}

/// The name of the signal that stopped the run, for the message.
pub(crate) fn signal_name(code: u8) -> &'static str {
    match code {
        130 => "interrupted (SIGINT)",
        143 => "terminated (SIGTERM)",
        _ => "stopped by a signal",
    }
}
