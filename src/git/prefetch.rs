//! The pre-commit check's head start on git: the repository of the
//! process's directory opened, and HEAD's tree looked up, on a thread of
//! their own while the command line and the configuration are read.

use std::path::{Path, PathBuf};

use anyhow::Result;
use gix::ObjectId;

use super::{head_tree, open};

/// The repository of the process's working directory, opened on a thread
/// of its own from the start of a `check`, which then looks up HEAD's
/// tree: both happen while the command line and the configuration are
/// read. Opening is a few configuration files and the refs; the lookup
/// opens the pack index (gix checks its whole offset table: 640,000
/// objects in sympy's pack). Together they were the longest wait of a
/// one-file pre-commit check. Only reads; a failure is left to the main
/// thread, which opens the repository again and reports it.
struct Prefetch {
    cwd: PathBuf,
    repo: std::sync::mpsc::Receiver<Option<gix::Repository>>,
    head: Option<Looking>,
}

/// The prefetch thread: HEAD's tree, if it looked it up.
pub(super) type Looking = std::thread::JoinHandle<Option<Result<ObjectId>>>;

static PREFETCH: std::sync::Mutex<Option<Prefetch>> = std::sync::Mutex::new(None);

/// Starts the [`Prefetch`] for a `check` in the current directory; with
/// `head`, HEAD's tree is looked up too (the staged changes are compared
/// with it; a commit range is not). `then` runs on the same thread after.
pub(crate) fn prefetch(head: bool, then: fn()) {
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    let (send, repo) = std::sync::mpsc::sync_channel(1);
    let dir = cwd.clone();
    let looking = move || {
        let opened = open(&dir).ok();
        let own = opened.clone().filter(|_| head);
        let _ = send.send(opened);
        let tree = own.map(|repo| head_tree(&repo));
        then();
        tree
    };
    let Ok(thread) = std::thread::Builder::new()
        .name("antipasta-git".into())
        .spawn(looking)
    else {
        return;
    };
    if let Ok(mut slot) = PREFETCH.lock() {
        *slot = Some(Prefetch {
            cwd,
            repo,
            head: head.then_some(thread),
        });
    }
}

/// HEAD's tree, being looked up by the [`Prefetch`] (or not).
pub(crate) struct HeadTree(pub(super) Option<Looking>);

/// [`open`], taking the [`Prefetch`]'s repository when it opened `cwd`'s.
pub(crate) fn open_prefetched(cwd: &Path) -> Result<(gix::Repository, HeadTree)> {
    let taken = PREFETCH.lock().ok().and_then(|mut slot| slot.take());
    if let Some(Prefetch {
        cwd: at,
        repo,
        head,
    }) = taken
    {
        if at == cwd {
            if let Ok(Some(repo)) = repo.recv() {
                return Ok((repo, HeadTree(head)));
            }
        }
    }
    Ok((open(cwd)?, HeadTree(None)))
}
