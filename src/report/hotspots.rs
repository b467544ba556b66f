//! [`Hotspots`] (and a [`Trend`]) → `antipasta hotspots`' text, JSON or CSV.

use std::io::{self, Write};

use serde_json::json;

use crate::hotspots::{Coupling, Hotspots, Range, Trend};

/// The shapes `hotspots` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
    Csv,
}

/// Bump when a field changes meaning or goes away.
pub(crate) const HOTSPOTS_VERSION: u32 = 1;

pub(crate) fn render(
    h: &Hotspots,
    trend: Option<&Trend>,
    range: &Range,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text(h, trend, range, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &to_json(h, trend, range))?;
            writeln!(out)
        }
        Format::Csv => csv(h, trend, out),
    }
}

/// The JSON form (also what the HTML report embeds).
pub(crate) fn to_json(h: &Hotspots, trend: Option<&Trend>, range: &Range) -> serde_json::Value {
    json!({
        "version": HOTSPOTS_VERSION,
        "range": range,
        "score": "commits / most commits of any file (or function) × worst ratio to a limit now",
        "files": h.files,
        "functions": h.functions,
        "file_coupling": h.file_coupling,
        "function_coupling": h.function_coupling,
        "trend": trend,
    })
}

/// `2026-03-01`: a commit time as a UTC date.
pub(crate) fn date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn text(h: &Hotspots, trend: Option<&Trend>, range: &Range, out: &mut dyn Write) -> io::Result<()> {
    let span = match (range.oldest, range.newest) {
        (Some(a), Some(b)) => format!(", {} to {}", date(a), date(b)),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} {} ({}{}{})",
        range.commits,
        super::plural(range.commits, "commit", "commits"),
        if range.first_parent {
            "first parents"
        } else {
            "all parents"
        },
        range
            .since
            .as_ref()
            .map(|s| format!(", since {s}"))
            .unwrap_or_default(),
        span
    )?;
    if let Some(t) = trend {
        writeln!(out, "\n{}::{}: {} changes", t.path, t.name, t.points.len())?;
        writeln!(out, "  date        commit    cyc  cog  lines  change    as")?;
        for p in &t.points {
            writeln!(
                out,
                "  {}  {}  {:>3}  {:>3}  {:>5}  {:<8}  {}::{}",
                date(p.time),
                &p.commit[..p.commit.len().min(8)],
                p.cyclomatic,
                p.cognitive,
                p.lines,
                format!("{:?}", p.kind).to_lowercase(),
                p.path,
                p.name
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "\nfiles (score = commits / most commits × worst ratio to a limit):"
    )?;
    writeln!(
        out,
        "  score  commits  +lines  -lines  authors  last        worst  path"
    )?;
    for f in &h.files {
        writeln!(
            out,
            "  {:>5.2}  {:>7}  {:>6}  {:>6}  {:>7}  {}  {:>5.2}  {}",
            f.score,
            f.commits,
            f.added,
            f.removed,
            f.authors,
            date(f.last),
            f.worst,
            f.path
        )?;
    }
    writeln!(
        out,
        "\nfunctions (changes: commits that changed the normalised body):"
    )?;
    writeln!(out, "  score  changes  worst  cyc  cog  function")?;
    for f in &h.functions {
        writeln!(
            out,
            "  {:>5.2}  {:>7}  {:>5.2}  {:>3}  {:>3}  {}::{}",
            f.score, f.changes, f.worst, f.metrics[0], f.metrics[1], f.path, f.name
        )?;
    }
    coupling_text("files that change together", &h.file_coupling, out)?;
    coupling_text("functions that change together", &h.function_coupling, out)
}

fn coupling_text(title: &str, list: &[Coupling], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n{title} (degree = shared / mean of their commits):")?;
    if list.is_empty() {
        writeln!(out, "  none")?;
    }
    for c in list {
        writeln!(
            out,
            "  {:>5.2}  {:>4}  {}  {}",
            c.degree, c.shared, c.a, c.b
        )?;
    }
    Ok(())
}

fn csv(h: &Hotspots, trend: Option<&Trend>, out: &mut dyn Write) -> io::Result<()> {
    let q = super::csv::quote;
    if let Some(t) = trend {
        writeln!(
            out,
            "commit,date,path,name,change,cyclomatic,cognitive,lines"
        )?;
        for p in &t.points {
            writeln!(
                out,
                "{},{},{},{},{:?},{},{},{}",
                p.commit,
                date(p.time),
                q(&p.path),
                q(&p.name),
                p.kind,
                p.cyclomatic,
                p.cognitive,
                p.lines
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "kind,path,name,score,commits,added,removed,authors,last,worst"
    )?;
    for f in &h.files {
        writeln!(
            out,
            "file,{},,{},{},{},{},{},{},{}",
            q(&f.path),
            f.score,
            f.commits,
            f.added,
            f.removed,
            f.authors,
            date(f.last),
            f.worst
        )?;
    }
    for f in &h.functions {
        writeln!(
            out,
            "function,{},{},{},{},,,,,{}",
            q(&f.path),
            q(&f.name),
            f.score,
            f.changes,
            f.worst
        )?;
    }
    for (kind, list) in [
        ("file_coupling", &h.file_coupling),
        ("function_coupling", &h.function_coupling),
    ] {
        for c in list {
            writeln!(
                out,
                "{kind},{},{},{},{},,,,,",
                q(&c.a),
                q(&c.b),
                c.degree,
                c.shared
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_772_323_200), "2026-03-01");
        assert_eq!(date(951_782_400), "2000-02-29");
    }
}
