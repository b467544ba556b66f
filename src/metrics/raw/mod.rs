//! Raw line metrics, value-exact with `radon raw` 6.0.1 on CPython 3.11.
//!
//! What it measures: for one file, the total lines (`loc`), logical lines
//! (`lloc`), source lines (`sloc`), comment tokens (`comments`), lines of
//! multi-line strings standing alone (`multi`), blank lines (`blank`) and
//! lines that hold only a comment or only a one-line string
//! (`single_comments`). `lloc` feeds the maintainability index, and the
//! comment counts give its comment percentage.
//!
//! Why it matters: size and comment density are the cheapest signals of how
//! much code a reader has to hold in mind.
//!
//! Example: `def f(a):\n    """Doc.\n\n    More.\n    """\n    # c\n    return a  # t\n`
//! gives loc 7, lloc 3, sloc 2, comments 2, multi 3, blank 1, single_comments 1.
//!
//! How radon counts (and so how this module counts): it never parses. It
//! splits the text like `str.splitlines()`, strips every line like
//! `str.strip()`, and groups consecutive stripped lines into chunks: a chunk
//! is the shortest run of lines that CPython 3.11's pure-Python tokenizer
//! reads without `TokenError` and without an `ERRORTOKEN`. Each chunk is then
//! classified by its tokens (a lone comment, a lone string, or code) and its
//! logical lines are counted from its `:` and `;` tokens.
//!
//! radon finds each chunk by re-tokenizing the growing buffer after every
//! appended line, which is quadratic in the length of one statement (minutes
//! for a 15,000-line dict literal). Here each line is scanned once with the
//! tokenizer state carried over (open brackets, backslash continuation, open
//! string); only the "is the buffer complete if it ends here?" question scans
//! the newest line a second time, because the last line of a buffer is seen
//! without its trailing newline, which changes the outcome (a backslash that
//! ends a line inside a `'...'` string continues the string only when a
//! newline follows it).
//!
//! Quirks reproduced on purpose:
//! * an f-string is one STRING token (3.11), so a format-spec colon never
//!   adds to `lloc`;
//! * any colon that is not the last token of its `;`-part makes the part count
//!   2 (`y = a[1:2]`, `{1: 2}`, `lambda x: x`);
//! * a stray `$`, `?`, `!` or an unterminated `'` string never tokenizes, so
//!   the file fails with "SyntaxError at line: N", N being the chunk's first
//!   line;
//! * form feeds and the other `str.splitlines()` separators start new lines.
//!
//! Config: the metrics `lines_of_code`, `logical_lines_of_code`,
//! `source_lines_of_code`, `comment_lines` and `blank_lines` gate on these
//! values; none has a default limit.

/// Line counts of one file, named as radon names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RawMetrics {
    pub loc: u32,
    pub lloc: u32,
    pub sloc: u32,
    pub comments: u32,
    pub multi: u32,
    pub blank: u32,
    pub single_comments: u32,
}

/// radon's raw pass failed: "SyntaxError at line: N" (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RawError {
    pub line: u32,
}

/// Computes radon's raw metrics of decoded source text (newlines not yet normalised).
///
/// Linear in the length of the text: every line is scanned at most twice.
pub(crate) fn raw_metrics(text: &str) -> Result<RawMetrics, RawError> {
    count(text, true)
}

/// [`raw_metrics`], with the shortcuts for lines of plain tokens on or off
/// (off only in tests, which check that both ways count alike).
fn count(text: &str, shortcuts: bool) -> Result<RawMetrics, RawError> {
    let mut totals = RawMetrics::default();
    let mut lines = PyLines {
        rest: text,
        newlines_only: !has_other_line_breaks(text.as_bytes()),
    }
    .map(trim_py_space);
    // Reused so that appending the newline costs no allocation per line.
    let mut scratch = String::new();
    let mut chunk_start: u32 = 1;
    while let Some(first) = lines.next() {
        if shortcuts && is_simple_statement(first) {
            // What the chunk below would count for it, without tokenizing.
            totals.sloc += 1;
            totals.lloc += 1;
            chunk_start += 1;
            continue;
        }
        let mut chunk = Chunk {
            shortcuts,
            ..Chunk::default()
        };
        let mut line = first;
        let tally = loop {
            if let Some(tally) = chunk.add_line(line, &mut scratch) {
                break tally;
            }
            // An ERRORTOKEN on a line that has its newline stays in every
            // longer buffer, so radon would read to the end and then fail.
            if chunk.scanner.error {
                return Err(RawError { line: chunk_start });
            }
            match lines.next() {
                Some(next) => line = next,
                None => return Err(RawError { line: chunk_start }),
            }
        };
        chunk_start += tally.nonempty_lines + tally.empty_lines;
        tally.add_to(&mut totals);
    }
    totals.loc = totals.sloc + totals.blank + totals.multi + totals.single_comments;
    Ok(totals)
}

