//! Maintainability index, value-exact with `radon mi` 6.0.1.
//! (Implementation pending: see the helper task.)

/// radon's MI from file Halstead volume, total cyclomatic complexity, logical lines
/// and comment percentage (0..=∞).
pub(crate) fn maintainability_index(
    _volume: f64,
    _total_cc: u32,
    _lloc: u32,
    _comment_pct: f64,
) -> f64 {
    100.0
}

pub(crate) fn comment_percentage(_raw: &super::raw::RawMetrics, _multi_as_comments: bool) -> f64 {
    0.0
}
