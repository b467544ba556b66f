//! Configuration: find the config file, read it, and resolve it into [`Settings`].
//!
//! Stage: runs once per run, before any file is read. Input: a start directory
//! and an optional explicit `--config` path. Output: plain data ([`Loaded`]).
//! It must not walk the project or look at Python files; it only answers
//! "which rules apply to this relative path" and "is this path ignored".
//!
//! # Where the configuration comes from
//!
//! Starting at the start directory and walking up to the filesystem root, the
//! first directory holding one of these wins, checked in this order:
//!
//! 1. `.antipasta.toml`
//! 2. `pyproject.toml`, only if it has a `[tool.antipasta]` table (otherwise
//!    it is skipped and the walk goes on)
//! 3. `.antipasta.yaml` / `.antipasta.yml`, the Python antipasta's legacy format
//!    (read with its meaning; `antipasta config migrate` turns it into TOML)
//!
//! `--config PATH` skips the walk; the format follows the file name
//! (`pyproject.toml`, `*.yaml`/`*.yml`, else `*.toml`). With no file at all the
//! built-in defaults apply. The directory of the config file is the project
//! root that `ignore_patterns` and override `paths` are relative to.
//!
//! # The TOML schema
//!
//! ```toml
//! ignore_patterns = ["build/", "**/migrations/*.py"]  # gitignore-style globs
//! use_gitignore = true
//! python_extensions = [".py"]
//! modified = "no-worse"          # or "strict": policy for the staged gate
//! mi_multi_as_comments = true    # radon mi's default
//!
//! [thresholds]                   # shorthand: change a limit, keep its comparison
//! cyclomatic_complexity = 12
//!
//! [[rules]]                      # full form: replaces every rule for its metric
//! metric = "nesting_depth"
//! comparison = "<="              # < <= > >= == !=
//! threshold = 4
//! scope = "function"             # or "file"
//! enabled = true
//!
//! [[overrides]]                  # later overrides win
//! paths = ["tests/**"]
//! [overrides.thresholds]
//! cyclomatic_complexity = 20
//! ```
//!
//! The same keys go under `[tool.antipasta]` in `pyproject.toml`. Unknown keys
//! and bad values are errors that name the file, line and column, with a hint.
//!
//! # Defaults
//!
//! The Python antipasta's limits: `cyclomatic_complexity <= 10`,
//! `cognitive_complexity <= 15`, `maintainability_index >= 50`,
//! `halstead_volume <= 1000`, `halstead_difficulty <= 10`,
//! `halstead_effort <= 10000`. A comparison means "the value is acceptable
//! when `value <cmp> threshold` holds". Other metrics have no default limit.
//!
//! Default scope: `function` for cyclomatic, cognitive, every `halstead_*`,
//! `parameter_count` and `nesting_depth`; `file` for `maintainability_index`
//! and the line counts (`lines_of_code`, `logical_lines_of_code`,
//! `source_lines_of_code`, `comment_lines`, `blank_lines`).
//!
//! Quirks kept on purpose:
//! - The Python antipasta checks Halstead numbers per file; here they default
//!   to per function (a `scope = "file"` rule restores the old behaviour).
//! - Without a config file the Python antipasta disables cognitive complexity
//!   and ignores test files; here the built-in defaults check all six metrics
//!   everywhere, as its `defaults:` section does.
//! - In legacy YAML a metric without `comparison` means `<=`, even for
//!   `maintainability_index`; that meaning is kept (with a warning).

// Nothing in the binary calls into config until the CLI is wired to it.

mod diagnostic;
mod legacy;
mod load;
mod render;
mod schema;
mod values;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::bail;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::metrics::MetricKind;

// The operations the CLI calls, at `config::` level.
pub(crate) use diagnostic::metric_list;
pub(crate) use legacy::migrate_yaml_file;
pub(crate) use load::{load, validate};
pub(crate) use render::{init_template, show};
pub(crate) use values::parse_size;

