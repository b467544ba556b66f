//! Command-line arguments (clap derive), turned into plain options.
//!
//! Nothing here touches the file system or the repository; `run.rs` does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::parse_size;
use crate::report::Format;

/// `--format`'s values are the report's formats.
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.help()))
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "antipasta",
    version,
    // Our own `-V/--version`, so that `--version --verbose` can say more.
    disable_version_flag = true,
    about = "A fast code-complexity gate for Python: checks cyclomatic and cognitive complexity, \
             Halstead metrics, maintainability index and line counts against thresholds.",
    after_help = "Exit codes: 0 clean, 1 violations, 2 usage, configuration or internal error, \
                  or a file that could not be read, decoded or parsed; 130/143 when stopped by \
                  Ctrl-C/SIGTERM. The pre-commit check fails open on its own internal errors \
                  (exit 0 with a warning) unless fail_open = false.\n\n\
                  Exempt a function from some thresholds with a comment on its `def` line \
                  (or the line above): `# antipasta: ignore[cognitive_complexity] -- reason`; \
                  from all with `# antipasta: ignore -- reason` (docs/suppressions.md)."
)]
pub(crate) struct Cli {
    /// Use this configuration file instead of discovering one
    /// (.antipasta.toml, [tool.antipasta] in pyproject.toml, or .antipasta.yaml).
    #[arg(short = 'c', long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub cache: CacheArgs,

    /// After the report, print on standard error where the run's time went:
    /// each step, the analysis threads' work and their parallel efficiency
    /// (also as `timings` in the JSON report).
    #[arg(long, global = true)]
    pub timings: bool,

    /// When the run ends, write its counters (files, cache hits, functions,
    /// violations, seconds per step, budget, peak memory) to PATH:
    /// `.prom` in the Prometheus text format, `.json` as JSON (default:
    /// `metrics_file` in the configuration).
    #[arg(long, global = true, value_name = "PATH", value_parser = parse_metrics_file)]
    pub metrics_file: Option<PathBuf>,

    /// How `ANTIPASTA_LOG`'s log lines look on standard error: `text`, or
    /// `json` (one object per line).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        value_name = "FORMAT"
    )]
    pub log_format: crate::log::LogFormat,

    /// Print the version (and the build's commit); with `--verbose`, also
    /// the features, target, profile and cache formats.
    #[arg(short = 'V', long)]
    pub version: bool,

    /// `check`'s options, for a bare `antipasta -v` / `git antipasta -v`.
    #[command(flatten)]
    pub gate: GateFlags,

    /// With no command: `check` (so a bare `git antipasta` checks the staged changes).
    #[command(subcommand)]
    pub command: Option<Command>,
}

// `defer`: clap builds a subcommand's arguments only when that subcommand
// runs (or its help is shown), not all of them at every start. Building
// every subcommand's arguments was about a fifth of `antipasta --version`'s
// CPU, and the hook pays it on every commit. With deferral an `Args`
// struct's doc comment would replace its subcommand's `about`, so those
// structs carry plain comments instead.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum Command {
    /// Check the staged changes (the git index against HEAD): only functions
    /// that really changed are judged. The default command.
    Check(CheckArgs),
    /// Check the changes of a commit range, for pull requests:
    /// `BASE...HEAD` (from the merge base), `BASE..HEAD`, or `BASE` (= `BASE...HEAD`).
    Diff(DiffArgs),
    /// Analyse files and directories and check every function against the thresholds.
    Metrics(MetricsArgs),
    /// Record the violations a legacy codebase has now, so that checks fail
    /// only on new or worsened ones; shrink or check that ledger.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Statistics per metric (count, total, mean, median, p90, max, over the
    /// limit) for functions and files, over the tree, per directory or per
    /// package, and the worst functions.
    Stats(StatsArgs),
    /// A self-contained HTML report (treemap, sortable function table,
    /// directory summary), or its JSON snapshot; with `--baseline`, what
    /// changed since an earlier snapshot.
    Report(ReportArgs),
    /// Hotspots from the branch's history: churn × complexity per file and
    /// per function, change coupling, and one function's trend.
    Hotspots(HotspotsArgs),
    /// Join the JSON reports of `metrics --shard K/N` jobs into one report,
    /// in any format, with the exit code of the whole run.
    Merge(MergeArgs),
    /// Install or remove the git pre-commit hook of this repository.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Write, check, show or migrate the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Inspect and maintain the analysis cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// The last runs in this repository: duration percentiles per mode, the
    /// cache's hit rate, the budget, violations over time and the slowest
    /// runs with what took their time.
    History(HistoryArgs),
    /// The version with the build's commit, features, target, profile and
    /// cache formats (for bug reports; the same as `--version --verbose`).
    Version,
}

