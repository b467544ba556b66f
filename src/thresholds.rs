//! Settings + metrics → violations.
//!
//! Input: the rules that apply to one file (already resolved for its path,
//! overrides applied) and the file's [`FileAnalysis`]. Output: the sorted list
//! of [`Violation`]s. A rule at function scope is checked against every
//! function, one at file scope against the file's values. A metric that has no
//! value (raw metrics when radon's tokenizer would reject the file) is not
//! checked. No I/O here.

use crate::config::{Comparison, ModifiedPolicy, Rule, Scope};
use crate::diff::ChangeKind;
use crate::metrics::{FileAnalysis, FunctionMetrics, Level, MetricKind};

/// One broken rule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Violation {
    pub metric: MetricKind,
    pub value: f64,
    pub threshold: f64,
    pub comparison: Comparison,
    pub line: u32,
    pub column: u32,
    /// Qualified name, or `None` for a file-level rule.
    pub function: Option<String>,
    /// In the staged gate: how the function (or file) changed, and the value
    /// before the change when there was one.
    pub change: Option<ChangeKind>,
    pub before: Option<f64>,
    /// With a baseline: the recorded value this one is worse than.
    pub baseline: Option<f64>,
}

impl Violation {
    /// `cognitive_complexity 17 > 15`: the value, the way it fails, the limit.
    /// In the gate: `cognitive_complexity 12 → 17 > 15 (modified)`.
    pub(crate) fn describe(&self) -> String {
        let value = match self.before {
            Some(before) => {
                let (before, after) = format_pair(before, self.value);
                format!("{before} → {after}")
            }
            None => format_value(self.value),
        };
        let mut text = format!(
            "{} {} {} {}",
            self.metric.name(),
            value,
            self.comparison.negated().as_str(),
            format_value(self.threshold)
        );
        if let Some(change) = self.change {
            text.push_str(&format!(" ({})", change.as_str()));
        }
        if let Some(recorded) = self.baseline {
            text.push_str(&format!(" (baseline {})", format_value(recorded)));
        }
        text
    }
}

/// Integers print as integers, everything else with two decimals.
pub(crate) fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:.2}")
    }
}

/// Two values with as many decimals as it takes (two at least, six at
/// most) for a change between them to show: `22.29 → 22.29` hides a
/// worsening that `22.2912 → 22.2897` shows.
fn format_pair(before: f64, after: f64) -> (String, String) {
    let (mut b, mut a) = (format_value(before), format_value(after));
    let mut decimals = 2;
    while a == b && before != after && decimals < 6 {
        decimals += 1;
        b = format!("{before:.decimals$}");
        a = format!("{after:.decimals$}");
    }
    (b, a)
}

/// Checks every enabled rule against a file's metrics, as `metrics` does:
/// every function is judged as if it were new (the gate's judgement with no
/// history), and the violations carry no change.
pub(crate) fn check_thresholds(rules: &[Rule], analysis: &FileAnalysis) -> Vec<Violation> {
    let mut out: Vec<Violation> = analysis
        .functions
        .iter()
        .flat_map(|f| judge_function(rules, None, (f, analysis.level), None))
        .collect();
    for rule in rules.iter().filter(|r| r.enabled && r.scope == Scope::File) {
        if let Some(value) = analysis.file_value(rule.metric) {
            if !rule.passes(value) {
                out.push(violation(rule, value, 1, 1, None));
            }
        }
    }
    sort_violations(&mut out);
    out
}

/// The report order of a file's violations: by position, then metric.
pub(crate) fn sort_violations(violations: &mut [Violation]) {
    violations.sort_by(|a, b| {
        (a.line, a.column, a.metric)
            .cmp(&(b.line, b.column, b.metric))
            .then_with(|| a.function.cmp(&b.function))
    });
}

fn violation(rule: &Rule, value: f64, line: u32, column: u32, function: Option<&str>) -> Violation {
    Violation {
        metric: rule.metric,
        value,
        threshold: rule.threshold,
        comparison: rule.comparison,
        line,
        column,
        function: function.map(str::to_owned),
        change: None,
        before: None,
        baseline: None,
    }
}

/// Whether going from `before` to `after` moves a value the wrong way for
/// `rule`: from passing to failing, or further past the limit.
fn got_worse(rule: &Rule, before: f64, after: f64) -> bool {
    if rule.comparison.passes(before, rule.threshold) {
        return true;
    }
    match rule.comparison {
        Comparison::Le | Comparison::Lt => after > before,
        Comparison::Ge | Comparison::Gt => after < before,
        Comparison::Eq | Comparison::Ne => after != before,
    }
}

