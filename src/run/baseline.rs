//! The baseline ledger's file and its commands: finding and reading it for
//! a checking run, and `baseline create|update|check`.
//!
//! The ledger is `--baseline FILE`, else `baseline = "..."` in the
//! configuration (relative to the project root), else
//! `.antipasta-baseline.json` in the project root when it exists. Its
//! paths are relative to the project root (the configuration's directory),
//! wherever the file is, so that a ledger means the same on every machine.
//! Only `create` and `update` write it (atomically); the hook, `metrics`,
//! `check` and `diff` only read it.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use super::metrics::{tree_report, TreeScope};
use super::prepare::{self, Environment};
use crate::baseline::{self, Baseline};
use crate::cache::CacheOptions;
use crate::cli::{BaselineArgs, BaselineCommand, LedgerArgs};
use crate::config::Settings;
use crate::report::{self, plural};

/// A ledger read for a run.
pub(super) struct Ledger {
    pub baseline: Baseline,
    /// The directory its paths are relative to: the project root.
    pub dir: PathBuf,
}

/// Where the ledger is, and whether the user named it (then it must exist).
fn locate(cwd: &Path, root: &Path, settings: &Settings, flag: Option<&Path>) -> (PathBuf, bool) {
    match (flag, &settings.baseline) {
        (Some(file), _) => (cwd.join(file), true),
        (None, Some(file)) => (root.join(file), true),
        (None, None) => (root.join(baseline::DEFAULT_FILE), false),
    }
}

/// The ledger a checking run applies, if any.
pub(super) fn load(
    cwd: &Path,
    root: &Path,
    settings: &Settings,
    args: &LedgerArgs,
) -> Result<Option<Ledger>> {
    if args.no_baseline {
        return Ok(None);
    }
    let (path, named) = locate(cwd, root, settings, args.baseline.as_deref());
    if !path.exists() {
        if named {
            // The command must write this file, not the default one.
            let create = match args.baseline.as_deref() {
                Some(given) => format!("antipasta baseline create --baseline {}", given.display()),
                None => "antipasta baseline create".to_string(),
            };
            bail!(
                "baseline {} does not exist; create it with `{create}`",
                path.display()
            );
        }
        return Ok(None);
    }
    Ok(Some(Ledger {
        baseline: read(&path)?,
        dir: root.to_path_buf(),
    }))
}

fn read(path: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the baseline {}", path.display()))?;
    baseline::parse(&text).map_err(|why| {
        anyhow::anyhow!(
            "the baseline {} is not a valid ledger: {why}; recreate it with \
             `antipasta baseline create`",
            path.display()
        )
    })
}

/// A file's path as the ledger in `dir` names it: relative to `dir` with
/// `/` separators, or absolute when the file is outside it.
pub(super) fn ledger_key(abs: &Path, dir: &Path) -> String {
    let clean = super::gate::lexical(abs);
    let rel = clean.strip_prefix(dir).unwrap_or(&clean);
    rel.to_string_lossy().replace('\\', "/")
}