impl Command {
    /// The command's name as typed.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Check(_) => "check",
            Command::Diff(_) => "diff",
            Command::Metrics(_) => "metrics",
            Command::Merge(_) => "merge",
            Command::Stats(_) => "stats",
            Command::Report(_) => "report",
            Command::Hotspots(_) => "hotspots",
            Command::Baseline(_) => "baseline",
            Command::Hook(_) => "hook",
            Command::Config(_) => "config",
            Command::Cache(_) => "cache",
            Command::History(_) => "history",
            Command::Version => "version",
        }
    }
}

// Where the analysis cache lives and how large it may grow.
#[derive(Debug, Default, Args)]
pub(crate) struct CacheArgs {
    /// Keep the analysis cache here (default: `antipasta-cache` in the git
    /// directory, else ~/.cache/antipasta; also `ANTIPASTA_CACHE_DIR`).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Neither read nor write the analysis cache (also `ANTIPASTA_NO_CACHE=1`).
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Size limit of the cache, e.g. `256MB`, `1G` (default 256MB; also
    /// `ANTIPASTA_CACHE_SIZE`). Least recently used entries are evicted.
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_size)]
    pub cache_size: Option<u64>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum CacheCommand {
    /// Entries, bytes on disk and the hit rate of the recent runs.
    Stats,
    /// Remove every entry.
    Clear,
    /// Remove entries of other antipasta versions, enforce the size limit, compact.
    Gc,
    /// Read every record; report and remove the bad ones (exit 1 if any).
    Verify,
    /// Write the cache's entries to FILE (to hand a warm cache to CI).
    Export { file: PathBuf },
    /// Check FILE completely (versions, checksums, every record), then add its entries.
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// Only the runs of this mode.
    #[arg(long, value_parser = ["check", "diff", "metrics"])]
    pub mode: Option<String>,

    /// `text`, or `json` (every run kept, and the summaries).
    #[arg(long, value_enum, default_value = "text")]
    pub format: HistoryFormat,

    /// How many of the slowest recent runs to list.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub slowest: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum HistoryFormat {
    Text,
    Json,
}

// Which files a full-tree command reads, and under which thresholds:
// what `metrics`, `stats` and `report` share.
#[derive(Debug, Args)]
pub(crate) struct Sources {
    /// Files or directories to analyse (default: the current directory).
    /// Directories are walked honouring .gitignore, .ignore and ignore_patterns.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// A directory to analyse (repeatable; the Python antipasta's spelling).
    #[arg(short = 'd', long = "directory", value_name = "DIR")]
    pub directories: Vec<PathBuf>,

    /// Override a threshold for this run, e.g. `-t cognitive_complexity=20`.
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE")]
    pub thresholds: Vec<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Args)]
pub(crate) struct MetricsArgs {
    #[command(flatten)]
    pub sources: Sources,

    /// A file to analyse (repeatable; the Python antipasta's spelling).
    #[arg(short = 'f', long = "files", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Print only the summary line (text format).
    #[arg(short, long)]
    pub quiet: bool,

    /// Write the report to FILE instead of standard output (warnings and
    /// the blocked-commit line still go to standard error).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Time budget in milliseconds (default: none). When it runs out no new
    /// file starts; the files not checked are listed.
    #[arg(long, value_name = "MS")]
    pub budget: Option<u64>,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    #[command(flatten)]
    pub markers: MarkerArgs,

