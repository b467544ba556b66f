//! The panic boundary: [`catch`] turns a panic — a bug in antipasta or a
//! library — into a value, so that one file (or the cache, or a whole run)
//! fails alone instead of aborting the process; [`Internal`] marks run errors
//! that are antipasta's own failures.
//!
//! The entry's panic hook asks [`catching`] to keep panics caught here
//! quiet (the report names them). No I/O here.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

use crate::guard::TooDeep;
use crate::metrics::Cause;

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

/// True while this thread runs inside [`catch`]: the entry's panic hook
/// stays quiet then (the report names the panic).
pub(crate) fn catching() -> bool {
    CATCHING.with(Cell::get)
}

/// Runs `f`, turning a panic into `Err` with the panic's message.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_with_cause(f).map_err(|(_, message)| message)
}

/// [`catch`], also saying why: input nested too deeply to walk
/// ([`Cause::TooDeep`], from [`crate::guard`]'s stack check) or a bug
/// ([`Cause::Internal`], the message starting `internal error: `).
pub(crate) fn catch_with_cause<R>(f: impl FnOnce() -> R) -> Result<R, (Cause, String)> {
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        if let Some(deep) = payload.downcast_ref::<TooDeep>() {
            return (Cause::TooDeep, deep.to_string());
        }
        let message = if let Some(s) = payload.downcast_ref::<&str>() {
            format!("internal error: {s}")
        } else if let Some(s) = payload.downcast_ref::<String>() {
            format!("internal error: {s}")
        } else {
            "internal error: a panic without a message".to_string()
        };
        (Cause::Internal, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_becomes_an_error() {
        let r: Result<(), String> = catch(|| panic!("boom"));
        assert_eq!(r, Err("internal error: boom".to_string()));
    }
}
