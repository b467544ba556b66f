//! The per-file analysis stage, shared by every mode: bytes → guards (size,
//! NUL bytes) → decoding → [`metrics::analyze_at`](crate::metrics::analyze_at)
//! (parse → functions → every metric family) → a [`FileAnalysis`] or a
//! [`Problem`].
//!
//! Each attempt runs inside [`crate::isolate`]'s panic boundary, at the
//! highest analysis [`Level`] that works: a panic at full retries reduced,
//! then minimal; input too deep to parse goes straight to minimal (line
//! counts need no parse). Only a failure at minimal, or before analysis,
//! leaves the file without a result. No I/O.

use crate::guard::check_bytes;
use crate::isolate::{catch, catch_with_cause};
use crate::metrics::{analyze_at, Cause, Degraded, FileAnalysis, Level, MetricOptions};
use crate::outcome::Problem;
use crate::source::decode;
use crate::timings::{self, Work};
#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local! {
    /// Tests: make every analysis from full down to this level panic.
    static FAIL_AT: Cell<Option<Level>> = const { Cell::new(None) };
}

/// Guards, decodes and analyses one file's bytes, in full if possible.
pub(crate) fn analyze_bytes(
    bytes: &[u8],
    max_file_bytes: u64,
    options: MetricOptions,
) -> Result<FileAnalysis, Problem> {
    analyze_bytes_from(bytes, max_file_bytes, options, None)
}

/// Guards, decodes and analyses one file's bytes, starting at the level
/// `start` gives (with the reason it is below full; `None`: full), and
/// stepping down one [`Level`] each time an attempt fails: a panic at full
/// retries reduced, then minimal; input too deep to parse goes straight to
/// minimal (which needs no parse). Only a failure at minimal, or before
/// analysis (size, NUL bytes, decoding), leaves the file without a result.
pub(crate) fn analyze_bytes_from(
    bytes: &[u8],
    max_file_bytes: u64,
    options: MetricOptions,
    start: Option<(Level, Degraded)>,
) -> Result<FileAnalysis, Problem> {
    crate::timings::count_analysed();
    check_bytes(bytes, max_file_bytes).map_err(Problem::skipped)?;
    let source = match timings::work(Work::Decode, || catch(|| decode(bytes))) {
        Ok(Ok(source)) => source,
        Ok(Err(e)) => return Err(Problem::error(e)),
        Err(message) => return Err(Problem::internal(message)),
    };
    let (mut level, mut why) = match start {
        Some((level, why)) => (level, Some(why)),
        None => (Level::Full, None),
    };
    loop {
        let attempt = catch_with_cause(|| match level {
            #[cfg(test)]
            _ if FAIL_AT.with(Cell::get).is_some_and(|at| level <= at) => {
                panic!("injected failure at {level:?}")
            }
            Level::Minimal => Ok(FileAnalysis::minimal(&source)),
            _ => timings::work(Work::Metrics, || analyze_at(&source, options, level)),
        });
        let failure = match attempt {
            Ok(Ok(mut analysis)) => {
                analysis.degraded = why;
                return Ok(analysis);
            }
            Ok(Err(deep)) => Degraded {
                cause: Cause::TooDeep,
                message: deep.to_string(),
            },
            Err((cause, message)) => Degraded { cause, message },
        };
        let next = match failure.cause {
            // Every level above minimal parses.
            Cause::TooDeep if level < Level::Minimal => Some(Level::Minimal),
            _ => level.lower(),
        };
        match next {
            Some(lower) => {
                level = lower;
                why = Some(first_failure(why, failure));
            }
            None => {
                let failure = first_failure(why, failure);
                return Err(match failure.cause {
                    Cause::Internal => Problem::internal(failure.message),
                    _ => Problem::error(failure.message),
                });
            }
        }
    }
}

/// The reason worth reporting: the first failure, which outranks the
/// budget (a panic must surface as an internal error, not as "no time").
fn first_failure(earlier: Option<Degraded>, failure: Degraded) -> Degraded {
    match earlier {
        Some(earlier) if earlier.cause != Cause::Budget => earlier,
        _ => failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_degrades_to_line_counts_not_an_abort() {
        let n = 100_000;
        let text = format!("def f():\n    x = {}1\n", "not ".repeat(n));
        let a = analyze_bytes(text.as_bytes(), 0, MetricOptions::default()).unwrap();
        assert_eq!(a.level, Level::Minimal);
        let why = a.degraded.unwrap();
        assert_eq!(why.cause, Cause::TooDeep);
        assert!(why.message.starts_with("nesting too deep"), "{why}");
        assert!(a.functions.is_empty());
        assert_eq!(a.file.raw.map(|r| r.loc), Ok(2));
    }

    /// `analyze_bytes_from` with every level from full down to `at`
    /// panicking.
    fn failing_down_to(
        at: Level,
        text: &[u8],
        start: Option<(Level, Degraded)>,
    ) -> Result<FileAnalysis, Problem> {
        FAIL_AT.with(|f| f.set(Some(at)));
        let outcome = analyze_bytes_from(text, 0, MetricOptions::default(), start);
        FAIL_AT.with(|f| f.set(None));
        outcome
    }

    #[test]
    fn a_panic_at_full_steps_down_to_reduced() {
        let text = "def f(a):\n    if a:\n        return a + 1\n";
        let a = failing_down_to(Level::Full, text.as_bytes(), None).unwrap();
        assert_eq!(a.level, Level::Reduced);
        let why = a.degraded.clone().unwrap();
        assert_eq!(why.cause, Cause::Internal);
        assert!(why.message.contains("injected"), "{why}");
        assert_eq!(a.functions[0].metrics.cyclomatic, 2);
        assert_eq!(a.file.maintainability, None);
        assert_eq!(
            a.file_value(crate::metrics::MetricKind::HalsteadVolume),
            None
        );
    }

    #[test]
    fn panics_at_every_parsed_level_leave_line_counts() {
        let text = "def f(a):\n    return a\n";
        let a = failing_down_to(Level::Reduced, text.as_bytes(), None).unwrap();
        assert_eq!(a.level, Level::Minimal);
        assert_eq!(a.degraded.unwrap().cause, Cause::Internal);
        assert!(a.functions.is_empty());
    }

    #[test]
    fn a_panic_at_minimal_is_an_internal_error() {
        let p = failing_down_to(Level::Minimal, b"x = 1\n", None).unwrap_err();
        assert_eq!(p.kind, crate::outcome::ProblemKind::Internal);
    }

    #[test]
    fn a_panic_outranks_the_budget_as_the_reason() {
        let why = Degraded {
            cause: Cause::Budget,
            message: "budget".to_owned(),
        };
        let a = failing_down_to(
            Level::Reduced,
            b"def f(a):\n    return a\n",
            Some((Level::Reduced, why)),
        )
        .unwrap();
        assert_eq!(a.level, Level::Minimal);
        assert_eq!(a.degraded.unwrap().cause, Cause::Internal);
    }

    #[test]
    fn the_budget_can_start_lower() {
        let text = "def f(a):\n    return a\n";
        let why = Degraded {
            cause: Cause::Budget,
            message: "budget".to_owned(),
        };
        let a = analyze_bytes_from(
            text.as_bytes(),
            0,
            MetricOptions::default(),
            Some((Level::Reduced, why.clone())),
        )
        .unwrap();
        assert_eq!((a.level, a.degraded), (Level::Reduced, Some(why)));
        assert_eq!(a.functions.len(), 1);
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
        assert_eq!(p.kind, crate::outcome::ProblemKind::Skipped);
    }
}