/// The metric a mistyped name most likely meant, for "did you mean".
pub(crate) fn suggest_metric(name: &str) -> Option<String> {
    diagnostic::did_you_mean(name, MetricKind::ALL.iter().map(|m| m.name())).map(str::to_owned)
}

/// How a metric value is compared with its threshold. The value is acceptable
/// when `value <cmp> threshold` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Comparison {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Comparison {
    pub(crate) const ALL: [Comparison; 6] = [
        Comparison::Lt,
        Comparison::Le,
        Comparison::Gt,
        Comparison::Ge,
        Comparison::Eq,
        Comparison::Ne,
    ];

    /// True when `value` is acceptable under the limit `threshold`.
    pub(crate) fn passes(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Lt => value < threshold,
            Comparison::Le => value <= threshold,
            Comparison::Gt => value > threshold,
            Comparison::Ge => value >= threshold,
            Comparison::Eq => value == threshold,
            Comparison::Ne => value != threshold,
        }
    }

    /// The comparison that holds exactly when this one fails, for messages
    /// such as `17 > 15` from a `<= 15` rule.
    pub(crate) fn negated(self) -> Comparison {
        match self {
            Comparison::Lt => Comparison::Ge,
            Comparison::Le => Comparison::Gt,
            Comparison::Gt => Comparison::Le,
            Comparison::Ge => Comparison::Lt,
            Comparison::Eq => Comparison::Ne,
            Comparison::Ne => Comparison::Eq,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
        }
    }

    pub(crate) fn from_str_exact(s: &str) -> Option<Comparison> {
        Comparison::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one metric value describes: a function (or method) or a whole file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Scope {
    Function,
    File,
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Function => "function",
            Scope::File => "file",
        }
    }
}

/// Policy of the staged (pre-commit) gate for functions that existed at HEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) enum ModifiedPolicy {
    /// A modified function may stay over a limit if it got no worse than at HEAD.
    #[default]
    NoWorse,
    /// A modified function must meet every limit, like a new one.
    Strict,
}

impl ModifiedPolicy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ModifiedPolicy::NoWorse => "no-worse",
            ModifiedPolicy::Strict => "strict",
        }
    }
}

/// One limit: `metric` measured at `scope` must satisfy `value <comparison> threshold`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rule {
    pub(crate) metric: MetricKind,
    pub(crate) comparison: Comparison,
    pub(crate) threshold: f64,
    pub(crate) scope: Scope,
    pub(crate) enabled: bool,
}

impl Rule {
    /// The rule a metric gets when only its threshold is given.
    pub(crate) fn with_defaults(metric: MetricKind, threshold: f64) -> Rule {
        Rule {
            metric,
            comparison: default_comparison(metric),
            threshold,
            scope: default_scope(metric),
            enabled: true,
        }
    }

    pub(crate) fn passes(&self, value: f64) -> bool {
        self.comparison.passes(value, self.threshold)
    }
}

/// The comparison used when a rule or `[thresholds]` entry does not give one:
/// "higher is better" only for the maintainability index.
pub(crate) fn default_comparison(metric: MetricKind) -> Comparison {
    match metric {
        MetricKind::MaintainabilityIndex => Comparison::Ge,
        _ => Comparison::Le,
    }
}

/// The scope used when a rule does not give one (see the module doc).
pub(crate) fn default_scope(metric: MetricKind) -> Scope {
    match metric {
        MetricKind::MaintainabilityIndex
        | MetricKind::LinesOfCode
        | MetricKind::LogicalLinesOfCode
        | MetricKind::SourceLinesOfCode
        | MetricKind::CommentLines
        | MetricKind::BlankLines => Scope::File,
        MetricKind::CyclomaticComplexity
        | MetricKind::CognitiveComplexity
        | MetricKind::HalsteadVolume
        | MetricKind::HalsteadDifficulty
        | MetricKind::HalsteadEffort
        | MetricKind::HalsteadTime
        | MetricKind::HalsteadBugs
        | MetricKind::ParameterCount
        | MetricKind::NestingDepth => Scope::Function,
    }
}

