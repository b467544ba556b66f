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

/// Python's `str.splitlines()` without keepends. `\r\n` is one separator, so
/// un-normalised text splits exactly like text read with universal newlines.
struct PyLines<'a> {
    rest: &'a str,
    /// `\n` is the only separator in the text, so `memchr` finds them all.
    newlines_only: bool,
}

impl<'a> Iterator for PyLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = self.rest;
        let bytes = rest.as_bytes();
        if self.newlines_only {
            return Some(match memchr::memchr(b'\n', bytes) {
                Some(at) => {
                    self.rest = &rest[at + 1..];
                    &rest[..at]
                }
                None => {
                    self.rest = "";
                    rest
                }
            });
        }
        // Byte-wise: every separator starts with a byte that can only be the
        // first byte of a character (UTF-8 continuation bytes are 0x80..0xBF),
        // so a hit is always at a character boundary.
        for (at, &b) in bytes.iter().enumerate() {
            if !MAY_START_BREAK[usize::from(b)] {
                continue;
            }
            let len = match b {
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => 2,
                // U+0085
                0xC2 if bytes.get(at + 1) == Some(&0x85) => 2,
                // U+2028, U+2029
                0xE2 if bytes.get(at + 1) == Some(&0x80)
                    && matches!(bytes.get(at + 2), Some(0xA8 | 0xA9)) =>
                {
                    3
                }
                0xC2 | 0xE2 => continue,
                _ => 1,
            };
            self.rest = &rest[at + len..];
            return Some(&rest[..at]);
        }
        self.rest = "";
        Some(rest)
    }
}

/// Whether `text` may hold a line separator other than `\n` (`\r`, a form
/// feed, U+2028, ...): any control byte but `\n` and `\t`, or a lead byte of
/// U+0085/U+2028/U+2029. Branch-free per block, so it vectorizes; most
/// files have none and are then split with `memchr`.
fn has_other_line_breaks(text: &[u8]) -> bool {
    text.chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0xC2) | (b == 0xE2)
        })
    })
}

/// First bytes of the UTF-8 encodings of the characters [`is_line_break`]
/// accepts (0xC2 and 0xE2 also start other characters).
const MAY_START_BREAK: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 128 {
        table[i] = is_line_break(i as u8 as char);
        i += 1;
    }
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

const fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.strip()`: ASCII ends are trimmed byte-wise, and only a
/// line that starts or ends with another character takes the `char` path.
fn trim_py_space(line: &str) -> &str {
    let is_space = |b: u8| matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ');
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() && is_space(bytes[start]) {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    if bytes.get(start).is_some_and(|&b| !b.is_ascii())
        || (end > start && !bytes[end - 1].is_ascii())
    {
        return line.trim_matches(is_py_space);
    }
    &line[start..end]
}

/// Python's `str.isspace()`: Rust's `char::is_whitespace` plus the four
/// information separators \x1c..\x1f.
fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

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

/// An unterminated string carried to the next line.
#[derive(Clone, Copy, Debug)]
struct OpenString {
    quote: u8,
    triple: bool,
    start_row: u32,
}

/// The state CPython 3.11's pure-Python tokenizer keeps between lines, for
/// stripped lines (which never indent).
#[derive(Clone, Copy, Debug, Default)]
struct Scanner {
    row: u32,
    /// Bracket depth; a stray closer makes it negative, as in CPython.
    depth: i64,
    backslash: bool,
    open_string: Option<OpenString>,
    /// An ERRORTOKEN was produced.
    error: bool,
}

/// What a string opening at a token start turns into on its line.
enum StringStart {
    /// A whole STRING token ending here.
    Token(usize),
    /// The string runs on into the next line.
    Continues,
    /// No string token matches (an unterminated `'...`).
    NotAString,
}

/// How a `'`/`"` string body scanned on one line ends.
enum QuotedEnd {
    Closed(usize),
    BackslashNewline,
    Open,
}

impl Scanner {
    /// Whether end of input right now is clean: no TokenError, no ERRORTOKEN.
    fn clean_end(&self) -> bool {
        !self.error && self.open_string.is_none() && self.depth == 0 && !self.backslash
    }

    /// Tokenizes one line (it ends with `\n` unless it is the buffer's last).
    fn feed(&mut self, line: &str, tally: &mut Tally) {
        let s = line.as_bytes();
        self.row += 1;
        let row = self.row;
        let mut pos = 0;
        if let Some(open) = self.open_string {
            let end = if open.triple {
                triple_end(s, 0, open.quote)
            } else {
                match quoted_end(s, 0, open.quote) {
                    QuotedEnd::Closed(end) => Some(end),
                    QuotedEnd::BackslashNewline | QuotedEnd::Open => None,
                }
            };
            let Some(end) = end else {
                // A '...' string continues only over a backslash-newline.
                if !open.triple && !s.ends_with(b"\\\n") {
                    self.error = true;
                }
                return;
            };
            tally.token(Tok::Str, open.start_row, row);
            self.open_string = None;
            pos = end;
        } else if self.depth == 0 && !self.backslash {
            // A new statement: comment-only and empty lines skip the scanner.
            match s.first() {
                Some(b'#') => {
                    tally.token(Tok::Comment, row, row);
                    tally.token(Tok::Nl, row, row);
                    return;
                }
                Some(b'\n') => {
                    tally.token(Tok::Nl, row, row);
                    return;
                }
                _ => {}
            }
        } else {
            self.backslash = false;
        }
        while pos < s.len() {
            match self.next_token(line, pos, tally) {
                Some(next) => pos = next,
                None => return,
            }
        }
    }

