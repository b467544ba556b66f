//! The Python antipasta's `.antipasta.yaml`: read it with its meaning, and
//! migrate it to `.antipasta.toml`.
//!
//! Input: YAML text in the Python antipasta's schema (`defaults`, `languages`
//! with per-language `metrics: [{type, threshold, comparison, enabled}]`,
//! `ignore_patterns`, `use_gitignore`). Output: [`Settings`] plus warnings for
//! what this tool does not use. Its meaning, kept here:
//!
//! - If `languages` has a `python` entry, its `metrics` list is the whole rule
//!   set: default metrics it does not list are not checked, and `defaults`
//!   is ignored. Otherwise the `defaults` limits (`max_*`, `min_*`) apply.
//! - A metric entry without `comparison` means `<=`, for every metric.
//! - When a metric is listed twice, the last entry wins.
//!
//! Keys of Python-antipasta features this tool lacks (`profile`,
//! `tree_shape`, `import_graph`, `narrative`, `duplication`), other languages
//! and metrics it does not compute are skipped with a warning; any other
//! unknown key is an error, as in the TOML schema.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::de::{Deserializer, IgnoredAny};
use serde::Deserialize;

use super::diagnostic::{unknown_metric, ConfigError};
use super::values::{Extension, Threshold};
use super::{render, Comparison, PathPatterns, Rule, RuleEdits, Settings};
use crate::metrics::MetricKind;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegacyFile {
    defaults: Option<LegacyDefaults>,
    languages: Option<Vec<LegacyLanguage>>,
    ignore_patterns: Option<Vec<String>>,
    use_gitignore: Option<bool>,
    profile: Option<IgnoredAny>,
    tree_shape: Option<IgnoredAny>,
    import_graph: Option<IgnoredAny>,
    narrative: Option<IgnoredAny>,
    duplication: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegacyDefaults {
    max_cyclomatic_complexity: Option<Threshold>,
    min_maintainability_index: Option<Threshold>,
    max_halstead_volume: Option<Threshold>,
    max_halstead_difficulty: Option<Threshold>,
    max_halstead_effort: Option<Threshold>,
    max_cognitive_complexity: Option<Threshold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegacyLanguage {
    name: String,
    extensions: Option<Vec<Extension>>,
    metrics: Vec<LegacyMetric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegacyMetric {
    #[serde(rename = "type")]
    metric: LegacyMetricName,
    threshold: Threshold,
    comparison: Option<Comparison>,
    enabled: Option<bool>,
}

enum LegacyMetricName {
    Known(MetricKind),
    /// A metric of the Python antipasta that this tool does not compute.
    Foreign(String),
}

/// Metric names the Python antipasta 1.2 accepts beyond ours: its house-style,
/// class, import-graph, narrative, duplication, VCS and coverage metrics.
const FOREIGN_METRICS: [&str; 44] = [
    "message_chain_depth",
    "function_arity",
    "boolean_flag_parameters",
    "exception_discipline",
    "global_state_reach",
    "marker_density",
    "comment_density",
    "function_statements",
    "expression_flatness",
    "pipeline_linearity",
    "lack_of_cohesion",
    "weighted_methods_per_class",
    "coupling_between_objects",
    "depth_of_inheritance_tree",
    "number_of_children",
    "single_responsibility_index",
    "directory_children",
    "efferent_coupling",
    "afferent_coupling",
    "instability",
    "dependency_cycles",
    "stable_dependencies_violations",
    "abstractness",
    "distance_from_main_sequence",
    "dependency_inversion",
    "narrative_mixed_functions",
    "narrator_budget_exceeded",
    "computer_budget_exceeded",
    "step_down_ordering",
    "layering_violations",
    "name_clarity",
    "naming_antipatterns",
    "duplication_ratio",
    "clone_occurrences",
    "assertions_per_test",
    "mock_call_assertions",
    "big_literal_assertions",
    "code_churn",
    "change_coupling",
    "hotspot",
    "test_churn_ratio",
    "co_churn_multiplicity",
    "suite_redundancy_index",
    "blast_radius",
];

impl<'de> Deserialize<'de> for LegacyMetricName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if let Some(m) = MetricKind::from_name(&name) {
            Ok(LegacyMetricName::Known(m))
        } else if FOREIGN_METRICS.contains(&name.as_str()) {
            Ok(LegacyMetricName::Foreign(name))
        } else {
            Err(serde::de::Error::custom(unknown_metric(&name)))
        }
    }
}

/// Reads legacy YAML text into settings and warnings.
pub(super) fn parse_yaml(text: &str, path: &Path) -> Result<(Settings, Vec<String>), ConfigError> {
    // An empty document (or only comments) is an empty config, as in PyYAML.
    let raw: Option<LegacyFile> =
        yaml_serde::from_str(text).map_err(|e| yaml_error(&e, path, text))?;
    let mut settings = Settings::default();
    let mut warnings = Vec::new();
    let Some(raw) = raw else {
        return Ok((settings, warnings));
    };

    for (key, present) in [
        ("profile", raw.profile.is_some()),
        ("tree_shape", raw.tree_shape.is_some()),
        ("import_graph", raw.import_graph.is_some()),
        ("narrative", raw.narrative.is_some()),
        ("duplication", raw.duplication.is_some()),
    ] {
        if present {
            warnings.push(format!(
                "`{key}` is a Python-antipasta feature this tool does not have; ignored"
            ));
        }
    }
    if let Some(patterns) = raw.ignore_patterns {
        settings.ignore_patterns = PathPatterns::new(patterns.clone()).map_err(|(i, why)| {
            let p = patterns.get(i).map(String::as_str).unwrap_or("");
            ConfigError::whole_file(path, &format!("invalid ignore pattern `{p}`: {why}"))
        })?;
    }
    if let Some(v) = raw.use_gitignore {
        settings.use_gitignore = v;
    }

    let mut python = None;
    for lang in raw.languages.unwrap_or_default() {
        if !lang.name.eq_ignore_ascii_case("python") {
            warnings.push(format!(
                "language `{}` ignored: this tool checks Python only",
                lang.name
            ));
        } else if python.is_some() {
            warnings.push(
                "a second `python` entry in `languages` is ignored (the first one counts)"
                    .to_string(),
            );
        } else {
            python = Some(lang);
        }
    }

    match python {
        Some(lang) => {
            if raw.defaults.is_some() {
                warnings.push(
                    "`defaults` is ignored because `languages: python` lists the metrics \
                     (as in the Python antipasta)"
                        .to_string(),
                );
            }
            if let Some(exts) = lang.extensions.filter(|e| !e.is_empty()) {
                settings.python_extensions = exts.into_iter().map(|e| e.0).collect();
            }
            settings.rules = python_rules(lang.metrics, &mut warnings);
        }
        None => {
            if let Some(d) = raw.defaults {
                let thresholds = [
                    (
                        MetricKind::CyclomaticComplexity,
                        d.max_cyclomatic_complexity,
                    ),
                    (
                        MetricKind::MaintainabilityIndex,
                        d.min_maintainability_index,
                    ),
                    (MetricKind::HalsteadVolume, d.max_halstead_volume),
                    (MetricKind::HalsteadDifficulty, d.max_halstead_difficulty),
                    (MetricKind::HalsteadEffort, d.max_halstead_effort),
                    (MetricKind::CognitiveComplexity, d.max_cognitive_complexity),
                ];
                let edits = RuleEdits {
                    thresholds: thresholds
                        .into_iter()
                        .filter_map(|(m, t)| t.map(|t| (m, t.0)))
                        .collect(),
                    rules: Vec::new(),
                };
                edits.apply(&mut settings.rules);
            }
        }
    }
    // The Python antipasta judges Halstead metrics per file (its per-function
    // values are informational); keep its verdicts.
    for rule in &mut settings.rules {
        if is_halstead(rule.metric) {
            rule.scope = super::Scope::File;
        }
    }
    Ok((settings, warnings))
}

/// How a legacy file's rules differ in meaning from the same limits written
/// in `.antipasta.toml`, for `config validate` (and the migration notes).
pub(super) fn scope_notes(settings: &Settings) -> Vec<String> {
    let per_file: Vec<&str> = settings
        .rules
        .iter()
        .filter(|r| r.enabled && r.scope == super::Scope::File && is_halstead(r.metric))
        .map(|r| r.metric.name())
        .collect();
    if per_file.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "{} {} judged per file, not per function, as the Python antipasta judges \
         Halstead metrics; `config migrate` keeps that (scope = \"file\"); write \
         scope = \"function\" in the migrated rules to judge each function",
        per_file.join(", "),
        if per_file.len() == 1 { "is" } else { "are" }
    )]
}