/// Whether a stripped line, read at the start of a chunk, is a whole simple
/// statement: names, numbers and operators only, with its brackets closed.
///
/// Such a line (`x = f(a, b) + 1`, `return self.x`, `pass`) is a chunk of
/// its own whose tokens are all `Tok::Other`, so it counts one source line
/// and one logical line. Any byte that could start anything else — a string
/// quote, `#`, `:`, `;`, a backslash, `!`, a stray `$`/`?`, a non-ASCII character —
/// or an unbalanced bracket sends the line to the tokenizer instead. About
/// half of all lines take this path, which is one table lookup per byte.
fn is_simple_statement(line: &str) -> bool {
    plain_bracket_balance(line) == Some(0) && !line.is_empty()
}

/// For a line of names, numbers, operators and brackets only (see
/// [`is_simple_statement`]), its open brackets minus its closing ones;
/// `None` for any other line.
fn plain_bracket_balance(line: &str) -> Option<i64> {
    // Branch-free: an early exit per byte compiled to a jump table that
    // cost more than the scan.
    let (mut opens, mut closes, mut other) = (0i64, 0i64, 0u8);
    for &b in line.as_bytes() {
        let class = SIMPLE_BYTE[usize::from(b)];
        opens += i64::from(class & OPEN);
        closes += i64::from((class & CLOSE) >> 1);
        other |= class & OTHER;
    }
    (other == 0).then_some(opens - closes)
}

/// Classes of [`SIMPLE_BYTE`]: 0 is part of a name, number, operator or the
/// space between them.
const OPEN: u8 = 1;
const CLOSE: u8 = 2;
/// Anything the fast path does not handle.
const OTHER: u8 = 4;

const SIMPLE_BYTE: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = 0;
        }
        b += 1;
    }
    let plain = b"_ \t\x0c+-*/%&|^~<>=.,@";
    let mut i = 0;
    while i < plain.len() {
        table[plain[i] as usize] = 0;
        i += 1;
    }
    table[b'(' as usize] = OPEN;
    table[b'[' as usize] = OPEN;
    table[b'{' as usize] = OPEN;
    table[b')' as usize] = CLOSE;
    table[b']' as usize] = CLOSE;
    table[b'}' as usize] = CLOSE;
    table
};

mod lines;
mod tables;
mod tokenizer;

use lines::*;
use tables::*;
use tokenizer::*;

/// The token kinds the raw metrics tell apart. NAME, NUMBER and every OP other
/// than `:` and `;` play the same role, so they share `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Comment,
    Nl,
    Newline,
    Str,
    Colon,
    Semicolon,
    Other,
    EndMarker,
}

/// One chunk in progress: the tokenizer state after its lines so far (each
/// with its newline) and the running counts of the tokens they produced.
#[derive(Clone, Copy, Debug, Default)]
struct Chunk {
    scanner: Scanner,
    tally: Tally,
    /// Whether lines of plain tokens may skip the tokenizer.
    shortcuts: bool,
}

impl Chunk {
    /// The bracket balance of a non-empty line of names, numbers, operators
    /// and brackets only, read inside the chunk's open brackets, when the
    /// tally can take its tokens without counting them (see
    /// [`Tally::plain_tokens`]); `None` when the line needs the tokenizer.
    /// Multi-line calls and literals are most of what reaches here.
    fn plain_line_in_brackets(&self, line: &str) -> Option<i64> {
        let scanner = &self.scanner;
        let inside = scanner.depth > 0
            && !scanner.backslash
            && scanner.open_string.is_none()
            && !scanner.error;
        if !self.shortcuts || !inside || line.is_empty() || !self.tally.takes_plain_tokens() {
            return None;
        }
        plain_bracket_balance(line)
    }