    /// Scans the whitespace and the one token at `pos`, in the order of the
    /// tokenizer's alternation. Returns where scanning goes on, or `None` when
    /// the rest of the line is an open string or an ERRORTOKEN stopped it.
    fn next_token(&mut self, line: &str, pos: usize, tally: &mut Tally) -> Option<usize> {
        let s = line.as_bytes();
        let row = self.row;
        let start = pos
            + s[pos..]
                .iter()
                .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\x0c'))
                .count();
        match s.get(start) {
            // End of the buffer (`\Z`): an empty match.
            None => return Some(start),
            Some(b'\\') if s.get(start + 1) == Some(&b'\n') => {
                self.backslash = true;
                return Some(start + 2);
            }
            Some(b'#') => {
                tally.token(Tok::Comment, row, row);
                return Some(s.len() - usize::from(s.ends_with(b"\n")));
            }
            Some(b'\n') => {
                let kind = if self.depth > 0 {
                    Tok::Nl
                } else {
                    Tok::Newline
                };
                tally.token(kind, row, row);
                return Some(start + 1);
            }
            _ => {}
        }
        if let Some(quote_at) = string_quote_at(s, start) {
            let quote = s[quote_at];
            let triple = s[quote_at..].starts_with(&[quote; 3]);
            let scan = if triple {
                triple_end(s, quote_at + 3, quote)
                    .map_or(StringStart::Continues, StringStart::Token)
            } else {
                match quoted_end(s, quote_at + 1, quote) {
                    QuotedEnd::Closed(end) => StringStart::Token(end),
                    QuotedEnd::BackslashNewline => StringStart::Continues,
                    // Not a string token: the prefix letters are a name.
                    QuotedEnd::Open => StringStart::NotAString,
                }
            };
            match scan {
                StringStart::Token(end) => {
                    tally.token(Tok::Str, row, row);
                    return Some(end);
                }
                StringStart::Continues => {
                    self.open_string = Some(OpenString {
                        quote,
                        triple,
                        start_row: row,
                    });
                    return None;
                }
                StringStart::NotAString => {}
            }
        }
        if let Some(end) = number_end(s, start) {
            tally.token(Tok::Other, row, row);
            return Some(end);
        }
        if let Some(len) = operator_len(&s[start..]) {
            let kind = match s[start] {
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    Tok::Other
                }
                b')' | b']' | b'}' => {
                    self.depth -= 1;
                    Tok::Other
                }
                b':' if len == 1 => Tok::Colon,
                b';' => Tok::Semicolon,
                _ => Tok::Other,
            };
            tally.token(kind, row, row);
            return Some(start + len);
        }
        let end = word_end(line, start);
        if end == start {
            self.error = true;
            return None;
        }
        tally.token(Tok::Other, row, row);
        Some(end)
    }
}

/// Position of the opening quote if a valid string prefix (`rb`, `F`, `u`...,
/// or none) starts at `start` and is directly followed by a quote.
fn string_quote_at(s: &[u8], start: usize) -> Option<usize> {
    let letters = s[start..]
        .iter()
        .take(2)
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let quote_at = start + letters;
    if !matches!(s.get(quote_at), Some(b'\'' | b'"')) {
        return None;
    }
    let mut prefix = [0u8; 2];
    for (slot, b) in prefix.iter_mut().zip(&s[start..quote_at]) {
        *slot = b.to_ascii_lowercase();
    }
    let valid = match &prefix[..letters] {
        [] | [b'b' | b'r' | b'u' | b'f'] => true,
        [a, b] => matches!(
            (a, b),
            (b'b', b'r') | (b'r', b'b') | (b'f', b'r') | (b'r', b'f')
        ),
        _ => false,
    };
    valid.then_some(quote_at)
}

/// End (exclusive) of the first unescaped closing triple quote at or after
/// `from`. A backslash escapes any character but a newline; before a newline
/// (or at the end) it stops the match, as `\\.` does in the tokenizer regex.
fn triple_end(s: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    // Docstring lines are most of what this scans: jump between the only
    // two bytes that matter.
    while let Some(found) = memchr::memchr2(quote, b'\\', s.get(i..)?) {
        i += found;
        if s[i] == b'\\' {
            match s.get(i + 1) {
                Some(&next) if next != b'\n' => i += 2,
                _ => return None,
            }
        } else if s[i..].starts_with(&[quote; 3]) {
            return Some(i + 3);
        } else {
            i += 1;
        }
    }
    None
}

/// Scans a `'`/`"` string body from `from` on one line.
fn quoted_end(s: &[u8], from: usize, quote: u8) -> QuotedEnd {
    let mut i = from;
    while let Some(found) = s
        .get(i..)
        .and_then(|rest| memchr::memchr3(quote, b'\n', b'\\', rest))
    {
        i += found;
        match s[i] {
            b if b == quote => return QuotedEnd::Closed(i + 1),
            b'\n' => return QuotedEnd::Open,
            b'\\' => match s.get(i + 1) {
                Some(b'\n') => return QuotedEnd::BackslashNewline,
                Some(_) => i += 2,
                None => return QuotedEnd::Open,
            },
            _ => i += 1,
        }
    }
    QuotedEnd::Open
}

/// The tokenizer's exact-token operators (3.11), longest first within a
/// shared prefix, which is what its reverse-sorted alternation amounts to:
/// `>>=`, `<<=`, `**=`, `//=`, `...`; `|=`, `^=`, `@=`, `>>`, `>=`, `==`,
/// `<=`, `<<`, `:=`, `/=`, `//`, `->`, `-=`, `+=`, `*=`, `**`, `&=`, `%=`,
/// `!=`; and the single characters `~}|{^][@>=<;:/.-,+*)(&%`.
fn operator_len(s: &[u8]) -> Option<usize> {
    let second = s.get(1).copied();
    let third = s.get(2).copied();
    // A doubled character (`>>`, `**`, `//`), then maybe `=`.
    let doubled = |c: u8| match (second, third) {
        (Some(x), Some(b'=')) if x == c => 3,
        (Some(x), _) if x == c => 2,
        (Some(b'='), _) => 2,
        _ => 1,
    };
    let with_eq = || if second == Some(b'=') { 2 } else { 1 };
    Some(match *s.first()? {
        c @ (b'>' | b'<' | b'*' | b'/') => doubled(c),
        b'.' if second == Some(b'.') && third == Some(b'.') => 3,
        b'-' if second == Some(b'>') => 2,
        b'|' | b'^' | b'@' | b'=' | b':' | b'-' | b'+' | b'&' | b'%' => with_eq(),
        b'!' if second == Some(b'=') => 2,
        b'~' | b'}' | b'{' | b']' | b'[' | b';' | b'.' | b',' | b')' | b'(' => 1,
        _ => return None,
    })
}

fn digit_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// `[0-9](?:_?[0-9])*` with a caller-chosen digit class.
fn digits_end(s: &[u8], i: usize, is_digit: impl Fn(u8) -> bool) -> Option<usize> {
    let ok = |j: usize| s.get(j).is_some_and(|&b| is_digit(b));
    if !ok(i) {
        return None;
    }
    let mut j = i + 1;
    loop {
        if ok(j) {
            j += 1;
        } else if s.get(j) == Some(&b'_') && ok(j + 1) {
            j += 2;
        } else {
            return Some(j);
        }
    }
}

fn decimal_end(s: &[u8], i: usize) -> Option<usize> {
    digits_end(s, i, |b| b.is_ascii_digit())
}

/// `[eE][-+]?[0-9](?:_?[0-9])*`
fn exponent_end(s: &[u8], i: usize) -> Option<usize> {
    if !matches!(s.get(i), Some(b'e' | b'E')) {
        return None;
    }
    let j = if matches!(s.get(i + 1), Some(b'-' | b'+')) {
        i + 2
    } else {
        i + 1
    };
    decimal_end(s, j)
}

