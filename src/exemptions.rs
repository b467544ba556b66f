//! Suppression markers applied: a file's violations → the ones its markers
//! leave, what they suppressed (with the reason), and what is wrong with
//! the markers themselves (stale, without a reason, an unknown metric).
//!
//! Input: the rules for the file, its analysis (which holds the markers as
//! written, [`crate::suppress::Suppression`]), the violations judged
//! without markers, and the [`Policy`] (`--no-ignore`, `require_reason`,
//! `stale_suppressions`). A marker is stale when no value it names is past
//! its limit: the limit, not the gate's verdict, decides (a legacy function
//! over its limit that did not get worse still needs its marker). No I/O.

pub(crate) use crate::config::StaleMode;
use crate::config::{Rule, Scope};
use crate::metrics::{FileAnalysis, FunctionReport, Level, MetricKind};
use crate::suppress::Suppression;
use crate::thresholds::Violation;

/// How markers are honoured in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Policy {
    /// `false` with `--no-ignore`: every marker is disregarded.
    pub honour: bool,
    /// `require_reason = true`: a marker without `-- reason` is an error
    /// and suppresses nothing.
    pub require_reason: bool,
    pub stale: StaleMode,
}

impl Policy {
    /// The configuration's policy; `no_ignore` (`--no-ignore`) disregards
    /// every marker.
    pub(crate) fn new(settings: &crate::config::Settings, no_ignore: bool) -> Policy {
        Policy {
            honour: !no_ignore,
            require_reason: settings.require_reason,
            stale: settings.stale_suppressions,
        }
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            honour: true,
            require_reason: false,
            stale: StaleMode::Warn,
        }
    }
}

/// A violation a marker suppressed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ignored {
    pub violation: Violation,
    pub reason: Option<String>,
}

/// Something wrong with a marker, at the marker's position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MarkerNote {
    pub line: u32,
    pub column: u32,
    /// The function the marker is for; `None` for a file marker.
    pub function: Option<String>,
    pub problem: MarkerProblem,
    /// Whether it fails the run (a stale marker only with
    /// `stale_suppressions = "error"`).
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum MarkerProblem {
    /// The marker suppresses nothing: `metric` (every one for a bare marker,
    /// `None`) is within its limit, or no threshold on it applies here.
    Stale {
        metric: Option<MetricKind>,
        has_rule: bool,
    },
    /// `require_reason = true` and the marker gives none.
    NoReason,
    /// A name between the brackets that is no metric.
    Unknown {
        name: String,
        suggestion: Option<String>,
    },
}

impl MarkerProblem {
    /// The JSON `problem` name.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            MarkerProblem::Stale { .. } => "stale",
            MarkerProblem::NoReason => "no_reason",
            MarkerProblem::Unknown { .. } => "unknown_metric",
        }
    }
}

impl MarkerNote {
    /// The message, without position or severity.
    pub(crate) fn message(&self) -> String {
        let whose = self.function.as_deref().unwrap_or("the file");
        match &self.problem {
            MarkerProblem::Stale { metric: None, .. } => {
                format!("stale suppression: {whose} is within every limit; remove the marker")
            }
            MarkerProblem::Stale {
                metric: Some(m),
                has_rule: true,
            } => format!(
                "stale suppression of `{}`: {whose} is within its limit; remove it from the marker",
                m.name()
            ),
            MarkerProblem::Stale {
                metric: Some(m),
                has_rule: false,
            } => format!(
                "stale suppression of `{}`: no threshold on it applies to {whose}; remove it \
                 from the marker",
                m.name()
            ),
            MarkerProblem::NoReason => format!(
                "suppression without a reason for {whose} (require_reason = true): add \
                 ` -- <why>` to the marker"
            ),
            MarkerProblem::Unknown {
                name,
                suggestion: Some(best),
            } => format!("unknown metric `{name}` in a suppression marker; did you mean `{best}`?"),
            MarkerProblem::Unknown {
                name,
                suggestion: None,
            } => format!(
                "unknown metric `{name}` in a suppression marker; known metrics: {}",
                crate::config::metric_list()
            ),
        }
    }
}

