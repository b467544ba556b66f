//! Maintainability index, value-exact with `radon mi` 6.0.1.
//!
//! What it measures: one score per file, from 0 (hard to maintain) to 100,
//! combining Halstead volume `V`, total cyclomatic complexity `G`, logical
//! lines `L` (radon uses LLOC, not SLOC) and the comment percentage `C`:
//!
//! `MI = clamp((171 - 5.2 ln V - 0.23 G - 16.2 ln L + 50 sin(sqrt(2.46 C°))) * 100 / 171, 0, 100)`
//!
//! where `C°` is `C` read as degrees and converted to radians.
//!
//! Why it matters: it folds size, branching and documentation into one number
//! that can gate a file as a whole (`maintainability_index`, higher is better).
//!
//! Example: `def f(a, b):\n    if a > b:\n        return a - b\n    return b - a\n`
//! has V = 18, G = 2, L = 4, C = 0 and scores 77.80824456654838.
//!
//! Quirks reproduced on purpose:
//! * a file with no operators (V = 0) or no logical lines scores 100.0;
//! * the comment term is a sine, so very dense comments *lower* the score
//!   (C = 400 % gives 70.48 where C = 50 % gives 100);
//! * the arithmetic follows radon's evaluation order term by term, so the
//!   result is the same `f64`, bit for bit.

use super::raw::RawMetrics;

/// radon's MI from file Halstead volume, total cyclomatic complexity, logical lines
/// and comment percentage (0..=∞).
pub(crate) fn maintainability_index(
    volume: f64,
    total_cc: u32,
    lloc: u32,
    comment_pct: f64,
) -> f64 {
    if volume <= 0.0 || lloc == 0 {
        return 100.0;
    }
    let lloc_scale = f64::from(lloc).ln();
    let volume_scale = volume.ln();
    let comments_scale = (2.46 * comment_pct.to_radians()).sqrt();
    let unscaled = 171.0 - 5.2 * volume_scale - 0.23 * f64::from(total_cc) - 16.2 * lloc_scale
        + 50.0 * comments_scale.sin();
    let scaled = unscaled * 100.0 / 171.0;
    // Python's min(max(0.0, x), 100.0): keeps the first argument unless the
    // second is strictly larger/smaller, so -0.0 becomes 0.0.
    let floored = if scaled > 0.0 { scaled } else { 0.0 };
    if floored > 100.0 {
        100.0
    } else {
        floored
    }
}

/// The comment percentage radon feeds into the MI: comment tokens (plus the
/// lines of standalone multi-line strings unless `multi_as_comments` is off,
/// radon's `-m`) per source line, times 100. Zero when there is no source line.
pub(crate) fn comment_percentage(raw: &RawMetrics, multi_as_comments: bool) -> f64 {
    if raw.sloc == 0 {
        return 0.0;
    }
    let comment_lines = raw.comments + if multi_as_comments { raw.multi } else { 0 };
    f64::from(comment_lines) / f64::from(raw.sloc) * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs and outputs of the `radon mi` fixtures: (V, G, L, C%, MI).
    const FIXTURES: [(f64, u32, u32, f64, f64); 12] = [
        (0.0, 1, 0, 0.0, 100.0),
        (0.0, 1, 2, 0.0, 100.0),
        (4.754887502163469, 1, 1, 0.0, 95.12415216859318),
        (18.0, 2, 4, 0.0, 77.80824456654838),
        (18.0, 2, 4, 50.0, 100.0),
        (18.0, 2, 5, 75.0, 100.0),
        (18.0, 2, 5, 0.0, 75.69425302778218),
        (4.754887502163469, 1, 1, 400.0, 70.47930106881691),
        (5529.057704969571, 25, 84, 0.0, 28.455175384091287),
        (13501.177582626482, 53, 182, 0.0, 14.64931244838458),
        (19584.556481232357, 73, 252, 0.0, 7.745185065669226),
        (112963.21157364207, 1, 1000, 0.0, 0.0),
    ];

    #[test]
    fn fixture_table_bit_exact() {
        for (volume, cc, lloc, pct, expected) in FIXTURES {
            let mi = maintainability_index(volume, cc, lloc, pct);
            assert_eq!(
                mi.to_bits(),
                expected.to_bits(),
                "V={volume} G={cc} L={lloc} C={pct}: {mi} != {expected}"
            );
        }
    }

    #[test]
    fn no_operators_scores_100() {
        assert_eq!(maintainability_index(0.0, 7, 10, 0.0), 100.0);
    }

    #[test]
    fn no_logical_lines_scores_100() {
        assert_eq!(maintainability_index(50.0, 1, 0, 0.0), 100.0);
    }

    #[test]
    fn huge_file_floors_at_zero() {
        let mi = maintainability_index(1e9, 500, 100_000, 0.0);
        assert_eq!(mi.to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn dense_comments_lower_the_score() {
        assert!(maintainability_index(18.0, 2, 4, 400.0) < maintainability_index(18.0, 2, 4, 50.0));
    }

    fn raw(sloc: u32, comments: u32, multi: u32) -> RawMetrics {
        RawMetrics {
            sloc,
            comments,
            multi,
            ..RawMetrics::default()
        }
    }

    #[test]
    fn comment_percentage_counts_docstrings_by_default() {
        // mi06: a 3-line docstring over 4 source lines.
        assert_eq!(comment_percentage(&raw(4, 0, 3), true), 75.0);
        assert_eq!(comment_percentage(&raw(4, 0, 3), false), 0.0);
    }

    #[test]
    fn comment_percentage_can_exceed_100() {
        // mi07: four comment lines, one statement.
        assert_eq!(comment_percentage(&raw(1, 4, 0), true), 400.0);
    }

    #[test]
    fn comment_percentage_without_source_lines_is_zero() {
        assert_eq!(comment_percentage(&raw(0, 3, 2), true), 0.0);
    }

    #[test]
    fn comment_percentage_matches_python_float_division() {
        // 1 / 3 * 100 in Python is 33.33333333333333 (not 33.333333333333336).
        assert_eq!(
            comment_percentage(&raw(3, 1, 0), true).to_bits(),
            33.33333333333333f64.to_bits()
        );
    }
}