/// The gate's verdict on one value: added code must meet the rule; modified
/// code under `no-worse` fails only when it got worse and is over the limit,
/// under `strict` whenever it is over the limit.
pub(crate) fn gate_value(
    rule: &Rule,
    change: ChangeKind,
    policy: ModifiedPolicy,
    before: Option<f64>,
    after: f64,
) -> bool {
    if rule.passes(after) {
        return true;
    }
    match (change, policy, before) {
        (ChangeKind::Unchanged | ChangeKind::Renamed, _, _) => true,
        (ChangeKind::Modified, ModifiedPolicy::NoWorse, Some(before)) => {
            !got_worse(rule, before, after)
        }
        _ => false,
    }
}

/// Gate verdicts for one changed function, analysed at `level`; `before`
/// is its old metrics with the level they were computed at.
pub(crate) fn check_function_change(
    rules: &[Rule],
    policy: ModifiedPolicy,
    change: ChangeKind,
    function: (&crate::metrics::FunctionReport, Level),
    before: Option<(&FunctionMetrics, Level)>,
) -> Vec<Violation> {
    judge_function(rules, Some((change, policy)), function, before)
}

/// The one judgement of a function: against every enabled function rule
/// its analysis level computes, by the gate's policy for `change` (`None`:
/// judged as new, the violations unlabelled, as `metrics` reports them).
/// Suppression markers are applied afterwards ([`crate::exemptions`]).
fn judge_function(
    rules: &[Rule],
    change: Option<(ChangeKind, ModifiedPolicy)>,
    (function, level): (&crate::metrics::FunctionReport, Level),
    before: Option<(&FunctionMetrics, Level)>,
) -> Vec<Violation> {
    let (kind, policy) = change.unwrap_or((ChangeKind::Added, ModifiedPolicy::Strict));
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.enabled && r.scope == Scope::Function)
    {
        if !level.provides(rule.metric) {
            continue;
        }
        let Some(after) = function.metrics.value(rule.metric) else {
            continue;
        };
        // An old value the old analysis did not compute is unknown, not 0.
        let old = before
            .filter(|(_, old_level)| old_level.provides(rule.metric))
            .and_then(|(m, _)| m.value(rule.metric));
        if !gate_value(rule, kind, policy, old, after) {
            let mut v = violation(
                rule,
                after,
                function.line,
                function.column,
                Some(&function.qualname),
            );
            v.change = change.map(|(kind, _)| kind);
            v.before = old;
            out.push(v);
        }
    }
    out
}

