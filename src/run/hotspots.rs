//! `antipasta hotspots`: the branch's history ([`crate::churn`]) → a
//! record per commit (cached) → [`crate::hotspots::replay`] → the ranking
//! against the code at HEAD → text, JSON or CSV.
//!
//! A commit's record needs both sides' functions of each changed file:
//! the blobs are analysed through the analysis cache (the gate's entries,
//! with function fingerprints), and the record itself is cached, so a
//! second run over the same range reads neither blobs nor old trees.
//! Exits 0 (it describes, it does not judge); 2 when it cannot run (not a
//! repository, no commit, an unknown `--since` or `--function`).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use gix::ObjectId;

use super::prepare::{self, Environment};
use crate::analyze::analyze_bytes_from;
use crate::budget::{map_in_order_with, Budget};
use crate::cache::content::ContentId;
use crate::cache::{Cache, CacheOptions};
use crate::churn::{self, CommitInfo};
use crate::cli::HotspotsArgs;
use crate::config::Settings;
use crate::hotspots::{
    self, ChangedFile, CommitMeta, CommitRecord, Histories, Present, Range, Trend, TrendPoint,
};
use crate::metrics::{FileAnalysis, MetricOptions};
use crate::report;
use crate::timings::{self, Step};

/// Bump when a commit record's content changes (how lines are counted,
/// what a function change is), so that old records are not read.
const RECORD_VERSION: u32 = 2;

/// Commits changing more files or functions than this count for churn,
/// not for coupling.
const MAX_CHANGESET: usize = 30;

pub(super) fn hotspots(
    cwd: &Path,
    explicit_config: Option<&Path>,
    args: HotspotsArgs,
    cache: &CacheOptions,
    env: &Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    timings::step(Step::Discover);
    let prepare::Prepared {
        settings,
        root,
        warnings,
    } = prepare::settings(cwd, explicit_config, &args.thresholds, false)?;
    report::warn(&warnings);
    report::warn(prepare::caps(&settings, false).as_slice());
    let wanted = History {
        paths: args.paths.clone(),
        since: args.since.clone(),
        max_commits: args.max_commits.unwrap_or(0),
        all_parents: args.all_parents,
        top: args.top,
        min_shared: args.min_shared,
    };
    let outputs: Vec<PathBuf> = args.output.iter().cloned().collect();
    let ranked = rank_history(
        cwd,
        (&settings, &root),
        &wanted,
        cache,
        Some((env, &outputs)),
    )?;
    timings::step(Step::Report);
    let trend = match &args.function {
        None => None,
        Some(spec) => Some(trend_of(&ranked.histories, spec, &ranked.commits)?),
    };
    let format = match args.format {
        crate::cli::StatsFormat::Table => report::hotspots::Format::Text,
        crate::cli::StatsFormat::Json => report::hotspots::Format::Json,
        crate::cli::StatsFormat::Csv => report::hotspots::Format::Csv,
    };
    let render = |w: &mut dyn Write| {
        report::hotspots::render(&ranked.ranking, trend.as_ref(), &ranked.range, format, w)
    };
    match &args.output {
        None => render(out).context("writing the output")?,
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("writing {}", path.display()))?,
            );
            render(&mut file).with_context(|| format!("writing {}", path.display()))?;
            file.flush()
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Which history a ranking reads, and how much of it it lists.
pub(super) struct History {
    pub paths: Vec<PathBuf>,
    pub since: Option<String>,
    /// 0: no limit.
    pub max_commits: usize,
    pub all_parents: bool,
    pub top: usize,
    pub min_shared: u32,
}

/// A ranking with what it was made from.
pub(super) struct Ranked {
    pub ranking: hotspots::Hotspots,
    pub range: Range,
    pub histories: Histories,
    /// Oldest first.
    pub commits: Vec<CommitInfo>,
}

