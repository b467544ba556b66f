//! The one fjall keyspace the cache keeps everything in, divided into
//! spaces by the first byte of each key: `a` access stamps, `m` meta (the
//! violation history), `v` values (the records).
//!
//! One keyspace, not three, because of what a write costs: every bulk
//! ingestion writes and syncs a table, the keyspace's version file and its
//! pointer (about six fsyncs), and the hook writes stamps and records (and
//! sometimes history) in one run. Three keyspaces made that three
//! ingestions, 9 ms of a 25 ms hook run on sympy; one makes it one, and
//! opening the store reads one keyspace's version instead of three. One
//! ingestion also makes a record and its stamp appear together.

use fjall::{Keyspace, Slice};

/// One space of the keyspace: a key prefix.
#[derive(Clone)]
pub(super) struct Space {
    keyspace: Keyspace,
    tag: u8,
}

pub(super) const ACCESS: u8 = b'a';
pub(super) const META: u8 = b'm';
pub(super) const VALUES: u8 = b'v';

/// One change to a space: a value to store, or `None` to remove the key.
pub(super) type Change = (Vec<u8>, Option<Vec<u8>>);

impl Space {
    pub(super) fn new(keyspace: &Keyspace, tag: u8) -> Space {
        Space {
            keyspace: keyspace.clone(),
            tag,
        }
    }

    fn physical(&self, key: &[u8]) -> Vec<u8> {
        tagged(self.tag, key)
    }

    pub(super) fn get(&self, key: &[u8]) -> fjall::Result<Option<Slice>> {
        self.keyspace.get(self.physical(key))
    }

    pub(super) fn contains_key(&self, key: &[u8]) -> fjall::Result<bool> {
        self.keyspace.contains_key(self.physical(key))
    }

    pub(super) fn size_of(&self, key: &[u8]) -> fjall::Result<Option<u32>> {
        self.keyspace.size_of(self.physical(key))
    }

    /// Every (key, value) of this space, keys without the space's byte.
    pub(super) fn iter(&self) -> impl Iterator<Item = fjall::Result<(Vec<u8>, Slice)>> + '_ {
        self.keyspace.prefix([self.tag]).map(|guard| {
            let (key, value) = guard.into_inner()?;
            Ok((key[1..].to_vec(), value))
        })
    }

    /// Every key of this space (no value is read).
    pub(super) fn keys(&self) -> impl Iterator<Item = fjall::Result<Vec<u8>>> + '_ {
        self.keyspace
            .prefix([self.tag])
            .map(|guard| Ok(guard.key()?[1..].to_vec()))
    }

    pub(super) fn len(&self) -> fjall::Result<usize> {
        let mut n = 0;
        for key in self.keys() {
            key?;
            n += 1;
        }
        Ok(n)
    }
}

/// `key` in the space `tag`: the byte, then the key.
fn tagged(tag: u8, key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(tag);
    k.extend_from_slice(key);
    k
}

/// Writes `changes` (per space: its byte and its changes, one per key) as
/// one new table by bulk ingestion: all of them or none.
pub(super) fn ingest(keyspace: &Keyspace, changes: Vec<(u8, Vec<Change>)>) -> fjall::Result<()> {
    let mut all: Vec<Change> = changes
        .into_iter()
        .flat_map(|(tag, changes)| {
            changes
                .into_iter()
                .map(move |(key, value)| (tagged(tag, &key), value))
        })
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all.dedup_by(|later, earlier| later.0 == earlier.0);
    let mut ingestion = keyspace.start_ingestion()?;
    for (key, value) in all {
        match value {
            Some(value) => ingestion.write(key, value)?,
            None => ingestion.write_tombstone(key)?,
        }
    }
    ingestion.finish()
}