fn is_halstead(metric: MetricKind) -> bool {
    matches!(
        metric,
        MetricKind::HalsteadVolume
            | MetricKind::HalsteadDifficulty
            | MetricKind::HalsteadEffort
            | MetricKind::HalsteadTime
            | MetricKind::HalsteadBugs
    )
}

/// The rules of a `languages: python` metrics list: exactly the listed
/// metrics are checked; the other default rules stay, disabled.
fn python_rules(metrics: Vec<LegacyMetric>, warnings: &mut Vec<String>) -> Vec<Rule> {
    let mut listed: BTreeMap<MetricKind, Rule> = BTreeMap::new();
    for m in metrics {
        let metric = match m.metric {
            LegacyMetricName::Known(k) => k,
            LegacyMetricName::Foreign(name) => {
                warnings.push(format!(
                    "metric `{name}` is not computed by this tool; its rule is ignored"
                ));
                continue;
            }
        };
        if m.comparison.is_none() && metric == MetricKind::MaintainabilityIndex {
            warnings.push(
                "`maintainability_index` has no `comparison`, which the Python antipasta reads \
                 as `<=` (higher MI is better, so you likely want `>=`); kept as `<=`"
                    .to_string(),
            );
        }
        let rule = Rule {
            comparison: m.comparison.unwrap_or(Comparison::Le),
            enabled: m.enabled.unwrap_or(true),
            ..Rule::with_defaults(metric, m.threshold.0)
        };
        if listed.insert(metric, rule).is_some() {
            warnings.push(format!(
                "`{}` is listed twice; the last entry wins",
                metric.name()
            ));
        }
    }
    let mut rules: Vec<Rule> = super::default_rules()
        .into_iter()
        .filter(|d| !listed.contains_key(&d.metric))
        .map(|d| Rule {
            enabled: false,
            ..d
        })
        .collect();
    rules.extend(listed.into_values());
    rules.sort_by_key(|r| (r.metric, r.scope));
    rules
}