/// Reads the history `wanted` names (records from the cache, or computed
/// and cached) and ranks it against HEAD. `sandbox`: enter the sandbox
/// once the cache is open, keeping these outputs writable (`None`: the
/// caller has entered it).
pub(super) fn rank_history(
    cwd: &Path,
    (settings, root): (&Settings, &Path),
    wanted: &History,
    cache: &CacheOptions,
    sandbox: Option<(&Environment, &[PathBuf])>,
) -> Result<Ranked> {
    let repo = crate::git::open(cwd)?;
    let workdir = crate::git::work_dir(&repo)
        .map(Path::to_path_buf)
        .ok_or_else(|| anyhow!("hotspots needs a repository with a working tree"))?;
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        Err(e) => {
            let unborn = repo.head().is_ok_and(|h| h.is_unborn());
            if unborn {
                bail!("the repository has no commit yet: hotspots reads the history of HEAD");
            }
            bail!("cannot read HEAD: {e}");
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let since = wanted
        .since
        .as_deref()
        .map_or(churn::Since::Always, |s| churn::parse_since(s, now));
    let mut commits = churn::walk(&repo, head, &since, wanted.max_commits, !wanted.all_parents)?;
    commits.reverse();
    let selection = Selection::new(cwd, &workdir, root, &wanted.paths, settings)?;

    let options = MetricOptions {
        mi_multi_as_comments: settings.mi_multi_as_comments,
        function_hashes: true,
    };
    let cache_options = cache.with_configured_size(settings.cache_size_bytes);
    let mut notices = Vec::new();
    let store = crate::cache::location(&cache_options, Some(&repo)).and_then(|dir| {
        Cache::open(
            &dir,
            super::cache_fingerprint(settings, options),
            &cache_options,
            &mut notices,
        )
    });
    report::warn(&notices);
    if let Some((env, outputs)) = sandbox {
        // It writes the cache and the outputs only.
        prepare::sandbox(
            (settings, root, cwd),
            store.as_ref().map(Cache::dir),
            outputs,
            env,
        );
    }
    let record_key = format!(
        "r{RECORD_VERSION}/{:016x}{}",
        settings.fingerprint(),
        settings.python_extensions.join(",")
    );

    timings::step(Step::Analysis);
    let order: Vec<usize> = (0..commits.len()).collect();
    let ctx = RecordContext {
        settings,
        options,
        cache: store.as_ref(),
        key: &record_key,
        first_parent: !wanted.all_parents,
    };
    let thread_safe = repo.clone().into_sync();
    let records = map_in_order_with(
        &commits,
        &order,
        Budget::from_start(0),
        || Ok(thread_safe.to_thread_local()),
        |repo, commit| ctx.record(repo, commit),
    )?;
    let mut kept: Vec<CommitRecord> = Vec::with_capacity(commits.len());
    for record in records {
        let Some(record) = record else {
            bail!("stopped before every commit was read");
        };
        let mut record = record?;
        record.files.retain(|f| selection.wants(&f.path));
        kept.push(record);
    }
    timings::step(Step::Judge);
    let replayed: Vec<(CommitMeta<'_>, &CommitRecord)> = commits
        .iter()
        .zip(&kept)
        .map(|(c, r)| {
            (
                CommitMeta {
                    time: c.time,
                    author: &c.author,
                },
                r,
            )
        })
        .collect();
    let histories = hotspots::replay(&replayed, MAX_CHANGESET);
    let present = PresentCode::read(&repo, head, &histories, &ctx, &selection);
    if let Some(store) = store {
        report::warn(&store.finish());
    }
    let file_worst = |path: &str| present.files.get(path).copied();
    let function_worst = |key: &hotspots::FunctionKey| present.functions.get(key).copied();
    let ranking = hotspots::rank(
        &histories,
        commits.len(),
        &Present {
            file_worst: &file_worst,
            function_worst: &function_worst,
        },
        wanted.top,
        wanted.min_shared,
    );
    let range = Range {
        commits: commits.len(),
        first_parent: !wanted.all_parents,
        since: wanted.since.clone(),
        oldest: commits.first().map(|c| c.time),
        newest: commits.last().map(|c| c.time),
    };
    Ok(Ranked {
        ranking,
        range,
        histories,
        commits,
    })
}

/// `--function path::Qual.name` → its changes, with each commit's id and time.
fn trend_of(h: &Histories, spec: &str, commits: &[CommitInfo]) -> Result<Trend> {
    let Some((path, name)) = spec.split_once("::") else {
        bail!("--function `{spec}` is not `path::name` (e.g. src/app.py::Parser.parse)");
    };
    let path = path.strip_prefix("./").unwrap_or(path);
    let Some(f) = hotspots::trend(h, path, name) else {
        bail!(
            "--function `{spec}`: no function `{name}` of {path} changed in the commits read \
             (names are qualified, e.g. Class.method; paths are relative to the repository)"
        );
    };
    Ok(Trend {
        path: path.to_string(),
        name: name.to_string(),
        points: f
            .changes
            .iter()
            .map(|c| TrendPoint {
                commit: commits[c.commit].id.to_string(),
                time: commits[c.commit].time,
                path: c.path.clone(),
                name: c.name.clone(),
                kind: c.kind,
                cyclomatic: c.metrics[0],
                cognitive: c.metrics[1],
                lines: c.metrics[2],
            })
            .collect(),
    })
}

/// Which paths the run covers: Python files (by `python_extensions`) not
/// ignored, under the given paths (repository-relative prefixes).
struct Selection<'a> {
    settings: &'a Settings,
    prefixes: Vec<String>,
    /// The project root relative to the repository (`""`: the same).
    root: String,
}

impl<'a> Selection<'a> {
    fn new(
        cwd: &Path,
        workdir: &Path,
        root: &Path,
        paths: &[PathBuf],
        settings: &'a Settings,
    ) -> Result<Selection<'a>> {
        let rel = |p: &Path| -> Result<String> {
            let abs = super::gate::lexical(&cwd.join(p));
            let inside = abs.strip_prefix(workdir).map_err(|_| {
                anyhow!(
                    "{} is outside the repository at {}",
                    p.display(),
                    workdir.display()
                )
            })?;
            Ok(inside.to_string_lossy().replace('\\', "/"))
        };
        let prefixes = paths.iter().map(|p| rel(p)).collect::<Result<Vec<_>>>()?;
        Ok(Selection {
            settings,
            prefixes,
            root: rel(root).unwrap_or_default(),
        })
    }

    fn wants(&self, path: &str) -> bool {
        let under = |prefix: &str| {
            prefix.is_empty()
                || path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        if !self.prefixes.is_empty() && !self.prefixes.iter().any(|p| under(p)) {
            return false;
        }
        self.settings.is_python_file(Path::new(path))
            && !self.settings.is_ignored(Path::new(self.rel_to_root(path)))
    }

    fn rel_to_root<'p>(&self, path: &'p str) -> &'p str {
        if self.root.is_empty() {
            return path;
        }
        path.strip_prefix(&self.root)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(path)
    }
}

