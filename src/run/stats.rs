//! `antipasta stats` and `antipasta report`: a tree run (the walk, ignore
//! rules, cache and sandbox of `metrics`) → [`crate::stats`] or
//! [`crate::snapshot`] → the table, JSON, CSV or HTML.
//!
//! Both describe the code and judge nothing: they exit 0 whatever the
//! violations, 2 for a run that cannot happen (bad configuration, an
//! unreadable or foreign `--baseline` snapshot, an output that cannot be
//! written). A file that cannot be analysed is counted, not fatal.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::metrics::{tree_report, tree_settings, TreeRun, TreeScope};
use super::prepare::Environment;
use crate::cache::CacheOptions;
use crate::cli::{ReportArgs, ReportFormat, StatsArgs, TreeArgs};
use crate::config::Settings;
use crate::exemptions::Policy;
use crate::report;
use crate::stats::{Grouping, StatFile};
use crate::timings::{self, Step};

/// A tree run for `stats` or `report`, with its settings and root.
struct Tree {
    run: TreeRun,
    settings: Settings,
    root: PathBuf,
}

/// Runs the tree as `metrics` would (no baseline ledger: these commands
/// describe the code). `Err(code)`: stopped by a signal.
fn run_tree(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: TreeArgs,
    outputs: Vec<PathBuf>,
    (cache, env): (&CacheOptions, &Environment),
) -> Result<std::result::Result<Tree, u8>> {
    let (settings, root, include) = tree_settings(cwd, explicit_config, &args.sources)?;
    let mut inputs = args.sources.paths;
    inputs.extend(args.sources.directories);
    let scope = TreeScope {
        inputs,
        include,
        shard: None,
        budget_ms: 0,
        function_hashes: false,
        markers: Policy::new(&settings, args.no_ignore),
        progress: true,
        sandbox: Some(outputs),
    };
    Ok(
        tree_report(cwd, &root, &settings, scope, cache, env)?.map(|run| Tree {
            run,
            settings,
            root,
        }),
    )
}

/// The report's files as statistics see them, with the rules of each.
fn stat_files(tree: &Tree) -> Vec<StatFile<'_>> {
    let rel: HashMap<&str, &Path> = tree
        .run
        .locations
        .iter()
        .map(|(shown, _, rel)| (shown.as_str(), rel.as_path()))
        .collect();
    tree.run
        .report
        .files
        .iter()
        .map(|f| {
            let (analysis, problem) = match &f.outcome {
                Some(Ok(a)) => (Some(a), None),
                Some(Err(p)) => (None, Some(p.message.as_str())),
                None => (None, Some("not analysed")),
            };
            let path = rel.get(f.path.as_str()).copied();
            StatFile {
                path: &f.path,
                analysis,
                problem,
                violations: &f.violations,
                rules: path.map(|p| tree.settings.rules_for(p)).unwrap_or_default(),
            }
        })
        .collect()
}

fn enabled_rules(settings: &Settings) -> Vec<crate::config::Rule> {
    settings
        .rules
        .iter()
        .filter(|r| r.enabled)
        .copied()
        .collect()
}