    /// Analyse only shard K of N (1-based): a fixed share of the files,
    /// chosen by a hash of each path, for a CI matrix of N jobs. Adding a
    /// file moves only that file.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
}

// Which files `stats` and `report` read, and how (what `metrics` takes).
#[derive(Debug, Args)]
pub(crate) struct TreeArgs {
    #[command(flatten)]
    pub sources: Sources,

    /// Disregard every suppression marker: count every violation.
    #[arg(long)]
    pub no_ignore: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    #[command(flatten)]
    pub tree: TreeArgs,

    /// Metrics to show: names (`cognitive_complexity`), the Python
    /// antipasta's prefixes `loc`, `cyc`, `cog`, `hal`, `mai`, or `all`
    /// (repeatable or comma-separated; default: all).
    #[arg(short = 'm', long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,

    /// Also per directory, cut at `--depth` components.
    #[arg(long, conflicts_with = "by_module")]
    pub by_directory: bool,

    /// How many path components a `--by-directory` group keeps.
    #[arg(long, default_value_t = 1, value_name = "N", requires = "by_directory")]
    pub depth: usize,

    /// Also per Python package (the innermost directory with an
    /// `__init__.py`, named as imported).
    #[arg(long)]
    pub by_module: bool,

    /// `table`, `json` or `csv`.
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatsFormat,

    /// Also list the N functions worst against their limits.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatsFormat {
    #[value(alias = "text")]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub tree: TreeArgs,

    /// Where to write (default: antipasta-report.html, or
    /// antipasta-report.json with `--format json`).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// `html`: the page; `json`: the snapshot it draws (a later
    /// `--baseline`).
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,

    /// Also write the snapshot beside the page (`<output>.json`).
    #[arg(long)]
    pub save_baseline: bool,

    /// Compare with this snapshot: new, worse, better and removed
    /// functions, and each directory's change.
    #[arg(long, value_name = "SNAPSHOT")]
    pub baseline: Option<PathBuf>,

    /// Also rank hotspots from the branch's history (as `antipasta
    /// hotspots`, first parents).
    #[arg(long)]
    pub hotspots: bool,

