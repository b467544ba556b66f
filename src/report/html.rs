//! [`Snapshot`] (and a [`Delta`]) → one self-contained HTML page, or the
//! snapshot's JSON.
//!
//! The page is the skeleton below, the stylesheet `html/report.css`, the
//! data as one JSON script element and the script `html/report.js`, all
//! inline: no network at view time (a Content-Security-Policy forbids any
//! fetch), and it opens from `file://`. The script is plain JavaScript the
//! project owns (treemap layout, virtualised table), no library.

use std::io::{self, Write};

use super::junit::escape;
use crate::snapshot::{Delta, Snapshot};

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// The snapshot as `report --format json` writes it.
pub(crate) fn snapshot_json(snapshot: &Snapshot, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, snapshot)?;
    writeln!(out)
}

/// `1.4 MB`: a file size for the summary line.
pub(crate) fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} bytes"),
    }
}

/// Passes JSON through with `<`, `>` and `&` written as `\u003c`,
/// `\u003e` and `\u0026`, so that nothing a path or a function name holds
/// (`</script>`, `<!--`) can end the `<script>` element early. JSON has
/// these characters only inside strings, where the escapes mean the same.
/// The data element is never run as script, so U+2028 needs nothing.
struct ScriptSafe<'a>(&'a mut dyn Write);

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// The page's data: `{"snapshot": …, "delta": …}`, written straight from
/// the values (a large tree's snapshot is megabytes: no copy of it).
fn write_data(snapshot: &Snapshot, delta: Option<&Delta>, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes token by token: buffer before the escaping, so
    // that it scans and passes on large chunks.
    let mut safe = io::BufWriter::with_capacity(64 << 10, ScriptSafe(out));
    safe.write_all(b"{\"snapshot\":")?;
    serde_json::to_writer(&mut safe, snapshot)?;
    safe.write_all(b",\"delta\":")?;
    serde_json::to_writer(&mut safe, &delta)?;
    safe.write_all(b"}")?;
    safe.flush()
}

pub(crate) fn render(
    snapshot: &Snapshot,
    delta: Option<&Delta>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let title = escape(&format!("antipasta report: {}", snapshot.project));
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p id="summary"></p>
<p id="delta-summary" hidden></p>
</header>
<main>
<section id="map-section">
<h2>Treemap <small>area: source lines · colour: the worst function's value against its limit</small></h2>
<nav id="crumbs" aria-label="treemap path"></nav>
<div id="treemap" role="img" aria-label="treemap"></div>
<div id="legend"></div>
</section>
<section id="delta-section" hidden>
<h2>Since the baseline</h2>
<div id="delta"></div>
</section>
<section id="hotspots-section" hidden>
<h2>Hotspots <small>score: changes ÷ most changes × worst ratio to a limit now</small></h2>
<p id="hotspots-summary"></p>
<div id="hotspots"></div>
</section>
<section id="table-section">
<h2>Functions</h2>
<div class="controls">
<input id="filter" type="search" placeholder="filter by path or name" aria-label="filter">
<label><input id="only-bad" type="checkbox"> violations only</label>
<span id="fn-count"></span>
</div>
<div id="functions" class="vtable"><div id="fn-head" class="row head"></div><div id="fn-scroll"><div id="fn-rows"></div></div></div>
</section>
<section id="dir-section">
<h2>Directories</h2>
<div id="directories"></div>
</section>
</main>
<script id="report-data" type="application/json">"#
    )?;
    write_data(snapshot, delta, out)?;
    write!(
        out,
        "</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_data_cannot_close_its_element() {
        let value = serde_json::json!({"name": "</script><!-- a & b >"});
        let mut out = Vec::new();
        serde_json::to_writer(ScriptSafe(&mut out), &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn titles_are_escaped() {
        // The JUnit writer's escaper: its entities are HTML's too.
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(512), "512 bytes");
        assert_eq!(size_text(2048), "2 KB");
        assert_eq!(size_text(3 << 20), "3.0 MB");
    }
}
