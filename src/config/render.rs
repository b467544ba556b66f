//! Settings → TOML text: `config show` (the resolved settings, explicit) and
//! `config init` (a commented template). Pure string building.
//!
//! `show` writes every rule in full, so reading its output back gives the
//! same [`Settings`]; `migrate` relies on that.

use std::fmt::Write as _;

use super::{
    default_comparison, default_rules, default_scope, default_threshold, Override, Rule, Settings,
};
use crate::metrics::MetricKind;

/// The resolved settings as a `.antipasta.toml` that means the same.
pub(crate) fn show(settings: &Settings) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "ignore_patterns = {}\n",
        string_array(settings.ignore_patterns.patterns())
    ));
    out.push_str(&format!("use_gitignore = {}\n", settings.use_gitignore));
    out.push_str(&format!(
        "python_extensions = {}\n",
        string_array(&settings.python_extensions)
    ));
    out.push_str(&format!(
        "modified = {}\n",
        quote(settings.modified.as_str())
    ));
    out.push_str(&format!(
        "file_metric_margin = {:?}\n",
        settings.file_metric_margin
    ));
    out.push_str(&format!(
        "mi_multi_as_comments = {}\n",
        settings.mi_multi_as_comments
    ));
    out.push_str(&format!("max_file_bytes = {}\n", settings.max_file_bytes));
    out.push_str(&format!("max_memory_mb = {}\n", settings.max_memory_mb));
    out.push_str(&format!("max_cpu_seconds = {}\n", settings.max_cpu_seconds));
    out.push_str(&format!("sandbox = {}\n", settings.sandbox));
    out.push_str(&format!(
        "cache_size = {}\n",
        quote(&size_text(settings.cache_size_bytes))
    ));
    out.push_str(&format!("budget_ms = {}\n", settings.budget_ms));
    out.push_str(&format!(
        "on_budget_exceeded = {}\n",
        quote(settings.on_budget_exceeded.as_str())
    ));
    out.push_str(&format!(
        "critical = {}\n",
        string_array(settings.critical.patterns())
    ));
    out.push_str(&format!("fail_open = {}\n", settings.fail_open));
    if let Some(path) = &settings.baseline {
        out.push_str(&format!("baseline = {}\n", quote(path)));
    }
    if let Some(path) = &settings.metrics_file {
        out.push_str(&format!("metrics_file = {}\n", quote(path)));
    }
    out.push_str(&format!("history_runs = {}\n", settings.history_runs));
    let a = &settings.alerts;
    out.push_str(&format!(
        "alerts = {{ enabled = {}, window = {}, budget_runs = {}, slowdown = {:?}, \
         hit_rate_drop = {:?}, store_full = {:?} }}\n",
        a.enabled, a.window, a.budget_runs, a.slowdown, a.hit_rate_drop, a.store_full
    ));
    out.push_str(&format!("require_reason = {}\n", settings.require_reason));
    out.push_str(&format!(
        "stale_suppressions = {}\n",
        quote(settings.stale_suppressions.as_str())
    ));

    let mut rules = settings.rules.clone();
    // A default metric with no rule at all would come back with its default
    // rule when read again; write it as disabled so the meaning is kept.
    for d in default_rules() {
        if !rules.iter().any(|r| r.metric == d.metric) {
            rules.push(Rule {
                enabled: false,
                ..d
            });
        }
    }
    rules.sort_by_key(|r| (r.metric, r.scope));
    for rule in &rules {
        out.push_str("\n[[rules]]\n");
        write_rule(&mut out, rule);
    }
    for o in &settings.overrides {
        write_override(&mut out, o);
    }
    out
}

fn write_override(out: &mut String, o: &Override) {
    out.push_str(&format!(
        "\n[[overrides]]\npaths = {}\n",
        string_array(o.paths.patterns())
    ));
    if !o.edits.thresholds.is_empty() {
        out.push_str("\n[overrides.thresholds]\n");
        for (metric, threshold) in &o.edits.thresholds {
            out.push_str(&format!("{} = {}\n", metric.name(), number(*threshold)));
        }
    }
    for rule in &o.edits.rules {
        out.push_str("\n[[overrides.rules]]\n");
        write_rule(out, rule);
    }
}

