//! A port of what CPython 3.11's pure-Python tokenizer does with stripped
//! lines, as far as radon's raw metrics see it: strings (prefixes, triple
//! quotes, backslash continuations), numbers, names (`\w` as 3.11's `re`
//! has it), operators, brackets and comments, carried from line to line in
//! a [`Scanner`]. Feeds tokens to the chunk's tally. No I/O.

use super::*;

/// An unterminated string carried to the next line.
#[derive(Clone, Copy, Debug)]
pub(super) struct OpenString {
    pub(super) quote: u8,
    pub(super) triple: bool,
    pub(super) start_row: u32,
}

/// The state CPython 3.11's pure-Python tokenizer keeps between lines, for
/// stripped lines (which never indent).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Scanner {
    pub(super) row: u32,
    /// Bracket depth; a stray closer makes it negative, as in CPython.
    pub(super) depth: i64,
    pub(super) backslash: bool,
    pub(super) open_string: Option<OpenString>,
    /// An ERRORTOKEN was produced.
    pub(super) error: bool,
}

/// What a string opening at a token start turns into on its line.
pub(super) enum StringStart {
    /// A whole STRING token ending here.
    Token(usize),
    /// The string runs on into the next line.
    Continues,
    /// No string token matches (an unterminated `'...`).
    NotAString,
}

/// How a `'`/`"` string body scanned on one line ends.
pub(super) enum QuotedEnd {
    Closed(usize),
    BackslashNewline,
    Open,
}

impl Scanner {
    /// Whether end of input right now is clean: no TokenError, no ERRORTOKEN.
    pub(super) fn clean_end(&self) -> bool {
        !self.error && self.open_string.is_none() && self.depth == 0 && !self.backslash
    }

    /// Tokenizes one line (it ends with `\n` unless it is the buffer's last).
    pub(super) fn feed(&mut self, line: &str, tally: &mut Tally) {
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
    pub(super) fn next_token(
        &mut self,
        line: &str,
        pos: usize,
        tally: &mut Tally,
    ) -> Option<usize> {
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
pub(super) fn string_quote_at(s: &[u8], start: usize) -> Option<usize> {
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
pub(super) fn triple_end(s: &[u8], from: usize, quote: u8) -> Option<usize> {
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
pub(super) fn quoted_end(s: &[u8], from: usize, quote: u8) -> QuotedEnd {
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
pub(super) fn operator_len(s: &[u8]) -> Option<usize> {
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

pub(super) fn digit_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// `[0-9](?:_?[0-9])*` with a caller-chosen digit class.
pub(super) fn digits_end(s: &[u8], i: usize, is_digit: impl Fn(u8) -> bool) -> Option<usize> {
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

pub(super) fn decimal_end(s: &[u8], i: usize) -> Option<usize> {
    digits_end(s, i, |b| b.is_ascii_digit())
}

/// `[eE][-+]?[0-9](?:_?[0-9])*`
pub(super) fn exponent_end(s: &[u8], i: usize) -> Option<usize> {
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
pub(super) fn pointfloat_end(s: &[u8], i: usize) -> Option<usize> {
    let mantissa = match decimal_end(s, i) {
        Some(j) if s.get(j) == Some(&b'.') => Some(decimal_end(s, j + 1).unwrap_or(j + 1)),
        _ if s.get(i) == Some(&b'.') => decimal_end(s, i + 1),
        _ => None,
    }?;
    Some(exponent_end(s, mantissa).unwrap_or(mantissa))
}

pub(super) fn float_end(s: &[u8], i: usize) -> Option<usize> {
    pointfloat_end(s, i).or_else(|| decimal_end(s, i).and_then(|j| exponent_end(s, j)))
}

/// End of the NUMBER the tokenizer's regex matches at `i`: imaginary, then
/// float, then integer, taking the first alternative that matches (which is
/// not always the longest: `0777` is `0` then `777`).
pub(super) fn number_end(s: &[u8], i: usize) -> Option<usize> {
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
pub(super) fn word_end(line: &str, start: usize) -> usize {
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

pub(super) fn is_word_char(c: char) -> bool {
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
