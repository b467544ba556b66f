//! Metric families, each a pure module over a borrowed AST or text.
//!
//! Inputs: decoded source text and its parsed module. Outputs: plain values.
//! Nothing here does I/O.

pub(crate) mod cognitive;
pub(crate) mod cyclomatic;
pub(crate) mod halstead;
pub(crate) mod maintainability;
pub(crate) mod raw;

/// Every metric antipasta can gate on, named as the Python antipasta names them
/// (`cyclomatic_complexity`, ...). A closed set: config keys, JSON keys and
/// violation messages all go through [`MetricKind::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricKind {
    CyclomaticComplexity,
    CognitiveComplexity,
    MaintainabilityIndex,
    HalsteadVolume,
    HalsteadDifficulty,
    HalsteadEffort,
    HalsteadTime,
    HalsteadBugs,
    LinesOfCode,
    LogicalLinesOfCode,
    SourceLinesOfCode,
    CommentLines,
    BlankLines,
    ParameterCount,
    NestingDepth,
}

impl MetricKind {
    pub const ALL: [MetricKind; 15] = [
        MetricKind::CyclomaticComplexity,
        MetricKind::CognitiveComplexity,
        MetricKind::MaintainabilityIndex,
        MetricKind::HalsteadVolume,
        MetricKind::HalsteadDifficulty,
        MetricKind::HalsteadEffort,
        MetricKind::HalsteadTime,
        MetricKind::HalsteadBugs,
        MetricKind::LinesOfCode,
        MetricKind::LogicalLinesOfCode,
        MetricKind::SourceLinesOfCode,
        MetricKind::CommentLines,
        MetricKind::BlankLines,
        MetricKind::ParameterCount,
        MetricKind::NestingDepth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MetricKind::CyclomaticComplexity => "cyclomatic_complexity",
            MetricKind::CognitiveComplexity => "cognitive_complexity",
            MetricKind::MaintainabilityIndex => "maintainability_index",
            MetricKind::HalsteadVolume => "halstead_volume",
            MetricKind::HalsteadDifficulty => "halstead_difficulty",
            MetricKind::HalsteadEffort => "halstead_effort",
            MetricKind::HalsteadTime => "halstead_time",
            MetricKind::HalsteadBugs => "halstead_bugs",
            MetricKind::LinesOfCode => "lines_of_code",
            MetricKind::LogicalLinesOfCode => "logical_lines_of_code",
            MetricKind::SourceLinesOfCode => "source_lines_of_code",
            MetricKind::CommentLines => "comment_lines",
            MetricKind::BlankLines => "blank_lines",
            MetricKind::ParameterCount => "parameter_count",
            MetricKind::NestingDepth => "nesting_depth",
        }
    }

    pub fn from_name(name: &str) -> Option<MetricKind> {
        MetricKind::ALL.into_iter().find(|k| k.name() == name)
    }
}
