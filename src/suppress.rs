//! Suppression markers: the comments that exempt a function (or a file)
//! from thresholds.
//!
//! * `# antipasta: ignore` exempts a function from every threshold, and
//!   `# antipasta: ignore[cyclomatic_complexity, cognitive_complexity]` from
//!   the named ones only; either may give its reason after `--`
//!   (`# antipasta: ignore[nesting_depth] -- generated parser table`).
//! * complexipy's `# complexipy: ignore` and `# noqa: complexipy` mean what
//!   the bare marker means, and are looked for where complexipy 8.3.0 looks
//!   for them (so that a complexipy user's markers keep their meaning, quirks
//!   included). antipasta's own markers are also found on the `def` line and
//!   on a comment line of their own right above it (between decorators, or
//!   above an `async def`).
//! * `# antipasta: ignore-file[maintainability_index] -- reason` in the
//!   file's first comment block exempts the file from file-scope thresholds.
//!
//! Input: a file's text and the parser's tokens (which tell real comments
//! from `#` inside strings). Output: the marker as written ([`Suppression`]);
//! what it suppresses is decided when the file is judged
//! ([`crate::exemptions`]). No I/O.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::StmtFunctionDef;
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};

/// A suppression marker as written in the source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Suppression {
    /// Where the marker's comment starts (1-based line and column).
    pub line: u32,
    pub column: u32,
    /// The metric names between `[` and `]`, lowercased, as written (not
    /// yet checked against the known metrics); `None` for a bare marker,
    /// which suppresses every metric.
    pub metrics: Option<Vec<String>>,
    /// The text after `--`, when there is any.
    pub reason: Option<String>,
    /// complexipy's marker rather than antipasta's own.
    pub complexipy: bool,
}

impl Suppression {
    /// A bare marker: every metric.
    pub(crate) fn is_bare(&self) -> bool {
        self.metrics.is_none()
    }
}

/// Which marker a comment carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Complexipy,
    Function,
    File,
}

/// A marker found in a comment.
struct Marker {
    kind: Kind,
    metrics: Option<Vec<String>>,
    reason: Option<String>,
}

/// Whether any comment of the file is a marker of any kind; when none is,
/// no def or file needs to be looked at.
pub(crate) fn has_ignore_markers(source: &str, tokens: &Tokens) -> bool {
    tokens.iter().any(|t| {
        t.kind() == TokenKind::Comment
            && source
                .get(t.start().to_usize()..t.end().to_usize())
                .is_some_and(|c| marker(c).is_some())
    })
}

/// The marker that applies to `def`, if any (see the module docs for where
/// each kind is looked for).
pub(crate) fn function_suppression(
    source: &str,
    tokens: &Tokens,
    def: &StmtFunctionDef,
) -> Option<Suppression> {
    let lines = Lines { source, tokens };
    let found = complexipy_place(&lines, def).or_else(|| {
        // antipasta's own markers also sit on the `def` line, or on a
        // comment line of their own right above it.
        let def_line = lines.start_of_line(def.name.range().start().to_usize());
        let own = |k: Kind| k == Kind::Function;
        lines.marker_on(def_line, false, own).or_else(|| {
            lines
                .previous(def_line)
                .and_then(|above| lines.marker_on(above, true, own))
        })
    })?;
    Some(lines.suppression(found))
}

/// `# antipasta: ignore-file[...]` in the file's first comment block (the
/// comments and blank lines before the first line of code).
pub(crate) fn file_suppression(source: &str, tokens: &Tokens) -> Option<Suppression> {
    let lines = Lines { source, tokens };
    for t in tokens.iter() {
        match t.kind() {
            TokenKind::Comment => {
                let (start, end) = (t.start().to_usize(), t.end().to_usize());
                if let Some(m) = marker(&source[start..end]).filter(|m| m.kind == Kind::File) {
                    return Some(lines.suppression((start, m)));
                }
            }
            TokenKind::NonLogicalNewline | TokenKind::Newline => {}
            _ => return None,
        }
    }
    None
}