/// The built-in limit of a metric, if it has one (the Python antipasta's defaults).
pub(crate) fn default_threshold(metric: MetricKind) -> Option<f64> {
    match metric {
        MetricKind::CyclomaticComplexity => Some(10.0),
        MetricKind::CognitiveComplexity => Some(15.0),
        MetricKind::MaintainabilityIndex => Some(50.0),
        MetricKind::HalsteadVolume => Some(1000.0),
        MetricKind::HalsteadDifficulty => Some(10.0),
        MetricKind::HalsteadEffort => Some(10000.0),
        _ => None,
    }
}

/// The rules checked when the configuration names no other.
pub(crate) fn default_rules() -> Vec<Rule> {
    MetricKind::ALL
        .into_iter()
        .filter_map(|m| default_threshold(m).map(|t| Rule::with_defaults(m, t)))
        .collect()
}

/// Gitignore-style patterns, kept as written (for display and equality) and
/// compiled once (for matching paths relative to the project root).
#[derive(Clone)]
pub(crate) struct PathPatterns {
    patterns: Vec<String>,
    matcher: Gitignore,
}

impl PathPatterns {
    /// Compiles `patterns`; on failure returns the index of the bad pattern
    /// and the reason, so the caller can point at it in the config file.
    pub(crate) fn new(patterns: Vec<String>) -> Result<PathPatterns, (usize, String)> {
        // Root "." makes the matcher take paths exactly as given (relative).
        let mut builder = GitignoreBuilder::new(".");
        for (i, p) in patterns.iter().enumerate() {
            builder.add_line(None, p).map_err(|e| (i, e.to_string()))?;
        }
        let matcher = builder.build().map_err(|e| (0, e.to_string()))?;
        Ok(PathPatterns { patterns, matcher })
    }

    pub(crate) fn empty() -> PathPatterns {
        PathPatterns {
            patterns: Vec::new(),
            matcher: Gitignore::empty(),
        }
    }

    pub(crate) fn has_patterns(&self) -> bool {
        !self.patterns.is_empty()
    }

    pub(crate) fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when `rel_path` (relative to the project root) or one of its
    /// parent directories matches, with gitignore semantics (`!` re-includes).
    pub(crate) fn matches(&self, rel_path: &Path) -> bool {
        // The matcher asserts on rooted paths; such a path cannot be relative
        // to the project root, so it matches nothing.
        if self.patterns.is_empty() || rel_path.has_root() {
            return false;
        }
        self.matcher
            .matched_path_or_any_parents(rel_path, false)
            .is_ignore()
    }
}

impl PartialEq for PathPatterns {
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

impl fmt::Debug for PathPatterns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.patterns).finish()
    }
}

/// Changes applied to the rules of every path that matches `paths`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Override {
    pub(crate) paths: PathPatterns,
    pub(crate) edits: RuleEdits,
}

/// One layer of rule changes, as written under `[thresholds]` and `[[rules]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct RuleEdits {
    /// New limits for metrics: each changes the threshold of every rule of the
    /// metric (and enables it), or adds a default rule if there is none.
    pub(crate) thresholds: Vec<(MetricKind, f64)>,
    /// Full rules: those of a metric replace all earlier rules of that metric.
    pub(crate) rules: Vec<Rule>,
}

impl RuleEdits {
    fn apply(&self, rules: &mut Vec<Rule>) {
        let replaced: BTreeSet<MetricKind> = self.rules.iter().map(|r| r.metric).collect();
        rules.retain(|r| !replaced.contains(&r.metric));
        rules.extend_from_slice(&self.rules);
        for &(metric, threshold) in &self.thresholds {
            set_threshold(rules, metric, threshold);
        }
        sort_rules(rules);
    }
}

fn set_threshold(rules: &mut Vec<Rule>, metric: MetricKind, threshold: f64) {
    let mut found = false;
    for rule in rules.iter_mut().filter(|r| r.metric == metric) {
        rule.threshold = threshold;
        rule.enabled = true;
        found = true;
    }
    if !found {
        rules.push(Rule::with_defaults(metric, threshold));
    }
}

