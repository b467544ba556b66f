//! A tree report → statistics per metric: count, total, mean, median, p90,
//! max and how many values break their limit, for functions and for files,
//! over the whole tree and per group (directory or Python package), and
//! the worst functions by their ratio to a limit.
//!
//! Input: the files of a `metrics` report with the rules that applied to
//! each ([`StatFile`]). Output: [`Stats`], which `stats` renders and the
//! HTML report embeds. Pure: no I/O (whether a directory is a package is
//! the caller's question, [`Grouping::Module`]).
//!
//! Definitions, as `docs/report.md` states them: the median of an even
//! count is the mean of the two middle values; p90 is the nearest-rank
//! percentile (the smallest value with at least 90 % of the values at or
//! below it); "over" counts the violations the report holds for that
//! metric and scope (a value a suppression marker exempts is not over).

use std::collections::BTreeMap;

use crate::config::{Comparison, Rule, Scope};
use crate::metrics::{FileAnalysis, FunctionReport, MetricKind};
use crate::thresholds::Violation;

/// The metrics a function has, in report order.
pub(crate) const FUNCTION_METRICS: [MetricKind; 10] = [
    MetricKind::CyclomaticComplexity,
    MetricKind::CognitiveComplexity,
    MetricKind::HalsteadVolume,
    MetricKind::HalsteadDifficulty,
    MetricKind::HalsteadEffort,
    MetricKind::HalsteadTime,
    MetricKind::HalsteadBugs,
    MetricKind::LinesOfCode,
    MetricKind::ParameterCount,
    MetricKind::NestingDepth,
];

/// The metrics a file has, in report order.
pub(crate) const FILE_METRICS: [MetricKind; 13] = [
    MetricKind::MaintainabilityIndex,
    MetricKind::CyclomaticComplexity,
    MetricKind::CognitiveComplexity,
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
];

/// The Python antipasta's `-m` prefixes, and what each stands for.
pub(crate) const METRIC_PREFIXES: [(&str, &[MetricKind]); 5] = [
    (
        "loc",
        &[
            MetricKind::LinesOfCode,
            MetricKind::LogicalLinesOfCode,
            MetricKind::SourceLinesOfCode,
            MetricKind::CommentLines,
            MetricKind::BlankLines,
        ],
    ),
    ("cyc", &[MetricKind::CyclomaticComplexity]),
    ("cog", &[MetricKind::CognitiveComplexity]),
    (
        "hal",
        &[
            MetricKind::HalsteadVolume,
            MetricKind::HalsteadDifficulty,
            MetricKind::HalsteadEffort,
            MetricKind::HalsteadTime,
            MetricKind::HalsteadBugs,
        ],
    ),
    ("mai", &[MetricKind::MaintainabilityIndex]),
];

/// The metrics `-m` names: full names, the prefixes, `all`; none = all.
/// Kept in [`MetricKind::ALL`]'s order.
pub(crate) fn select_metrics(names: &[String]) -> Result<Vec<MetricKind>, String> {
    if names.is_empty() {
        return Ok(MetricKind::ALL.to_vec());
    }
    let mut chosen = Vec::new();
    for name in names.iter().flat_map(|n| n.split(',')) {
        let name = name.trim().to_ascii_lowercase();
        if name == "all" {
            return Ok(MetricKind::ALL.to_vec());
        }
        if let Some(kind) = MetricKind::from_name(&name) {
            chosen.push(kind);
        } else if let Some((_, kinds)) = METRIC_PREFIXES.iter().find(|(p, _)| *p == name) {
            chosen.extend_from_slice(kinds);
        } else {
            let prefixes: Vec<&str> = METRIC_PREFIXES.iter().map(|(p, _)| *p).collect();
            return Err(format!(
                "unknown metric `{name}`: use a metric name (e.g. cognitive_complexity), \
                 one of the prefixes {}, or all",
                prefixes.join(", ")
            ));
        }
    }
    Ok(MetricKind::ALL
        .into_iter()
        .filter(|k| chosen.contains(k))
        .collect())
}

/// One file of the report, as statistics see it.
pub(crate) struct StatFile<'a> {
    /// As reported (`/`-separated).
    pub path: &'a str,
    /// `None`: the file could not be analysed ([`StatFile::problem`] says why).
    pub analysis: Option<&'a FileAnalysis>,
    pub problem: Option<&'a str>,
    pub violations: &'a [Violation],
    /// The enabled rules that applied to this file.
    pub rules: Vec<Rule>,
}