pub(super) fn stats(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: StatsArgs,
    cache: &CacheOptions,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let metrics = crate::stats::select_metrics(&args.metrics).map_err(anyhow::Error::msg)?;
    let tree = match run_tree(
        cwd,
        explicit_config,
        args.tree,
        args.output.iter().cloned().collect(),
        (cache, env),
    )? {
        Ok(tree) => tree,
        Err(code) => return Ok(ExitCode::from(code)),
    };
    timings::step(Step::Report);
    let files = stat_files(&tree);
    let is_package = |dir: &str| cwd.join(dir).join("__init__.py").is_file();
    let grouping = if args.by_module {
        Grouping::Module {
            is_package: &is_package,
        }
    } else if args.by_directory {
        Grouping::Directory {
            depth: args.depth.max(1),
        }
    } else {
        Grouping::None
    };
    let stats = crate::stats::stats(
        &files,
        &metrics,
        &enabled_rules(&tree.settings),
        &grouping,
        args.top,
    );
    let format = match args.format {
        crate::cli::StatsFormat::Table => report::stats::StatsFormat::Table,
        crate::cli::StatsFormat::Json => report::stats::StatsFormat::Json,
        crate::cli::StatsFormat::Csv => report::stats::StatsFormat::Csv,
    };
    write_to(args.output.as_deref(), out, |w| {
        report::stats::render(&stats, format, w)
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn report(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: ReportArgs,
    cache: &CacheOptions,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let output = args.output.clone().unwrap_or_else(|| {
        PathBuf::from(match args.format {
            ReportFormat::Html => "antipasta-report.html",
            ReportFormat::Json => "antipasta-report.json",
        })
    });
    // Read before the run: a bad baseline should not cost a whole tree.
    let baseline = match &args.baseline {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(cwd.join(path))
                .with_context(|| format!("reading the baseline snapshot {name}"))?;
            Some((
                name.clone(),
                crate::snapshot::read(&name, &text).map_err(anyhow::Error::msg)?,
            ))
        }
        None => None,
    };
    let beside = (args.save_baseline && args.format == ReportFormat::Html)
        .then(|| output.with_extension("json"));
    let outputs = std::iter::once(output.clone())
        .chain(beside.clone())
        .collect();
    let mut paths = args.tree.sources.paths.clone();
    paths.extend(args.tree.sources.directories.iter().cloned());
    let tree = match run_tree(cwd, explicit_config, args.tree, outputs, (cache, env))? {
        Ok(tree) => tree,
        Err(code) => return Ok(ExitCode::from(code)),
    };
    timings::step(Step::Report);
    let files = stat_files(&tree);
    let project = tree.root.file_name().map_or_else(
        || "project".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut snapshot =
        crate::snapshot::snapshot(&files, &enabled_rules(&tree.settings), &project, created);
    if args.hotspots {
        let wanted = super::hotspots::History {
            paths: paths.clone(),
            since: args.since.clone(),
            max_commits: 0,
            all_parents: false,
            top: 50,
            min_shared: 3,
        };
        // The tree run entered the sandbox: the cache and outputs stay writable.
        let ranked =
            super::hotspots::rank_history(cwd, (&tree.settings, &tree.root), &wanted, cache, None)?;
        snapshot.hotspots = Some(report::hotspots::to_json(
            &ranked.ranking,
            None,
            &ranked.range,
        ));
    }
    let delta = baseline
        .as_ref()
        .map(|(name, before)| crate::snapshot::delta(before, &snapshot, name));
    let target = cwd.join(&output);
    match args.format {
        ReportFormat::Html => write_file(&target, |w| {
            report::html::render(&snapshot, delta.as_ref(), w)
        })?,
        ReportFormat::Json => write_file(&target, |w| report::html::snapshot_json(&snapshot, w))?,
    }
    let mut written = vec![output.display().to_string()];
    if let Some(beside) = beside {
        write_file(&cwd.join(&beside), |w| {
            report::html::snapshot_json(&snapshot, w)
        })?;
        written.push(beside.display().to_string());
    }
    let functions: usize = snapshot.files.iter().map(|f| f.functions.len()).sum();
    let size = std::fs::metadata(&target).map_or(0, |m| m.len());
    writeln!(
        out,
        "wrote {} ({} {}, {} {}, {})",
        written.join(" and "),
        snapshot.files.len(),
        report::plural(snapshot.files.len(), "file", "files"),
        functions,
        report::plural(functions, "function", "functions"),
        report::html::size_text(size)
    )?;
    if let Some(delta) = &delta {
        writeln!(out, "compared with {}: {}", delta.baseline, delta.summary())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to `--output FILE` when given, else to `out`.
fn write_to(
    output: Option<&Path>,
    out: &mut dyn Write,
    render: impl Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        None => render(out).context("writing the output"),
        Some(path) => write_file(path, render),
    }
}

fn write_file(path: &Path, render: impl Fn(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        render(&mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().with_context(|| format!("writing {}", path.display()))
}