/// Rules are kept in metric order, then scope, so output is deterministic.
fn sort_rules(rules: &mut [Rule]) {
    rules.sort_by_key(|r| (r.metric, r.scope));
}

/// The resolved configuration: plain data, no file handles.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Settings {
    /// Rules for every path before overrides; disabled rules are kept so that
    /// [`show`] can write them back out.
    pub(crate) rules: Vec<Rule>,
    pub(crate) ignore_patterns: PathPatterns,
    pub(crate) use_gitignore: bool,
    pub(crate) python_extensions: Vec<String>,
    pub(crate) overrides: Vec<Override>,
    pub(crate) modified: ModifiedPolicy,
    /// How much worse (per cent of the limit) a file-scope metric of a
    /// modified file that was already past its limit may get (`no-worse`).
    pub(crate) file_metric_margin: f64,
    /// Count multi-line strings as comments in the maintainability index.
    pub(crate) mi_multi_as_comments: bool,
    /// Files larger than this many bytes are skipped (0: no limit).
    pub(crate) max_file_bytes: u64,
    /// Cap on the process's data segment in MiB (0: none).
    pub(crate) max_memory_mb: u64,
    /// Cap on the process's CPU time in seconds (0: none).
    pub(crate) max_cpu_seconds: u64,
    /// Checking runs restrict themselves before analysing (Landlock).
    pub(crate) sandbox: bool,
    /// Size limit of the analysis cache in bytes (0: none); `--cache-size`
    /// and `ANTIPASTA_CACHE_SIZE` take precedence.
    pub(crate) cache_size_bytes: u64,
    /// Time budget of the pre-commit check in milliseconds (0: none).
    pub(crate) budget_ms: u64,
    /// The verdict when the budget ran out before every file was checked.
    pub(crate) on_budget_exceeded: BudgetPolicy,
    /// Files checked first when time is short.
    pub(crate) critical: PathPatterns,
    /// The pre-commit hook lets the commit through when antipasta itself fails.
    pub(crate) fail_open: bool,
    /// The baseline ledger, relative to the project root (`None`: the
    /// default file, used when it exists).
    pub(crate) baseline: Option<String>,
    /// The run metrics file written when a run ends, relative to the project
    /// root (`--metrics-file` overrides it).
    pub(crate) metrics_file: Option<String>,
    /// Runs kept in the run history (0: none kept).
    pub(crate) history_runs: u32,
    /// When the hook warns about what its recent runs show (`[alerts]`).
    pub(crate) alerts: crate::history::AlertRules,
    /// A suppression marker without `-- reason` is an error.
    pub(crate) require_reason: bool,
    /// What a marker that suppresses nothing does.
    pub(crate) stale_suppressions: StaleMode,
}

/// `stale_suppressions`: what a marker that suppresses nothing does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StaleMode {
    /// Reported, the exit code unchanged.
    #[default]
    Warn,
    /// Reported, and the run fails (exit 1).
    Error,
    /// Not reported.
    Off,
}

impl StaleMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StaleMode::Warn => "warn",
            StaleMode::Error => "error",
            StaleMode::Off => "off",
        }
    }
}

/// `on_budget_exceeded`: what the gate says about files it had no time for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BudgetPolicy {
    /// Pass, with a warning naming the files not checked.
    Pass,
    /// Fail (exit 1), naming the files not checked.
    Fail,
}

impl BudgetPolicy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BudgetPolicy::Pass => "pass",
            BudgetPolicy::Fail => "fail",
        }
    }
}

/// Default `file_metric_margin`, in per cent (see docs/metrics.md for the
/// measurements behind it).
pub(crate) const DEFAULT_FILE_METRIC_MARGIN: f64 = 6.0;

/// Default `cache_size`: the analysis cache's limit on disk.
pub(crate) const DEFAULT_CACHE_SIZE_BYTES: u64 = 256 * 1024 * 1024;

