//! The TOML schema (`.antipasta.toml` and `[tool.antipasta]`) and its
//! resolution into [`Settings`].
//!
//! Input: file text and its path (for messages). Output: `Settings`, or a
//! [`ConfigError`] pointing at the bad key or value. Raw structs keep every
//! key optional and reject unknown ones; defaults are filled in only while
//! resolving, so "not written" and "written as the default" stay apart.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{ConfigError, HINT_MARKER};
use super::values::{Extension, MetricName, Threshold};
use super::{
    default_comparison, default_scope, default_threshold, BudgetPolicy, Comparison, ModifiedPolicy,
    Override, PathPatterns, Rule, RuleEdits, Scope, Settings,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    ignore_patterns: Option<Spanned<Vec<Spanned<String>>>>,
    use_gitignore: Option<bool>,
    python_extensions: Option<Vec<Extension>>,
    modified: Option<ModifiedPolicy>,
    file_metric_margin: Option<Spanned<f64>>,
    mi_multi_as_comments: Option<bool>,
    max_file_bytes: Option<u64>,
    max_memory_mb: Option<Spanned<u64>>,
    max_cpu_seconds: Option<u64>,
    cache_size: Option<Spanned<String>>,
    budget_ms: Option<u64>,
    on_budget_exceeded: Option<BudgetPolicy>,
    critical: Option<Spanned<Vec<Spanned<String>>>>,
    fail_open: Option<bool>,
    sandbox: Option<bool>,
    baseline: Option<Spanned<String>>,
    metrics_file: Option<Spanned<String>>,
    history_runs: Option<u32>,
    alerts: Option<RawAlerts>,
    require_reason: Option<bool>,
    stale_suppressions: Option<super::StaleMode>,
    thresholds: Option<BTreeMap<Spanned<MetricName>, Threshold>>,
    rules: Option<Vec<RawRule>>,
    overrides: Option<Vec<RawOverride>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    metric: Spanned<MetricName>,
    comparison: Option<Comparison>,
    threshold: Option<Threshold>,
    scope: Option<Scope>,
    enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlerts {
    enabled: Option<bool>,
    window: Option<u32>,
    budget_runs: Option<u32>,
    slowdown: Option<Spanned<f64>>,
    hit_rate_drop: Option<Spanned<f64>>,
    store_full: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Spanned<Vec<Spanned<String>>>,
    thresholds: Option<BTreeMap<Spanned<MetricName>, Threshold>>,
    rules: Option<Vec<RawRule>>,
}

/// Only the part of `pyproject.toml` we read; other tools' tables are ignored.
#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    antipasta: Option<RawConfig>,
}

/// Reads `.antipasta.toml` text.
pub(super) fn parse_toml(text: &str, path: &Path) -> Result<Settings, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&e, path, text))?;
    resolve(raw, &Source { path, text })
}

/// Reads the `[tool.antipasta]` table of `pyproject.toml` text; `None` when
/// the file has no such table.
pub(super) fn parse_pyproject(text: &str, path: &Path) -> Result<Option<Settings>, ConfigError> {
    let raw: Pyproject = toml::from_str(text).map_err(|e| toml_error(&e, path, text))?;
    match raw.tool.and_then(|t| t.antipasta) {
        Some(raw) => resolve(raw, &Source { path, text }).map(Some),
        None => Ok(None),
    }
}

/// True when `pyproject.toml` text has a `[tool.antipasta]` table. The file
/// must be valid TOML: a broken `pyproject.toml` is reported, not skipped.
pub(super) fn has_antipasta_table(text: &str, path: &Path) -> Result<bool, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(&e, path, text))?;
    let section = table.get("tool").and_then(|t| t.get("antipasta"));
    Ok(section.is_some())
}

fn toml_error(e: &toml::de::Error, path: &Path, text: &str) -> ConfigError {
    match e.span() {
        Some(span) => ConfigError::at_span(path, text, span, e.message()),
        None => ConfigError::whole_file(path, e.message()),
    }
}

struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: String) -> ConfigError {
        ConfigError::at_span(self.path, self.text, span, &message)
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

fn resolve(raw: RawConfig, src: &Source<'_>) -> Result<Settings, ConfigError> {
    let mut settings = Settings::default();
    if let Some(patterns) = raw.ignore_patterns {
        settings.ignore_patterns = compile_patterns(patterns.into_inner(), src)?;
    }
    if let Some(v) = raw.use_gitignore {
        settings.use_gitignore = v;
    }
    if let Some(exts) = raw.python_extensions {
        settings.python_extensions = exts.into_iter().map(|e| e.0).collect();
    }
    if let Some(v) = raw.modified {
        settings.modified = v;
    }
    if let Some(v) = raw.file_metric_margin {
        let span = v.span();
        let margin = v.into_inner();
        if !(margin.is_finite() && margin >= 0.0) {
            return Err(src.error(
                span,
                format!(
                    "file_metric_margin must be a percentage (of the limit) of 0 or more, not {margin}\
                     {HINT_MARKER}e.g. file_metric_margin = {}",
                    super::DEFAULT_FILE_METRIC_MARGIN
                ),
            ));
        }
        settings.file_metric_margin = margin;
    }
    if let Some(v) = raw.mi_multi_as_comments {
        settings.mi_multi_as_comments = v;
    }
    if let Some(v) = raw.max_file_bytes {
        settings.max_file_bytes = v;
    }
    if let Some(v) = raw.max_cpu_seconds {
        settings.max_cpu_seconds = v;
    }
    if let Some(v) = raw.max_memory_mb {
        let (span, mb) = (v.span(), *v.get_ref());
        let floor = crate::budget::MIN_MEMORY_MB;
        if mb != 0 && mb < floor {
            return Err(src.error(
                span,
                format!(
                    "max_memory_mb = {mb} is below the {floor} MiB a run needs (an analysis \
                     thread's 64 MiB stack counts against the cap); set at least {floor}, or 0 \
                     for no cap"
                ),
            ));
        }
        settings.max_memory_mb = mb;
    }
    if let Some(v) = raw.cache_size {
        let span = v.span();
        settings.cache_size_bytes = super::parse_size(v.get_ref())
            .map_err(|why| src.error(span, format!("cache_size: {why}")))?;
    }
    if let Some(v) = raw.budget_ms {
        settings.budget_ms = v;
    }
    if let Some(v) = raw.on_budget_exceeded {
        settings.on_budget_exceeded = v;
    }
    if let Some(patterns) = raw.critical {
        settings.critical = compile_patterns(patterns.into_inner(), src)?;
    }
    if let Some(v) = raw.fail_open {
        settings.fail_open = v;
    }
    if let Some(v) = raw.sandbox {
        settings.sandbox = v;
    }
    if let Some(v) = raw.baseline {
        let span = v.span();
        let path = v.into_inner();
        if path.trim().is_empty() {
            return Err(src.error(
                span,
                format!("baseline: an empty path{HINT_MARKER}name the ledger file, e.g. baseline = \".antipasta-baseline.json\""),
            ));
        }
        settings.baseline = Some(path);
    }
    if let Some(v) = raw.metrics_file {
        let span = v.span();
        let path = v.into_inner();
        if let Err(e) = super::check_metrics_file(&path) {
            return Err(src.error(span, format!("metrics_file: {e}")));
        }
        settings.metrics_file = Some(path);
    }
    if let Some(v) = raw.history_runs {
        settings.history_runs = v;
    }
    if let Some(a) = raw.alerts {
        let rules = &mut settings.alerts;
        if let Some(v) = a.enabled {
            rules.enabled = v;
        }
        if let Some(v) = a.window {
            rules.window = v.max(1) as usize;
        }
        if let Some(v) = a.budget_runs {
            rules.budget_runs = v as usize;
        }
        for (key, value, target, range) in [
            ("slowdown", a.slowdown, &mut rules.slowdown, (1.0, f64::MAX)),
            (
                "hit_rate_drop",
                a.hit_rate_drop,
                &mut rules.hit_rate_drop,
                (0.0, 1.0),
            ),
            (
                "store_full",
                a.store_full,
                &mut rules.store_full,
                (0.0, 1.0),
            ),
        ] {
            if let Some(v) = value {
                let span = v.span();
                let v = v.into_inner();
                if !(range.0..=range.1).contains(&v) {
                    let bound = if range.1 == f64::MAX {
                        format!("at least {}", range.0)
                    } else {
                        format!("between {} and {}", range.0, range.1)
                    };
                    return Err(src.error(span, format!("alerts.{key}: {v} must be {bound}")));
                }
                *target = v;
            }
        }
    }
    if let Some(v) = raw.require_reason {
        settings.require_reason = v;
    }
    if let Some(v) = raw.stale_suppressions {
        settings.stale_suppressions = v;
    }
    resolve_edits(raw.thresholds, raw.rules, src)?.apply(&mut settings.rules);
    for o in raw.overrides.unwrap_or_default() {
        let span = o.paths.span();
        let paths = o.paths.into_inner();
        if paths.is_empty() {
            return Err(src.error(
                span,
                format!(
                    "override with an empty `paths` list{HINT_MARKER}list the files it is for, \
                     e.g. paths = [\"tests/**\"]"
                ),
            ));
        }
        settings.overrides.push(Override {
            paths: compile_patterns(paths, src)?,
            edits: resolve_edits(o.thresholds, o.rules, src)?,
        });
    }
    Ok(settings)
}

fn compile_patterns(
    patterns: Vec<Spanned<String>>,
    src: &Source<'_>,
) -> Result<PathPatterns, ConfigError> {
    let spans: Vec<Range<usize>> = patterns.iter().map(Spanned::span).collect();
    let texts: Vec<String> = patterns.into_iter().map(Spanned::into_inner).collect();
    PathPatterns::new(texts).map_err(|(i, why)| {
        let span = spans.get(i).cloned().unwrap_or(0..0);
        src.error(span, format!("invalid glob pattern: {why}"))
    })
}

/// One `[thresholds]` table plus one `[[rules]]` list, checked against each other.
fn resolve_edits(
    thresholds: Option<BTreeMap<Spanned<MetricName>, Threshold>>,
    rules: Option<Vec<RawRule>>,
    src: &Source<'_>,
) -> Result<RuleEdits, ConfigError> {
    let mut edits = RuleEdits::default();
    // (metric, scope) -> span of the rule that first set it.
    let mut seen: BTreeMap<_, Range<usize>> = BTreeMap::new();
    for raw in rules.unwrap_or_default() {
        let span = raw.metric.span();
        let metric = raw.metric.into_inner().0;
        let scope = raw.scope.unwrap_or(default_scope(metric));
        let enabled = raw.enabled.unwrap_or(true);
        let threshold = match (raw.threshold, default_threshold(metric)) {
            (Some(t), _) => t.0,
            (None, Some(t)) => t,
            // A disabled rule is never compared, so it needs no limit.
            (None, None) if !enabled => 0.0,
            (None, None) => {
                return Err(src.error(
                    span,
                    format!(
                        "rule for `{}` has no `threshold`{HINT_MARKER}this metric has no \
                         default limit; add e.g. `threshold = 10`",
                        metric.name()
                    ),
                ))
            }
        };
        if let Some(first) = seen.get(&(metric, scope)) {
            return Err(src.error(
                span,
                format!(
                    "second rule for `{}` with scope `{}`{HINT_MARKER}the first is on line {}; \
                     keep one",
                    metric.name(),
                    scope.as_str(),
                    src.line_of(first)
                ),
            ));
        }
        seen.insert((metric, scope), span);
        edits.rules.push(Rule {
            metric,
            comparison: raw.comparison.unwrap_or(default_comparison(metric)),
            threshold,
            scope,
            enabled,
        });
    }
    for (name, threshold) in thresholds.unwrap_or_default() {
        let metric = name.get_ref().0;
        if edits.rules.iter().any(|r| r.metric == metric) {
            return Err(src.error(
                name.span(),
                format!(
                    "`{}` is set in both [thresholds] and [[rules]]{HINT_MARKER}keep one: \
                     [[rules]] replaces the metric's rules, so put the threshold there",
                    metric.name()
                ),
            ));
        }
        edits.thresholds.push((metric, threshold.0));
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::super::ModifiedPolicy;
    use super::*;
    use crate::metrics::MetricKind;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        parse_toml(text, Path::new(".antipasta.toml"))
    }

    fn err(text: &str) -> ConfigError {
        match parse(text) {
            Ok(s) => panic!("expected an error, got {s:?}"),
            Err(e) => e,
        }
    }

    fn rule(s: &Settings, metric: MetricKind) -> Rule {
        let mut found = s.rules.iter().filter(|r| r.metric == metric);
        let r = *found.next().expect("rule present");
        assert!(found.next().is_none(), "one rule for {metric:?}");
        r
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(parse("").unwrap(), Settings::default());
        assert_eq!(parse("# just a comment\n").unwrap(), Settings::default());
    }

    #[test]
    fn thresholds_shorthand_keeps_comparison_and_scope() {
        let s = parse("[thresholds]\ncyclomatic_complexity = 12\nmaintainability_index = 40.5\n")
            .unwrap();
        let cc = rule(&s, MetricKind::CyclomaticComplexity);
        assert_eq!(
            (cc.comparison, cc.threshold, cc.scope),
            (Comparison::Le, 12.0, Scope::Function)
        );
        let mi = rule(&s, MetricKind::MaintainabilityIndex);
        assert_eq!(
            (mi.comparison, mi.threshold, mi.scope),
            (Comparison::Ge, 40.5, Scope::File)
        );
        // Untouched defaults stay.
        assert_eq!(rule(&s, MetricKind::HalsteadEffort).threshold, 10000.0);
    }

    #[test]
    fn thresholds_shorthand_adds_metric_without_default() {
        let s = parse("[thresholds]\nsource_lines_of_code = 500\n").unwrap();
        let r = rule(&s, MetricKind::SourceLinesOfCode);
        assert_eq!(
            (r.comparison, r.threshold, r.scope, r.enabled),
            (Comparison::Le, 500.0, Scope::File, true)
        );
        assert_eq!(s.rules.len(), 7);
    }

    #[test]
    fn full_rule_replaces_default_rule_of_its_metric() {
        let s = parse(
            "[[rules]]\nmetric = \"halstead_volume\"\ncomparison = \"<\"\nthreshold = 800\n\
             scope = \"file\"\n\n[[rules]]\nmetric = \"halstead_effort\"\nenabled = false\n",
        )
        .unwrap();
        let hv = rule(&s, MetricKind::HalsteadVolume);
        assert_eq!(
            (hv.comparison, hv.threshold, hv.scope, hv.enabled),
            (Comparison::Lt, 800.0, Scope::File, true)
        );
        let he = rule(&s, MetricKind::HalsteadEffort);
        assert_eq!((he.threshold, he.enabled), (10000.0, false));
    }

    #[test]
    fn two_scopes_of_one_metric() {
        let s = parse(
            "[[rules]]\nmetric = \"cyclomatic_complexity\"\nthreshold = 10\n\
             [[rules]]\nmetric = \"cyclomatic_complexity\"\nthreshold = 60\nscope = \"file\"\n",
        )
        .unwrap();
        let cc: Vec<_> = s
            .rules
            .iter()
            .filter(|r| r.metric == MetricKind::CyclomaticComplexity)
            .collect();
        assert_eq!(cc.len(), 2);
        assert_eq!((cc[0].scope, cc[0].threshold), (Scope::Function, 10.0));
        assert_eq!((cc[1].scope, cc[1].threshold), (Scope::File, 60.0));
    }

    #[test]
    fn top_level_options() {
        let s = parse(
            "ignore_patterns = [\"build/\", \"**/gen_*.py\"]\nuse_gitignore = false\n\
             python_extensions = [\".py\", \".pyi\"]\nmodified = \"strict\"\nmi_multi_as_comments = false\n",
        )
        .unwrap();
        assert!(!s.use_gitignore);
        assert_eq!(s.python_extensions, vec![".py", ".pyi"]);
        assert_eq!(s.modified, ModifiedPolicy::Strict);
        assert!(!s.mi_multi_as_comments);
        assert!(s.is_ignored(Path::new("build/lib/x.py")));
        assert!(s.is_ignored(Path::new("pkg/sub/gen_models.py")));
        assert!(!s.is_ignored(Path::new("pkg/models.py")));
        assert!(s.is_python_file(Path::new("stubs/a.pyi")));
        assert!(!s.is_python_file(Path::new("a.txt")));
    }

    #[test]
    fn ignored_file_has_no_rules() {
        let s = parse("ignore_patterns = [\"vendor/\", \"!vendor/ours.py\"]\n").unwrap();
        assert!(s.rules_for(Path::new("vendor/lib.py")).is_empty());
        assert_eq!(s.rules_for(Path::new("vendor/ours.py")).len(), 6);
    }

    #[test]
    fn overrides_apply_in_order_later_wins() {
        let s = parse(
            "[[overrides]]\npaths = [\"tests/**\"]\n[overrides.thresholds]\n\
             cyclomatic_complexity = 20\ncognitive_complexity = 30\n\n\
             [[overrides]]\npaths = [\"tests/slow/**\"]\n[overrides.thresholds]\n\
             cyclomatic_complexity = 40\n\
             [[overrides.rules]]\nmetric = \"maintainability_index\"\nenabled = false\n",
        )
        .unwrap();
        let get = |path: &str, m: MetricKind| {
            s.rules_for(Path::new(path))
                .into_iter()
                .find(|r| r.metric == m)
        };
        assert_eq!(
            get("src/a.py", MetricKind::CyclomaticComplexity)
                .unwrap()
                .threshold,
            10.0
        );
        assert_eq!(
            get("tests/a.py", MetricKind::CyclomaticComplexity)
                .unwrap()
                .threshold,
            20.0
        );
        assert_eq!(
            get("tests/a.py", MetricKind::CognitiveComplexity)
                .unwrap()
                .threshold,
            30.0
        );
        assert_eq!(
            get("tests/slow/a.py", MetricKind::CyclomaticComplexity)
                .unwrap()
                .threshold,
            40.0
        );
        assert_eq!(
            get("tests/slow/a.py", MetricKind::CognitiveComplexity)
                .unwrap()
                .threshold,
            30.0
        );
        // Disabled rules are not returned.
        assert!(get("tests/slow/a.py", MetricKind::MaintainabilityIndex).is_none());
        assert!(get("tests/a.py", MetricKind::MaintainabilityIndex).is_some());
    }

    #[test]
    fn cache_size_takes_sizes_and_points_at_a_bad_one() {
        let s = parse("cache_size = \"64MB\"\n").unwrap();
        assert_eq!(s.cache_size_bytes, 64 << 20);
        assert_eq!(parse("cache_size = \"0\"\n").unwrap().cache_size_bytes, 0);
        let e = err("budget_ms = 5\ncache_size = \"lots\"\n");
        assert_eq!((e.line, e.column), (2, 14));
        assert!(
            e.message.starts_with("cache_size: invalid size `lots`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_key_reports_line_column_and_hint() {
        let e = err("use_gitignore = true\nignore_pattern = [\"x\"]\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "unknown key `ignore_pattern`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `ignore_patterns`?"));
        let shown = e.to_string();
        assert!(
            shown.starts_with(".antipasta.toml:2:1: unknown key `ignore_pattern`"),
            "{shown}"
        );
        assert!(shown.contains("2 | ignore_pattern = [\"x\"]"), "{shown}");
    }

    #[test]
    fn unknown_metric_in_thresholds_has_hint() {
        let e = err("[thresholds]\ncyclomatic_complexty = 10\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "unknown metric `cyclomatic_complexty`");
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean `cyclomatic_complexity`?")
        );
    }

    #[test]
    fn unknown_key_in_rule_has_hint() {
        let e = err("[[rules]]\nmetric = \"nesting_depth\"\ntreshold = 4\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.hint.as_deref(), Some("did you mean `threshold`?"));
    }

    #[test]
    fn bad_comparison_is_rejected() {
        let e = err("[[rules]]\nmetric = \"cyclomatic_complexity\"\ncomparison = \"=<\"\n");
        assert_eq!((e.line, e.column), (3, 14));
        assert_eq!(e.message, "unknown comparison `=<`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `<=`?"));
        let e = err("[[rules]]\nmetric = \"cyclomatic_complexity\"\ncomparison = \"about\"\n");
        assert!(e.hint.unwrap().starts_with("use one of `<`, `<=`"));
    }

    #[test]
    fn wrong_types_and_negative_values_are_rejected() {
        let e = err("[thresholds]\ncyclomatic_complexity = \"10\"\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.hint.as_deref(),
            Some("write the number without quotes: 10")
        );
        let e = err("[thresholds]\ncognitive_complexity = -1\n");
        assert_eq!((e.line, e.column), (2, 24));
        assert!(e.message.contains("must not be negative"), "{}", e.message);
        let e = err("use_gitignore = \"yes\"\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("invalid type"), "{}", e.message);
        let e = err("python_extensions = [\"py\"]\n");
        assert_eq!(
            e.hint.as_deref(),
            Some("an extension starts with a dot, e.g. `.py`")
        );
        let e = err("modified = \"no_worse\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `no-worse`?"));
        let e = err("[[rules]]\nmetric = \"nesting_depth\"\nscope = \"module\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `file`?"));
    }

    #[test]
    fn rule_without_threshold_for_metric_without_default() {
        let e = err("[[rules]]\nmetric = \"nesting_depth\"\n");
        assert_eq!((e.line, e.column), (2, 10));
        assert_eq!(e.message, "rule for `nesting_depth` has no `threshold`");
    }

    #[test]
    fn conflicting_and_duplicate_rules() {
        let e = err(
            "[thresholds]\ncyclomatic_complexity = 5\n[[rules]]\nmetric = \"cyclomatic_complexity\"\n",
        );
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("both [thresholds] and [[rules]]"),
            "{}",
            e.message
        );
        let e = err(
            "[[rules]]\nmetric = \"cyclomatic_complexity\"\n[[rules]]\nmetric = \"cyclomatic_complexity\"\n",
        );
        assert_eq!(e.line, 4);
        assert_eq!(e.hint.as_deref(), Some("the first is on line 2; keep one"));
    }

    #[test]
    fn override_needs_paths() {
        let e = err("[[overrides]]\n[overrides.thresholds]\ncyclomatic_complexity = 5\n");
        assert_eq!(e.message, "missing required key `paths`");
        let e = err("[[overrides]]\npaths = []\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("empty `paths`"));
    }

    #[test]
    fn syntax_error_has_position() {
        let e = err("[thresholds]\ncyclomatic_complexity = = 3\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn pyproject_table() {
        let text = "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 99\n\n\
                    [tool.antipasta]\nmodified = \"strict\"\n[tool.antipasta.thresholds]\n\
                    cognitive_complexity = 8\n";
        let path = Path::new("pyproject.toml");
        assert!(has_antipasta_table(text, path).unwrap());
        let s = parse_pyproject(text, path).unwrap().unwrap();
        assert_eq!(s.modified, ModifiedPolicy::Strict);
        assert_eq!(rule(&s, MetricKind::CognitiveComplexity).threshold, 8.0);

        let plain = "[project]\nname = \"x\"\n[tool.black]\nline-length = 88\n";
        assert!(!has_antipasta_table(plain, path).unwrap());
        assert!(parse_pyproject(plain, path).unwrap().is_none());
    }

    #[test]
    fn pyproject_errors_point_into_the_whole_file() {
        let text = "[project]\nname = \"x\"\n[tool.antipasta]\nmodifed = \"strict\"\n";
        let e = parse_pyproject(text, Path::new("pyproject.toml")).unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        assert_eq!(e.hint.as_deref(), Some("did you mean `modified`?"));
    }
}