fn write_rule(out: &mut String, rule: &Rule) {
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "metric = {}\ncomparison = {}\nthreshold = {}\nscope = {}\nenabled = {}\n",
        quote(rule.metric.name()),
        quote(rule.comparison.as_str()),
        number(rule.threshold),
        quote(rule.scope.as_str()),
        rule.enabled
    );
}

/// A TOML number that reads back as exactly `v`: integral values as integers,
/// others in Rust's shortest round-trip form, which uses an exponent for
/// very large or small values (TOML accepts both).
pub(super) fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

pub(super) fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub(super) fn string_array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A commented `.antipasta.toml`: every key, set to its default. Read as is,
/// it gives the built-in defaults.
pub(crate) fn init_template() -> String {
    let defaults = Settings::default();
    let mut out = String::from(
        "# antipasta configuration. Every key is optional; the commented values are the\n\
         # defaults. `antipasta config show` prints the settings in effect.\n\
         \n\
         # Gitignore-style globs, relative to this file's directory, of files never checked.\n",
    );
    out.push_str(&format!(
        "# ignore_patterns = {}\n",
        string_array(defaults.ignore_patterns.patterns())
    ));
    out.push_str("# e.g. ignore_patterns = [\"build/\", \"**/migrations/*.py\"]\n\n");
    out.push_str("# Also skip files that .gitignore excludes.\n");
    out.push_str(&format!("# use_gitignore = {}\n\n", defaults.use_gitignore));
    out.push_str("# File name endings that mark Python files.\n");
    out.push_str(&format!(
        "# python_extensions = {}\n\n",
        string_array(&defaults.python_extensions)
    ));
    out.push_str(
        "# Pre-commit gate, functions that already existed at HEAD:\n\
         #   \"no-worse\": may stay over a limit as long as they got no worse;\n\
         #   \"strict\":   must meet every limit, like new functions.\n",
    );
    out.push_str(&format!(
        "# modified = {}\n\n",
        quote(defaults.modified.as_str())
    ));
    out.push_str(
        "# A modified file is judged on file-scope metrics (maintainability_index)\n\
         # only when its code changed (comments, blank lines and formatting do not\n\
         # count). A value already past its limit may then get worse by up to this\n\
         # many per cent of the limit (6: 3 points of MI at >= 50); crossing the\n\
         # limit always fails.\n",
    );
    out.push_str(&format!(
        "# file_metric_margin = {:?}\n\n",
        defaults.file_metric_margin
    ));
    out.push_str(
        "# Maintainability index: count multi-line strings (docstrings) as comments,\n\
         # as `radon mi` does by default.\n",
    );
    out.push_str(&format!(
        "# mi_multi_as_comments = {}\n\n",
        defaults.mi_multi_as_comments
    ));
    out.push_str("# Files larger than this many bytes are skipped with a message (0: no limit).\n");
    out.push_str(&format!(
        "# max_file_bytes = {}\n\n",
        defaults.max_file_bytes
    ));
    out.push_str(
        "# Cap on antipasta's memory (data segment) in MiB, enforced by the OS\n\
         # (0: no cap). Analysis threads are also limited by the memory available.\n",
    );
    out.push_str(&format!("# max_memory_mb = {}\n\n", defaults.max_memory_mb));
    out.push_str(
        "# Cap on antipasta's CPU time in seconds, all threads together, enforced by\n\
         # the OS (0: no cap). Reaching it ends the run with a message: exit 2, or,\n\
         # in the pre-commit hook with fail_open, a warning and the commit proceeds.\n",
    );
    out.push_str(&format!(
        "# max_cpu_seconds = {}\n\n",
        defaults.max_cpu_seconds
    ));
    out.push_str(
        "# Before analysing, restrict antipasta (Linux, Landlock): the file system\n\
         # read-only except the cache and the output files, no TCP, no new privileges.\n",
    );
    out.push_str(&format!("# sandbox = {}\n\n", defaults.sandbox));
    out.push_str(
        "# Size limit of the analysis cache (\"0\": none), e.g. \"256MB\" or \"1G\"; least\n\
         # recently used entries are evicted past it. --cache-size and\n\
         # ANTIPASTA_CACHE_SIZE override it.\n",
    );
    out.push_str(&format!(
        "# cache_size = {}\n\n",
        quote(&size_text(defaults.cache_size_bytes))
    ));
    out.push_str(
        "# Time budget of the pre-commit check (`antipasta check`), in milliseconds\n\
         # (0: none; `metrics` and `diff` have none unless given `--budget MS`).\n\
         # When it runs out no new file starts; the files not checked are listed.\n",
    );
    out.push_str(&format!("# budget_ms = {}\n\n", defaults.budget_ms));
    out.push_str("# Verdict when the budget ran out: \"pass\" (with a warning) or \"fail\".\n");
    out.push_str(&format!(
        "# on_budget_exceeded = {}\n\n",
        quote(defaults.on_budget_exceeded.as_str())
    ));
    out.push_str("# Globs of files checked first when time is short.\n");
    out.push_str(&format!(
        "# critical = {}\n\n",
        string_array(defaults.critical.patterns())
    ));
    out.push_str(
        "# When antipasta itself fails in the pre-commit hook (a bug, an unreadable\n\
         # repository), let the commit through with a warning (true) or block it (false).\n",
    );
    out.push_str(&format!("# fail_open = {}\n\n", defaults.fail_open));
    out.push_str(
        "# The baseline ledger (`antipasta baseline create`): recorded violations\n\
         # pass unless they get worse. Used when the file exists.\n",
    );
    out.push_str(&format!(
        "# baseline = {}\n\n",
        quote(super::DEFAULT_BASELINE_FILE)
    ));
    out.push_str(
        "# Observability (docs/observability.md): a file of the run's counters,\n\
         # written when each run ends (.prom: Prometheus text, .json: JSON), and how\n\
         # many runs the run history keeps (`antipasta history`; 0: none).\n",
    );
    out.push_str("# metrics_file = \"antipasta-metrics.prom\"\n");
    out.push_str(&format!("# history_runs = {}\n", defaults.history_runs));
    let a = &defaults.alerts;
    out.push_str(
        "# After a hook run, one warning line (never a failure, at most once a day per\n\
         # kind) when the last `window` runs show a problem: the budget ran out in\n\
         # `budget_runs` of them, their p95 is `slowdown` times the earlier median,\n\
         # the cache's hit rate fell under `hit_rate_drop` of the earlier one, or\n\
         # the store is at `store_full` of its limit.\n",
    );
    out.push_str(&format!(
        "# alerts = {{ enabled = {}, window = {}, budget_runs = {}, slowdown = {:?}, \
         hit_rate_drop = {:?}, store_full = {:?} }}\n\n",
        a.enabled, a.window, a.budget_runs, a.slowdown, a.hit_rate_drop, a.store_full
    ));
    out.push_str(
        "# Suppression markers (`# antipasta: ignore[metric, ...] -- reason`): whether\n\
         # a marker without a reason is an error (exit 1), and what a marker that\n\
         # suppresses nothing does: \"warn\", \"error\" (exit 1) or \"off\".\n",
    );
    out.push_str(&format!("# require_reason = {}\n", defaults.require_reason));
    out.push_str(&format!(
        "# stale_suppressions = {}\n\n",
        quote(defaults.stale_suppressions.as_str())
    ));
    out.push_str(
        "# Limits. A value passes when `value <comparison> threshold` holds; the\n\
         # comparison is `>=` for maintainability_index and `<=` for the rest.\n\
         # Setting a limit here keeps the metric's comparison and scope.\n\
         [thresholds]\n",
    );
    let mut without_default = Vec::new();
    for metric in MetricKind::ALL {
        let comparison = default_comparison(metric);
        let scope = default_scope(metric).as_str();
        match default_threshold(metric) {
            Some(t) => out.push_str(&format!(
                "# {} = {}  # {comparison}, per {scope}\n",
                metric.name(),
                number(t)
            )),
            None => without_default.push(format!(
                "#   {} ({comparison}, per {scope})\n",
                metric.name()
            )),
        }
    }
    out.push_str(
        "# These have no default limit; give one to check them, e.g. `nesting_depth = 4`:\n",
    );
    for line in without_default {
        out.push_str(&line);
    }
    out.push_str(
        "\n# Full rules. All [[rules]] of a metric replace its default rule.\n\
         # [[rules]]\n\
         # metric = \"nesting_depth\"\n\
         # comparison = \"<=\"      # one of < <= > >= == !=\n\
         # threshold = 4\n\
         # scope = \"function\"     # \"function\" or \"file\"\n\
         # enabled = true\n\
         \n\
         # Per-path changes, applied in order (later ones win), with the same\n\
         # [thresholds] / [[rules]] keys.\n\
         # [[overrides]]\n\
         # paths = [\"tests/**\"]\n\
         # [overrides.thresholds]\n\
         # cyclomatic_complexity = 20\n",
    );
    out
}