/// Runs the run history keeps by default.
pub(crate) const DEFAULT_HISTORY_RUNS: u32 = 200;

/// A run metrics file's name must say its format.
pub(crate) fn check_metrics_file(path: &str) -> Result<(), String> {
    match std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
    {
        Some("prom" | "json") => Ok(()),
        _ => Err(format!(
            "{path:?} must end in .prom (Prometheus text format) or .json"
        )),
    }
}

/// The baseline ledger's file in the project root, unless `baseline` names one.
pub(crate) const DEFAULT_BASELINE_FILE: &str = ".antipasta-baseline.json";

/// Default `budget_ms` of the pre-commit check.
pub(crate) const DEFAULT_HOOK_BUDGET_MS: u64 = 1000;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rules: default_rules(),
            ignore_patterns: PathPatterns::empty(),
            use_gitignore: true,
            python_extensions: vec![".py".to_string()],
            overrides: Vec::new(),
            modified: ModifiedPolicy::NoWorse,
            file_metric_margin: DEFAULT_FILE_METRIC_MARGIN,
            mi_multi_as_comments: true,
            max_file_bytes: crate::guard::DEFAULT_MAX_FILE_BYTES,
            max_memory_mb: 0,
            max_cpu_seconds: 0,
            sandbox: true,
            cache_size_bytes: DEFAULT_CACHE_SIZE_BYTES,
            budget_ms: DEFAULT_HOOK_BUDGET_MS,
            on_budget_exceeded: BudgetPolicy::Pass,
            critical: PathPatterns::empty(),
            fail_open: true,
            baseline: None,
            metrics_file: None,
            history_runs: DEFAULT_HISTORY_RUNS,
            alerts: crate::history::AlertRules::default(),
            require_reason: false,
            stale_suppressions: StaleMode::Warn,
        }
    }
}

impl Settings {
    /// The enabled rules for a file, after overrides; empty when it is ignored.
    /// `rel_path` is relative to the project root ([`Loaded::root`]).
    pub(crate) fn rules_for(&self, rel_path: &Path) -> Vec<Rule> {
        if self.is_ignored(rel_path) {
            return Vec::new();
        }
        let mut rules = self.rules.clone();
        for o in self.overrides.iter().filter(|o| o.paths.matches(rel_path)) {
            o.edits.apply(&mut rules);
        }
        rules.retain(|r| r.enabled);
        rules
    }

    /// True when `ignore_patterns` excludes `rel_path` (relative to the project root).
    pub(crate) fn is_ignored(&self, rel_path: &Path) -> bool {
        self.ignore_patterns.matches(rel_path)
    }

    /// True when the file name ends in one of `python_extensions`.
    pub(crate) fn is_python_file(&self, path: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy());
        name.is_some_and(|n| {
            self.python_extensions
                .iter()
                .any(|e| n.ends_with(e.as_str()))
        })
    }

    /// A hash of the options that change metric values (not thresholds), for
    /// cache keys: two settings with equal fingerprints give equal metrics.
    pub(crate) fn fingerprint(&self) -> u64 {
        // Bump the tag when an option is added, so old cache entries miss.
        let mut bytes = b"antipasta-metric-options-v1".to_vec();
        bytes.push(u8::from(self.mi_multi_as_comments));
        twox_hash::XxHash64::oneshot(0, &bytes)
    }
}

/// Short names accepted by `-t`, as in the Python antipasta.
const THRESHOLD_PREFIXES: [(&str, MetricKind); 6] = [
    ("cyc", MetricKind::CyclomaticComplexity),
    ("cog", MetricKind::CognitiveComplexity),
    ("mai", MetricKind::MaintainabilityIndex),
    ("vol", MetricKind::HalsteadVolume),
    ("dif", MetricKind::HalsteadDifficulty),
    ("eff", MetricKind::HalsteadEffort),
];