/// Where complexipy 8.3.0 would find a marker that makes it skip `def`
/// (`# complexipy: ignore` or `# noqa: complexipy`, any case, flexible
/// spacing); antipasta's own function markers are found in the same places.
///
/// complexipy looks for the marker on a few lines around the function's first
/// line L (its first decorator, or the `def`), as observed:
/// * on L itself;
/// * on the line above L, but only as a comment on a line of its own;
/// * when L starts with `def `: on the signature lines, from L down to the
///   first line whose text contains `:` (at most 20 lines);
/// * when L is a decorator: complexipy walks down at most 10 lines over
///   further decorators and blank lines to a line starting with `def `, then
///   checks that signature as above and the line just above the `def`.
///
/// These are text heuristics, and their quirks are kept: `async def` lines are
/// not recognised as a `def`, a `:` anywhere in a line (in a default, an
/// annotation or a comment) ends the signature, and a comment line between a
/// decorator and its `def` stops the walk.
fn complexipy_place(lines: &Lines<'_>, def: &StmtFunctionDef) -> Option<(usize, Marker)> {
    let any = |k: Kind| k != Kind::File;
    let first = lines.start_of_line(def.range().start().to_usize());
    if let Some(found) = lines.marker_on(first, false, any) {
        return Some(found);
    }
    if let Some(found) = lines
        .previous(first)
        .and_then(|above| lines.marker_on(above, true, any))
    {
        return Some(found);
    }
    let first_text = lines.text(first).trim_start();
    if first_text.starts_with("def ") {
        return lines.signature_marker(first);
    }
    if first_text.starts_with('@') {
        let mut at = first;
        for _ in 0..10 {
            at = lines.next(at)?;
            let text = lines.text(at).trim();
            if text.starts_with("def ") {
                return lines.signature_marker(at).or_else(|| {
                    lines
                        .previous(at)
                        .and_then(|above| lines.marker_on(above, false, any))
                });
            }
            if !text.is_empty() && !text.starts_with('@') {
                return None;
            }
        }
    }
    None
}

/// Lines of the source, addressed by the byte offset where they start.
struct Lines<'s> {
    source: &'s str,
    tokens: &'s Tokens,
}

impl Lines<'_> {
    fn start_of_line(&self, offset: usize) -> usize {
        self.source[..offset].rfind('\n').map_or(0, |i| i + 1)
    }

    fn end_of_line(&self, start: usize) -> usize {
        self.source[start..]
            .find('\n')
            .map_or(self.source.len(), |i| start + i)
    }

    fn text(&self, start: usize) -> &str {
        &self.source[start..self.end_of_line(start)]
    }

    fn next(&self, start: usize) -> Option<usize> {
        let end = self.end_of_line(start);
        (end < self.source.len()).then_some(end + 1)
    }

    fn previous(&self, start: usize) -> Option<usize> {
        (start > 0).then(|| self.start_of_line(start - 1))
    }

    /// From a `def` line down to the first line containing `:`, at most 20 lines.
    fn signature_marker(&self, def_line: usize) -> Option<(usize, Marker)> {
        let mut at = def_line;
        for _ in 0..20 {
            if let Some(found) = self.marker_on(at, false, |k| k != Kind::File) {
                return Some(found);
            }
            if self.text(at).contains(':') {
                return None;
            }
            at = self.next(at)?;
        }
        None
    }

    /// The first real comment on the line carrying a marker of a kind
    /// `wanted` accepts, with where it starts; with `own_line`, only a
    /// comment with nothing but whitespace before it.
    fn marker_on(
        &self,
        start: usize,
        own_line: bool,
        wanted: impl Fn(Kind) -> bool,
    ) -> Option<(usize, Marker)> {
        let end = self.end_of_line(start);
        let from = self
            .tokens
            .partition_point(|t| t.start().to_usize() < start);
        self.tokens[from..]
            .iter()
            .take_while(|t| t.start().to_usize() < end)
            .filter(|t| t.kind() == TokenKind::Comment)
            .find_map(|t| {
                let at = t.start().to_usize();
                if own_line && !self.source[start..at].trim().is_empty() {
                    return None;
                }
                marker(&self.source[at..t.end().to_usize()])
                    .filter(|m| wanted(m.kind))
                    .map(|m| (at, m))
            })
    }

    /// The found marker with its position.
    fn suppression(&self, (at, m): (usize, Marker)) -> Suppression {
        let line_start = self.start_of_line(at);
        let line = self.source[..line_start].matches('\n').count() + 1;
        let column = self.source[line_start..at].chars().count() + 1;
        Suppression {
            line: line as u32,
            column: column as u32,
            metrics: m.metrics,
            reason: m.reason,
            complexipy: m.kind == Kind::Complexipy,
        }
    }
}