/// What reading one commit needs.
struct RecordContext<'a> {
    settings: &'a Settings,
    options: MetricOptions,
    cache: Option<&'a Cache>,
    key: &'a str,
    first_parent: bool,
}

impl RecordContext<'_> {
    /// A blob's analysis, through the cache; `bytes`: its content when the
    /// caller has read it already (else it is read on a cache miss).
    fn analysis(
        &self,
        repo: &gix::Repository,
        (id, bytes): (ObjectId, Option<&[u8]>),
        path: &str,
    ) -> Option<FileAnalysis> {
        let compute = || {
            let read;
            let bytes = match bytes {
                Some(b) => b,
                None => {
                    read = crate::git::read_blob(repo, id, path)
                        .map_err(|e| crate::outcome::Problem::error(format!("{e:#}")))?;
                    &read
                }
            };
            analyze_bytes_from(bytes, self.settings.max_file_bytes, self.options, None)
        };
        let outcome = match self.cache {
            Some(cache) => cache.get_or_compute(&ContentId::Blob(id), compute),
            None => compute(),
        };
        outcome.ok()
    }

    /// A commit's record: from the cache, or by diffing it with its first
    /// parent (every Python file, whatever the selection: the selection
    /// applies after, so the record serves any later run). A merge in
    /// all-parents mode changes nothing: its changes are counted in the
    /// commits it merged.
    fn record(&self, repo: &gix::Repository, commit: &CommitInfo) -> Result<CommitRecord> {
        if commit.merge && !self.first_parent {
            return Ok(CommitRecord::default());
        }
        let id = commit.id.to_string();
        let selection = format!(
            "{}/{}",
            commit
                .parent
                .map_or_else(|| "root".to_string(), |p| p.to_string()),
            self.key
        );
        if let Some(bytes) = self.cache.and_then(|c| c.commit_record(&id, &selection)) {
            if let Ok(record) = serde_json::from_slice::<CommitRecord>(&bytes) {
                return Ok(record);
            }
        }
        let parent_tree = match commit.parent {
            Some(p) => Some(churn::tree_of(repo, p)?),
            None => None,
        };
        let python = |p: &str| self.settings.is_python_file(Path::new(p));
        let changes = churn::changed_files(repo, parent_tree, commit.tree, &python)?;
        let mut sides = Vec::with_capacity(changes.len());
        for c in &changes {
            let read = |id: Option<ObjectId>| -> Result<Vec<u8>> {
                id.map_or(Ok(Vec::new()), |id| {
                    crate::git::read_blob(repo, id, &c.path)
                })
            };
            let (old, new) = (read(c.old)?, read(c.new)?);
            let (added, removed) = churn::line_counts(&old, &new);
            // The bytes read for the line counts are the ones analysed.
            sides.push((
                c.old
                    .and_then(|id| self.analysis(repo, (id, Some(&old)), &c.path)),
                c.new
                    .and_then(|id| self.analysis(repo, (id, Some(&new)), &c.path)),
                added,
                removed,
            ));
        }
        let files: Vec<ChangedFile<'_>> = changes
            .iter()
            .zip(&sides)
            .map(|(c, (old, new, added, removed))| ChangedFile {
                path: &c.path,
                blob: c.new.map(|id| id.to_string()),
                old: old.as_ref().map(|a| a.functions.as_slice()),
                new: new.as_ref().map(|a| a.functions.as_slice()),
                added: *added,
                removed: *removed,
            })
            .collect();
        let record = hotspots::commit_record(&files);
        if let (Some(cache), Ok(bytes)) = (self.cache, serde_json::to_vec(&record)) {
            cache.record_commit(&id, &selection, bytes);
        }
        Ok(record)
    }
}

