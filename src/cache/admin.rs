//! `antipasta cache stats|clear|gc|verify|export|import`: looking after the
//! store by hand, and handing a warm cache to CI.
//!
//! Inputs: the cache directory. Outputs: plain [`AdminReport`] lines for the
//! caller to print. Unlike a normal run, these commands fail loudly when the
//! store is held by another process: doing nothing silently would be wrong.
//!
//! Export format (one file): the magic `antipasta-cache\n`, the export
//! version (u32 LE), the engine id (u64 LE), then records `[key len u16 LE]
//! [key][value len u32 LE][value]`, then an xxh3-64 of everything before it.
//! Import checks the magic, the versions, the trailing checksum and every
//! record's own checksum and decoding, and only inserts key/value pairs into
//! the store: nothing in the file names a path, so nothing can be written
//! outside the cache directory.

use std::io::{BufWriter, Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{
    decode_record, engine_prefix, open_for_admin, read_runs, runs_path, store_path, Notices,
};

const EXPORT_MAGIC: &[u8; 16] = b"antipasta-cache\n";
const EXPORT_VERSION: u32 = 1;

/// Lines to print.
pub(crate) type AdminReport = Vec<String>;

/// Entries, bytes on disk and the hit rate of the recent runs.
pub(crate) fn stats(dir: &Path) -> Result<AdminReport> {
    // Reading only: no limit to enforce.
    let mut lines = vec![format!("cache: {}", dir.display())];
    if !store_path(dir).exists() {
        lines.push("empty (no store yet)".to_owned());
        return Ok(lines);
    }
    let cache = open_for_admin(dir, u64::MAX)?;
    let entries = cache.values.len()?;
    let bytes = cache.size();
    lines.push(format!("entries: {entries}"));
    lines.push(format!("on disk: {} ({bytes} bytes)", human(bytes)));
    let runs = read_runs(dir);
    let (hits, misses) = runs
        .iter()
        .fold((0, 0), |(h, m), r| (h + r.hits, m + r.misses));
    if hits + misses > 0 {
        lines.push(format!(
            "hit rate of the last {} runs: {:.1} % ({hits} hits, {misses} misses)",
            runs.len(),
            100.0 * hits as f64 / (hits + misses) as f64
        ));
        if let Some(last) = runs.last() {
            lines.push(format!(
                "last run: {} hits, {} misses",
                last.hits, last.misses
            ));
        }
    } else {
        lines.push("no runs recorded yet".to_owned());
    }
    Ok(lines)
}

/// Removes every entry.
pub(crate) fn clear(dir: &Path) -> Result<AdminReport> {
    if !store_path(dir).exists() {
        return Ok(vec![format!("cache {} is already empty", dir.display())]);
    }
    let cache = open_for_admin(dir, u64::MAX)?;
    let entries = cache.values.len()?;
    cache.keyspace.clear()?;
    drop(cache);
    let _ = std::fs::remove_file(runs_path(dir));
    Ok(vec![format!(
        "removed {entries} entries from {}",
        dir.display()
    )])
}

/// Removes entries of other antipasta versions, enforces the size limit and
/// compacts the store.
pub(crate) fn gc(dir: &Path, limit: u64) -> Result<AdminReport> {
    if !store_path(dir).exists() {
        return Ok(vec![format!("cache {} is empty", dir.display())]);
    }
    let cache = open_for_admin(dir, limit)?;
    let before = cache.size();
    let engine = engine_prefix();
    let mut stale = Vec::new();
    for key in cache.values.keys() {
        let key = key?;
        if !key.starts_with(&engine) {
            stale.push(key);
        }
    }
    cache.remove(&stale)?;
    cache.keyspace.major_compact()?;
    // An entry's stored size leaves out the store's own overhead (block
    // indexes, the access stamps), so one pass can end a little above the
    // limit: evict again, from the size on disk after compaction, until it
    // fits or nothing is left.
    let mut evicted = 0;
    loop {
        let removed = cache.evict_to(limit)?;
        evicted += removed;
        if removed == 0 || cache.size() <= limit {
            break;
        }
    }
    let after = cache.size();
    Ok(vec![format!(
        "removed {} entries of other versions and {evicted} least recently used; {} → {}",
        stale.len(),
        human(before),
        human(after)
    )])
}

/// Reads every record; reports and removes the bad ones.
pub(crate) fn verify(
    dir: &Path,
    limit: u64,
    notices: &mut Notices,
) -> Result<(AdminReport, usize)> {
    if !store_path(dir).exists() {
        return Ok((vec![format!("cache {} is empty", dir.display())], 0));
    }
    let cache = open_for_admin(dir, limit)?;
    let mut good = 0usize;
    let mut bad = Vec::new();
    let mut lines = Vec::new();
    for kv in cache.values.iter() {
        let (key, value) = match kv {
            Ok(kv) => kv,
            Err(e) => {
                cache.mark_broken();
                lines.push(format!("the store is damaged: {e}"));
                break;
            }
        };
        if decode_record(&key, &value).is_some() {
            good += 1;
        } else {
            lines.push(format!("bad record {}", hex(&key)));
            bad.push(key);
        }
    }
    let broken = cache.is_broken();
    if !broken {
        cache.remove(&bad)?;
    }
    notices.extend(cache.finish());
    if broken {
        lines.push("the store was moved aside; the next run starts a new one".to_owned());
        return Ok((lines, bad.len() + 1));
    }
    lines.push(format!(
        "{good} good records, {} bad record{} removed",
        bad.len(),
        if bad.len() == 1 { "" } else { "s" }
    ));
    Ok((lines, bad.len()))
}

/// Writes every record of the current engine version to `file`.
pub(crate) fn export(dir: &Path, file: &Path) -> Result<AdminReport> {
    let cache = open_for_admin(dir, u64::MAX)?;
    let engine = engine_prefix();
    let out =
        std::fs::File::create(file).with_context(|| format!("creating {}", file.display()))?;
    let mut out = HashingWriter {
        inner: BufWriter::new(out),
        hasher: twox_hash::XxHash3_64::new(),
    };
    out.write_all(EXPORT_MAGIC)?;
    out.write_all(&EXPORT_VERSION.to_le_bytes())?;
    out.write_all(&u64::from_be_bytes(engine).to_le_bytes())?;
    let mut count = 0usize;
    for kv in cache.values.iter() {
        let (key, value) = kv?;
        if !key.starts_with(&engine) || decode_record(&key, &value).is_none() {
            continue;
        }
        let key_len = u16::try_from(key.len()).context("cache key too long")?;
        let value_len = u32::try_from(value.len()).context("cache value too long")?;
        out.write_all(&key_len.to_le_bytes())?;
        out.write_all(&key)?;
        out.write_all(&value_len.to_le_bytes())?;
        out.write_all(&value)?;
        count += 1;
    }
    let sum = std::hash::Hasher::finish(&out.hasher);
    out.inner.write_all(&sum.to_le_bytes())?;
    out.inner
        .flush()
        .with_context(|| format!("writing {}", file.display()))?;
    Ok(vec![format!(
        "exported {count} entries to {}",
        file.display()
    )])
}

struct HashingWriter<W: Write> {
    inner: W,
    hasher: twox_hash::XxHash3_64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        std::hash::Hasher::write(&mut self.hasher, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Checks `file` completely, then inserts its records.
pub(crate) fn import(
    dir: &Path,
    file: &Path,
    limit: u64,
    notices: &mut Notices,
) -> Result<AdminReport> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("reading {}", file.display()))?;
    let records = parse_export(&bytes).with_context(|| format!("importing {}", file.display()))?;
    let cache = open_for_admin(dir, limit)?;
    for (key, value) in &records {
        cache.stage_record(key.to_vec(), value.to_vec());
    }
    notices.extend(cache.finish());
    Ok(vec![format!(
        "imported {} entries into {}",
        records.len(),
        dir.display()
    )])
}

type Record<'a> = (&'a [u8], &'a [u8]);

/// Splits an export into records, refusing the whole file on any problem.
fn parse_export(bytes: &[u8]) -> Result<Vec<Record<'_>>> {
    let Some(body_len) = bytes.len().checked_sub(8) else {
        bail!("not an antipasta cache export (too short)");
    };
    let (body, sum) = bytes.split_at(body_len);
    if !body.starts_with(EXPORT_MAGIC) {
        bail!("not an antipasta cache export");
    }
    let mut hasher = twox_hash::XxHash3_64::new();
    std::hash::Hasher::write(&mut hasher, body);
    if std::hash::Hasher::finish(&hasher).to_le_bytes() != sum {
        bail!("the export is damaged (checksum mismatch)");
    }
    let mut rest = &body[EXPORT_MAGIC.len()..];
    let version = u32::from_le_bytes(take(&mut rest, 4)?.try_into()?);
    if version != EXPORT_VERSION {
        bail!("export format {version} is not supported (this antipasta reads {EXPORT_VERSION})");
    }
    let engine = u64::from_le_bytes(take(&mut rest, 8)?.try_into()?);
    if engine.to_be_bytes() != engine_prefix() {
        bail!(
            "the export was made by another antipasta version (this is {})",
            env!("CARGO_PKG_VERSION")
        );
    }
    let mut records = Vec::new();
    while !rest.is_empty() {
        let key_len = u16::from_le_bytes(take(&mut rest, 2)?.try_into()?);
        let key = take(&mut rest, usize::from(key_len))?;
        let value_len = u32::from_le_bytes(take(&mut rest, 4)?.try_into()?);
        let value = take(&mut rest, value_len as usize)?;
        if !key.starts_with(&engine_prefix()) || decode_record(key, value).is_none() {
            bail!("the export holds a bad record ({})", hex(key));
        }
        records.push((key, value));
    }
    Ok(records)
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if rest.len() < n {
        bail!("the export is truncated");
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn human(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{Cache, CacheOptions, ContentId};

    fn options() -> CacheOptions {
        CacheOptions::default()
    }

    fn filled(dir: &Path) {
        let cache = Cache::open(dir, 7, &options(), &mut Vec::new()).unwrap();
        for i in 0..5u8 {
            cache.put(
                &ContentId::of_bytes(&[i]),
                &Err(crate::outcome::Problem::error(format!("error {i}"))),
            );
        }
        cache.finish();
    }

    #[test]
    fn export_import_round_trip() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        filled(a.path());
        let file = a.path().join("export.bin");
        export(a.path(), &file).unwrap();
        import(b.path(), &file, u64::MAX, &mut Vec::new()).unwrap();
        let cache = Cache::open(b.path(), 7, &options(), &mut Vec::new()).unwrap();
        assert_eq!(
            cache.get(&ContentId::of_bytes(&[3])),
            Some(Err(crate::outcome::Problem::error("error 3")))
        );
    }

    #[test]
    fn import_refuses_damaged_exports() {
        let a = tempfile::tempdir().unwrap();
        filled(a.path());
        let file = a.path().join("export.bin");
        export(a.path(), &file).unwrap();
        let good = std::fs::read(&file).unwrap();
        assert_eq!(parse_export(&good).unwrap().len(), 5);
        let mut flipped = good.clone();
        flipped[40] ^= 0xff;
        assert!(parse_export(&flipped).is_err());
        assert!(parse_export(&good[..good.len() - 3]).is_err());
        assert!(parse_export(b"garbage").is_err());
    }

    #[test]
    fn verify_counts_good_records() {
        let a = tempfile::tempdir().unwrap();
        filled(a.path());
        let (lines, bad) = verify(a.path(), u64::MAX, &mut Vec::new()).unwrap();
        assert_eq!(bad, 0);
        assert!(
            lines.last().unwrap().starts_with("5 good records"),
            "{lines:?}"
        );
    }
}