/// What the markers of one file did.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Exemptions {
    pub ignored: Vec<Ignored>,
    pub notes: Vec<MarkerNote>,
}

impl Exemptions {
    /// Notes that fail the run.
    pub(crate) fn errors(&self) -> usize {
        self.notes.iter().filter(|n| n.error).count()
    }

    /// Notes naming an unknown metric: bad input, exit 2.
    pub(crate) fn unknown_metrics(&self) -> usize {
        self.notes
            .iter()
            .filter(|n| matches!(n.problem, MarkerProblem::Unknown { .. }))
            .count()
    }

    pub(crate) fn stale(&self) -> usize {
        self.notes
            .iter()
            .filter(|n| matches!(n.problem, MarkerProblem::Stale { .. }))
            .count()
    }

    /// One function's violations (or, with `function` `None`, the file's)
    /// under its marker: returns those it leaves; records what it
    /// suppressed and what is wrong with it. `need(m)`: whether the value
    /// of `m` is past its limit here.
    pub(crate) fn sort_out(
        &mut self,
        marker: Option<&Suppression>,
        function: Option<&str>,
        violations: Vec<Violation>,
        need: &dyn Fn(MetricKind) -> Need,
        policy: Policy,
    ) -> Vec<Violation> {
        let Some(marker) = marker.filter(|_| policy.honour) else {
            return violations;
        };
        let note = |problem, error| MarkerNote {
            line: marker.line,
            column: marker.column,
            function: function.map(str::to_owned),
            problem,
            error,
        };
        let named = marker.metrics.as_ref().map(|names| {
            let mut known = Vec::new();
            for name in names {
                match MetricKind::from_name(name) {
                    Some(m) if !known.contains(&m) => known.push(m),
                    Some(_) => {}
                    None => self.notes.push(note(
                        MarkerProblem::Unknown {
                            name: name.clone(),
                            suggestion: crate::config::suggest_metric(name),
                        },
                        true,
                    )),
                }
            }
            known
        });
        if policy.require_reason && marker.reason.is_none() {
            self.notes.push(note(MarkerProblem::NoReason, true));
            return violations;
        }
        let covers = |m: MetricKind| named.as_ref().is_none_or(|ms| ms.contains(&m));
        let (ignored, kept): (Vec<_>, Vec<_>) =
            violations.into_iter().partition(|v| covers(v.metric));
        let stale_error = policy.stale == StaleMode::Error;
        // complexipy's markers are complexipy's too: not ours to call stale.
        if policy.stale != StaleMode::Off && !marker.complexipy {
            match &named {
                Some(metrics) => {
                    for &m in metrics {
                        let needed = need(m);
                        if matches!(needed, Need::Within | Need::NoRule)
                            && !ignored.iter().any(|v| v.metric == m)
                        {
                            let stale = MarkerProblem::Stale {
                                metric: Some(m),
                                has_rule: needed == Need::Within,
                            };
                            self.notes.push(note(stale, stale_error));
                        }
                    }
                }
                None => {
                    let needs: Vec<Need> = MetricKind::ALL.iter().map(|&m| need(m)).collect();
                    if ignored.is_empty()
                        && !needs.contains(&Need::Over)
                        && needs.contains(&Need::Within)
                    {
                        let stale = MarkerProblem::Stale {
                            metric: None,
                            has_rule: true,
                        };
                        self.notes.push(note(stale, stale_error));
                    }
                }
            }
        }
        self.ignored
            .extend(ignored.into_iter().map(|violation| Ignored {
                violation,
                reason: marker.reason.clone(),
            }));
        kept
    }
}

/// Whether a metric's value calls for a suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Past a limit.
    Over,
    /// Within every limit on it.
    Within,
    /// No enabled threshold on it at this scope.
    NoRule,
    /// Not computed (the analysis level, or radon's tokenizer failed).
    Unknown,
}

