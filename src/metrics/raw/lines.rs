//! Lines as radon sees them: Python's `str.splitlines()` and `str.strip()`,
//! with every separator and whitespace character CPython accepts. No I/O.

/// Python's `str.splitlines()` without keepends. `\r\n` is one separator, so
/// un-normalised text splits exactly like text read with universal newlines.
pub(super) struct PyLines<'a> {
    pub(super) rest: &'a str,
    /// `\n` is the only separator in the text, so `memchr` finds them all.
    pub(super) newlines_only: bool,
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
pub(super) fn has_other_line_breaks(text: &[u8]) -> bool {
    text.chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0xC2) | (b == 0xE2)
        })
    })
}

/// First bytes of the UTF-8 encodings of the characters [`is_line_break`]
/// accepts (0xC2 and 0xE2 also start other characters).
pub(super) const MAY_START_BREAK: [bool; 256] = {
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

pub(super) const fn is_line_break(c: char) -> bool {
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
pub(super) fn trim_py_space(line: &str) -> &str {
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
pub(super) fn is_py_space(c: char) -> bool {
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
