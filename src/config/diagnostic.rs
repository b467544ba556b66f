//! Error messages for bad configuration files: position, source line, hint.
//!
//! Input: a parser's message plus a byte span (TOML) or line/column (YAML).
//! Output: a [`ConfigError`] that reads like
//!
//! ```text
//! .antipasta.toml:3:1: unknown key `cyclomatic_complexty`
//!   |
//! 3 | cyclomatic_complexty = 10
//!   | ^^^^^^^^^^^^^^^^^^^^
//!   = hint: did you mean `cyclomatic_complexity`?
//! ```
//!
//! Messages from our own deserializers carry their hint after a
//! `"\nhint: "` marker; serde's "unknown field" messages are rewritten here so
//! every unknown key gets a did-you-mean hint.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::metrics::MetricKind;

/// Separates a message from its hint inside a serde error string.
pub(crate) const HINT_MARKER: &str = "\nhint: ";

/// A configuration file problem with its position (1-based; 0 when unknown).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ConfigError {
    pub(crate) path: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    /// The offending source line, already drawn with a caret underneath.
    pub(crate) snippet: Option<String>,
    pub(crate) hint: Option<String>,
}

impl std::error::Error for ConfigError {}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    /// An error about the bytes `span` of `text` (the whole file).
    pub(crate) fn at_span(path: &Path, text: &str, span: Range<usize>, raw: &str) -> ConfigError {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        let snippet = draw_snippet(line, &text[line_start..line_end], column, width);
        let (message, hint) = split_message(raw);
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
            snippet: Some(snippet),
            hint,
        }
    }

    /// An error at a 1-based line and column of `text`.
    pub(crate) fn at_position(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        raw: &str,
    ) -> ConfigError {
        let (message, hint) = split_message(raw);
        let snippet = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .filter(|_| line > 0)
            .map(|src| draw_snippet(line, src.trim_end_matches('\r'), column, 1));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
            snippet,
            hint,
        }
    }

    /// An error with no known position.
    pub(crate) fn whole_file(path: &Path, raw: &str) -> ConfigError {
        let (message, hint) = split_message(raw);
        ConfigError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message,
            snippet: None,
            hint,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn draw_snippet(line: usize, src: &str, column: usize, width: usize) -> String {
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    // Tabs would shift the caret; show them as single spaces.
    let src = src.replace('\t', " ");
    format!(
        "{pad} |\n{number} | {src}\n{pad} | {}{}",
        " ".repeat(column.saturating_sub(1)),
        "^".repeat(width)
    )
}

/// Turns a raw parser message into (message, hint).
pub(crate) fn split_message(raw: &str) -> (String, Option<String>) {
    if let Some((message, hint)) = raw.split_once(HINT_MARKER) {
        return (message.trim().to_string(), Some(hint.trim().to_string()));
    }
    let raw = raw.trim();
    // serde: "unknown field `x`, expected one of `a`, `b`" (or "expected `a`",
    // or "there are no fields").
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        if let Some((key, expected)) = rest.split_once('`') {
            let valid = backticked(expected);
            let hint = match did_you_mean(key, valid.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None if valid.is_empty() => "this table takes no keys".to_string(),
                None => format!("valid keys here: {}", valid.join(", ")),
            };
            return (format!("unknown key `{key}`"), Some(hint));
        }
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        if let Some((key, _)) = rest.split_once('`') {
            return (format!("missing required key `{key}`"), None);
        }
    }
    (raw.to_string(), None)
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, w)| w.to_string())
        .collect()
}

/// The candidate a user most likely meant by `input`, if any is close enough.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let norm = input.trim().to_ascii_lowercase().replace('-', "_");
    // The Python antipasta's `defaults:` keys carry these prefixes.
    let bare = norm
        .strip_prefix("max_")
        .or_else(|| norm.strip_prefix("min_"))
        .unwrap_or(&norm);
    if let Some(c) = candidates.clone().find(|c| *c == norm || *c == bare) {
        return Some(c);
    }
    if norm.len() >= 3 {
        let mut containing = candidates.clone().filter(|c| c.contains(norm.as_str()));
        if let (Some(only), None) = (containing.next(), containing.next()) {
            return Some(only);
        }
    }
    let (best, distance) = candidates
        .map(|c| (c, strsim::damerau_levenshtein(&norm, c)))
        .min_by_key(|&(_, d)| d)?;
    let allowed = (norm.chars().count() / 3).max(2);
    (distance <= allowed).then_some(best)
}

/// Every metric name, comma-separated, for "known metrics" hints.
pub(crate) fn metric_list() -> String {
    MetricKind::ALL
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message for a metric name that is not one of ours.
pub(crate) fn unknown_metric(name: &str) -> String {
    match did_you_mean(name, MetricKind::ALL.iter().map(|m| m.name())) {
        Some(best) => format!("unknown metric `{name}`{HINT_MARKER}did you mean `{best}`?"),
        None => format!(
            "unknown metric `{name}`{HINT_MARKER}known metrics: {}",
            metric_list()
        ),
    }
}

/// Thresholds are limits on counts and scores, none of which is negative.
pub(crate) fn check_threshold(value: f64) -> Result<(), String> {
    if !value.is_finite() {
        Err(format!("threshold must be a finite number, got {value}"))
    } else if value < 0.0 {
        Err(format!(
            "threshold must not be negative, got {value} (no metric is ever below 0)"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_typo() {
        let names = MetricKind::ALL.iter().map(|m| m.name());
        assert_eq!(
            did_you_mean("cyclomatic_complexty", names),
            Some("cyclomatic_complexity")
        );
    }

    #[test]
    fn did_you_mean_legacy_prefix_and_fragment() {
        let names = || MetricKind::ALL.iter().map(|m| m.name());
        assert_eq!(
            did_you_mean("max_cognitive_complexity", names()),
            Some("cognitive_complexity")
        );
        assert_eq!(
            did_you_mean("cognitive", names()),
            Some("cognitive_complexity")
        );
        // Ambiguous fragment, far from everything: no guess.
        assert_eq!(did_you_mean("halstead", names()), None);
        assert_eq!(did_you_mean("banana", names()), None);
    }

    #[test]
    fn unknown_field_message_is_rewritten_with_hint() {
        let (message, hint) = split_message(
            "unknown field `ignore_pattern`, expected one of `ignore_patterns`, `use_gitignore`",
        );
        assert_eq!(message, "unknown key `ignore_pattern`");
        assert_eq!(hint.as_deref(), Some("did you mean `ignore_patterns`?"));
    }

    #[test]
    fn span_position_and_caret() {
        let text = "a = 1\nbad_key = 2\n";
        let e = ConfigError::at_span(Path::new("c.toml"), text, 6..13, "unknown key `bad_key`");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(
            e.to_string(),
            "c.toml:2:1: unknown key `bad_key`\n  |\n2 | bad_key = 2\n  | ^^^^^^^"
        );
    }
}
