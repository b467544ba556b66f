//! Suppression markers: the comments that exempt a function from every
//! threshold.
//!
//! `# antipasta: ignore` (a reason may follow: `# antipasta: ignore --
//! generated table`), and complexipy's `# complexipy: ignore` and
//! `# noqa: complexipy`, looked for where complexipy 8.3.0 looks for its own
//! (so that a complexipy user's markers keep their meaning, quirks
//! included). Input: a file's text and the parser's tokens (which tell real
//! comments from `#` inside strings). No I/O.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::StmtFunctionDef;
use ruff_text_size::Ranged;

/// Whether any comment of the file is an ignore marker; when none is,
/// [`is_ignored`] is false for every def and need not look.
pub(crate) fn has_ignore_markers(source: &str, tokens: &Tokens) -> bool {
    tokens.iter().any(|t| {
        t.kind() == TokenKind::Comment
            && source
                .get(t.start().to_usize()..t.end().to_usize())
                .is_some_and(is_marker)
    })
}

/// Whether complexipy 8.3.0 would skip `def` because of an ignore marker
/// (`# complexipy: ignore` or `# noqa: complexipy`, any case, flexible
/// spacing); antipasta's own `# antipasta: ignore` is accepted in the same
/// places. `tokens` are the parser's tokens for `source`; they tell real
/// comments from `#` inside strings.
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
pub(crate) fn is_ignored(source: &str, tokens: &Tokens, def: &StmtFunctionDef) -> bool {
    let lines = Lines { source, tokens };
    let first = lines.start_of_line(def.range().start().to_usize());
    if lines.has_marker(first, false) {
        return true;
    }
    if let Some(above) = lines.previous(first) {
        if lines.has_marker(above, true) {
            return true;
        }
    }
    let first_text = lines.text(first).trim_start();
    if first_text.starts_with("def ") {
        return lines.signature_has_marker(first);
    }
    if first_text.starts_with('@') {
        let mut at = first;
        for _ in 0..10 {
            let Some(next) = lines.next(at) else {
                return false;
            };
            at = next;
            let text = lines.text(at).trim();
            if text.starts_with("def ") {
                return lines.signature_has_marker(at)
                    || lines
                        .previous(at)
                        .is_some_and(|above| lines.has_marker(above, false));
            }
            if !text.is_empty() && !text.starts_with('@') {
                return false;
            }
        }
    }
    false
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
    fn signature_has_marker(&self, def_line: usize) -> bool {
        let mut at = def_line;
        for _ in 0..20 {
            if self.has_marker(at, false) {
                return true;
            }
            if self.text(at).contains(':') {
                return false;
            }
            match self.next(at) {
                Some(next) => at = next,
                None => return false,
            }
        }
        false
    }

    /// Whether the line holds a real comment carrying a marker; with
    /// `own_line`, only a comment with nothing but whitespace before it.
    fn has_marker(&self, start: usize, own_line: bool) -> bool {
        let end = self.end_of_line(start);
        let from = self
            .tokens
            .partition_point(|t| t.start().to_usize() < start);
        self.tokens[from..]
            .iter()
            .take_while(|t| t.start().to_usize() < end)
            .filter(|t| t.kind() == TokenKind::Comment)
            .any(|t| {
                let at = t.start().to_usize();
                (!own_line || self.source[start..at].trim().is_empty())
                    && is_marker(&self.source[at..t.end().to_usize()])
            })
    }
}

/// `#` then `complexipy : ignore` or `noqa : complexipy` (ASCII case-insensitive,
/// any whitespace around the words and colon) ending at a word boundary,
/// anywhere in the comment: `# todo # complexipy: ignore` counts.
fn is_marker(comment: &str) -> bool {
    comment.match_indices('#').any(|(i, _)| {
        let rest = &comment[i + 1..];
        words_then_boundary(rest, &["complexipy", ":", "ignore"])
            || words_then_boundary(rest, &["noqa", ":", "complexipy"])
            || words_then_boundary(rest, &["antipasta", ":", "ignore"])
    })
}

fn words_then_boundary(mut text: &str, words: &[&str]) -> bool {
    for word in words {
        text = text.trim_start();
        match text.get(..word.len()) {
            Some(head) if head.eq_ignore_ascii_case(word) => text = &text[word.len()..],
            _ => return false,
        }
    }
    !text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
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
        is_ignored(src, parsed.tokens(), def)
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