/// The marker a comment carries: after any `#` in it, `complexipy : ignore`
/// or `noqa : complexipy` (complexipy's; ASCII case-insensitive, any
/// whitespace around the words and colon, ending at a word boundary:
/// `# todo # complexipy: ignore` counts), or `antipasta : ignore` /
/// `antipasta : ignore-file`, each optionally followed by `[names]` (for
/// antipasta's) and `-- reason`.
fn marker(comment: &str) -> Option<Marker> {
    comment.match_indices('#').find_map(|(i, _)| {
        let rest = &comment[i + 1..];
        for words in [["complexipy", ":", "ignore"], ["noqa", ":", "complexipy"]] {
            if let Some(after) = words_then_boundary(rest, &words) {
                return Some(Marker {
                    kind: Kind::Complexipy,
                    metrics: None,
                    reason: reason(after),
                });
            }
        }
        let after = words_then(rest, &["antipasta", ":"])?;
        let (kind, after) = match words_then_boundary(after, &["ignore-file"]) {
            Some(after) => (Kind::File, after),
            None => (Kind::Function, words_then_boundary(after, &["ignore"])?),
        };
        let (metrics, after) = match after.trim_start().strip_prefix('[') {
            Some(list) => {
                let (names, after) = list.split_once(']').unwrap_or((list, ""));
                let names = names
                    .split(',')
                    .map(|n| n.trim().to_ascii_lowercase())
                    .filter(|n| !n.is_empty())
                    .collect();
                (Some(names), after)
            }
            None => (None, after),
        };
        Some(Marker {
            kind,
            metrics,
            reason: reason(after),
        })
    })
}

/// The reason after `--`, trimmed; `None` when there is none or it is empty.
fn reason(after_marker: &str) -> Option<String> {
    let (_, why) = after_marker.split_once("--")?;
    let why = why.trim();
    (!why.is_empty()).then(|| why.to_owned())
}

/// The text after `words` (each preceded by any whitespace, matched ASCII
/// case-insensitively).
fn words_then<'t>(mut text: &'t str, words: &[&str]) -> Option<&'t str> {
    for word in words {
        text = text.trim_start();
        match text.get(..word.len()) {
            Some(head) if head.eq_ignore_ascii_case(word) => text = &text[word.len()..],
            _ => return None,
        }
    }
    Some(text)
}

