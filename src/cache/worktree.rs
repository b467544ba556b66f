//! The cache as the modes use it: the gate's two sides of a diff
//! ([`Content`]) and a `metrics` run's files with the
//! stat shortcut of the git index ([`WorktreeCache`]).

use std::path::Path;

use anyhow::Result;

use super::content::{self, ContentId};
use super::{location, Cache, CacheOptions, Notices, Outcome};
use crate::git::WorktreeIndex;
use crate::outcome::Problem;

/// The cache of a `metrics` run in `cwd`, with the repository's index for
/// the stat shortcut when `cwd` is inside a work tree.
pub(crate) struct WorktreeCache {
    pub cache: Cache,
    index: Option<WorktreeIndex>,
}

impl WorktreeCache {
    pub(crate) fn open(
        cwd: &Path,
        options: &CacheOptions,
        fingerprint: u64,
        notices: &mut Notices,
    ) -> Option<Self> {
        if options.disabled {
            return None;
        }
        let repo = crate::git::open(cwd).ok();
        let dir = location(options, repo.as_ref())?;
        let cache = Cache::open(&dir, fingerprint, options, notices)?;
        let index = repo.as_ref().and_then(WorktreeIndex::load);
        Some(WorktreeCache { cache, index })
    }

    /// The outcome for the file at `path` (absolute): from the cache when its
    /// content is known, else by `analyze` on its bytes (then stored).
    /// `read` reads the file, or says why it is not analysed (unreadable,
    /// too large); `too_large` judges a size the index already knows, so a
    /// file served by the stat shortcut costs one `lstat` and no read.
    pub(crate) fn outcome(
        &self,
        path: &Path,
        too_large: impl FnOnce(u64) -> Option<Problem>,
        read: impl FnOnce() -> Result<Vec<u8>, Problem>,
        analyze: impl FnOnce(&[u8]) -> Outcome,
    ) -> Outcome {
        if let Some((blob, size)) = self.index.as_ref().and_then(|i| i.unchanged_blob(path)) {
            if let Some(problem) = too_large(size) {
                return Err(problem);
            }
            let id = ContentId::Blob(blob);
            if let Some(outcome) = self.cache.get(&id) {
                return outcome;
            }
            let bytes = read()?;
            // The blob namespace only takes bytes that really are the blob
            // (a clean filter or autocrlf can make them differ).
            if content::is_blob_of(&bytes, &blob) {
                return self.cache.compute_and_put(&id, || analyze(&bytes));
            }
            let id = ContentId::of_bytes(&bytes);
            return self.cache.get_or_compute(&id, || analyze(&bytes));
        }
        let bytes = read()?;
        // A racy or edited file: when its bytes are still the recorded
        // blob, key it by the blob as a stat-clean checkout would, so a
        // cache handed between fresh clones (where every entry is racy)
        // and older ones serves both.
        if let Some(blob) = self.index.as_ref().and_then(|i| i.recorded_blob(path)) {
            if content::is_blob_of(&bytes, &blob) {
                return self
                    .cache
                    .get_or_compute(&ContentId::Blob(blob), || analyze(&bytes));
            }
        }
        let id = ContentId::of_bytes(&bytes);
        self.cache.get_or_compute(&id, || analyze(&bytes))
    }
}

/// One side of a gate diff: already known from the cache, or a blob still
/// to read and analyse. Blobs are read when their file starts (under the
/// time budget), not up front: a large commit's inflating alone could
/// outlast the budget.
pub(crate) enum Content {
    Cached(Box<Outcome>),
    Blob {
        id: gix::ObjectId,
        /// The blob's size from its object header (0 when unknown), for the
        /// priority order.
        size: u64,
    },
}

impl Content {
    /// Size of bytes still to analyse; 0 for a cache hit (nothing to do).
    pub(crate) fn fresh_len(&self) -> u64 {
        match self {
            Content::Cached(_) => 0,
            Content::Blob { size, .. } => *size,
        }
    }

    /// Looks blob `id` up in the cache; on a miss, `size` tells how large
    /// it is (without reading it).
    pub(crate) fn probe(
        cache: Option<&Cache>,
        id: gix::ObjectId,
        size: impl FnOnce() -> u64,
    ) -> Content {
        match cache.and_then(|c| c.get(&ContentId::Blob(id))) {
            Some(outcome) => Content::Cached(Box::new(outcome)),
            None => Content::Blob { id, size: size() },
        }
    }

    /// The outcome: the cached one, or the blob read by `read`, analysed
    /// (and stored). An error only when the blob cannot be read.
    pub(crate) fn outcome(
        &self,
        cache: Option<&Cache>,
        read: impl FnOnce(gix::ObjectId) -> Result<Vec<u8>>,
        analyze: impl FnOnce(&[u8]) -> Outcome,
    ) -> Result<Outcome> {
        match self {
            Content::Cached(outcome) => Ok((**outcome).clone()),
            Content::Blob { id, .. } => {
                let bytes = read(*id)?;
                let key = ContentId::Blob(*id);
                Ok(match cache {
                    Some(cache) => cache.compute_and_put(&key, || analyze(&bytes)),
                    None => analyze(&bytes),
                })
            }
        }
    }
}
