//! Content ids: what a cached analysis is keyed by.
//!
//! Inputs: blob ids from git (the object database, or the index's stat
//! shortcut, [`crate::git::WorktreeIndex`]) or file bytes. Output: a
//! [`ContentId`]. Nothing here writes anything.
//!
//! Two namespaces, never mixed: [`ContentId::Blob`] is only ever attached to
//! analyses of bytes whose git blob id *is* that id (blobs read from the
//! object database, or working-tree bytes whose hash was checked against the
//! index), so `check`, `diff` and `metrics` share entries safely even when
//! filters (`core.autocrlf`, clean filters) make the working tree differ from
//! the blob. Everything else is [`ContentId::Bytes`], an xxh3-128 of the bytes.
//!

use gix::ObjectId;

/// The identity of one file content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ContentId {
    /// A git object id of these exact bytes.
    Blob(ObjectId),
    /// xxh3-128 of the bytes.
    Bytes(u128),
}

impl std::fmt::Display for ContentId {
    /// A blob id in hex, or `x` and the bytes' hash in hex.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContentId::Blob(id) => write!(f, "{id}"),
            ContentId::Bytes(h) => write!(f, "x{h:032x}"),
        }
    }
}

impl ContentId {
    /// The id of bytes that did not come from git.
    pub(crate) fn of_bytes(bytes: &[u8]) -> ContentId {
        ContentId::Bytes(twox_hash::XxHash3_128::oneshot(bytes))
    }

    /// The key suffix: a kind byte, then the id.
    pub(super) fn encode(&self, key: &mut Vec<u8>) {
        match self {
            ContentId::Blob(id) => {
                key.push(b'g');
                key.extend_from_slice(id.as_bytes());
            }
            ContentId::Bytes(h) => {
                key.push(b'x');
                key.extend_from_slice(&h.to_be_bytes());
            }
        }
    }
}

/// Whether `bytes` are exactly the blob `id` (git's `blob <len>\0` header
/// hashed with the content).
pub(crate) fn is_blob_of(bytes: &[u8], id: &ObjectId) -> bool {
    gix::objs::compute_hash(id.kind(), gix::objs::Kind::Blob, bytes).is_ok_and(|h| h == *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_hash_matches_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = ObjectId::from_hex(b"ce013625030ba8dba906f756967f9e9ca394464a").unwrap();
        assert!(is_blob_of(b"hello\n", &id));
        assert!(!is_blob_of(b"hello", &id));
    }

    #[test]
    fn namespaces_never_collide() {
        let mut a = Vec::new();
        ContentId::of_bytes(b"x").encode(&mut a);
        let mut b = Vec::new();
        ContentId::Blob(ObjectId::null(gix::hash::Kind::Sha1)).encode(&mut b);
        assert_ne!(a[0], b[0]);
        assert_eq!(a.len(), 17);
        assert_eq!(b.len(), 21);
    }
}
