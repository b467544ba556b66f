//! Degradation levels: how much of a file's analysis ran.
//!
//! A file is analysed in full unless that fails or would overrun the time
//! budget; then antipasta steps down instead of giving up:
//!
//! - `full`: every metric;
//! - `reduced`: no Halstead and no maintainability index (the Halstead walk
//!   is the costliest after parsing, and MI needs its volume);
//! - `minimal`: radon's line counts only, from a scan that needs no parse
//!   (so it survives input nested too deeply to parse safely);
//! - skipped: nothing, with the reason.
//!
//! Example: a file nested 5,000 brackets deep cannot be parsed safely, so it
//! gets `minimal`: its `lines_of_code` etc. are reported and gated, its
//! functions are not, and the report says why.
//!
//! A metric a level does not provide is absent from the report and no rule
//! on it is checked (never compared as 0).

use serde::{Deserialize, Serialize};

use super::MetricKind;

/// Why a file's analysis is below full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Degraded {
    pub cause: Cause,
    pub message: String,
}

/// What made an analysis step down; each counts as what it is: a problem
/// with the input, antipasta's own failure, or the time budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Cause {
    /// The input nests too deeply to parse safely (an error, exit 2).
    TooDeep,
    /// antipasta panicked at the higher level (internal: the hook fails
    /// open on it).
    Internal,
    /// The time budget left too little for the higher level (follows
    /// `on_budget_exceeded`).
    Budget,
}

impl Cause {
    /// Whether the step down counts as an error (the budget's does not).
    pub(crate) fn is_error(self) -> bool {
        self != Cause::Budget
    }

    pub(crate) const ALL: [Cause; 3] = [Cause::TooDeep, Cause::Internal, Cause::Budget];

    /// The name the JSON report gives it (`degraded_cause`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cause::TooDeep => "too_deep",
            Cause::Internal => "internal",
            Cause::Budget => "budget",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl std::fmt::Display for Degraded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// How much of a file's analysis ran; ordered from most to least.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Level {
    #[default]
    Full,
    Reduced,
    Minimal,
}

impl Level {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Level::Full => "full",
            Level::Reduced => "reduced",
            Level::Minimal => "minimal",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Level> {
        [Level::Full, Level::Reduced, Level::Minimal]
            .into_iter()
            .find(|l| l.name() == name)
    }

    /// The next level down, `None` below minimal (skipped).
    pub(crate) fn lower(self) -> Option<Level> {
        match self {
            Level::Full => Some(Level::Reduced),
            Level::Reduced => Some(Level::Minimal),
            Level::Minimal => None,
        }
    }

    /// Whether a metric is computed at this level.
    pub(crate) fn provides(self, kind: MetricKind) -> bool {
        match self {
            Level::Full => true,
            Level::Reduced => !matches!(
                kind,
                MetricKind::MaintainabilityIndex
                    | MetricKind::HalsteadVolume
                    | MetricKind::HalsteadDifficulty
                    | MetricKind::HalsteadEffort
                    | MetricKind::HalsteadTime
                    | MetricKind::HalsteadBugs
            ),
            Level::Minimal => matches!(
                kind,
                MetricKind::LinesOfCode
                    | MetricKind::LogicalLinesOfCode
                    | MetricKind::SourceLinesOfCode
                    | MetricKind::CommentLines
                    | MetricKind::BlankLines
            ),
        }
    }

    /// What the level leaves out, for reports.
    pub(crate) fn omits(self) -> &'static str {
        match self {
            Level::Full => "nothing",
            Level::Reduced => "no Halstead metrics or maintainability index",
            Level::Minimal => "line counts only, no function metrics",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_provide_fewer_metrics_as_they_go_down() {
        let count = |l: Level| MetricKind::ALL.iter().filter(|k| l.provides(**k)).count();
        assert_eq!(count(Level::Full), MetricKind::ALL.len());
        assert_eq!(count(Level::Reduced), MetricKind::ALL.len() - 6);
        assert_eq!(count(Level::Minimal), 5);
        assert!(!Level::Reduced.provides(MetricKind::HalsteadVolume));
        assert!(Level::Reduced.provides(MetricKind::CognitiveComplexity));
        assert!(!Level::Minimal.provides(MetricKind::CyclomaticComplexity));
        assert_eq!(Level::Full.lower(), Some(Level::Reduced));
        assert_eq!(Level::Minimal.lower(), None);
    }
}