    /// Adds `line` to the chunk. Returns the chunk's final tally when the
    /// buffer ending with `line` (without its newline) tokenizes cleanly, so
    /// the chunk ends there; otherwise the chunk has taken the line in as a
    /// non-final line (followed by a newline).
    ///
    /// A non-empty line is scanned once, with its newline: a stripped line's
    /// tokens do not depend on the newline after it, only the last token
    /// does (NEWLINE or NL, which add nothing to a tally whose first token is
    /// known; and a stripped non-empty line always yields a token or leaves
    /// the buffer unclean). Whatever a trailing newline changes — a backslash
    /// continuation, a `'...'` string carried over by a backslash — leaves the
    /// buffer unclean with or without it.
    fn add_line(&mut self, line: &str, scratch: &mut String) -> Option<Tally> {
        if line.is_empty() {
            // An empty last line is indistinguishable from end of input.
            if self.scanner.clean_end() {
                let mut tally = self.tally;
                tally.count_line(line);
                tally.token(Tok::EndMarker, 0, 0);
                return Some(tally);
            }
        }
        self.tally.count_line(line);
        if let Some(balance) = self.plain_line_in_brackets(line) {
            // What the tokenizer would do with it: a row of `Tok::Other`
            // and an NL or NEWLINE, which add nothing to the tally.
            self.scanner.row += 1;
            self.scanner.depth += balance;
            self.tally.plain_tokens();
        } else {
            scratch.clear();
            scratch.push_str(line);
            scratch.push('\n');
            self.scanner.feed(scratch, &mut self.tally);
        }
        if line.is_empty() || !self.scanner.clean_end() {
            return None;
        }
        let mut tally = self.tally;
        tally.token(Tok::EndMarker, 0, 0);
        Some(tally)
    }
}

/// Running counts over a chunk's tokens and lines.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    nonempty_lines: u32,
    empty_lines: u32,
    comments: u32,
    /// Kind, start row and end row of the chunk's first token.
    first: Option<(Tok, u32, u32)>,
    /// Whether every token after the first is NL, NEWLINE or ENDMARKER.
    first_stands_alone: bool,
    /// Logical lines of the `;`-parts already closed.
    lloc: u32,
    /// Tokens of the open `;`-part, comments and newlines left out.
    part_len: u32,
    /// Index of the part's last `:` token.
    part_colon: Option<u32>,
}

impl Tally {
    fn count_line(&mut self, line: &str) {
        if line.is_empty() {
            self.empty_lines += 1;
        } else {
            self.nonempty_lines += 1;
        }
    }

    fn token(&mut self, kind: Tok, start_row: u32, end_row: u32) {
        match self.first {
            None => {
                self.first = Some((kind, start_row, end_row));
                self.first_stands_alone = true;
            }
            Some(_) => {
                if !matches!(kind, Tok::Nl | Tok::Newline | Tok::EndMarker) {
                    self.first_stands_alone = false;
                }
            }
        }
        match kind {
            Tok::Comment => self.comments += 1,
            Tok::Nl | Tok::Newline => {}
            Tok::Semicolon => {
                self.lloc += part_lloc(self.part_len, self.part_colon, false);
                self.part_len = 0;
                self.part_colon = None;
            }
            Tok::Colon => {
                self.part_colon = Some(self.part_len);
                self.part_len += 1;
            }
            Tok::Str | Tok::Other => self.part_len += 1,
            Tok::EndMarker => {
                self.part_len += 1;
                self.lloc += part_lloc(self.part_len, self.part_colon, true);
            }
        }
    }

    /// Whether [`Tally::plain_tokens`] may stand for one or more plain tokens
    /// of unknown number: the chunk has a first token already, and either the
    /// open part has no colon (only whether it has tokens matters) or at least
    /// one token follows its last colon (then one more or many more give the
    /// same [`part_lloc`]: two or more tokens after it either way).
    fn takes_plain_tokens(&self) -> bool {
        self.first.is_some()
            && match self.part_colon {
                None => true,
                Some(at) => self.part_len >= at + 2,
            }
    }

    /// One or more `Tok::Other` tokens, counted as two.
    fn plain_tokens(&mut self) {
        self.first_stands_alone = false;
        self.part_len += 2;
    }

    fn add_to(&self, totals: &mut RawMetrics) {
        totals.comments += self.comments;
        totals.lloc += self.lloc;
        match self.first {
            Some((Tok::Comment, _, _)) if self.first_stands_alone => totals.single_comments += 1,
            Some((Tok::Str, start, end)) if self.first_stands_alone => {
                if start == end {
                    totals.single_comments += 1;
                } else {
                    totals.multi += self.nonempty_lines;
                    totals.blank += self.empty_lines;
                }
            }
            _ => {
                totals.sloc += self.nonempty_lines;
                totals.blank += self.empty_lines;
            }
        }
    }
}

/// Logical lines of one `;`-part of `len` tokens: a part whose last colon is
/// its second-to-last token is one line (`if x:` + ENDMARKER, or `else: pass`
/// before a `;`), any other colon means a compound statement with its body on
/// the same line (or a slice, dict, lambda...) and counts two.
fn part_lloc(len: u32, last_colon: Option<u32>, has_end_marker: bool) -> u32 {
    match last_colon {
        Some(at) => {
            if at + 2 == len {
                1
            } else {
                2
            }
        }
        None => u32::from(len > u32::from(has_end_marker)),
    }
}

#[cfg(test)]
mod tests;
