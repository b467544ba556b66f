//! One file's analysis, isolated so that nothing in it can take the run down.
//!
//! Stage: bytes → [`FileAnalysis`] or a [`Problem`], used by every command.
//! Guards run first (size, NUL bytes), then decoding, then the analysis
//! (whose parser refuses pathological nesting, see [`crate::guard`]), all
//! inside [`catch`]: a panic — a bug in antipasta or a library — becomes that
//! file's internal error instead of aborting the process.
//!
//! The panic hook installed by [`install_panic_hook`] keeps panics caught
//! here quiet (the report names them) and makes any other panic say that it
//! is antipasta's bug. No I/O here besides that stderr message.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

use crate::guard::{check_bytes, TooDeep};
use crate::metrics::{analyze, FileAnalysis, MetricOptions};
use crate::report::Problem;
use crate::source::decode;

thread_local! {
    /// True while this thread runs inside [`catch`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Marks an error as antipasta's own failure rather than a problem with the
/// user's input or repository (the hook fails open on those only).
#[derive(Debug)]
pub(crate) struct Internal;

impl std::fmt::Display for Internal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("internal error")
    }
}

/// True for a run error that is antipasta's own failure.
pub(crate) fn is_internal(err: &anyhow::Error) -> bool {
    err.downcast_ref::<Internal>().is_some()
}

/// Installs the process-wide panic hook (once, at start).
pub(crate) fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CATCHING.with(Cell::get) {
            return;
        }
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
        eprintln!("antipasta: internal error (a bug in antipasta, please report it): {info}");
    }));
}

/// Runs `f`, turning a panic into `Err` with the panic's message.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        if let Some(deep) = payload.downcast_ref::<TooDeep>() {
            deep.to_string()
        } else if let Some(s) = payload.downcast_ref::<&str>() {
            format!("internal error: {s}")
        } else if let Some(s) = payload.downcast_ref::<String>() {
            format!("internal error: {s}")
        } else {
            "internal error: a panic without a message".to_string()
        }
    })
}

/// Guards, decodes and analyses one file's bytes.
pub(crate) fn analyze_bytes(
    bytes: &[u8],
    max_file_bytes: u64,
    options: MetricOptions,
) -> Result<FileAnalysis, Problem> {
    check_bytes(bytes, max_file_bytes).map_err(Problem::skipped)?;
    match catch(|| {
        let source = decode(bytes).map_err(Problem::error)?;
        analyze(&source, options).map_err(Problem::error)
    }) {
        Ok(outcome) => outcome,
        Err(message) if message.starts_with("internal error") => Err(Problem::internal(message)),
        Err(message) => Err(Problem::error(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_becomes_an_error() {
        let r: Result<(), String> = catch(|| panic!("boom"));
        assert_eq!(r, Err("internal error: boom".to_string()));
    }

    #[test]
    fn deep_nesting_is_a_file_error_not_an_abort() {
        let n = 100_000;
        let text = format!("x = {}1\n", "not ".repeat(n));
        let p = analyze_bytes(text.as_bytes(), 0, MetricOptions::default()).unwrap_err();
        assert_eq!(p.kind, crate::report::ProblemKind::Error);
        assert!(p.message.starts_with("nesting too deep"), "{p}");
    }

    #[test]
    fn syntax_error_gives_a_partial_analysis() {
        let text = "def ok(a):\n    return a\n\ndef bad(:\n    pass\n";
        let a = analyze_bytes(text.as_bytes(), 0, MetricOptions::default()).unwrap();
        assert_eq!(a.syntax_error.as_ref().map(|e| e.line), Some(4));
        let names: Vec<&str> = a.functions.iter().map(|f| f.qualname.as_str()).collect();
        assert_eq!(names, ["ok"]);
    }

    #[test]
    fn binary_is_skipped() {
        let p = analyze_bytes(b"x = 1\0", 0, MetricOptions::default()).unwrap_err();
        assert_eq!(p.kind, crate::report::ProblemKind::Skipped);
    }
}
