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

/// What the SIGXCPU handler writes and exits with, fixed before the limit
/// is set (the handler may only make async-signal-safe calls).
static CPU_MESSAGE: std::sync::OnceLock<(Vec<u8>, i32)> = std::sync::OnceLock::new();

/// Ends the run when the CPU limit (`max_cpu_seconds`, RLIMIT_CPU) is
/// reached: the kernel sends SIGXCPU, whose default action would end the
/// process with no word; this writes `message` on stderr and exits with
/// `code` (2, or 0 where the hook fails open). Set once per process.
#[cfg(unix)]
pub(crate) fn on_cpu_limit(message: String, code: i32) -> std::io::Result<()> {
    let _ = CPU_MESSAGE.set((message.into_bytes(), code));
    let handler = || {
        if let Some((message, code)) = CPU_MESSAGE.get() {
            // SAFETY: write(2) and _exit(2) are async-signal-safe; the
            // buffer is immutable once set, before the handler existed.
            unsafe {
                libc::write(2, message.as_ptr().cast(), message.len());
                libc::_exit(*code);
            }
        }
    };
    // SAFETY: the handler only calls async-signal-safe functions and reads
    // a value that is never written again.
    unsafe { signal_hook::low_level::register(signal_hook::consts::SIGXCPU, handler) }.map(|_| ())
}

#[cfg(not(unix))]
pub(crate) fn on_cpu_limit(_message: String, _code: i32) -> std::io::Result<()> {
    Ok(())
}