fn need(rules: &[Rule], scope: Scope, metric: MetricKind, value: Option<f64>) -> Need {
    let mut rules = rules
        .iter()
        .filter(|r| r.enabled && r.scope == scope && r.metric == metric)
        .peekable();
    if rules.peek().is_none() {
        return Need::NoRule;
    }
    let Some(value) = value else {
        return Need::Unknown;
    };
    if rules.any(|r| !r.passes(value)) {
        Need::Over
    } else {
        Need::Within
    }
}

/// [`Need`] of a function's metric, analysed at `level`.
pub(crate) fn function_need(
    rules: &[Rule],
    function: &FunctionReport,
    level: Level,
    metric: MetricKind,
) -> Need {
    let value = level
        .provides(metric)
        .then(|| function.metrics.value(metric))
        .flatten();
    need(rules, Scope::Function, metric, value)
}

/// [`Need`] of a file-scope metric.
pub(crate) fn file_need(rules: &[Rule], analysis: &FileAnalysis, metric: MetricKind) -> Need {
    need(rules, Scope::File, metric, analysis.file_value(metric))
}

/// Every marker of a file applied to its violations (as `metrics` judges
/// them: every function), the rest in the order they came.
pub(crate) fn apply_to_file(
    rules: &[Rule],
    analysis: &FileAnalysis,
    violations: Vec<Violation>,
    policy: Policy,
) -> (Vec<Violation>, Exemptions) {
    let mut exemptions = Exemptions::default();
    let marked = analysis.functions.iter().any(|f| f.suppression.is_some());
    if !policy.honour || (!marked && analysis.file_suppression.is_none()) {
        return (violations, exemptions);
    }
    let mut kept = Vec::with_capacity(violations.len());
    let mut rest = violations;
    for f in analysis
        .functions
        .iter()
        .filter(|f| f.suppression.is_some())
    {
        let (mine, others): (Vec<_>, Vec<_>) = rest.into_iter().partition(|v| {
            v.function.as_deref() == Some(f.qualname.as_str())
                && (v.line, v.column) == (f.line, f.column)
        });
        rest = others;
        kept.extend(exemptions.sort_out(
            f.suppression.as_ref(),
            Some(&f.qualname),
            mine,
            &|m| function_need(rules, f, analysis.level, m),
            policy,
        ));
    }
    let (file, others): (Vec<_>, Vec<_>) = rest.into_iter().partition(|v| v.function.is_none());
    kept.extend(others);
    kept.extend(exemptions.sort_out(
        analysis.file_suppression.as_ref(),
        None,
        file,
        &|m| file_need(rules, analysis, m),
        policy,
    ));
    crate::thresholds::sort_violations(&mut kept);
    exemptions.notes.sort_by_key(|n| (n.line, n.column));
    (kept, exemptions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze_bytes;
    use crate::config::default_rules;
    use crate::metrics::MetricOptions;
    use crate::thresholds::check_thresholds;

    /// Five nested ifs: cyclomatic 6, cognitive 15 + nesting.
    const COMPLEX: &str = "    if a:\n        if a:\n            if a:\n                if a:\n                    if a:\n                        if a:\n                            if a:\n                                if a:\n                                    if a:\n                                        if a:\n                                            return 1\n    return 0\n";

    fn run(src: &str, policy: Policy) -> (Vec<Violation>, Exemptions) {
        let a = analyze_bytes(src.as_bytes(), 0, MetricOptions::default()).expect("analyses");
        let rules = default_rules();
        let violations = check_thresholds(&rules, &a);
        apply_to_file(&rules, &a, violations, policy)
    }

    fn metrics_of(v: &[Violation]) -> Vec<&'static str> {
        v.iter().map(|v| v.metric.name()).collect()
    }

    #[test]
    fn a_list_suppresses_only_its_metrics() {
        let plain = run(&format!("def f(a):\n{COMPLEX}"), Policy::default()).0;
        assert!(plain.len() >= 2, "{:?}", metrics_of(&plain));
        let src =
            format!("def f(a):  # antipasta: ignore[cognitive_complexity] -- table\n{COMPLEX}");
        let (kept, ex) = run(&src, Policy::default());
        assert_eq!(kept.len(), plain.len() - 1);
        assert!(!metrics_of(&kept).contains(&"cognitive_complexity"));
        assert_eq!(ex.ignored.len(), 1);
        assert_eq!(ex.ignored[0].reason.as_deref(), Some("table"));
        assert!(ex.notes.is_empty());
        let (kept, ex) = run(
            &src.replace("[cognitive_complexity]", ""),
            Policy::default(),
        );
        assert!(kept.is_empty() && ex.ignored.len() == plain.len());
    }

    #[test]
    fn no_ignore_disregards_every_marker() {
        let src = format!("def f(a):  # antipasta: ignore[nope]\n{COMPLEX}");
        let policy = Policy {
            honour: false,
            ..Policy::default()
        };
        let (kept, ex) = run(&src, policy);
        assert_eq!(kept, run(&format!("def f(a):\n{COMPLEX}"), policy).0);
        assert_eq!(ex, Exemptions::default());
    }

    #[test]
    fn stale_unknown_and_unreasoned_markers() {
        let src =
            "def f(a):  # antipasta: ignore[cognitive_complexity, cyclomatic] -- r\n    return a\n";
        let (kept, ex) = run(src, Policy::default());
        assert!(kept.is_empty());
        let problems: Vec<_> = ex
            .notes
            .iter()
            .map(|n| (n.problem.name(), n.error))
            .collect();
        assert_eq!(problems, [("unknown_metric", true), ("stale", false)]);
        assert!(ex.notes[0]
            .message()
            .contains("did you mean `cyclomatic_complexity`?"));
        let error = Policy {
            stale: StaleMode::Error,
            ..Policy::default()
        };
        assert!(run(src, error).1.notes[1].error);
        let off = Policy {
            stale: StaleMode::Off,
            ..Policy::default()
        };
        assert_eq!(run(src, off).1.notes.len(), 1);
        // A bare marker on a simple function is stale; complexipy's is not ours.
        let bare = run(
            "def f(a):  # antipasta: ignore\n    return a\n",
            Policy::default(),
        )
        .1;
        assert_eq!(bare.stale(), 1);
        let cx = run(
            "def f(a):  # complexipy: ignore\n    return a\n",
            Policy::default(),
        )
        .1;
        assert!(cx.notes.is_empty());
        // Without a reason under require_reason: an error, and nothing suppressed.
        let strict = Policy {
            require_reason: true,
            ..Policy::default()
        };
        let src = format!("def f(a):  # antipasta: ignore[cognitive_complexity]\n{COMPLEX}");
        let (kept, ex) = run(&src, strict);
        assert!(metrics_of(&kept).contains(&"cognitive_complexity"));
        assert_eq!(ex.notes[0].problem, MarkerProblem::NoReason);
        assert_eq!(ex.errors(), 1);
    }

    #[test]
    fn file_markers_suppress_file_scope_rules() {
        // A long, comment-free, branchy module has a low maintainability index.
        let mut body = String::new();
        for i in 0..60 {
            body.push_str(&format!("def f{i}(a, b):\n    if a and b or a:\n        return a * b + {i} - a / b\n    return b ** {i}\n"));
        }
        let plain = run(&body, Policy::default()).0;
        let mi = |v: &[Violation]| {
            v.iter()
                .any(|v| v.metric == MetricKind::MaintainabilityIndex)
        };
        assert!(mi(&plain), "{:?}", metrics_of(&plain));
        let src = format!("# antipasta: ignore-file[maintainability_index] -- generated\n{body}");
        let (kept, ex) = run(&src, Policy::default());
        assert!(!mi(&kept));
        assert_eq!(ex.ignored.len(), 1);
        assert_eq!(ex.ignored[0].violation.function, None);
        let stale = run(
            "# antipasta: ignore-file[maintainability_index]\nx = 1\n",
            Policy::default(),
        )
        .1;
        assert_eq!(stale.stale(), 1);
        assert!(stale.notes[0].message().contains("the file"));
    }
}
