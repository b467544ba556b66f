//! The record codec: how an outcome is stored under its key.
//!
//! Key = the engine id (crate version and [`FORMAT`]), the metric-options
//! fingerprint, then the content id. Value = `[RECORD_VERSION][xxh3-64(key
//! ++ payload), LE][payload]`, the payload being the outcome in postcard. A
//! record that fails any check decodes to `None`: a miss, never a wrong
//! answer. No I/O.

use super::Outcome;

/// Bump when the encoding of values or keys changes without a crate release
/// (new fields in [`FileAnalysis`](crate::metrics::FileAnalysis), a new metric): old entries then miss.
pub(super) const FORMAT: u32 = 6;

/// The first byte of every value record.
pub(super) const RECORD_VERSION: u8 = 1;

/// The engine id: results of one engine version are never served to another.
pub(super) fn engine_id() -> u64 {
    let tag = format!(
        "antipasta {} cache-format {FORMAT}",
        env!("CARGO_PKG_VERSION")
    );
    twox_hash::XxHash3_64::oneshot(tag.as_bytes())
}

pub(super) fn key_prefix(fingerprint: u64) -> [u8; 16] {
    let mut prefix = [0u8; 16];
    prefix[..8].copy_from_slice(&engine_id().to_be_bytes());
    prefix[8..].copy_from_slice(&fingerprint.to_be_bytes());
    prefix
}

/// The current engine's key prefix without the fingerprint, for `cache gc`.
pub(super) fn engine_prefix() -> [u8; 8] {
    engine_id().to_be_bytes()
}

pub(super) fn decode_stamp(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

pub(super) fn checksum(key: &[u8], payload: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = twox_hash::XxHash3_64::new();
    hasher.write(key);
    hasher.write(payload);
    hasher.finish()
}

/// `[RECORD_VERSION][xxh3-64(key ++ payload), LE][payload]`.
pub(super) fn encode_record(key: &[u8], outcome: &Outcome) -> Option<Vec<u8>> {
    let payload = postcard::to_stdvec(outcome).ok()?;
    let mut record = Vec::with_capacity(9 + payload.len());
    record.push(RECORD_VERSION);
    record.extend_from_slice(&checksum(key, &payload).to_le_bytes());
    record.extend_from_slice(&payload);
    Some(record)
}

/// The outcome in a record, `None` if the record is of another version,
/// damaged, or belongs to another key.
pub(super) fn decode_record(key: &[u8], record: &[u8]) -> Option<Outcome> {
    let (&version, rest) = record.split_first()?;
    if version != RECORD_VERSION || rest.len() < 8 {
        return None;
    }
    let (sum, payload) = rest.split_at(8);
    if u64::from_le_bytes(sum.try_into().ok()?) != checksum(key, payload) {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{analyze, MetricOptions};
    use crate::source::SourceText;

    fn sample() -> Outcome {
        let source =
            SourceText::from_text("def f(x):\n    if x:\n        return 1\n    return 2\n");
        Ok(analyze(&source, MetricOptions::default()).unwrap())
    }

    #[test]
    fn record_round_trip() {
        let key = b"some key".to_vec();
        let outcome = sample();
        let record = encode_record(&key, &outcome).unwrap();
        assert_eq!(decode_record(&key, &record), Some(outcome));
        let error: Outcome = Err(crate::outcome::Problem::error("syntax error at 1:1"));
        let record = encode_record(&key, &error).unwrap();
        assert_eq!(decode_record(&key, &record), Some(error));
    }

    #[test]
    fn damaged_record_is_a_miss() {
        let key = b"k".to_vec();
        let record = encode_record(&key, &sample()).unwrap();
        let mut flipped = record.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(decode_record(&key, &flipped), None);
        assert_eq!(decode_record(&key, &record[..record.len() / 2]), None);
        assert_eq!(decode_record(b"other key", &record), None);
        let mut version = record;
        version[0] = RECORD_VERSION + 1;
        assert_eq!(decode_record(&key, &version), None);
        assert_eq!(decode_record(&key, &[]), None);
    }
}