/// How files are grouped besides the whole tree.
pub(crate) enum Grouping<'a> {
    None,
    /// By directory, cut after `depth` components (files at the top: `.`).
    Directory {
        depth: usize,
    },
    /// By Python package: the dotted name of the innermost package (a
    /// directory with an `__init__.py`) holding the file, counted from the
    /// outermost package above it; `is_package` answers for a directory
    /// given as a report path.
    Module {
        is_package: &'a dyn Fn(&str) -> bool,
    },
}

/// The group files outside every package go to.
pub(crate) const NO_PACKAGE: &str = "(no package)";

impl Grouping<'_> {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Grouping::None => "none",
            Grouping::Directory { .. } => "directory",
            Grouping::Module { .. } => "module",
        }
    }

    fn key(&self, path: &str) -> Option<String> {
        let dirs: Vec<&str> = path.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        match self {
            Grouping::None => None,
            Grouping::Directory { depth } => {
                let cut = &dirs[..dirs.len().min(*depth)];
                Some(if cut.is_empty() {
                    ".".to_string()
                } else {
                    cut.join("/")
                })
            }
            Grouping::Module { is_package } => {
                // The longest run of packages ending at the file's directory.
                let mut start = dirs.len();
                while start > 0 && is_package(&dirs[..start].join("/")) {
                    start -= 1;
                }
                if start == dirs.len() {
                    return Some(NO_PACKAGE.to_string());
                }
                Some(dirs[start..].join("."))
            }
        }
    }
}

/// The spread of one metric over a set of values.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Distribution {
    pub count: usize,
    pub total: f64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub max: Option<f64>,
    /// Values that broke their limit (violations in the report).
    pub over: usize,
}

impl Distribution {
    fn of(mut values: Vec<f64>, over: usize) -> Distribution {
        values.sort_unstable_by(f64::total_cmp);
        let count = values.len();
        let total: f64 = values.iter().sum();
        if count == 0 {
            return Distribution {
                over,
                ..Distribution::default()
            };
        }
        let median = if count % 2 == 1 {
            values[count / 2]
        } else {
            (values[count / 2 - 1] + values[count / 2]) / 2.0
        };
        let rank = (0.9 * count as f64).ceil() as usize;
        Distribution {
            count,
            total,
            mean: Some(total / count as f64),
            median: Some(median),
            p90: Some(values[rank.clamp(1, count) - 1]),
            max: values.last().copied(),
            over,
        }
    }
}

/// One metric at one scope in one group.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MetricStats {
    pub metric: MetricKind,
    pub scope: Scope,
    pub values: Distribution,
    /// The configured limit (before per-path overrides), when enabled.
    pub limit: Option<(Comparison, f64)>,
}

/// Statistics of a set of files.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GroupStats {
    /// `.` for the whole tree, else the group's key.
    pub name: String,
    pub files: usize,
    pub functions: usize,
    /// Files that could not be analysed.
    pub errors: usize,
    pub metrics: Vec<MetricStats>,
}

/// A function ranked by how far past (or how close to) a limit it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WorstFunction {
    pub path: String,
    pub name: String,
    pub line: u32,
    /// Value / limit (limit / value for a minimum); above 1 breaks it.
    pub ratio: f64,
    pub metric: MetricKind,
    pub value: f64,
    pub limit: (Comparison, f64),
}

pub(crate) struct Stats {
    pub grouping: &'static str,
    pub overall: GroupStats,
    /// Sorted by name; empty without a grouping.
    pub groups: Vec<GroupStats>,
    /// The worst functions, worst first (`--top`).
    pub top: Vec<WorstFunction>,
}