fn yaml_error(e: &yaml_serde::Error, path: &Path, text: &str) -> ConfigError {
    let full = e.to_string();
    match e.location() {
        Some(loc) => {
            let (line, column) = (loc.line(), loc.column());
            // The library appends the position; we print it in front instead.
            let suffix = format!(" at line {line} column {column}");
            let message = full.strip_suffix(&suffix).unwrap_or(&full);
            let (key_path, message) = split_key_path(message);
            let mut error = ConfigError::at_position(path, text, line, column, message);
            if let Some(key_path) = key_path {
                error.message.push_str(&format!(" (in `{key_path}`)"));
            }
            error
        }
        None => ConfigError::whole_file(path, &full),
    }
}

/// Splits the library's `languages[0].metrics: message` form into the key
/// path and the message, so the message can be reworded and the path shown
/// after it.
fn split_key_path(message: &str) -> (Option<&str>, &str) {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_.[]".contains(c);
    match message.split_once(": ") {
        Some((key_path, rest)) if !key_path.is_empty() && key_path.chars().all(is_path_char) => {
            (Some(key_path), rest)
        }
        _ => (None, message),
    }
}

/// Legacy YAML at `path` → `.antipasta.toml` text with the same meaning.
pub(crate) fn migrate_yaml(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading legacy config {}", path.display()))?;
    let (settings, warnings) = parse_yaml(&text, path)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = format!(
        "# Migrated from {name} (the Python antipasta's format).\n\
         # Every rule is written out in full, so this file means what the YAML meant.\n"
    );
    let notes: Vec<String> = warnings.into_iter().chain(scope_notes(&settings)).collect();
    if !notes.is_empty() {
        out.push_str("# Notes from the migration:\n");
        for note in &notes {
            out.push_str(&format!("#   - {note}\n"));
        }
    }
    out.push('\n');
    out.push_str(&render::show(&settings));
    Ok(out)
}