/// [`words_then`], when what follows does not continue the last word.
fn words_then_boundary<'t>(text: &'t str, words: &[&str]) -> Option<&'t str> {
    words_then(text, words).filter(|rest| {
        !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;

    fn find_def<'a>(stmts: &'a [Stmt], name: &str) -> Option<&'a StmtFunctionDef> {
        stmts.iter().find_map(|s| match s {
            Stmt::FunctionDef(d) if d.name.as_str() == name => Some(d),
            Stmt::FunctionDef(d) => find_def(&d.body, name),
            Stmt::ClassDef(c) => find_def(&c.body, name),
            _ => None,
        })
    }

    #[test]
    fn ignore_markers_are_found_in_comments_only() {
        let markers = |src: &str| {
            let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
            has_ignore_markers(src, parsed.tokens())
        };
        assert!(markers("def f():  # noqa: complexipy\n    pass\n"));
        assert!(markers("x = 1\n# Complexipy: Ignore\ndef f():\n    pass\n"));
        assert!(!markers("def f():\n    return '# complexipy: ignore'\n"));
        assert!(!markers("def f():  # a comment\n    pass\n"));
    }

    fn ignored(src: &str, name: &str) -> bool {
        let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
        let def = find_def(&parsed.syntax().body, name).expect("def present");
        function_suppression(src, parsed.tokens(), def).is_some()
    }

    fn suppression(src: &str, name: &str) -> Option<Suppression> {
        let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
        let def = find_def(&parsed.syntax().body, name).expect("def present");
        function_suppression(src, parsed.tokens(), def)
    }

    #[test]
    fn antipasta_markers_name_metrics_and_reasons() {
        let s = suppression(
            "def f(a):  # antipasta: ignore[Cyclomatic_Complexity, cognitive_complexity] -- a table\n    pass\n",
            "f",
        )
        .expect("marker found");
        assert_eq!(
            s.metrics.as_deref(),
            Some(
                &[
                    "cyclomatic_complexity".to_string(),
                    "cognitive_complexity".to_string()
                ][..]
            )
        );
        assert_eq!(s.reason.as_deref(), Some("a table"));
        assert_eq!((s.line, s.column, s.complexipy), (1, 12, false));
        let bare = suppression("def f(a):  # antipasta: ignore\n    pass\n", "f").unwrap();
        assert!(bare.is_bare() && bare.reason.is_none());
        let why = suppression("def f(a):  # antipasta: ignore --  why  \n    pass\n", "f").unwrap();
        assert_eq!(why.reason.as_deref(), Some("why"));
        let empty = suppression("def f(a):  # antipasta: ignore[] --\n    pass\n", "f").unwrap();
        assert_eq!(empty.metrics, Some(vec![]));
        assert_eq!(empty.reason, None);
        let cx = suppression("def f(a):  # complexipy: ignore -- legacy\n    pass\n", "f").unwrap();
        assert!(cx.complexipy && cx.is_bare());
        assert_eq!(cx.reason.as_deref(), Some("legacy"));
        // A file marker is not a function marker.
        assert!(suppression("def f(a):  # antipasta: ignore-file\n    pass\n", "f").is_none());
        assert!(suppression("def f(a):  # antipasta: ignored\n    pass\n", "f").is_none());
    }

    #[test]
    fn antipasta_marker_placements() {
        let m = "# antipasta: ignore[nesting_depth] -- r";
        let cases = [
            (format!("def f(a):  {m}"), Some(1)),
            (format!("{m}\ndef f(a):"), Some(1)),
            (format!("{m}\n@d\n@e\ndef f(a):"), Some(1)),
            (format!("@d\n{m}\ndef f(a):"), Some(2)),
            (format!("@d\n@e\ndef f(a):  {m}"), Some(3)),
            (format!("async def f(a):  {m}"), Some(1)),
            (format!("@d\nasync def f(a):  {m}"), Some(2)),
            (format!("@d\n{m}\nasync def f(a):"), Some(2)),
            (format!("{m}\n\ndef f(a):"), None),
            (format!("x = 1  {m}\ndef f(a):"), None),
        ];
        for (head, line) in cases {
            let src = format!("{head}{BODY}");
            assert_eq!(suppression(&src, "f").map(|s| s.line), line, "{head}");
        }
        // Inside the body it is not the function's marker.
        assert!(suppression(&format!("def f(a):\n    {m}\n    pass\n"), "f").is_none());
        // A nested def's own marker is its own.
        let src = format!("def f(a):\n    {m}\n    def g():\n        pass\n");
        assert_eq!(suppression(&src, "g").map(|s| s.line), Some(2));
        assert!(suppression(&src, "f").is_none());
    }

    #[test]
    fn file_markers_sit_in_the_first_comment_block() {
        let file = |src: &str| {
            let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
            file_suppression(src, parsed.tokens())
        };
        let s = file(
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# antipasta: ignore-file[maintainability_index] -- generated\nx = 1\n",
        )
        .expect("found");
        assert_eq!(s.metrics, Some(vec!["maintainability_index".to_string()]));
        assert_eq!(s.reason.as_deref(), Some("generated"));
        assert_eq!((s.line, s.column), (4, 1));
        assert!(file("# antipasta: ignore-file\n").is_some_and(|s| s.is_bare()));
        assert!(file("x = 1\n# antipasta: ignore-file[maintainability_index]\n").is_none());
        assert!(file("\"\"\"doc\"\"\"\n# antipasta: ignore-file\n").is_none());
        assert!(file("# antipasta: ignore\nx = 1\n").is_none());
        assert!(file("x = '# antipasta: ignore-file'\n").is_none());
    }

    const BODY: &str = "\n    if a:\n        pass\n";

    #[test]
    fn ignore_marker_on_first_line_or_line_above() {
        let cases = [
            ("def f(a):  # complexipy: ignore", true),
            ("def f(a):  # noqa: complexipy", true),
            ("def f(a):  # COMPLEXIPY : IGNORE please", true),
            ("def f(a):  #complexipy:ignore", true),
            ("def f(a):  # foo # complexipy: ignore", true),
            ("def f(a):  # complexipy: ignore-this", true),
            ("def f(a):  # noqa: complexipy, E501", true),
            ("# complexipy: ignore\ndef f(a):", true),
            ("# complexipy: ignore\n@d\ndef f(a):", true),
            ("@d  # complexipy: ignore\ndef f(a):", true),
            ("@d\ndef f(a):  # complexipy: ignore", true),
            ("def f(a):  # noqa", false),
            ("def f(a):  # noqa: E501, complexipy", false),
            ("def f(a):  # foo complexipy: ignore", false),
            ("def f(a):  # complexipy: ignored", false),
            ("def f(a):  # complexipy: ignore_", false),
            ("def f(a='# complexipy: ignore'):", false),
            ("# complexipy: ignore\n\ndef f(a):", false),
            ("x = 1  # complexipy: ignore\ndef f(a):", false),
            ("x = '''\n# complexipy: ignore'''\ndef f(a):", false),
        ];
        for (head, expected) in cases {
            assert_eq!(ignored(&format!("{head}{BODY}"), "f"), expected, "{head}");
        }
        let src = "def f(a):\n    # complexipy: ignore\n    if a:\n        pass\n";
        assert!(!ignored(src, "f"));
    }

    #[test]
    fn ignore_marker_in_signature() {
        let cases = [
            ("def f(\n    a,  # complexipy: ignore\n):", true),
            ("def f(\n    # complexipy: ignore\n    a,\n):", true),
            ("def f(\n    a,\n):  # complexipy: ignore", true),
            ("@d\ndef f(\n    a,  # complexipy: ignore\n):", true),
            ("def f(a='#',\n      b=1):  # complexipy: ignore", true),
            // A `:` anywhere ends complexipy's signature scan early.
            ("def f(a: int,\n      b):  # complexipy: ignore", false),
            ("def f(  # note: x\n    a,  # complexipy: ignore\n):", false),
            // `async def` is not recognised by the scan.
            ("async def f(\n    a,  # complexipy: ignore\n):", false),
            ("def f(a='''\n# complexipy: ignore\n'''):", false),
        ];
        for (head, expected) in cases {
            assert_eq!(ignored(&format!("{head}{BODY}"), "f"), expected, "{head}");
        }
    }

    #[test]
    fn ignore_marker_among_decorators() {
        let cases = [
            ("@a\n@b  # complexipy: ignore\ndef f(a):", true),
            ("@a\n\n@b  # complexipy: ignore\ndef f(a):", true),
            ("@a\n@b  # complexipy: ignore\n@c\ndef f(a):", false),
            ("@d\n# complexipy: ignore\ndef f(a):", false),
            ("@d(\n  1,\n)  # complexipy: ignore\ndef f(a):", false),
            ("@a\n@b  # complexipy: ignore\nasync def f(a):", false),
        ];
        for (head, expected) in cases {
            assert_eq!(ignored(&format!("{head}{BODY}"), "f"), expected, "{head}");
        }
    }
}
