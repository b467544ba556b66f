//! What one file's content gives: its analysis, or why there is none.
//!
//! [`Outcome`] is what the analysis stage hands on, what the cache stores and
//! what the report shows; [`ProblemKind`] decides each problem's effect on
//! the exit code. Plain values, no I/O.

use crate::metrics::FileAnalysis;

/// A file's analysis (partial when it carries a syntax error), or why the
/// file was not analysed. Only content-determined problems are cached.
pub(crate) type Outcome = Result<FileAnalysis, Problem>;

/// Why a file has no analysis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Problem {
    pub kind: ProblemKind,
    pub message: String,
}

/// A closed set: each kind has its own effect on the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum ProblemKind {
    /// The file cannot be read, decoded or walked: an error (exit 2).
    Error,
    /// Deliberately not analysed (too large, binary): reported, not an error.
    Skipped,
    /// antipasta failed on this file (a bug): an error, except that the
    /// pre-commit hook fails open on it by default.
    Internal,
}

impl Problem {
    pub(crate) fn error(message: impl std::fmt::Display) -> Problem {
        Problem {
            kind: ProblemKind::Error,
            message: message.to_string(),
        }
    }

    pub(crate) fn skipped(message: impl std::fmt::Display) -> Problem {
        Problem {
            kind: ProblemKind::Skipped,
            message: message.to_string(),
        }
    }

    pub(crate) fn internal(message: impl std::fmt::Display) -> Problem {
        Problem {
            kind: ProblemKind::Internal,
            message: message.to_string(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