/// The worst ratios at HEAD of the files and functions the history
/// touched (a file gone from HEAD has none: it is not ranked).
struct PresentCode {
    files: HashMap<String, f64>,
    functions: HashMap<hotspots::FunctionKey, f64>,
}

impl PresentCode {
    fn read(
        repo: &gix::Repository,
        head: ObjectId,
        h: &Histories,
        ctx: &RecordContext<'_>,
        selection: &Selection<'_>,
    ) -> PresentCode {
        let mut files = HashMap::new();
        let mut functions = HashMap::new();
        let tree = repo
            .find_object(head)
            .ok()
            .and_then(|o| o.peel_to_tree().ok());
        let Some(tree) = tree else {
            return PresentCode { files, functions };
        };
        for path in h.files.keys() {
            let blob = match tree.lookup_entry_by_path(path) {
                Ok(Some(entry)) if entry.mode().is_blob() => entry.object_id(),
                _ => continue,
            };
            let Some(analysis) = ctx.analysis(repo, (blob, None), path) else {
                continue;
            };
            let rules = ctx
                .settings
                .rules_for(Path::new(selection.rel_to_root(path)));
            let mut worst = 0.0_f64;
            for f in &analysis.functions {
                let w = crate::stats::worst_ratio(&analysis, f, &rules).map_or(0.0, |w| w.0);
                worst = worst.max(w);
                functions.insert((path.clone(), f.qualname.clone(), f.occurrence), w);
            }
            files.insert(path.clone(), worst);
        }
        PresentCode { files, functions }
    }
}