/// Pointfloat: `digits.digits?` or `.digits`, then an optional exponent.
fn pointfloat_end(s: &[u8], i: usize) -> Option<usize> {
    let mantissa = match decimal_end(s, i) {
        Some(j) if s.get(j) == Some(&b'.') => Some(decimal_end(s, j + 1).unwrap_or(j + 1)),
        _ if s.get(i) == Some(&b'.') => decimal_end(s, i + 1),
        _ => None,
    }?;
    Some(exponent_end(s, mantissa).unwrap_or(mantissa))
}

fn float_end(s: &[u8], i: usize) -> Option<usize> {
    pointfloat_end(s, i).or_else(|| decimal_end(s, i).and_then(|j| exponent_end(s, j)))
}

/// End of the NUMBER the tokenizer's regex matches at `i`: imaginary, then
/// float, then integer, taking the first alternative that matches (which is
/// not always the longest: `0777` is `0` then `777`).
fn number_end(s: &[u8], i: usize) -> Option<usize> {
    if !(digit_at(s, i) || (s.get(i) == Some(&b'.') && digit_at(s, i + 1))) {
        return None;
    }
    let imaginary = |end: usize| matches!(s.get(end), Some(b'j' | b'J')).then_some(end + 1);
    if let Some(end) = decimal_end(s, i).and_then(imaginary) {
        return Some(end);
    }
    if let Some(end) = pointfloat_end(s, i).and_then(imaginary) {
        return Some(end);
    }
    if let Some(end) = decimal_end(s, i)
        .and_then(|j| exponent_end(s, j))
        .and_then(imaginary)
    {
        return Some(end);
    }
    if let Some(end) = float_end(s, i) {
        return Some(end);
    }
    if s[i] == b'0' {
        let radix: Option<fn(u8) -> bool> = match s.get(i + 1) {
            Some(b'x' | b'X') => Some(|b| b.is_ascii_hexdigit()),
            Some(b'b' | b'B') => Some(|b| matches!(b, b'0' | b'1')),
            Some(b'o' | b'O') => Some(|b| matches!(b, b'0'..=b'7')),
            _ => None,
        };
        // `0[xX](?:_?[0-9a-fA-F])+`: the first digit may follow an underscore.
        if let Some(is_digit) = radix {
            let first = if s.get(i + 2) == Some(&b'_') {
                i + 3
            } else {
                i + 2
            };
            if let Some(end) = digits_end(s, first, is_digit) {
                return Some(end);
            }
        }
        return digits_end(s, i, |b| b == b'0');
    }
    decimal_end(s, i)
}

