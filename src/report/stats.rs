//! [`Stats`] → `antipasta stats`' table, JSON or CSV.
//!
//! The JSON keeps every number at full precision (a test aggregates
//! `metrics --format json` and compares); the table rounds to two
//! decimals. `null` (JSON) or an empty cell (CSV) where a metric has no
//! value in a group.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::stats::{Distribution, GroupStats, MetricStats, Stats, WorstFunction};
use crate::thresholds::format_value;

/// The shapes `stats` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatsFormat {
    Table,
    Json,
    Csv,
}

/// Bump when a field changes meaning or goes away.
pub(crate) const STATS_VERSION: u32 = 1;

pub(crate) fn render(stats: &Stats, format: StatsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        StatsFormat::Table => table(stats, out),
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &to_json(stats))?;
            writeln!(out)
        }
        StatsFormat::Csv => csv(stats, out),
    }
}

fn limit_text(m: &MetricStats) -> String {
    m.limit.map_or_else(String::new, |(comparison, threshold)| {
        format!("{comparison} {}", format_value(threshold))
    })
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), format_value)
}

fn table(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    group_table(&stats.overall, "all files", out)?;
    for g in &stats.groups {
        writeln!(out)?;
        group_table(g, &format!("{} {}", stats.grouping, g.name), out)?;
    }
    if !stats.top.is_empty() {
        writeln!(out)?;
        writeln!(out, "worst functions (value against its limit):")?;
        for w in &stats.top {
            writeln!(
                out,
                "  {:>6.2}  {}:{} {}  {} {} (limit {} {})",
                w.ratio,
                w.path,
                w.line,
                w.name,
                w.metric.name(),
                format_value(w.value),
                w.limit.0,
                format_value(w.limit.1)
            )?;
        }
    }
    Ok(())
}

fn group_table(g: &GroupStats, title: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{title}: {} {}, {} {}{}",
        g.files,
        super::plural(g.files, "file", "files"),
        g.functions,
        super::plural(g.functions, "function", "functions"),
        if g.errors > 0 {
            format!(", {} not analysed", g.errors)
        } else {
            String::new()
        }
    )?;
    let header = [
        "metric", "scope", "count", "total", "mean", "median", "p90", "max", "over", "limit",
    ];
    let mut rows: Vec<[String; 10]> = Vec::new();
    for m in &g.metrics {
        let d = &m.values;
        rows.push([
            m.metric.name().to_string(),
            m.scope.as_str().to_string(),
            d.count.to_string(),
            format_value(d.total),
            number(d.mean),
            number(d.median),
            number(d.p90),
            number(d.max),
            d.over.to_string(),
            limit_text(m),
        ]);
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i < 2 {
                text.push_str(&format!("{cell:<w$}  "));
            } else {
                text.push_str(&format!("{cell:>w$}  "));
            }
        }
        text.trim_end().to_string()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

fn distribution_json(d: &Distribution) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("count".into(), json!(d.count));
    map.insert("total".into(), json!(d.total));
    map.insert("mean".into(), json!(d.mean));
    map.insert("median".into(), json!(d.median));
    map.insert("p90".into(), json!(d.p90));
    map.insert("max".into(), json!(d.max));
    map.insert("over".into(), json!(d.over));
    map
}

fn group_json(g: &GroupStats) -> Value {
    let mut functions = Map::new();
    let mut files = Map::new();
    for m in &g.metrics {
        let mut entry = distribution_json(&m.values);
        entry.insert(
            "limit".into(),
            m.limit.map_or(
                Value::Null,
                |(c, t)| json!({"comparison": c.as_str(), "threshold": t}),
            ),
        );
        let target = match m.scope {
            crate::config::Scope::Function => &mut functions,
            crate::config::Scope::File => &mut files,
        };
        target.insert(m.metric.name().into(), Value::Object(entry));
    }
    json!({
        "name": g.name,
        "files": g.files,
        "functions": g.functions,
        "errors": g.errors,
        "function_metrics": functions,
        "file_metrics": files,
    })
}

fn worst_json(w: &WorstFunction) -> Value {
    json!({
        "path": w.path,
        "name": w.name,
        "line": w.line,
        "ratio": w.ratio,
        "metric": w.metric.name(),
        "value": w.value,
        "limit": {"comparison": w.limit.0.as_str(), "threshold": w.limit.1},
    })
}

fn to_json(stats: &Stats) -> Value {
    json!({
        "version": STATS_VERSION,
        "grouping": stats.grouping,
        "overall": group_json(&stats.overall),
        "groups": stats.groups.iter().map(group_json).collect::<Vec<_>>(),
        "top": stats.top.iter().map(worst_json).collect::<Vec<_>>(),
    })
}

/// One row per group, scope and metric; the whole tree is group `.`.
fn csv(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "group,scope,metric,count,total,mean,median,p90,max,over,comparison,threshold"
    )?;
    let cell = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    for g in std::iter::once(&stats.overall).chain(&stats.groups) {
        for m in &g.metrics {
            let d = &m.values;
            let (comparison, threshold) =
                m.limit.map_or((String::new(), String::new()), |(c, t)| {
                    (c.as_str().to_string(), t.to_string())
                });
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                super::csv::quote(&g.name),
                m.scope.as_str(),
                m.metric.name(),
                d.count,
                d.total,
                cell(d.mean),
                cell(d.median),
                cell(d.p90),
                cell(d.max),
                d.over,
                comparison,
                threshold
            )?;
        }
    }
    Ok(())
}