/// Everything `stats` prints for these files.
pub(crate) fn stats(
    files: &[StatFile<'_>],
    metrics: &[MetricKind],
    base_rules: &[Rule],
    grouping: &Grouping<'_>,
    top: usize,
) -> Stats {
    let everything: Vec<&StatFile<'_>> = files.iter().collect();
    let mut groups: BTreeMap<String, Vec<&StatFile<'_>>> = BTreeMap::new();
    for f in files {
        if let Some(key) = grouping.key(f.path) {
            groups.entry(key).or_default().push(f);
        }
    }
    Stats {
        grouping: grouping.name(),
        overall: group_stats(".", &everything, metrics, base_rules),
        groups: groups
            .iter()
            .map(|(name, members)| group_stats(name, members, metrics, base_rules))
            .collect(),
        top: worst_functions(files, metrics, top),
    }
}

/// The statistics of `files` for `metrics`, function scope first.
pub(crate) fn group_stats(
    name: &str,
    files: &[&StatFile<'_>],
    metrics: &[MetricKind],
    base_rules: &[Rule],
) -> GroupStats {
    let mut out = Vec::new();
    for scope in [Scope::Function, Scope::File] {
        let kinds: &[MetricKind] = match scope {
            Scope::Function => &FUNCTION_METRICS,
            Scope::File => &FILE_METRICS,
        };
        for &metric in kinds.iter().filter(|k| metrics.contains(k)) {
            let (values, over) = collect(files, metric, scope);
            let limit = base_rules
                .iter()
                .find(|r| r.enabled && r.metric == metric && r.scope == scope)
                .map(|r| (r.comparison, r.threshold));
            out.push(MetricStats {
                metric,
                scope,
                values: Distribution::of(values, over),
                limit,
            });
        }
    }
    GroupStats {
        name: name.to_string(),
        files: files.len(),
        functions: files
            .iter()
            .filter_map(|f| f.analysis)
            .map(|a| a.functions.len())
            .sum(),
        errors: files.iter().filter(|f| f.analysis.is_none()).count(),
        metrics: out,
    }
}

/// A function's value of `metric`, when its analysis level computed it.
pub(crate) fn function_value(
    analysis: &FileAnalysis,
    function: &FunctionReport,
    metric: MetricKind,
) -> Option<f64> {
    analysis
        .level
        .provides(metric)
        .then(|| function.metrics.value(metric))
        .flatten()
}

fn collect(files: &[&StatFile<'_>], metric: MetricKind, scope: Scope) -> (Vec<f64>, usize) {
    let mut values = Vec::new();
    let mut over = 0;
    for f in files {
        let Some(analysis) = f.analysis else { continue };
        match scope {
            Scope::Function => values.extend(
                analysis
                    .functions
                    .iter()
                    .filter_map(|func| function_value(analysis, func, metric)),
            ),
            Scope::File => values.extend(analysis.file_value(metric)),
        }
        over += f
            .violations
            .iter()
            .filter(|v| v.metric == metric && v.function.is_some() == (scope == Scope::Function))
            .count();
    }
    (values, over)
}

/// How far `value` is towards `rule`'s limit: 1 at the limit, above 1 past
/// it. A minimum (`>=`, `>`) counts the other way; an (in)equality rule is
/// 1 when broken, else 0. A division by zero (a limit of 0, a minimum
/// against 0) gives [`RATIO_CAP`].
pub(crate) fn limit_ratio(rule: &Rule, value: f64) -> f64 {
    let ratio = match rule.comparison {
        Comparison::Le | Comparison::Lt => value / rule.threshold,
        Comparison::Ge | Comparison::Gt => rule.threshold / value,
        Comparison::Eq | Comparison::Ne => f64::from(u8::from(!rule.passes(value))),
    };
    if ratio.is_nan() {
        0.0
    } else {
        ratio.clamp(0.0, RATIO_CAP)
    }
}

/// The ratio of a value infinitely past its limit.
pub(crate) const RATIO_CAP: f64 = 1e6;

/// A function's worst ratio over the function rules of its file, with the
/// rule and value that give it; `None` when no rule applies.
pub(crate) fn worst_ratio(
    analysis: &FileAnalysis,
    function: &FunctionReport,
    rules: &[Rule],
) -> Option<(f64, MetricKind, f64, (Comparison, f64))> {
    let mut worst: Option<(f64, MetricKind, f64, (Comparison, f64))> = None;
    for rule in rules.iter().filter(|r| r.scope == Scope::Function) {
        let Some(value) = function_value(analysis, function, rule.metric) else {
            continue;
        };
        let ratio = limit_ratio(rule, value);
        if worst.as_ref().is_none_or(|w| ratio > w.0) {
            worst = Some((ratio, rule.metric, value, (rule.comparison, rule.threshold)));
        }
    }
    worst
}

/// The `n` functions with the highest ratio to a limit of one of
/// `metrics`, worst first (ties by path and line). Ranks positions first
/// and names only the `n` kept: a large tree has tens of thousands of
/// functions.
pub(crate) fn worst_functions(
    files: &[StatFile<'_>],
    metrics: &[MetricKind],
    n: usize,
) -> Vec<WorstFunction> {
    if n == 0 {
        return Vec::new();
    }
    let rules: Vec<Vec<Rule>> = files
        .iter()
        .map(|f| {
            f.rules
                .iter()
                .filter(|r| metrics.contains(&r.metric))
                .copied()
                .collect()
        })
        .collect();
    let mut ranked: Vec<(f64, usize, usize)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let Some(analysis) = f.analysis else { continue };
        for (j, func) in analysis.functions.iter().enumerate() {
            if let Some((ratio, ..)) = worst_ratio(analysis, func, &rules[i]) {
                ranked.push((ratio, i, j));
            }
        }
    }
    // Files are in path order, functions in line order: (i, j) breaks ties.
    let order = |a: &(f64, usize, usize), b: &(f64, usize, usize)| {
        b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2)))
    };
    if ranked.len() > n {
        ranked.select_nth_unstable_by(n - 1, order);
        ranked.truncate(n);
    }
    ranked.sort_unstable_by(order);
    ranked
        .into_iter()
        .filter_map(|(_, i, j)| {
            let f = &files[i];
            let analysis = f.analysis?;
            let func = &analysis.functions[j];
            let (ratio, metric, value, limit) = worst_ratio(analysis, func, &rules[i])?;
            Some(WorstFunction {
                path: f.path.to_string(),
                name: func.qualname.clone(),
                line: func.line,
                ratio,
                metric,
                value,
                limit,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, MetricOptions};
    use crate::source::SourceText;

    fn analysis(src: &str) -> FileAnalysis {
        analyze(&SourceText::from_text(src), MetricOptions::default()).unwrap()
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let d = Distribution::of(vec![4.0, 1.0, 3.0, 2.0], 0);
        assert_eq!(d.median, Some(2.5));
        assert_eq!(d.mean, Some(2.5));
        assert_eq!(d.max, Some(4.0));
        assert_eq!(d.total, 10.0);
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(Distribution::of(values, 0).p90, Some(9.0));
        let values: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(Distribution::of(values, 0).p90, Some(10.0));
        assert_eq!(Distribution::of(vec![7.0], 0).p90, Some(7.0));
    }

    #[test]
    fn no_values_have_no_mean() {
        let d = Distribution::of(Vec::new(), 0);
        assert_eq!((d.count, d.mean, d.max), (0, None, None));
    }

    #[test]
    fn prefixes_expand_and_keep_the_metric_order() {
        let chosen = select_metrics(&["cog".into(), "cyc,mai".into()]).unwrap();
        assert_eq!(
            chosen,
            [
                MetricKind::CyclomaticComplexity,
                MetricKind::CognitiveComplexity,
                MetricKind::MaintainabilityIndex
            ]
        );
        assert_eq!(select_metrics(&["loc".into()]).unwrap().len(), 5);
        assert_eq!(select_metrics(&["all".into()]).unwrap().len(), 15);
        assert!(select_metrics(&["cyclo".into()])
            .unwrap_err()
            .contains("unknown metric `cyclo`"));
    }

    #[test]
    fn directories_cut_at_the_depth() {
        let g = Grouping::Directory { depth: 1 };
        assert_eq!(g.key("a/b/c.py").as_deref(), Some("a"));
        assert_eq!(g.key("top.py").as_deref(), Some("."));
        let g = Grouping::Directory { depth: 2 };
        assert_eq!(g.key("a/b/c/d.py").as_deref(), Some("a/b"));
        assert_eq!(g.key("a/d.py").as_deref(), Some("a"));
    }

    #[test]
    fn modules_are_the_innermost_package_named_from_the_outermost() {
        let packages = ["src/pkg", "src/pkg/sub"];
        let is_package = |d: &str| packages.contains(&d);
        let g = Grouping::Module {
            is_package: &is_package,
        };
        assert_eq!(g.key("src/pkg/sub/m.py").as_deref(), Some("pkg.sub"));
        assert_eq!(g.key("src/pkg/m.py").as_deref(), Some("pkg"));
        assert_eq!(g.key("src/tool.py").as_deref(), Some(NO_PACKAGE));
        assert_eq!(g.key("setup.py").as_deref(), Some(NO_PACKAGE));
    }

    #[test]
    fn ratios_count_towards_the_limit_either_way() {
        let max = Rule::with_defaults(MetricKind::CognitiveComplexity, 10.0);
        assert_eq!(limit_ratio(&max, 15.0), 1.5);
        let min = Rule::with_defaults(MetricKind::MaintainabilityIndex, 50.0);
        assert_eq!(limit_ratio(&min, 25.0), 2.0);
        assert_eq!(limit_ratio(&min, 0.0), RATIO_CAP);
        let big = Rule::with_defaults(MetricKind::HalsteadVolume, 1000.0);
        assert_eq!(
            limit_ratio(&big, 2_577_350.0),
            2577.35,
            "no cap short of infinity"
        );
    }

    #[test]
    fn the_worst_function_leads() {
        let a = analysis(
            "def simple():\n    return 1\n\ndef branchy(x):\n    if x:\n        if x > 1:\n            return 2\n    return 3\n",
        );
        let rules = vec![Rule::with_defaults(MetricKind::CognitiveComplexity, 2.0)];
        let files = [StatFile {
            path: "m.py",
            analysis: Some(&a),
            problem: None,
            violations: &[],
            rules,
        }];
        let top = worst_functions(&files, &MetricKind::ALL, 5);
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].name, "branchy");
        assert_eq!(top[0].value, 3.0);
        assert_eq!(top[0].ratio, 1.5);
        assert_eq!(top[1].ratio, 0.0);
    }
}