    /// With `--hotspots`: how far back (`90d`, a date, a revision).
    #[arg(long, value_name = "WHEN", requires = "hotspots")]
    pub since: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Html,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct HotspotsArgs {
    /// Only files under these paths (default: the whole repository).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// How far back: a duration (`90d`, `12w`, `1y`), a date
    /// (`2026-01-31`) or a revision (commits since it). Default: all.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// At most N commits (the newest).
    #[arg(long, value_name = "N")]
    pub max_commits: Option<usize>,

    /// Follow every parent (each change counted in the commit that made
    /// it; merges add nothing), not only first parents (the default, as
    /// `git log --first-parent`: a merge counts as one change).
    #[arg(long)]
    pub all_parents: bool,

    /// How many files and functions to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,

    /// Pairs that changed together in at least N commits count as coupled.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_shared: u32,

    /// The trend of one function, `path::Qual.name`: its metrics at each
    /// commit that changed it.
    #[arg(long, value_name = "PATH::NAME")]
    pub function: Option<String>,

    /// `text`, `json` or `csv`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,

    /// Override a threshold for this run, e.g. `-t cognitive_complexity=20`.
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE")]
    pub thresholds: Vec<String>,

    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// Which files of a tree count, beyond the configuration (the Python
// antipasta's flags, with its meaning).
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub(crate) struct SelectionArgs {
    /// Also ignore files matching this gitignore-style pattern, relative to
    /// the project root (repeatable; added to `ignore_patterns`).
    #[arg(short = 'e', long = "exclude-pattern", value_name = "PATTERN")]
    pub exclude: Vec<String>,

    /// Analyse files matching this gitignore-style pattern even when an
    /// ignore pattern or a .gitignore excludes them (repeatable).
    #[arg(short = 'i', long = "include-pattern", value_name = "PATTERN")]
    pub include: Vec<String>,

    /// Do not read .gitignore files (nor .git/info/exclude or the global one).
    #[arg(long)]
    pub no_gitignore: bool,

    /// Apply no ignore patterns (neither the configuration's nor `-e`);
    /// .gitignore still applies.
    #[arg(long)]
    pub force_analyze: bool,
}

// How a checking run treats suppression markers.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub(crate) struct MarkerArgs {
    /// Disregard every suppression marker (`# antipasta: ignore...`,
    /// complexipy's): report everything.
    #[arg(long)]
    pub no_ignore: bool,

    /// Also list the violations markers suppressed, with their reasons.
    #[arg(long)]
    pub report_ignored: bool,
}

// Which baseline ledger a checking run applies.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub(crate) struct LedgerArgs {
    /// Apply this baseline ledger (default: `baseline` in the configuration,
    /// else .antipasta-baseline.json in the project root when it exists).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Apply no baseline ledger: report every violation.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum BaselineCommand {
    /// Write the ledger anew with every violation there is now (the only
    /// command that adds entries).
    Create(BaselineArgs),
    /// Shrink the ledger: drop entries that no longer violate or no longer
    /// exist, lower values that improved. Never adds or raises an entry.
    Update(BaselineArgs),
    /// Exit 1 when `update` would shrink the ledger (for CI), naming the entries.
    Check(BaselineArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BaselineArgs {
    /// Files or directories (default: the current directory).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// The ledger file (default: `baseline` in the configuration, else
    /// .antipasta-baseline.json in the project root).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The shards' reports, written by `metrics --format json` (or
    /// `json-lines`) of this antipasta.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Print only the summary line (text format).
    #[arg(short, long)]
    pub quiet: bool,

    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also list the violations markers suppressed, with their reasons.
    #[arg(long)]
    pub report_ignored: bool,
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{text}` is not K/N with 1 <= K <= N, e.g. 2/3");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[derive(Debug, Default, Args)]
pub(crate) struct GateArgs {
    /// Only these paths (pre-commit passes the staged Python files here).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub flags: GateFlags,
}

// The gate's options other than paths (also accepted before the command,
// or with no command).
#[derive(Debug, Default, PartialEq, Args)]
pub(crate) struct GateFlags {
    /// Judge every function of the changed files, not only the changed ones.
    #[arg(long)]
    pub all: bool,

    /// Override a threshold for this run, e.g. `-t cognitive_complexity=20`.
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE")]
    pub thresholds: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Also print the summary when everything passes.
    #[arg(short, long)]
    pub verbose: bool,

    /// Write the report to FILE instead of standard output (warnings and
    /// the blocked-commit line still go to standard error).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    #[command(flatten)]
    pub markers: MarkerArgs,

    /// Time budget in milliseconds, 0 for none (default: `budget_ms`, 1000,
    /// for `check`; none for `diff`). When it runs out no new file starts;
    /// the files not checked are listed with the command that checks them.
    #[arg(long, value_name = "MS")]
    pub budget: Option<u64>,
}

impl GateFlags {
    /// Adds the options given before the command (`antipasta -v check`) to
    /// the command's own; the command's win where both set one.
    pub(crate) fn merge_before(&mut self, before: GateFlags) {
        self.all |= before.all;
        self.verbose |= before.verbose;
        self.budget = self.budget.or(before.budget);
        self.output = self.output.take().or(before.output);
        self.ledger.baseline = self.ledger.baseline.take().or(before.ledger.baseline);
        self.ledger.no_baseline |= before.ledger.no_baseline;
        self.markers.no_ignore |= before.markers.no_ignore;
        self.markers.report_ignored |= before.markers.report_ignored;
        if self.format == Format::Text {
            self.format = before.format;
        }
        let mut thresholds = before.thresholds;
        thresholds.append(&mut self.thresholds);
        self.thresholds = thresholds;
    }
}

#[derive(Debug, Default, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub gate: GateArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// `BASE...HEAD`, `BASE..HEAD` or `BASE`.
    pub range: String,

    #[command(flatten)]
    pub gate: GateArgs,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum HookCommand {
    /// Write the repository's pre-commit hook (respects core.hooksPath and
    /// linked worktrees). An existing hook is never silently replaced.
    Install {
        /// Keep an existing pre-commit hook and run it before antipasta.
        #[arg(long, conflicts_with = "force")]
        chain: bool,
        /// Replace an existing pre-commit hook.
        #[arg(long)]
        force: bool,
    },
    /// Remove antipasta's pre-commit hook (restoring a chained hook).
    Uninstall,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum ConfigCommand {
    /// Write a commented .antipasta.toml with every key and its default
    /// (`config generate` is the Python antipasta's name for it).
    #[command(alias = "generate")]
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// Write to FILE instead of .antipasta.toml (TOML, whatever its name).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// The Python antipasta's flag: no questions, overwrite an existing
        /// file (antipasta never asks).
        #[arg(long, hide = true)]
        non_interactive: bool,
    },
    /// Load the configuration and report any problem (exit 2 on errors).
    Validate {
        /// The file to check (default: the one discovered).
        path: Option<PathBuf>,
    },
    /// Print the resolved settings as TOML (`config view` is the Python
    /// antipasta's name for it).
    #[command(alias = "view")]
    Show {
        /// The configuration file to show (default: the one discovered).
        #[arg(short = 'p', long = "path", value_name = "FILE")]
        path: Option<PathBuf>,
        /// `toml`: the resolved settings; `raw`: the file as written.
        #[arg(short = 'f', long = "format", default_value = "toml", value_parser = ["toml", "raw"])]
        format: String,
        /// Accepted for the Python antipasta's command lines: showing always
        /// loads, and so checks, the file.
        #[arg(long, hide = true)]
        validate: bool,
        #[arg(long, hide = true, conflicts_with = "validate")]
        no_validate: bool,
    },
    /// Convert the Python antipasta's .antipasta.yaml into .antipasta.toml
    /// (the original is kept as .antipasta.yaml.bak).
    Migrate {
        /// The YAML file to convert (default: .antipasta.yaml in the current
        /// directory, else .antipasta.yml).
        path: Option<PathBuf>,
    },
}

fn parse_metrics_file(text: &str) -> Result<PathBuf, String> {
    crate::config::check_metrics_file(text)?;
    Ok(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `-h` of the command at `path` below `antipasta`, as a user sees it.
    fn short_help(path: &[&str]) -> String {
        let argv = std::iter::once("antipasta")
            .chain(path.iter().copied())
            .chain(["-h"]);
        match Cli::command().try_get_matches_from(argv) {
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.to_string(),
            other => panic!("{path:?} -h: {other:?}"),
        }
    }

    /// Every subcommand, at every depth, shows on its own help the `about`
    /// its parent lists for it. With deferred arguments, an `Args` struct's
    /// doc comment would replace it there.
    #[test]
    fn deferred_subcommands_keep_their_about() {
        fn walk(cmd: &clap::Command, path: &[String], seen: &mut usize) {
            let parent: Vec<&str> = path.iter().map(String::as_str).collect();
            let listing = short_help(&parent);
            for sub in cmd.get_subcommands() {
                let name = sub.get_name().to_string();
                if name == "help" {
                    continue;
                }
                let listed = listing
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("  {name} ")))
                    .map(str::trim)
                    .unwrap_or_else(|| panic!("{parent:?} lists no {name}:\n{listing}"));
                let own = [path, &[name]].concat();
                let own_str: Vec<&str> = own.iter().map(String::as_str).collect();
                let help = short_help(&own_str);
                assert_eq!(help.lines().next(), Some(listed), "{own:?}");
                *seen += 1;
                walk(sub, &own, seen);
            }
        }
        let mut cli = Cli::command();
        cli.build();
        let mut seen = 0;
        walk(&cli, &[], &mut seen);
        assert!(seen > 20, "only {seen} subcommands");
    }
}