/// Applies the CLI's `-t metric=value`: the new limit wins everywhere, in
/// overrides too, and enables the metric's rules (adding one if needed).
pub(crate) fn apply_threshold_override(settings: &mut Settings, spec: &str) -> anyhow::Result<()> {
    let Some((name, value)) = spec.split_once('=') else {
        bail!(
            "invalid threshold `{spec}`: expected METRIC=VALUE, \
             e.g. `cyclomatic_complexity=15` or `cyc=15`"
        );
    };
    let name = name.trim();
    let metric = THRESHOLD_PREFIXES
        .iter()
        .find(|(p, _)| *p == name)
        .map(|&(_, m)| m)
        .or_else(|| MetricKind::from_name(name));
    let Some(metric) = metric else {
        let mut msg = format!("invalid threshold `{spec}`: unknown metric `{name}`");
        match diagnostic::did_you_mean(name, MetricKind::ALL.iter().map(|m| m.name())) {
            Some(best) => msg.push_str(&format!("; did you mean `{best}`?")),
            None => {
                let short: Vec<&str> = THRESHOLD_PREFIXES.iter().map(|(p, _)| *p).collect();
                msg.push_str(&format!(
                    "; known metrics: {}, or the short names {}",
                    diagnostic::metric_list(),
                    short.join(", ")
                ))
            }
        }
        bail!(msg);
    };
    let value = value.trim();
    let threshold: f64 = value
        .parse()
        .map_err(|_| anyhow::anyhow!("invalid threshold `{spec}`: `{value}` is not a number"))?;
    if let Err(why) = diagnostic::check_threshold(threshold) {
        bail!("invalid threshold `{spec}`: {why}");
    }
    set_threshold(&mut settings.rules, metric, threshold);
    sort_rules(&mut settings.rules);
    // Folding the value into each override gives the same rules as applying
    // it after them, and keeps `show` able to write the result back out.
    for o in &mut settings.overrides {
        for t in o.edits.thresholds.iter_mut().filter(|t| t.0 == metric) {
            t.1 = threshold;
        }
        for r in o.edits.rules.iter_mut().filter(|r| r.metric == metric) {
            r.threshold = threshold;
            r.enabled = true;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    use super::*;

    fn threshold(s: &Settings, metric: MetricKind) -> f64 {
        s.rules
            .iter()
            .find(|r| r.metric == metric)
            .unwrap()
            .threshold
    }

    #[test]
    fn comparisons_mean_value_cmp_threshold_is_acceptable() {
        use Comparison::*;
        let cases = [
            (Lt, [true, false, false]),
            (Le, [true, true, false]),
            (Gt, [false, false, true]),
            (Ge, [false, true, true]),
            (Eq, [false, true, false]),
            (Ne, [true, false, true]),
        ];
        for (cmp, expected) in cases {
            let got = [9.0, 10.0, 11.0].map(|v| cmp.passes(v, 10.0));
            assert_eq!(got, expected, "{cmp}");
            assert_eq!(Comparison::from_str_exact(cmp.as_str()), Some(cmp));
        }
    }

    #[test]
    fn defaults_match_the_python_antipasta() {
        let s = Settings::default();
        let got: Vec<_> = s
            .rules
            .iter()
            .map(|r| {
                (
                    r.metric.name(),
                    r.comparison.as_str(),
                    r.threshold,
                    r.scope,
                    r.enabled,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("cyclomatic_complexity", "<=", 10.0, Scope::Function, true),
                ("cognitive_complexity", "<=", 15.0, Scope::Function, true),
                ("maintainability_index", ">=", 50.0, Scope::File, true),
                ("halstead_volume", "<=", 1000.0, Scope::Function, true),
                ("halstead_difficulty", "<=", 10.0, Scope::Function, true),
                ("halstead_effort", "<=", 10000.0, Scope::Function, true),
            ]
        );
        assert!(s.use_gitignore);
        assert_eq!(s.python_extensions, vec![".py"]);
        assert_eq!(s.modified, ModifiedPolicy::NoWorse);
        assert!(s.mi_multi_as_comments);
        assert!(!s.is_ignored(Path::new("tests/test_a.py")));
        assert_eq!(s.rules_for(Path::new("a.py")), s.rules);
    }

    #[test]
    fn threshold_override_from_cli() {
        let mut s = Settings::default();
        apply_threshold_override(&mut s, "cyc=15").unwrap();
        apply_threshold_override(&mut s, "maintainability_index = 30.5").unwrap();
        apply_threshold_override(&mut s, "nesting_depth=4").unwrap();
        assert_eq!(threshold(&s, MetricKind::CyclomaticComplexity), 15.0);
        let mi = s
            .rules
            .iter()
            .find(|r| r.metric == MetricKind::MaintainabilityIndex)
            .unwrap();
        assert_eq!((mi.comparison, mi.threshold), (Comparison::Ge, 30.5));
        let nd = s
            .rules
            .iter()
            .find(|r| r.metric == MetricKind::NestingDepth)
            .unwrap();
        assert_eq!(
            (nd.comparison, nd.threshold, nd.scope),
            (Comparison::Le, 4.0, Scope::Function)
        );
        assert_eq!(s.rules.len(), 7);
    }

    #[test]
    fn threshold_override_wins_over_path_overrides_and_enables() {
        let text = "[[rules]]\nmetric = \"cognitive_complexity\"\nenabled = false\n\
                    [[overrides]]\npaths = [\"tests/\"]\n[overrides.thresholds]\n\
                    cyclomatic_complexity = 30\n[[overrides.rules]]\n\
                    metric = \"cognitive_complexity\"\nthreshold = 50\nenabled = false\n";
        let mut s = schema::parse_toml(text, Path::new(".antipasta.toml")).unwrap();
        apply_threshold_override(&mut s, "cyc=12").unwrap();
        apply_threshold_override(&mut s, "cog=9").unwrap();
        for path in ["src/a.py", "tests/a.py"] {
            let rules = s.rules_for(Path::new(path));
            let get = |m| rules.iter().find(|r| r.metric == m).unwrap().threshold;
            assert_eq!(get(MetricKind::CyclomaticComplexity), 12.0, "{path}");
            assert_eq!(get(MetricKind::CognitiveComplexity), 9.0, "{path}");
        }
        // Still writable and readable as TOML.
        let shown = show(&s);
        assert_eq!(schema::parse_toml(&shown, Path::new("x.toml")).unwrap(), s);
    }

    #[test]
    fn threshold_override_errors() {
        let mut s = Settings::default();
        let msg = |spec: &str, s: &mut Settings| {
            apply_threshold_override(s, spec).unwrap_err().to_string()
        };
        assert_eq!(
            msg("cyc15", &mut s),
            "invalid threshold `cyc15`: expected METRIC=VALUE, e.g. `cyclomatic_complexity=15` or `cyc=15`"
        );
        assert_eq!(
            msg("cyclomatic=3", &mut s),
            "invalid threshold `cyclomatic=3`: unknown metric `cyclomatic`; did you mean `cyclomatic_complexity`?"
        );
        assert_eq!(
            msg("cyc=ten", &mut s),
            "invalid threshold `cyc=ten`: `ten` is not a number"
        );
        assert!(msg("cyc=-1", &mut s).contains("must not be negative"));
        assert!(msg("cyc=NaN", &mut s).contains("finite"));
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn fingerprint_follows_value_options_only() {
        let base = Settings::default();
        let mut thresholds = base.clone();
        apply_threshold_override(&mut thresholds, "cyc=3").unwrap();
        thresholds.modified = ModifiedPolicy::Strict;
        assert_eq!(base.fingerprint(), thresholds.fingerprint());
        let mi = Settings {
            mi_multi_as_comments: false,
            ..base.clone()
        };
        assert_ne!(base.fingerprint(), mi.fingerprint());
        // Stable across runs and builds (it keys an on-disk cache).
        assert_eq!(base.fingerprint(), Settings::default().fingerprint());
    }
}