/// Gate verdicts for the file-level rules of a changed file.
///
/// An added file must meet every rule. A modified file is judged only when
/// its code changed (its normalised AST differs: comments, blank lines and
/// formatting do not count), and then a value fails only when the change
/// takes it past the limit, or, when it was already past, worsens it by more
/// than `margin` per cent of the limit (at MI >= 50, 6 % is 3 points): any
/// edit moves a file's MI a little, and a legacy file must stay editable.
/// `strict` judges the new value alone, as for functions.
pub(crate) fn check_file_change(
    rules: &[Rule],
    policy: ModifiedPolicy,
    margin: f64,
    new: &FileAnalysis,
    old: Option<&FileAnalysis>,
) -> Vec<Violation> {
    let change = if old.is_some() {
        ChangeKind::Modified
    } else {
        ChangeKind::Added
    };
    if let (Some(old), Some(new_hash)) = (old, new.code_hash) {
        if old.code_hash == Some(new_hash) {
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.enabled && r.scope == Scope::File) {
        let Some(after) = new.file_value(rule.metric) else {
            continue;
        };
        let before = old.and_then(|a| a.file_value(rule.metric));
        let passes = match (change, policy, before) {
            (ChangeKind::Modified, ModifiedPolicy::NoWorse, Some(before)) => {
                rule.passes(after) || !worse_by_more_than(rule, before, after, margin)
            }
            _ => gate_value(rule, change, policy, before, after),
        };
        if !passes {
            let mut v = violation(rule, after, 1, 1, None);
            v.change = Some(change);
            v.before = before;
            out.push(v);
        }
    }
    out
}

/// Whether `after` fails `rule` and is worse than `before` by more than
/// `margin` per cent of the rule's limit (a value that passed before and
/// fails now always counts: it crossed the limit). The allowance is in the
/// metric's own units, not relative to `before`: MI is a sum of logarithms,
/// so an edit of a given size moves it by about the same number of points
/// whatever the file's MI, and a share of a low MI would freeze the files
/// with the lowest MI.
fn worse_by_more_than(rule: &Rule, before: f64, after: f64, margin: f64) -> bool {
    if rule.passes(after) {
        return false;
    }
    if rule.passes(before) {
        return true;
    }
    let allowed = rule.threshold.abs() * margin / 100.0;
    match rule.comparison {
        Comparison::Le | Comparison::Lt => after > before + allowed,
        Comparison::Ge | Comparison::Gt => after < before - allowed,
        Comparison::Eq | Comparison::Ne => after != before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, MetricOptions};
    use crate::source::SourceText;

    fn rule(metric: MetricKind, comparison: Comparison, threshold: f64, scope: Scope) -> Rule {
        Rule {
            metric,
            comparison,
            threshold,
            scope,
            enabled: true,
        }
    }

    fn analysis(src: &str) -> FileAnalysis {
        analyze(&SourceText::from_text(src), MetricOptions::default()).unwrap()
    }

    #[test]
    fn function_rule_reports_each_offending_function() {
        let a = analysis(
            "def simple():\n    return 1\n\nclass K:\n    def branchy(self, a, b):\n        if a:\n            pass\n        elif b:\n            pass\n",
        );
        let rules = [rule(
            MetricKind::CyclomaticComplexity,
            Comparison::Le,
            2.0,
            Scope::Function,
        )];
        let v = check_thresholds(&rules, &a);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].function.as_deref(), Some("K.branchy"));
        assert_eq!((v[0].line, v[0].column), (5, 5));
        assert_eq!(v[0].describe(), "cyclomatic_complexity 3 > 2");
    }

    #[test]
    fn disabled_rule_is_skipped() {
        let a = analysis("def f(a):\n    if a:\n        pass\n");
        let mut r = rule(
            MetricKind::CyclomaticComplexity,
            Comparison::Le,
            1.0,
            Scope::Function,
        );
        r.enabled = false;
        assert!(check_thresholds(&[r], &a).is_empty());
    }

    #[test]
    fn file_rule_uses_file_values() {
        let a = analysis("x = 1\ny = 2\nz = 3\n");
        let rules = [rule(
            MetricKind::LinesOfCode,
            Comparison::Lt,
            3.0,
            Scope::File,
        )];
        let v = check_thresholds(&rules, &a);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].function, None);
        assert_eq!(v[0].describe(), "lines_of_code 3 >= 3");
    }

    #[test]
    fn gate_policies() {
        let r = rule(
            MetricKind::CognitiveComplexity,
            Comparison::Le,
            15.0,
            Scope::Function,
        );
        // Added code must meet the limit.
        assert!(gate_value(
            &r,
            ChangeKind::Added,
            ModifiedPolicy::NoWorse,
            None,
            15.0
        ));
        assert!(!gate_value(
            &r,
            ChangeKind::Added,
            ModifiedPolicy::NoWorse,
            None,
            16.0
        ));
        // Modified, no-worse: over the limit but improved or equal passes.
        assert!(gate_value(
            &r,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(20.0),
            18.0
        ));
        assert!(gate_value(
            &r,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(20.0),
            20.0
        ));
        assert!(!gate_value(
            &r,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(20.0),
            21.0
        ));
        assert!(!gate_value(
            &r,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(10.0),
            16.0
        ));
        // Strict: over is over.
        assert!(!gate_value(
            &r,
            ChangeKind::Modified,
            ModifiedPolicy::Strict,
            Some(20.0),
            18.0
        ));
        // Renamed and unchanged keep their old verdict.
        assert!(gate_value(
            &r,
            ChangeKind::Renamed,
            ModifiedPolicy::Strict,
            Some(30.0),
            30.0
        ));
        // A minimum (maintainability_index >= 50) gets worse downwards.
        let mi = rule(
            MetricKind::MaintainabilityIndex,
            Comparison::Ge,
            50.0,
            Scope::File,
        );
        assert!(gate_value(
            &mi,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(40.0),
            45.0
        ));
        assert!(!gate_value(
            &mi,
            ChangeKind::Modified,
            ModifiedPolicy::NoWorse,
            Some(40.0),
            39.0
        ));
    }

    fn mi_rule(threshold: f64) -> Rule {
        rule(
            MetricKind::MaintainabilityIndex,
            Comparison::Ge,
            threshold,
            Scope::File,
        )
    }

    /// `n` functions of cyclomatic 5: MI 42.17 for 8, 53.60 for 4.
    fn branchy_file(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "def f{i}(a, b, c):\n    if a and b:\n        for x in c:\n            \
                     if x > {i}:\n                return x\n    return {i}\n\n"
                )
            })
            .collect()
    }

    fn file_verdict(margin: f64, policy: ModifiedPolicy, old: &str, new: &str) -> Vec<Violation> {
        check_file_change(
            &[mi_rule(50.0)],
            policy,
            margin,
            &analysis(new),
            Some(&analysis(old)),
        )
    }

    #[test]
    fn file_with_the_same_code_is_not_judged() {
        let old = branchy_file(8);
        let commented = format!(
            "# a comment\n\n{}",
            old.replace("(a, b, c)", "(a, b,\n  c)")
        );
        assert_ne!(
            analysis(&old).file.maintainability,
            analysis(&commented).file.maintainability,
            "the edit moves MI"
        );
        assert!(file_verdict(0.0, ModifiedPolicy::NoWorse, &old, &commented).is_empty());
        assert!(file_verdict(0.0, ModifiedPolicy::Strict, &old, &commented).is_empty());
        // A new file is judged whatever its code.
        let added = check_file_change(
            &[mi_rule(50.0)],
            ModifiedPolicy::NoWorse,
            6.0,
            &analysis(&old),
            None,
        );
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].change, Some(ChangeKind::Added));
    }

    #[test]
    fn file_metric_worsening_within_the_margin_passes() {
        let old = branchy_file(8);
        let new = format!("{old}def g(x):\n    return x + 1\n");
        // 42.17 → 41.52: 0.65 points, under 6 % of 50 (3 points).
        assert!(file_verdict(6.0, ModifiedPolicy::NoWorse, &old, &new).is_empty());
        // 1 % of 50 is 0.5 points: now it is too much.
        let v = file_verdict(1.0, ModifiedPolicy::NoWorse, &old, &new);
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].describe(),
            "maintainability_index 42.17 → 41.52 < 50 (modified)"
        );
        // Strict: past the limit is past the limit.
        assert_eq!(
            file_verdict(6.0, ModifiedPolicy::Strict, &old, &new).len(),
            1
        );
        // Improving always passes.
        assert!(file_verdict(0.0, ModifiedPolicy::NoWorse, &new, &old).is_empty());
    }

    #[test]
    fn crossing_the_file_limit_fails_whatever_the_margin() {
        let v = file_verdict(
            100.0,
            ModifiedPolicy::NoWorse,
            &branchy_file(4),
            &branchy_file(8),
        );
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].describe(),
            "maintainability_index 53.60 → 42.17 < 50 (modified)"
        );
    }

    #[test]
    fn gate_message_shows_before_and_after() {
        let v = Violation {
            metric: MetricKind::CognitiveComplexity,
            value: 17.0,
            threshold: 15.0,
            comparison: Comparison::Le,
            line: 3,
            column: 1,
            function: Some("Parser.parse".into()),
            change: Some(ChangeKind::Modified),
            before: Some(12.0),
            baseline: None,
        };
        assert_eq!(v.describe(), "cognitive_complexity 12 → 17 > 15 (modified)");
        let recorded = Violation {
            baseline: Some(15.5),
            ..v
        };
        assert_eq!(
            recorded.describe(),
            "cognitive_complexity 12 → 17 > 15 (modified) (baseline 15.50)"
        );
    }

    #[test]
    fn close_values_get_the_digits_that_tell_them_apart() {
        assert_eq!(
            format_pair(22.2912, 22.2897),
            ("22.291".to_string(), "22.290".to_string())
        );
        assert_eq!(
            format_pair(22.29, 22.28),
            ("22.29".to_string(), "22.28".to_string())
        );
        assert_eq!(
            format_pair(12.0, 17.0),
            ("12".to_string(), "17".to_string())
        );
        // Equal values stay short.
        assert_eq!(
            format_pair(1.0 / 3.0, 1.0 / 3.0),
            ("0.33".to_string(), "0.33".to_string())
        );
    }

    #[test]
    fn values_format_compactly() {
        assert_eq!(format_value(17.0), "17");
        assert_eq!(format_value(42.123), "42.12");
    }
}
