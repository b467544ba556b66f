//! Settings + metrics → violations.
//!
//! Input: the rules that apply to one file (already resolved for its path,
//! overrides applied) and the file's [`FileAnalysis`]. Output: the sorted list
//! of [`Violation`]s. A rule at function scope is checked against every
//! function, one at file scope against the file's values. A metric that has no
//! value (raw metrics when radon's tokenizer would reject the file) is not
//! checked. No I/O here.

use crate::config::{Comparison, Rule, Scope};
use crate::metrics::{FileAnalysis, MetricKind};

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
}

impl Violation {
    /// `cognitive_complexity 17 > 15`: the value, the way it fails, the limit.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} {} {} {}",
            self.metric.name(),
            format_value(self.value),
            self.comparison.negated().as_str(),
            format_value(self.threshold)
        )
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

/// Checks every enabled rule against a file's metrics.
pub(crate) fn check_thresholds(rules: &[Rule], analysis: &FileAnalysis) -> Vec<Violation> {
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.enabled) {
        match rule.scope {
            Scope::File => {
                if let Some(value) = analysis.file.value(rule.metric) {
                    if !rule.comparison.passes(value, rule.threshold) {
                        out.push(violation(rule, value, 1, 1, None));
                    }
                }
            }
            Scope::Function => {
                for f in analysis.functions.iter().filter(|f| !f.ignored) {
                    if let Some(value) = f.metrics.value(rule.metric) {
                        if !rule.comparison.passes(value, rule.threshold) {
                            out.push(violation(rule, value, f.line, f.column, Some(&f.qualname)));
                        }
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.line, a.column, a.metric)
            .cmp(&(b.line, b.column, b.metric))
            .then_with(|| a.function.cmp(&b.function))
    });
    out
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
    fn values_format_compactly() {
        assert_eq!(format_value(17.0), "17");
        assert_eq!(format_value(42.123), "42.12");
    }
}