/// `antipasta baseline create|update|check`.
pub(super) fn command(
    cwd: &Path,
    explicit_config: Option<&Path>,
    cmd: BaselineCommand,
    cache: &CacheOptions,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (args, action) = match cmd {
        BaselineCommand::Create(a) => (a, Action::Create),
        BaselineCommand::Update(a) => (a, Action::Update),
        BaselineCommand::Check(a) => (a, Action::Check),
    };
    let BaselineArgs { paths, baseline } = args;
    let prepare::Prepared {
        settings,
        root,
        warnings,
    } = prepare::settings(cwd, explicit_config, &[], false)?;
    report::warn(&warnings);
    let (path, _) = locate(cwd, &root, &settings, baseline.as_deref());
    let old = match action {
        Action::Create => None,
        Action::Update | Action::Check => {
            if !path.exists() {
                bail!(
                    "no baseline at {}; create one with `antipasta baseline create`",
                    path.display()
                );
            }
            Some(read(&path)?)
        }
    };
    let dir = root.clone();
    let scope = TreeScope {
        inputs: paths,
        include: crate::config::PathPatterns::empty(),
        shard: None,
        budget_ms: 0,
        function_hashes: true,
        markers: crate::exemptions::Policy::new(&settings, false),
        progress: true,
        sandbox: None,
    };
    let tree = match tree_report(cwd, &root, &settings, scope, cache, env)? {
        Ok(tree) => tree,
        Err(code) => return Ok(ExitCode::from(code)),
    };
    let keys = tree.ledger_keys(&dir);
    let key = |p: &str| keys.get(p).cloned();
    let current = baseline::current(&tree.report, &key);
    // Files whose analysis failed in part keep their entries: a syntax
    // error must not shrink the ledger behind the user's back.
    let failed: HashSet<&str> = tree
        .report
        .files
        .iter()
        .filter(|f| match &f.outcome {
            Some(Ok(a)) => report::file_error(a).is_some(),
            _ => true,
        })
        .map(|f| f.path.as_str())
        .collect();
    if !failed.is_empty() {
        let mut names: Vec<&str> = failed.iter().copied().collect();
        names.sort_unstable();
        report::warn(&[format!(
            "{} {} could not be analysed completely; {} ledger entries are kept as they are: {}",
            failed.len(),
            plural(failed.len(), "file", "files"),
            plural(failed.len(), "its", "their"),
            names.join(" ")
        )]);
    }
    let shown = path.display();
    let Some(old) = old else {
        let ledger = baseline::create(&current);
        write_atomically(&path, &baseline::render(&ledger))?;
        let files: HashSet<&str> = ledger.entries.iter().map(|e| e.path.as_str()).collect();
        writeln!(
            out,
            "wrote {shown}: {} {} in {} {}",
            ledger.entries.len(),
            plural(ledger.entries.len(), "violation", "violations"),
            files.len(),
            plural(files.len(), "file", "files")
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let analysed: HashSet<String> = tree
        .report
        .files
        .iter()
        .filter(|f| !failed.contains(&f.path.as_str()))
        .filter_map(|f| key(&f.path))
        .collect();
    let exists = |p: &str| dir.join(p).exists();
    let (next, shrink) = baseline::update(&old, &current, &analysed, &exists);
    let verb = if action == Action::Check {
        ("would drop", "would lower")
    } else {
        ("dropped", "lowered")
    };
    for e in &shrink.dropped {
        writeln!(out, "{}: {}", verb.0, baseline::describe(e))?;
    }
    for (e, now) in &shrink.lowered {
        writeln!(
            out,
            "{}: {} → {}",
            verb.1,
            baseline::describe(e),
            crate::thresholds::format_value(*now)
        )?;
    }
    let text = baseline::render(&next);
    let entries = next.entries.len();
    let count = format!("{entries} {}", plural(entries, "entry", "entries"));
    if action == Action::Check {
        if shrink.shrinks() {
            writeln!(
                out,
                "{shown} can shrink ({} dropped, {} lowered): run `antipasta baseline update` \
                 and commit the ledger",
                shrink.dropped.len(),
                shrink.lowered.len()
            )?;
            return Ok(ExitCode::from(1));
        }
        writeln!(out, "{shown} is tight: {count}")?;
        return Ok(ExitCode::SUCCESS);
    }
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    if text == before {
        writeln!(out, "{shown} is up to date: {count}")?;
    } else {
        write_atomically(&path, &text)?;
        writeln!(
            out,
            "updated {shown}: {count} ({} dropped, {} lowered, {} moved or renamed)",
            shrink.dropped.len(),
            shrink.lowered.len(),
            shrink.moved
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Check,
}

/// Writes through a temporary file and a rename, so that an interrupted
/// write never leaves half a ledger.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().with_context(|| format!("writing the baseline {}", path.display()))
}