/// A byte count as `cache_size` takes it: whole MiB as `256MB`, else bytes.
fn size_text(bytes: u64) -> String {
    if bytes > 0 && bytes.is_multiple_of(1 << 20) {
        format!("{}MB", bytes >> 20)
    } else {
        bytes.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::schema::parse_toml;
    use super::super::ModifiedPolicy;
    use super::*;

    fn parse(text: &str) -> Settings {
        parse_toml(text, Path::new(".antipasta.toml")).unwrap()
    }

    #[test]
    fn init_template_reads_as_defaults_and_names_every_key() {
        let template = init_template();
        assert_eq!(parse(&template), Settings::default());
        for key in [
            "ignore_patterns",
            "use_gitignore",
            "python_extensions",
            "modified",
            "file_metric_margin",
            "mi_multi_as_comments",
            "max_file_bytes",
            "max_memory_mb",
            "max_cpu_seconds",
            "sandbox",
            "cache_size",
            "budget_ms",
            "on_budget_exceeded",
            "critical",
            "fail_open",
            "baseline",
            "metrics_file",
            "history_runs",
            "alerts",
            "require_reason",
            "stale_suppressions",
            "[thresholds]",
            "[[rules]]",
            "[[overrides]]",
        ] {
            assert!(template.contains(key), "template lacks {key}");
        }
        for metric in MetricKind::ALL {
            assert!(
                template.contains(metric.name()),
                "template lacks {}",
                metric.name()
            );
        }
    }

    #[test]
    fn show_round_trips() {
        let text = "ignore_patterns = [\"build/\", \"weird \\\"quoted\\\"/**\"]\n\
                    use_gitignore = false\nmodified = \"strict\"\nfile_metric_margin = 2.5\nmi_multi_as_comments = false\n\
                    [thresholds]\nhalstead_bugs = 0.25\n\
                    [[rules]]\nmetric = \"halstead_time\"\nenabled = false\n\
                    [[overrides]]\npaths = [\"tests/**\"]\n[overrides.thresholds]\n\
                    cyclomatic_complexity = 20\n[[overrides.rules]]\nmetric = \"nesting_depth\"\n\
                    threshold = 6\n";
        let settings = parse(text);
        assert_eq!(settings.modified, ModifiedPolicy::Strict);
        assert_eq!(settings.file_metric_margin, 2.5);
        let shown = show(&settings);
        assert_eq!(parse(&shown), settings, "{shown}");
        assert!(shown.contains("threshold = 0.25"), "{shown}");
    }

    #[test]
    fn show_defaults() {
        let shown = show(&Settings::default());
        assert!(
            shown.starts_with(
                "ignore_patterns = []\nuse_gitignore = true\npython_extensions = [\".py\"]\n\
             modified = \"no-worse\"\nfile_metric_margin = 6.0\nmi_multi_as_comments = true\nmax_file_bytes = 5242880\n\
             max_memory_mb = 0\nmax_cpu_seconds = 0\nsandbox = true\ncache_size = \"256MB\"\nbudget_ms = 1000\non_budget_exceeded = \"pass\"\ncritical = []\nfail_open = true\n\
             history_runs = 200\nalerts = { enabled = true, window = 20, budget_runs = 3, slowdown = 2.0, \
             hit_rate_drop = 0.5, store_full = 0.9 }\n\
             require_reason = false\nstale_suppressions = \"warn\"\n\
             \n[[rules]]\n\
             metric = \"cyclomatic_complexity\"\ncomparison = \"<=\"\nthreshold = 10\n\
             scope = \"function\"\nenabled = true\n"
            ),
            "{shown}"
        );
        assert_eq!(parse(&shown), Settings::default());
    }

    #[test]
    fn numbers_read_back_exactly() {
        for v in [0.0, 10.0, 0.1, 1234.5678, 1e-7, 2.5e20] {
            let t = parse(&format!("[thresholds]\nhalstead_bugs = {}\n", number(v)));
            let r = t
                .rules
                .iter()
                .find(|r| r.metric == MetricKind::HalsteadBugs)
                .unwrap();
            assert_eq!(r.threshold, v);
        }
    }
}
