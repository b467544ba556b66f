//! `antipasta hook install|uninstall`: the repository's git pre-commit hook.
//!
//! The hook lives in `core.hooksPath` when set (relative to the work tree, as
//! git reads it), else in the common git directory's `hooks/`, so every
//! linked worktree shares it. The script is `hooks/pre-commit` of this
//! repository with the path of the installing binary filled in (it falls back
//! to `antipasta` on PATH if that binary goes away). An existing hook that is
//! not ours is never silently replaced: install refuses, or keeps it and runs
//! it first (`--chain`), or replaces it (`--force`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::git;

/// What to do with the hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HookAction {
    /// Write it; `chain` keeps an existing foreign hook and runs it first,
    /// `force` replaces it.
    Install { chain: bool, force: bool },
    /// Remove it, restoring a chained hook.
    Uninstall,
}

const TEMPLATE: &str = include_str!("../hooks/pre-commit");
const MARKER: &str = "# antipasta pre-commit hook";
const CHAINED: &str = "pre-commit.antipasta-chained";

pub(crate) fn run(cwd: &Path, action: HookAction, out: &mut dyn Write) -> Result<ExitCode> {
    let repo = git::open(cwd)?;
    let dir = hooks_dir(&repo)?;
    let hook = dir.join("pre-commit");
    match action {
        HookAction::Install { chain, force } => {
            let existing = std::fs::read_to_string(&hook).ok();
            let ours = existing.as_deref().is_some_and(|t| t.contains(MARKER));
            if existing.is_some() && !ours {
                if chain {
                    std::fs::rename(&hook, dir.join(CHAINED)).with_context(|| {
                        format!(
                            "keeping the existing hook as {}",
                            dir.join(CHAINED).display()
                        )
                    })?;
                    writeln!(
                        out,
                        "kept the existing hook as {}; it runs first",
                        dir.join(CHAINED).display()
                    )?;
                } else if !force {
                    bail!(
                        "{} already exists and is not antipasta's; \
                         use `antipasta hook install --chain` to run it before antipasta, \
                         or `--force` to replace it",
                        hook.display()
                    );
                }
            }
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            let exe = std::env::current_exe().context("finding the antipasta binary")?;
            let script = TEMPLATE.replace("@ANTIPASTA@", &exe.to_string_lossy());
            std::fs::write(&hook, script).with_context(|| format!("writing {}", hook.display()))?;
            make_executable(&hook)?;
            writeln!(out, "installed {}", hook.display())?;
        }
        HookAction::Uninstall => {
            let existing = std::fs::read_to_string(&hook).ok();
            match existing {
                Some(text) if text.contains(MARKER) => {
                    std::fs::remove_file(&hook)
                        .with_context(|| format!("removing {}", hook.display()))?;
                    let chained = dir.join(CHAINED);
                    if chained.exists() {
                        std::fs::rename(&chained, &hook)
                            .with_context(|| format!("restoring {}", hook.display()))?;
                        writeln!(
                            out,
                            "removed antipasta's hook and restored the previous one"
                        )?;
                    } else {
                        writeln!(out, "removed {}", hook.display())?;
                    }
                }
                Some(_) => bail!(
                    "{} is not antipasta's hook; leaving it alone",
                    hook.display()
                ),
                None => writeln!(out, "no pre-commit hook installed in {}", dir.display())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn hooks_dir(repo: &gix::Repository) -> Result<PathBuf> {
    let configured = repo
        .config_snapshot()
        .trusted_path("core.hooksPath")
        .map_err(|e| anyhow::anyhow!("reading core.hooksPath: {e}"))?;
    Ok(match configured {
        Some(path) if path.is_absolute() => path,
        Some(path) => repo
            .workdir()
            .unwrap_or_else(|| repo.common_dir())
            .join(path),
        None => repo.common_dir().join("hooks"),
    })
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms)
        .with_context(|| format!("making {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}