/// Where [`migrate_yaml_file`] put things.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Migrated {
    pub(crate) toml_path: PathBuf,
    pub(crate) backup_path: PathBuf,
}

/// Writes `.antipasta.toml` next to the legacy YAML and renames the YAML to
/// `<name>.bak`. Refuses to overwrite an existing `.antipasta.toml` or backup.
pub(crate) fn migrate_yaml_file(yaml_path: &Path) -> anyhow::Result<Migrated> {
    let dir = yaml_path.parent().unwrap_or(Path::new(""));
    let toml_path = dir.join(super::load::TOML_NAME);
    let Some(name) = yaml_path.file_name() else {
        bail!("{} is not a file name", yaml_path.display());
    };
    let mut backup_name = name.to_os_string();
    backup_name.push(".bak");
    let backup_path = dir.join(backup_name);
    if toml_path.exists() {
        bail!(
            "refusing to overwrite {}: it already exists (remove it first, or merge \
             the two files by hand)",
            toml_path.display()
        );
    }
    if backup_path.exists() {
        bail!(
            "refusing to overwrite the backup {}: move it away first",
            backup_path.display()
        );
    }
    let text = migrate_yaml(yaml_path)?;
    // create_new: never clobber a file that appeared since the check above.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&toml_path)
        .with_context(|| format!("creating {}", toml_path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", toml_path.display()))?;
    drop(file);
    if let Err(e) = std::fs::rename(yaml_path, &backup_path) {
        // Leave the project as it was: the YAML is still the config.
        let _ = std::fs::remove_file(&toml_path);
        return Err(e).with_context(|| {
            format!(
                "renaming {} to {}",
                yaml_path.display(),
                backup_path.display()
            )
        });
    }
    Ok(Migrated {
        toml_path,
        backup_path,
    })
}

#[cfg(test)]
mod tests {
    use super::super::schema::parse_toml;
    use super::super::Scope;
    use super::*;

    fn parse(text: &str) -> (Settings, Vec<String>) {
        parse_yaml(text, Path::new(".antipasta.yaml")).unwrap()
    }

    fn err(text: &str) -> ConfigError {
        match parse_yaml(text, Path::new(".antipasta.yaml")) {
            Ok(s) => panic!("expected an error, got {:?}", s.0),
            Err(e) => e,
        }
    }

    fn rule(s: &Settings, metric: MetricKind) -> Rule {
        *s.rules
            .iter()
            .find(|r| r.metric == metric)
            .expect("rule present")
    }

    #[test]
    fn halstead_rules_are_file_scoped_like_the_python_tool() {
        let (s, _) = parse("defaults:\n  max_halstead_volume: 900\n");
        let volume = rule(&s, MetricKind::HalsteadVolume);
        assert_eq!((volume.threshold, volume.scope), (900.0, Scope::File));
        assert_eq!(
            rule(&s, MetricKind::CyclomaticComplexity).scope,
            Scope::Function
        );
    }

    /// What the Python antipasta's `config generate` writes, plus two rules.
    const GENERATED: &str = "\
defaults:
  max_cyclomatic_complexity: 10
  min_maintainability_index: 50
  max_halstead_volume: 1000
  max_halstead_difficulty: 10
  max_halstead_effort: 10000
  max_cognitive_complexity: 15
languages:
- name: python
  extensions:
  - .py
  metrics:
  - type: cyclomatic_complexity
    threshold: 8
    comparison: <=
  - type: maintainability_index
    threshold: 60
    comparison: '>='
  - type: halstead_volume
    threshold: 900.5
  - type: cognitive_complexity
    threshold: 15
    comparison: <=
    enabled: false
  - type: source_lines_of_code
    threshold: 400
ignore_patterns:
- '**/test_*.py'
- '**/tests/**'
use_gitignore: true
";

    #[test]
    fn python_metrics_list_is_the_whole_rule_set() {
        let (s, warnings) = parse(GENERATED);
        assert_eq!(rule(&s, MetricKind::CyclomaticComplexity).threshold, 8.0);
        let mi = rule(&s, MetricKind::MaintainabilityIndex);
        assert_eq!(
            (mi.comparison, mi.threshold, mi.scope),
            (Comparison::Ge, 60.0, Scope::File)
        );
        // No comparison: `<=`, as in the Python antipasta.
        let hv = rule(&s, MetricKind::HalsteadVolume);
        assert_eq!((hv.comparison, hv.threshold), (Comparison::Le, 900.5));
        assert!(!rule(&s, MetricKind::CognitiveComplexity).enabled);
        let sloc = rule(&s, MetricKind::SourceLinesOfCode);
        assert_eq!(
            (sloc.threshold, sloc.scope, sloc.enabled),
            (400.0, Scope::File, true)
        );
        // Default metrics the list leaves out are not checked.
        assert!(!rule(&s, MetricKind::HalsteadEffort).enabled);
        assert!(!rule(&s, MetricKind::HalsteadDifficulty).enabled);
        assert!(s.is_ignored(Path::new("pkg/tests/unit/a.py")));
        assert!(s.is_ignored(Path::new("test_a.py")));
        assert!(!s.is_ignored(Path::new("pkg/a.py")));
        assert_eq!(
            warnings,
            vec![
                "`defaults` is ignored because `languages: python` lists the metrics (as in the \
                  Python antipasta)"
            ]
        );
    }

    #[test]
    fn defaults_section_without_languages() {
        let (s, warnings) =
            parse("defaults:\n  max_cyclomatic_complexity: 12\n  min_maintainability_index: 40\n");
        assert!(warnings.is_empty());
        let cc = rule(&s, MetricKind::CyclomaticComplexity);
        assert_eq!((cc.comparison, cc.threshold), (Comparison::Le, 12.0));
        let mi = rule(&s, MetricKind::MaintainabilityIndex);
        assert_eq!((mi.comparison, mi.threshold), (Comparison::Ge, 40.0));
        assert_eq!(rule(&s, MetricKind::CognitiveComplexity).threshold, 15.0);
        assert!(s.rules.iter().all(|r| r.enabled));
    }

    #[test]
    fn empty_yaml_is_defaults() {
        assert_eq!(parse("").0, Settings::default());
        assert_eq!(parse("# nothing yet\n").0, Settings::default());
    }

    #[test]
    fn foreign_parts_are_warned_about() {
        let (s, warnings) = parse(
            "profile: extreme\nnarrative:\n  narrator_step_budget: 5\nlanguages:\n\
             - name: javascript\n  metrics: []\n- name: Python\n  metrics:\n\
             \x20 - type: function_arity\n    threshold: 4\n\
             \x20 - type: maintainability_index\n    threshold: 50\n",
        );
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        assert!(warnings[0].starts_with("`profile`"));
        assert!(warnings[1].starts_with("`narrative`"));
        assert!(warnings[2].starts_with("language `javascript` ignored"));
        assert!(warnings[3].starts_with("metric `function_arity` is not computed"));
        assert!(warnings[4].contains("you likely want `>=`"));
        // Kept as the Python antipasta meant it.
        assert_eq!(
            rule(&s, MetricKind::MaintainabilityIndex).comparison,
            Comparison::Le
        );
    }

    #[test]
    fn unknown_key_has_position_and_hint() {
        let e = err("defaults:\n  max_cyclomatic_complexity: 10\nignore_pattern:\n- x\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.message, "unknown key `ignore_pattern`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `ignore_patterns`?"));
        assert!(e.to_string().contains("3 | ignore_pattern:"), "{e}");
    }

    #[test]
    fn nested_unknown_key_names_its_place() {
        let e = err("languages:\n- name: python\n  metrics: []\n  extension: ['.py']\n");
        assert_eq!((e.line, e.column), (4, 3));
        assert_eq!(e.message, "unknown key `extension` (in `languages[0]`)");
        assert_eq!(e.hint.as_deref(), Some("did you mean `extensions`?"));
    }

    #[test]
    fn unknown_metric_type_has_hint() {
        let e = err("languages:\n- name: python\n  metrics:\n  - type: cognitve_complexity\n    threshold: 3\n");
        assert_eq!(e.line, 4);
        assert_eq!(
            e.message,
            "unknown metric `cognitve_complexity` (in `languages[0].metrics[0]`)"
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean `cognitive_complexity`?")
        );
    }

    #[test]
    fn bad_values_are_rejected() {
        let e = err("languages:\n- name: python\n  metrics:\n  - type: cyclomatic_complexity\n    threshold: -3\n");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("must not be negative"), "{}", e.message);
        let e = err("languages:\n- name: python\n  metrics:\n  - type: cyclomatic_complexity\n    threshold: 3\n    comparison: '=>'\n");
        assert_eq!(e.line, 6);
        assert_eq!(e.hint.as_deref(), Some("did you mean `>=`?"));
    }

    #[test]
    fn migrate_round_trip_gives_identical_settings() {
        let dir = tempfile::tempdir().unwrap();
        for (i, yaml) in [
            GENERATED,
            "defaults:\n  max_halstead_effort: 5000\nuse_gitignore: false\n",
            "",
            "languages:\n- name: python\n  extensions: ['.py', '.pyi']\n  metrics:\n  - type: halstead_bugs\n    threshold: 0.1\n    comparison: '<'\n",
        ]
        .into_iter()
        .enumerate()
        {
            let path = dir.path().join(format!("case{i}.yaml"));
            std::fs::write(&path, yaml).unwrap();
            let toml = migrate_yaml(&path).unwrap();
            let from_toml = parse_toml(&toml, Path::new("m.toml")).unwrap();
            assert_eq!(from_toml, parse(yaml).0, "case {i}:\n{toml}");
        }
    }

    #[test]
    fn migrate_file_writes_toml_and_keeps_backup() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = dir.path().join(".antipasta.yaml");
        std::fs::write(&yaml, GENERATED).unwrap();
        let done = migrate_yaml_file(&yaml).unwrap();
        assert_eq!(done.toml_path, dir.path().join(".antipasta.toml"));
        assert_eq!(done.backup_path, dir.path().join(".antipasta.yaml.bak"));
        assert!(!yaml.exists());
        assert_eq!(
            std::fs::read_to_string(&done.backup_path).unwrap(),
            GENERATED
        );
        let toml = std::fs::read_to_string(&done.toml_path).unwrap();
        assert!(
            toml.starts_with("# Migrated from .antipasta.yaml"),
            "{toml}"
        );
        assert!(toml.contains("#   - `defaults` is ignored"), "{toml}");

        // A second run finds the TOML and refuses.
        std::fs::write(&yaml, GENERATED).unwrap();
        let e = migrate_yaml_file(&yaml).unwrap_err().to_string();
        assert!(e.starts_with("refusing to overwrite"), "{e}");
        assert!(yaml.exists());
    }
}
