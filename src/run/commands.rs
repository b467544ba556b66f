//! The maintenance commands: `config`, `cache`, `hook`. Each maps its
//! clap command to the plain calls of the module that does the work.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cache::{self, admin, CacheOptions};
use crate::cli::{CacheCommand, ConfigCommand, HistoryArgs, HistoryFormat, HookCommand};
use crate::config;
use crate::hook::HookAction;
use crate::report;

pub(super) fn config(
    cwd: &Path,
    explicit_config: Option<&Path>,
    cmd: ConfigCommand,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    match cmd {
        ConfigCommand::Init {
            force,
            output,
            non_interactive,
        } => {
            let path = cwd.join(output.unwrap_or_else(|| ".antipasta.toml".into()));
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                bail!(
                    "{} would be YAML, the Python antipasta's format; antipasta writes TOML: \
                     name the file .antipasta.toml (or convert an existing YAML file with \
                     `antipasta config migrate`)",
                    path.display()
                );
            }
            if path.exists() && !force && !non_interactive {
                bail!(
                    "{} already exists; use `antipasta config init --force` to overwrite it",
                    path.display()
                );
            }
            std::fs::write(&path, config::init_template())
                .with_context(|| format!("writing {}", path.display()))?;
            writeln!(out, "wrote {}", path.display())?;
        }
        ConfigCommand::Validate { path } => {
            let named = path.map(|p| cwd.join(p));
            write!(
                out,
                "{}",
                config::validate(cwd, named.as_deref().or(explicit_config))?
            )?;
        }
        ConfigCommand::Show { path, format, .. } => {
            let named = path.map(|p| cwd.join(p));
            let loaded = config::load(cwd, named.as_deref().or(explicit_config))?;
            if format == "raw" {
                let Some(f) = &loaded.file else {
                    bail!("no configuration file found; `antipasta config init` writes one");
                };
                let text = std::fs::read_to_string(&f.path)
                    .with_context(|| format!("reading {}", f.path.display()))?;
                write!(out, "{text}")?;
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(f) = &loaded.file {
                writeln!(out, "# from {}", f.path.display())?;
            }
            write!(out, "{}", config::show(&loaded.settings))?;
        }
        ConfigCommand::Migrate { path } => {
            // Discovery reads either spelling; so does migrate.
            let yaml = path.unwrap_or_else(|| {
                let yml = cwd.join(".antipasta.yml");
                if !cwd.join(".antipasta.yaml").exists() && yml.exists() {
                    yml
                } else {
                    cwd.join(".antipasta.yaml")
                }
            });
            let migrated = config::migrate_yaml_file(&yaml)?;
            writeln!(
                out,
                "wrote {} (the original is kept as {})",
                migrated.toml_path.display(),
                migrated.backup_path.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `antipasta cache ...` on the cache of the current directory.
pub(super) fn cache(
    cwd: &Path,
    options: &CacheOptions,
    cmd: CacheCommand,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let repo = crate::git::open(cwd).ok();
    let Some(dir) = cache::location(
        &CacheOptions {
            disabled: false,
            ..options.clone()
        },
        repo.as_ref(),
    ) else {
        bail!("no cache directory: set --cache-dir or ANTIPASTA_CACHE_DIR");
    };
    // The configured limit, when the project's configuration loads.
    let configured = config::load(cwd, None).map_or(config::DEFAULT_CACHE_SIZE_BYTES, |l| {
        l.settings.cache_size_bytes
    });
    let limit = options.with_configured_size(configured).limit();
    let mut notices = Vec::new();
    let mut code = ExitCode::SUCCESS;
    let lines = match cmd {
        CacheCommand::Stats => admin::stats(&dir)?,
        CacheCommand::Clear => admin::clear(&dir)?,
        CacheCommand::Gc => admin::gc(&dir, limit)?,
        CacheCommand::Verify => {
            let (lines, bad) = admin::verify(&dir, limit, &mut notices)?;
            if bad > 0 {
                code = ExitCode::from(1);
            }
            lines
        }
        CacheCommand::Export { file } => admin::export(&dir, &cwd.join(file))?,
        CacheCommand::Import { file } => admin::import(&dir, &cwd.join(file), limit, &mut notices)?,
    };
    report::warn(&notices);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(code)
}

/// `antipasta hook install|uninstall`.
pub(super) fn hook(cwd: &Path, cmd: HookCommand, out: &mut dyn Write) -> Result<ExitCode> {
    let action = match cmd {
        HookCommand::Install { chain, force } => HookAction::Install { chain, force },
        HookCommand::Uninstall => HookAction::Uninstall,
    };
    crate::hook::run(cwd, action, out)
}

/// `antipasta history`: the run history of this repository's cache (or of
/// the user cache outside a repository).
pub(super) fn history(
    cwd: &Path,
    explicit_config: Option<&Path>,
    options: &CacheOptions,
    args: HistoryArgs,
    env: &super::Environment,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let repo = crate::git::open(cwd).ok();
    let Some(dir) = cache::location(options, repo.as_ref()) else {
        bail!(
            "the cache is off (--no-cache or ANTIPASTA_NO_CACHE), and the run history lives in it"
        );
    };
    // A bad configuration should be heard about here too.
    let keep = crate::config::load(cwd, explicit_config)?
        .settings
        .history_runs as usize;
    let history = crate::history::read(&dir);
    // The file may hold a few more runs than it keeps, until it is
    // next rewritten.
    let kept = history.runs.len().saturating_sub(keep);
    let runs: Vec<&crate::history::RunRecord> = history.runs[kept..]
        .iter()
        .filter(|r| args.mode.as_deref().is_none_or(|m| r.mode == m))
        .collect();
    let view = report::history::View {
        file: crate::history::path(&dir),
        runs: &runs,
        slowest: args.slowest,
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        sparkline: env.stdout_is_terminal,
    };
    match args.format {
        HistoryFormat::Text => report::history::render_text(&view, out)?,
        HistoryFormat::Json => report::history::render_json(&view, out)?,
    }
    Ok(ExitCode::SUCCESS)
}
