//! Serde forms of single config values, shared by the TOML and YAML readers.
//!
//! Each type checks its value while it is deserialized, so the parser attaches
//! the position of the bad value to the error; messages carry a hint after
//! [`HINT_MARKER`]. No I/O.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::diagnostic::{check_threshold, did_you_mean, unknown_metric, HINT_MARKER};
use super::{Comparison, ModifiedPolicy, Scope};
use crate::metrics::MetricKind;

/// `1234`, `64k`, `256MB`, `1G` (powers of 1024) → bytes.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').unwrap_or(&t);
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let scale: u64 = match unit.trim() {
        "" => 1,
        "k" | "ki" => 1 << 10,
        "m" | "mi" => 1 << 20,
        "g" | "gi" => 1 << 30,
        _ => return Err(format!("invalid size `{text}`: use e.g. 256MB or 1G")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("invalid size `{text}`: use e.g. 256MB or 1G"))
}

/// A metric name as written in a config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MetricName(pub(crate) MetricKind);

/// A non-negative, finite threshold; integers and floats are both accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Threshold(pub(crate) f64);

/// A file extension such as `.py`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Extension(pub(crate) String);

/// Deserializes a string and hands it to `parse`, which returns the value or
/// the error message.
fn from_str_with<'de, D, T>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct StrVisitor<T> {
        expecting: &'static str,
        parse: fn(&str) -> Result<T, String>,
    }
    impl<T> Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.parse)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(StrVisitor { expecting, parse })
}

impl<'de> Deserialize<'de> for MetricName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a metric name such as \"cyclomatic_complexity\"", |s| {
            MetricKind::from_name(s)
                .map(MetricName)
                .ok_or_else(|| unknown_metric(s))
        })
    }
}

impl<'de> Deserialize<'de> for Comparison {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a comparison: one of < <= > >= == !=", parse_comparison)
    }
}

fn parse_comparison(s: &str) -> Result<Comparison, String> {
    if let Some(c) = Comparison::from_str_exact(s.trim()) {
        return Ok(c);
    }
    // Spellings people reach for; we suggest, never guess silently.
    let guess = match s.trim().to_ascii_lowercase().as_str() {
        "=<" | "le" | "lte" | "max" | "≤" => Some(Comparison::Le),
        "=>" | "ge" | "gte" | "min" | "≥" => Some(Comparison::Ge),
        "lt" => Some(Comparison::Lt),
        "gt" => Some(Comparison::Gt),
        "=" | "eq" | "===" => Some(Comparison::Eq),
        "<>" | "ne" | "=!" | "≠" => Some(Comparison::Ne),
        _ => None,
    };
    let hint = match guess {
        Some(c) => format!("did you mean `{c}`?"),
        None => "use one of `<`, `<=`, `>`, `>=`, `==`, `!=` (the value passes when \
                 `value <comparison> threshold` holds)"
            .to_string(),
    };
    Err(format!("unknown comparison `{s}`{HINT_MARKER}{hint}"))
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a scope: \"function\" or \"file\"", |s| match s {
            "function" => Ok(Scope::Function),
            "file" => Ok(Scope::File),
            _ => {
                let hint = match s.to_ascii_lowercase().as_str() {
                    "method" | "func" | "def" | "functions" => "did you mean `function`?",
                    "module" | "files" => "did you mean `file`?",
                    _ => "use `function` or `file`",
                };
                Err(format!("unknown scope `{s}`{HINT_MARKER}{hint}"))
            }
        })
    }
}

impl<'de> Deserialize<'de> for ModifiedPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "\"no-worse\" or \"strict\"", |s| match s {
            "no-worse" => Ok(ModifiedPolicy::NoWorse),
            "strict" => Ok(ModifiedPolicy::Strict),
            _ => {
                let names = ["no-worse", "strict"];
                let hint = match did_you_mean(&s.replace('_', "-"), names.into_iter()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "use `no-worse` (modified functions may not get worse) or \
                             `strict` (modified functions must meet every limit)"
                        .to_string(),
                };
                Err(format!("unknown policy `{s}`{HINT_MARKER}{hint}"))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Extension {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a file extension such as \".py\"", |s| {
            if s.starts_with('.') && s.len() > 1 && !s.contains(['/', '\\']) {
                Ok(Extension(s.to_string()))
            } else {
                let bare = s.trim_start_matches('.');
                Err(format!(
                    "invalid extension `{s}`{HINT_MARKER}an extension starts with a dot, \
                     e.g. `.{}`",
                    if bare.is_empty() { "py" } else { bare }
                ))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ThresholdVisitor;
        impl Visitor<'_> for ThresholdVisitor {
            type Value = Threshold;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Threshold, E> {
                check_threshold(v).map_err(E::custom)?;
                Ok(Threshold(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Threshold, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Threshold, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Threshold, E> {
                let hint = if v.trim().parse::<f64>().is_ok() {
                    format!("write the number without quotes: {}", v.trim())
                } else {
                    "a threshold is a number such as 10 or 0.5".to_string()
                };
                Err(E::custom(format!(
                    "threshold must be a number, found the string \"{v}\"{HINT_MARKER}{hint}"
                )))
            }
        }
        d.deserialize_any(ThresholdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn cache_sizes() {
        assert_eq!(parse_size("1234"), Ok(1234));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("256MB"), Ok(256 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("").is_err());
    }
}