/// End of the `\w+` run at `start` (Python 3.11 `re` semantics: `_` and every
/// character for which `str.isalnum()` holds).
fn word_end(line: &str, start: usize) -> usize {
    // Token starts are character boundaries: every scan before them stops
    // only at ASCII bytes or after whole characters.
    let Some(rest) = line.get(start..) else {
        return start;
    };
    let ascii = rest
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_')
        .count();
    // Only a non-ASCII character can continue the run past an ASCII stop.
    let more = match rest.as_bytes().get(ascii) {
        Some(b) if !b.is_ascii() => rest[ascii..]
            .chars()
            .take_while(|&c| is_word_char(c))
            .map(char::len_utf8)
            .sum::<usize>(),
        _ => 0,
    };
    start + ascii + more
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let cp = u32::from(c);
    WORD_RANGES
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Non-ASCII code points matched by `\w` in CPython 3.11's `re` (Unicode 14.0),
/// generated from the interpreter itself. Differs from Rust's
/// `char::is_alphanumeric`: no combining marks, other Unicode version.
#[rustfmt::skip]
const WORD_RANGES: &[(u32, u32)] = &[
    (0xAA, 0xAA), (0xB2, 0xB3), (0xB5, 0xB5), (0xB9, 0xBA), (0xBC, 0xBE), (0xC0, 0xD6),
    (0xD8, 0xF6), (0xF8, 0x2C1), (0x2C6, 0x2D1), (0x2E0, 0x2E4), (0x2EC, 0x2EC), (0x2EE, 0x2EE),
    (0x370, 0x374), (0x376, 0x377), (0x37A, 0x37D), (0x37F, 0x37F), (0x386, 0x386), (0x388, 0x38A),
    (0x38C, 0x38C), (0x38E, 0x3A1), (0x3A3, 0x3F5), (0x3F7, 0x481), (0x48A, 0x52F), (0x531, 0x556),
    (0x559, 0x559), (0x560, 0x588), (0x5D0, 0x5EA), (0x5EF, 0x5F2), (0x620, 0x64A), (0x660, 0x669),
    (0x66E, 0x66F), (0x671, 0x6D3), (0x6D5, 0x6D5), (0x6E5, 0x6E6), (0x6EE, 0x6FC), (0x6FF, 0x6FF),
    (0x710, 0x710), (0x712, 0x72F), (0x74D, 0x7A5), (0x7B1, 0x7B1), (0x7C0, 0x7EA), (0x7F4, 0x7F5),
    (0x7FA, 0x7FA), (0x800, 0x815), (0x81A, 0x81A), (0x824, 0x824), (0x828, 0x828), (0x840, 0x858),
    (0x860, 0x86A), (0x870, 0x887), (0x889, 0x88E), (0x8A0, 0x8C9), (0x904, 0x939), (0x93D, 0x93D),
    (0x950, 0x950), (0x958, 0x961), (0x966, 0x96F), (0x971, 0x980), (0x985, 0x98C), (0x98F, 0x990),
    (0x993, 0x9A8), (0x9AA, 0x9B0), (0x9B2, 0x9B2), (0x9B6, 0x9B9), (0x9BD, 0x9BD), (0x9CE, 0x9CE),
    (0x9DC, 0x9DD), (0x9DF, 0x9E1), (0x9E6, 0x9F1), (0x9F4, 0x9F9), (0x9FC, 0x9FC), (0xA05, 0xA0A),
    (0xA0F, 0xA10), (0xA13, 0xA28), (0xA2A, 0xA30), (0xA32, 0xA33), (0xA35, 0xA36), (0xA38, 0xA39),
    (0xA59, 0xA5C), (0xA5E, 0xA5E), (0xA66, 0xA6F), (0xA72, 0xA74), (0xA85, 0xA8D), (0xA8F, 0xA91),
    (0xA93, 0xAA8), (0xAAA, 0xAB0), (0xAB2, 0xAB3), (0xAB5, 0xAB9), (0xABD, 0xABD), (0xAD0, 0xAD0),
    (0xAE0, 0xAE1), (0xAE6, 0xAEF), (0xAF9, 0xAF9), (0xB05, 0xB0C), (0xB0F, 0xB10), (0xB13, 0xB28),
    (0xB2A, 0xB30), (0xB32, 0xB33), (0xB35, 0xB39), (0xB3D, 0xB3D), (0xB5C, 0xB5D), (0xB5F, 0xB61),
    (0xB66, 0xB6F), (0xB71, 0xB77), (0xB83, 0xB83), (0xB85, 0xB8A), (0xB8E, 0xB90), (0xB92, 0xB95),
    (0xB99, 0xB9A), (0xB9C, 0xB9C), (0xB9E, 0xB9F), (0xBA3, 0xBA4), (0xBA8, 0xBAA), (0xBAE, 0xBB9),
    (0xBD0, 0xBD0), (0xBE6, 0xBF2), (0xC05, 0xC0C), (0xC0E, 0xC10), (0xC12, 0xC28), (0xC2A, 0xC39),
    (0xC3D, 0xC3D), (0xC58, 0xC5A), (0xC5D, 0xC5D), (0xC60, 0xC61), (0xC66, 0xC6F), (0xC78, 0xC7E),
    (0xC80, 0xC80), (0xC85, 0xC8C), (0xC8E, 0xC90), (0xC92, 0xCA8), (0xCAA, 0xCB3), (0xCB5, 0xCB9),
    (0xCBD, 0xCBD), (0xCDD, 0xCDE), (0xCE0, 0xCE1), (0xCE6, 0xCEF), (0xCF1, 0xCF2), (0xD04, 0xD0C),
    (0xD0E, 0xD10), (0xD12, 0xD3A), (0xD3D, 0xD3D), (0xD4E, 0xD4E), (0xD54, 0xD56), (0xD58, 0xD61),
    (0xD66, 0xD78), (0xD7A, 0xD7F), (0xD85, 0xD96), (0xD9A, 0xDB1), (0xDB3, 0xDBB), (0xDBD, 0xDBD),
    (0xDC0, 0xDC6), (0xDE6, 0xDEF), (0xE01, 0xE30), (0xE32, 0xE33), (0xE40, 0xE46), (0xE50, 0xE59),
    (0xE81, 0xE82), (0xE84, 0xE84), (0xE86, 0xE8A), (0xE8C, 0xEA3), (0xEA5, 0xEA5), (0xEA7, 0xEB0),
    (0xEB2, 0xEB3), (0xEBD, 0xEBD), (0xEC0, 0xEC4), (0xEC6, 0xEC6), (0xED0, 0xED9), (0xEDC, 0xEDF),
    (0xF00, 0xF00), (0xF20, 0xF33), (0xF40, 0xF47), (0xF49, 0xF6C), (0xF88, 0xF8C),
    (0x1000, 0x102A), (0x103F, 0x1049), (0x1050, 0x1055), (0x105A, 0x105D), (0x1061, 0x1061),
    (0x1065, 0x1066), (0x106E, 0x1070), (0x1075, 0x1081), (0x108E, 0x108E), (0x1090, 0x1099),
    (0x10A0, 0x10C5), (0x10C7, 0x10C7), (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x1248),
    (0x124A, 0x124D), (0x1250, 0x1256), (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1288),
    (0x128A, 0x128D), (0x1290, 0x12B0), (0x12B2, 0x12B5), (0x12B8, 0x12BE), (0x12C0, 0x12C0),
    (0x12C2, 0x12C5), (0x12C8, 0x12D6), (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A),
    (0x1369, 0x137C), (0x1380, 0x138F), (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1401, 0x166C),
    (0x166F, 0x167F), (0x1681, 0x169A), (0x16A0, 0x16EA), (0x16EE, 0x16F8), (0x1700, 0x1711),
    (0x171F, 0x1731), (0x1740, 0x1751), (0x1760, 0x176C), (0x176E, 0x1770), (0x1780, 0x17B3),
    (0x17D7, 0x17D7), (0x17DC, 0x17DC), (0x17E0, 0x17E9), (0x17F0, 0x17F9), (0x1810, 0x1819),
    (0x1820, 0x1878), (0x1880, 0x1884), (0x1887, 0x18A8), (0x18AA, 0x18AA), (0x18B0, 0x18F5),
    (0x1900, 0x191E), (0x1946, 0x196D), (0x1970, 0x1974), (0x1980, 0x19AB), (0x19B0, 0x19C9),
    (0x19D0, 0x19DA), (0x1A00, 0x1A16), (0x1A20, 0x1A54), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1AA7, 0x1AA7), (0x1B05, 0x1B33), (0x1B45, 0x1B4C), (0x1B50, 0x1B59), (0x1B83, 0x1BA0),
    (0x1BAE, 0x1BE5), (0x1C00, 0x1C23), (0x1C40, 0x1C49), (0x1C4D, 0x1C7D), (0x1C80, 0x1C88),
    (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF), (0x1CE9, 0x1CEC), (0x1CEE, 0x1CF3), (0x1CF5, 0x1CF6),
    (0x1CFA, 0x1CFA), (0x1D00, 0x1DBF), (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4),
    (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4),
    (0x1FF6, 0x1FFC), (0x2070, 0x2071), (0x2074, 0x2079), (0x207F, 0x2089), (0x2090, 0x209C),
    (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D),
    (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2139),
    (0x213C, 0x213F), (0x2145, 0x2149), (0x214E, 0x214E), (0x2150, 0x2189), (0x2460, 0x249B),
    (0x24EA, 0x24FF), (0x2776, 0x2793), (0x2C00, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3),
    (0x2CFD, 0x2CFD), (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D), (0x2D30, 0x2D67),
    (0x2D6F, 0x2D6F), (0x2D80, 0x2D96), (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE), (0x2DB0, 0x2DB6),
    (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE), (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE),
    (0x2E2F, 0x2E2F), (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x3038, 0x303C),
    (0x3041, 0x3096), (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x3105, 0x312F),
    (0x3131, 0x318E), (0x3192, 0x3195), (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3220, 0x3229),
    (0x3248, 0x324F), (0x3251, 0x325F), (0x3280, 0x3289), (0x32B1, 0x32BF), (0x3400, 0x4DBF),
    (0x4E00, 0xA48C), (0xA4D0, 0xA4FD), (0xA500, 0xA60C), (0xA610, 0xA62B), (0xA640, 0xA66E),
    (0xA67F, 0xA69D), (0xA6A0, 0xA6EF), (0xA717, 0xA71F), (0xA722, 0xA788), (0xA78B, 0xA7CA),
    (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9), (0xA7F2, 0xA801), (0xA803, 0xA805),
    (0xA807, 0xA80A), (0xA80C, 0xA822), (0xA830, 0xA835), (0xA840, 0xA873), (0xA882, 0xA8B3),
    (0xA8D0, 0xA8D9), (0xA8F2, 0xA8F7), (0xA8FB, 0xA8FB), (0xA8FD, 0xA8FE), (0xA900, 0xA925),
    (0xA930, 0xA946), (0xA960, 0xA97C), (0xA984, 0xA9B2), (0xA9CF, 0xA9D9), (0xA9E0, 0xA9E4),
    (0xA9E6, 0xA9FE), (0xAA00, 0xAA28), (0xAA40, 0xAA42), (0xAA44, 0xAA4B), (0xAA50, 0xAA59),
    (0xAA60, 0xAA76), (0xAA7A, 0xAA7A), (0xAA7E, 0xAAAF), (0xAAB1, 0xAAB1), (0xAAB5, 0xAAB6),
    (0xAAB9, 0xAABD), (0xAAC0, 0xAAC0), (0xAAC2, 0xAAC2), (0xAADB, 0xAADD), (0xAAE0, 0xAAEA),
    (0xAAF2, 0xAAF4), (0xAB01, 0xAB06), (0xAB09, 0xAB0E), (0xAB11, 0xAB16), (0xAB20, 0xAB26),
    (0xAB28, 0xAB2E), (0xAB30, 0xAB5A), (0xAB5C, 0xAB69), (0xAB70, 0xABE2), (0xABF0, 0xABF9),
    (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xF900, 0xFA6D), (0xFA70, 0xFAD9),
    (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36),
    (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1),
    (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F), (0xFD92, 0xFDC7), (0xFDF0, 0xFDFB), (0xFE70, 0xFE74),
    (0xFE76, 0xFEFC), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xFF66, 0xFFBE),
    (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0x10000, 0x1000B),
    (0x1000D, 0x10026), (0x10028, 0x1003A), (0x1003C, 0x1003D), (0x1003F, 0x1004D),
    (0x10050, 0x1005D), (0x10080, 0x100FA), (0x10107, 0x10133), (0x10140, 0x10178),
    (0x1018A, 0x1018B), (0x10280, 0x1029C), (0x102A0, 0x102D0), (0x102E1, 0x102FB),
    (0x10300, 0x10323), (0x1032D, 0x1034A), (0x10350, 0x10375), (0x10380, 0x1039D),
    (0x103A0, 0x103C3), (0x103C8, 0x103CF), (0x103D1, 0x103D5), (0x10400, 0x1049D),
    (0x104A0, 0x104A9), (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10500, 0x10527),
    (0x10530, 0x10563), (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592),
    (0x10594, 0x10595), (0x10597, 0x105A1), (0x105A3, 0x105B1), (0x105B3, 0x105B9),
    (0x105BB, 0x105BC), (0x10600, 0x10736), (0x10740, 0x10755), (0x10760, 0x10767),
    (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805),
    (0x10808, 0x10808), (0x1080A, 0x10835), (0x10837, 0x10838), (0x1083C, 0x1083C),
    (0x1083F, 0x10855), (0x10858, 0x10876), (0x10879, 0x1089E), (0x108A7, 0x108AF),
    (0x108E0, 0x108F2), (0x108F4, 0x108F5), (0x108FB, 0x1091B), (0x10920, 0x10939),
    (0x10980, 0x109B7), (0x109BC, 0x109CF), (0x109D2, 0x10A00), (0x10A10, 0x10A13),
    (0x10A15, 0x10A17), (0x10A19, 0x10A35), (0x10A40, 0x10A48), (0x10A60, 0x10A7E),
    (0x10A80, 0x10A9F), (0x10AC0, 0x10AC7), (0x10AC9, 0x10AE4), (0x10AEB, 0x10AEF),
    (0x10B00, 0x10B35), (0x10B40, 0x10B55), (0x10B58, 0x10B72), (0x10B78, 0x10B91),
    (0x10BA9, 0x10BAF), (0x10C00, 0x10C48), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2),
    (0x10CFA, 0x10D23), (0x10D30, 0x10D39), (0x10E60, 0x10E7E), (0x10E80, 0x10EA9),
    (0x10EB0, 0x10EB1), (0x10F00, 0x10F27), (0x10F30, 0x10F45), (0x10F51, 0x10F54),
    (0x10F70, 0x10F81), (0x10FB0, 0x10FCB), (0x10FE0, 0x10FF6), (0x11003, 0x11037),
    (0x11052, 0x1106F), (0x11071, 0x11072), (0x11075, 0x11075), (0x11083, 0x110AF),
    (0x110D0, 0x110E8), (0x110F0, 0x110F9), (0x11103, 0x11126), (0x11136, 0x1113F),
    (0x11144, 0x11144), (0x11147, 0x11147), (0x11150, 0x11172), (0x11176, 0x11176),
    (0x11183, 0x111B2), (0x111C1, 0x111C4), (0x111D0, 0x111DA), (0x111DC, 0x111DC),
    (0x111E1, 0x111F4), (0x11200, 0x11211), (0x11213, 0x1122B), (0x11280, 0x11286),
    (0x11288, 0x11288), (0x1128A, 0x1128D), (0x1128F, 0x1129D), (0x1129F, 0x112A8),
    (0x112B0, 0x112DE), (0x112F0, 0x112F9), (0x11305, 0x1130C), (0x1130F, 0x11310),
    (0x11313, 0x11328), (0x1132A, 0x11330), (0x11332, 0x11333), (0x11335, 0x11339),
    (0x1133D, 0x1133D), (0x11350, 0x11350), (0x1135D, 0x11361), (0x11400, 0x11434),
    (0x11447, 0x1144A), (0x11450, 0x11459), (0x1145F, 0x11461), (0x11480, 0x114AF),
    (0x114C4, 0x114C5), (0x114C7, 0x114C7), (0x114D0, 0x114D9), (0x11580, 0x115AE),
    (0x115D8, 0x115DB), (0x11600, 0x1162F), (0x11644, 0x11644), (0x11650, 0x11659),
    (0x11680, 0x116AA), (0x116B8, 0x116B8), (0x116C0, 0x116C9), (0x11700, 0x1171A),
    (0x11730, 0x1173B), (0x11740, 0x11746), (0x11800, 0x1182B), (0x118A0, 0x118F2),
    (0x118FF, 0x11906), (0x11909, 0x11909), (0x1190C, 0x11913), (0x11915, 0x11916),
    (0x11918, 0x1192F), (0x1193F, 0x1193F), (0x11941, 0x11941), (0x11950, 0x11959),
    (0x119A0, 0x119A7), (0x119AA, 0x119D0), (0x119E1, 0x119E1), (0x119E3, 0x119E3),
    (0x11A00, 0x11A00), (0x11A0B, 0x11A32), (0x11A3A, 0x11A3A), (0x11A50, 0x11A50),
    (0x11A5C, 0x11A89), (0x11A9D, 0x11A9D), (0x11AB0, 0x11AF8), (0x11C00, 0x11C08),
    (0x11C0A, 0x11C2E), (0x11C40, 0x11C40), (0x11C50, 0x11C6C), (0x11C72, 0x11C8F),
    (0x11D00, 0x11D06), (0x11D08, 0x11D09), (0x11D0B, 0x11D30), (0x11D46, 0x11D46),
    (0x11D50, 0x11D59), (0x11D60, 0x11D65), (0x11D67, 0x11D68), (0x11D6A, 0x11D89),
    (0x11D98, 0x11D98), (0x11DA0, 0x11DA9), (0x11EE0, 0x11EF2), (0x11FB0, 0x11FB0),
    (0x11FC0, 0x11FD4), (0x12000, 0x12399), (0x12400, 0x1246E), (0x12480, 0x12543),
    (0x12F90, 0x12FF0), (0x13000, 0x1342E), (0x14400, 0x14646), (0x16800, 0x16A38),
    (0x16A40, 0x16A5E), (0x16A60, 0x16A69), (0x16A70, 0x16ABE), (0x16AC0, 0x16AC9),
    (0x16AD0, 0x16AED), (0x16B00, 0x16B2F), (0x16B40, 0x16B43), (0x16B50, 0x16B59),
    (0x16B5B, 0x16B61), (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E96),
    (0x16F00, 0x16F4A), (0x16F50, 0x16F50), (0x16F93, 0x16F9F), (0x16FE0, 0x16FE1),
    (0x16FE3, 0x16FE3), (0x17000, 0x187F7), (0x18800, 0x18CD5), (0x18D00, 0x18D08),
    (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122),
    (0x1B150, 0x1B152), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A),
    (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88), (0x1BC90, 0x1BC99), (0x1D2E0, 0x1D2F3),
    (0x1D360, 0x1D378), (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F),
    (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9),
    (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A),
    (0x1D50D, 0x1D514), (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E),
    (0x1D540, 0x1D544), (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5),
    (0x1D6A8, 0x1D6C0), (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA), (0x1D6FC, 0x1D714),
    (0x1D716, 0x1D734), (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788),
    (0x1D78A, 0x1D7A8), (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB), (0x1D7CE, 0x1D7FF),
    (0x1DF00, 0x1DF1E), (0x1E100, 0x1E12C), (0x1E137, 0x1E13D), (0x1E140, 0x1E149),
    (0x1E14E, 0x1E14E), (0x1E290, 0x1E2AD), (0x1E2C0, 0x1E2EB), (0x1E2F0, 0x1E2F9),
    (0x1E7E0, 0x1E7E6), (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE), (0x1E7F0, 0x1E7FE),
    (0x1E800, 0x1E8C4), (0x1E8C7, 0x1E8CF), (0x1E900, 0x1E943), (0x1E94B, 0x1E94B),
    (0x1E950, 0x1E959), (0x1EC71, 0x1ECAB), (0x1ECAD, 0x1ECAF), (0x1ECB1, 0x1ECB4),
    (0x1ED01, 0x1ED2D), (0x1ED2F, 0x1ED3D), (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F),
    (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27), (0x1EE29, 0x1EE32),
    (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39), (0x1EE3B, 0x1EE3B), (0x1EE42, 0x1EE42),
    (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F),
    (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57), (0x1EE59, 0x1EE59),
    (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D), (0x1EE5F, 0x1EE5F), (0x1EE61, 0x1EE62),
    (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77),
    (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89), (0x1EE8B, 0x1EE9B),
    (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9), (0x1EEAB, 0x1EEBB), (0x1F100, 0x1F10C),
    (0x1FBF0, 0x1FBF9), (0x20000, 0x2A6DF), (0x2A700, 0x2B738), (0x2B740, 0x2B81D),
    (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D), (0x30000, 0x3134A),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values in radon's JSON order: loc, lloc, sloc, comments,
    /// multi, blank, single_comments. All checked against radon 6.0.1 on
    /// CPython 3.11.7.
    fn counts(text: &str) -> [u32; 7] {
        let m = raw_metrics(text)
            .unwrap_or_else(|e| panic!("SyntaxError at line: {} for {text:?}", e.line));
        // Every snippet also checks the plain-line shortcuts against the
        // tokenizer.
        assert_eq!(count(text, false), Ok(m), "shortcuts differ on {text:?}");
        [
            m.loc,
            m.lloc,
            m.sloc,
            m.comments,
            m.multi,
            m.blank,
            m.single_comments,
        ]
    }

    fn error_line(text: &str) -> u32 {
        assert_eq!(count(text, false), raw_metrics(text), "{text:?}");
        match raw_metrics(text) {
            Ok(m) => panic!("expected a SyntaxError for {text:?}, got {m:?}"),
            Err(e) => e.line,
        }
    }

    /// The tokenizer's tally for one line read at the start of a chunk, as
    /// the fast path would have to reproduce it.
    fn tokenized(line: &str) -> Option<RawMetrics> {
        let mut chunk = Chunk::default();
        let tally = chunk.add_line(line, &mut String::new())?;
        let mut totals = RawMetrics::default();
        tally.add_to(&mut totals);
        Some(totals)
    }

    #[test]
    fn simple_statements_count_as_the_tokenizer_counts_them() {
        let one_line = RawMetrics {
            sloc: 1,
            lloc: 1,
            ..RawMetrics::default()
        };
        for line in [
            "pass",
            "x = f(a, b) + 1",
            "return self.x[i] ** -2",
            "a @= b >> c // d",
            "x = {1, 2} | {3}",
            ")(",
            "0x",
            "1_",
            "0777",
            "1.e5j",
            "...",
            "a\x0cb",
            "yield from g(x)",
            "f(\t1)",
        ] {
            assert!(is_simple_statement(line), "{line:?}");
            assert_eq!(tokenized(line), Some(one_line), "{line:?}");
        }
        for line in [
            "",
            "x = (1,",
            "x = 1)",
            "def f(x):",
            "x = 1; y = 2",
            "x = 'a'",
            "x = b\"\"",
            "x = 1  # c",
            "x = 1 \\",
            "x = a != b",
            "x = $",
            "x = é",
            "lambda: 0",
        ] {
            assert!(!is_simple_statement(line), "{line:?}");
        }
    }

    #[test]
    fn plain_lines_inside_brackets() {
        // Shortcut lines after a colon with tokens after it, and without
        // any colon; the line right after a colon is tokenized. Values
        // checked against radon 6.0.1.
        assert_eq!(
            counts("x = {\n    'a': 1,\n    b + c,\n    d\n}\n"),
            [5, 2, 5, 0, 0, 0, 0]
        );
        assert_eq!(counts("f(\n    a,\n    b)\n"), [3, 1, 3, 0, 0, 0, 0]);
        assert_eq!(counts("x = {'a':\n    b}\n"), [2, 2, 2, 0, 0, 0, 0]);
        assert_eq!(
            counts("y = [a[1:\n    2]]; z = {\n    k: v,\n    w}\n"),
            [4, 4, 4, 0, 0, 0, 0]
        );
        assert_eq!(
            counts("if (a and\n        b):\n    pass\n"),
            [3, 2, 3, 0, 0, 0, 0]
        );
        assert_eq!(counts("g(a, (\n    b), c\n)(\n)\n"), [4, 1, 4, 0, 0, 0, 0]);
    }

    #[test]
    fn newline_only_text_splits_as_splitlines() {
        let long = format!("{}\n\n{}", "x = 1\n".repeat(30), "é ü\ty\n".repeat(30));
        for text in [
            "",
            "\n",
            "a\nb\n",
            "a\n\nb",
            "  x\n\ty  \n",
            "é\n",
            long.as_str(),
        ] {
            assert!(!has_other_line_breaks(text.as_bytes()), "{text:?}");
            let split = |newlines_only| {
                PyLines {
                    rest: text,
                    newlines_only,
                }
                .collect::<Vec<_>>()
            };
            assert_eq!(split(true), split(false), "{text:?}");
        }
        for text in [
            "a\r\nb",
            "a\rb",
            "a\x0cb",
            "a\x0bb",
            "a\x1cb",
            "a\u{85}b",
            "a\u{2028}b",
            "a\u{2029}b",
        ] {
            assert!(has_other_line_breaks(text.as_bytes()), "{text:?}");
            assert!(has_other_line_breaks(format!("{long}{text}").as_bytes()));
        }
    }

    #[test]
    fn empty_file() {
        assert_eq!(counts(""), [0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn comment_line() {
        assert_eq!(counts("# hello\n"), [1, 0, 0, 1, 0, 0, 1]);
    }

    #[test]
    fn inline_comment() {
        assert_eq!(counts("x = 1  # set x\n"), [1, 1, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn single_line_docstring() {
        assert_eq!(counts("\"\"\"Doc.\"\"\"\n"), [1, 1, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn multi_line_docstring_with_blank_line() {
        assert_eq!(
            counts("\"\"\"Title.\n\nBody.\n\"\"\"\n"),
            [4, 1, 0, 0, 3, 1, 0]
        );
    }

    #[test]
    fn compound_statement_on_one_line() {
        assert_eq!(counts("if x: pass\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("lambda: 0\n"), [1, 2, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn non_block_colons_count_two() {
        assert_eq!(counts("y = a[1:2]\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("d = {1: 2}\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("f = lambda x: x\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("@dec\nclass A: x: int = 1\n"), [2, 3, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn annotated_def_header() {
        assert_eq!(
            counts("def f(x: int) -> int:\n    return x\n"),
            [2, 2, 2, 0, 0, 0, 0]
        );
    }

    #[test]
    fn semicolons() {
        assert_eq!(counts("x = 1; y = 2\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("if x: pass; y = 1\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("if x: pass;\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(counts(";;\n"), [1, 0, 1, 0, 0, 0, 0]);
        assert_eq!(counts("a[1:2]; b\n"), [1, 3, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn number_tokens_split_like_the_regex() {
        // `1_` and `0777` are two tokens each, `1.5j` and `0x_1f` one.
        assert_eq!(counts("if x: 1_; y = 1\n"), [1, 3, 1, 0, 0, 0, 0]);
        assert_eq!(counts("if x: 0777; y = 1\n"), [1, 3, 1, 0, 0, 0, 0]);
        assert_eq!(counts("if x: 1.5j; y = 1\n"), [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts("if x: 0x_1f; y\n"), [1, 2, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn comment_inside_brackets_is_sloc() {
        assert_eq!(
            counts("x = [\n    # note\n    1,\n\n]\n"),
            [5, 1, 4, 1, 0, 1, 0]
        );
        assert_eq!(counts("x = (1,\n\n2)\n"), [3, 1, 2, 0, 0, 1, 0]);
    }

    #[test]
    fn assigned_triple_quoted_string_is_code() {
        assert_eq!(counts("x = \"\"\"\nabc\n\n\"\"\"\n"), [4, 1, 3, 0, 0, 1, 0]);
        assert_eq!(counts("x = '''a''' '''b\nc'''\n"), [2, 1, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn docstring_followed_by_comment() {
        assert_eq!(counts("\"\"\"doc\"\"\"  # c\n"), [1, 1, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn backslash_continuation() {
        assert_eq!(counts("x = 1 + \\\n    2\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(counts("\\\nx\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(counts("x = 1 \\\n# c\n"), [2, 1, 2, 1, 0, 0, 0]);
        assert_eq!(counts("x = 1\n\\\n\ny\n"), [4, 2, 3, 0, 0, 1, 0]);
        // A backslash inside a comment is part of the comment.
        assert_eq!(counts("x = 1 # c \\\ny = 2\n"), [2, 2, 2, 1, 0, 0, 0]);
    }

    #[test]
    fn string_then_backslash_then_blank_lines() {
        // Three lines form one chunk whose only token is a one-row string:
        // radon counts it as a single comment and loc drops by two.
        assert_eq!(counts("\"abc\" \\\n\n\n"), [1, 1, 0, 0, 0, 0, 1]);
        assert_eq!(error_line("\"abc\" \\\n\n"), 1);
    }

    #[test]
    fn single_quoted_string_continued_by_backslash() {
        assert_eq!(counts("x = 'abc\\\ndef'\n"), [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(counts("'abc\\\ndef'\n"), [2, 1, 0, 0, 2, 0, 0]);
        assert_eq!(counts("x = [\n'abc\\\n',\n]\n"), [4, 1, 4, 0, 0, 0, 0]);
        assert_eq!(counts("x = 'a' 'b\\\nc'\n"), [2, 1, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn backslash_newline_inside_triple_quoted_string() {
        assert_eq!(counts("s = '''\\\n'''\n"), [2, 1, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn whitespace_only_lines_are_blank() {
        assert_eq!(counts("x = 1\n   \n\t\ny = 2\n"), [4, 2, 2, 0, 0, 2, 0]);
    }

    #[test]
    fn splitlines_separators() {
        assert_eq!(counts("x = 1\n\x0c\ny = 2\n"), [4, 2, 2, 0, 0, 2, 0]);
        assert_eq!(counts("x = 1\n\x0c\n"), [3, 1, 1, 0, 0, 2, 0]);
        assert_eq!(
            counts("x = 1\u{85}y = 2\u{2028}z = 3\n"),
            [3, 3, 3, 0, 0, 0, 0]
        );
    }

    #[test]
    fn crlf_and_lone_cr() {
        assert_eq!(counts("x = 1\r\ny = 2\r\n"), [2, 2, 2, 0, 0, 0, 0]);
        assert_eq!(counts("x = 1\ry = 2\r"), [2, 2, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn no_trailing_newline() {
        assert_eq!(counts("x = 1\ny = 2"), [2, 2, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn unicode_whitespace() {
        // Stripped at the ends like str.strip(), but an ERRORTOKEN inside.
        assert_eq!(counts("\u{a0}x = 1\u{a0}\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(counts("\x1f\n"), [1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(error_line("x =\u{a0}1\n"), 1);
        assert_eq!(error_line("x\x1fy\n"), 1);
    }

    #[test]
    fn combining_mark_in_identifier_is_an_error() {
        // `\w` does not match Devanagari vowel signs in CPython's `re`.
        assert_eq!(error_line("नमस्ते = 1\n"), 1);
        assert_eq!(counts("é = 1\n"), [1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn function_with_docstring_and_comments() {
        let text = "def f(a):\n    \"\"\"Doc.\n\n    More.\n    \"\"\"\n    # comment\n    return a  # trailing\n";
        assert_eq!(counts(text), [7, 3, 2, 2, 3, 1, 1]);
        assert_eq!(
            counts("def f():\n    '''doc\n\n    '''\n"),
            [4, 2, 1, 0, 2, 1, 0]
        );
    }

    #[test]
    fn class_one_liner_and_else() {
        let text = "class A: pass\ntry:\n    x = 1\nexcept E: pass\nelse:\n    pass\n";
        assert_eq!(counts(text), [6, 8, 6, 0, 0, 0, 0]);
    }

    #[test]
    fn f_string_is_one_token() {
        assert_eq!(counts("x = f\"{a:>10}\"\n"), [1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(counts("f'''a\n{b:c}\n'''\n"), [3, 1, 0, 0, 3, 0, 0]);
    }

    #[test]
    fn decorators() {
        assert_eq!(
            counts("@dec\n@dec2(1)\ndef f(): return 1\n"),
            [3, 4, 3, 0, 0, 0, 0]
        );
    }

    #[test]
    fn bare_strings_are_single_comments() {
        assert_eq!(counts("x = 1\n'text'\nb'bytes'\n"), [3, 3, 1, 0, 0, 0, 2]);
        assert_eq!(
            counts("U'x'\nRb'y'\nbR\"z\"\nub'q'\n"),
            [4, 4, 1, 0, 0, 0, 3]
        );
        assert_eq!(counts("\"a\" \"b\"\n"), [1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn python2_print_statement_tokenizes() {
        assert_eq!(counts("print 'a'\n"), [1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn trailing_comment_line_after_code() {
        assert_eq!(
            counts("x = 1 if y else 2 # c\n# d\n"),
            [2, 1, 1, 2, 0, 0, 1]
        );
    }

    #[test]
    fn stray_characters_are_errors() {
        assert_eq!(error_line("x = $\n"), 1);
        assert_eq!(error_line("y = 1\nx = ?\n"), 2);
        assert_eq!(error_line("x = !a\n"), 1);
        assert_eq!(error_line("x = `a`\n"), 1);
        assert_eq!(counts("x!=1\n"), [1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn unterminated_single_quoted_string() {
        assert_eq!(error_line("x = 'abc\ny = 1\n"), 1);
        assert_eq!(error_line("a = r'\\'\n"), 1);
        assert_eq!(error_line("a = 'x\\'\nb'\n"), 1);
    }

    #[test]
    fn unbalanced_closing_bracket() {
        assert_eq!(error_line(")\n"), 1);
        // The stray `)` leaves depth -1 and the `(` brings it back to 0.
        assert_eq!(counts(")\n(\n"), [2, 1, 2, 0, 0, 0, 0]);
    }

    #[test]
    fn error_line_is_the_chunk_start() {
        assert_eq!(error_line("x = 1\ny = (\n1,\n"), 2);
        assert_eq!(error_line("x = 1\ns = '''\nabc\n"), 2);
    }

    #[test]
    fn huge_single_statement_is_linear() {
        // radon needs minutes here (it re-tokenizes the buffer per line); the
        // same numbers must come out of one pass. 2,000-line versions of
        // these were checked against radon itself.
        let mut dict = String::from("x = {\n");
        for i in 0..19_998 {
            dict.push_str(&format!("'k{i}': {i},\n"));
        }
        dict.push_str("}\n");
        assert_eq!(counts(&dict), [20_000, 2, 20_000, 0, 0, 0, 0]);

        let mut sum = String::from("x = \\\n");
        for i in 0..19_998 {
            sum.push_str(&format!("{i} + \\\n"));
        }
        sum.push_str("1\n");
        assert_eq!(counts(&sum), [20_000, 1, 20_000, 0, 0, 0, 0]);
    }

    #[test]
    fn huge_unterminated_statement_fails_fast() {
        let text = format!("x = 1\ny = [\n{}", "1,\n".repeat(20_000));
        assert_eq!(error_line(&text), 2);
    }

    #[test]
    fn operator_dispatch_matches_the_token_list() {
        // The tokenizer's operator alternation, longest first.
        const OPS: [&str; 47] = [
            ">>=", "<<=", "**=", "//=", "...", "|=", "^=", "@=", ">>", ">=", "==", "<=", "<<",
            ":=", "/=", "//", "->", "-=", "+=", "*=", "**", "&=", "%=", "!=", "~", "}", "|", "{",
            "^", "]", "[", "@", ">", "=", "<", ";", ":", "/", ".", "-", ",", "+", "*", ")", "(",
            "&", "%",
        ];
        let alphabet = b"~}|{^][@>=<;:/.-,+*)(&%!a1 '";
        for &a in alphabet {
            for &b in alphabet {
                for &c in alphabet {
                    let s = [a, b, c];
                    for len in 0..=3 {
                        let text = &s[..len];
                        let expected = OPS
                            .iter()
                            .find(|op| text.starts_with(op.as_bytes()))
                            .map(|op| op.len());
                        assert_eq!(operator_len(text), expected, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn word_table_spot_checks() {
        assert!(is_word_char('é'));
        assert!(is_word_char('٣'));
        assert!(is_word_char('²'));
        assert!(!is_word_char('\u{93e}'));
        assert!(!is_word_char('\u{e0100}'));
        assert!(!is_word_char('\u{a0}'));
    }
}
