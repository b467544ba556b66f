//! Bytes → text, decoded the way Python decodes a source file, plus a line index.
//!
//! Input: the raw bytes of one file (from disk or a git blob). Output: a
//! [`SourceText`] whose text has a UTF-8 BOM removed, the PEP 263 coding cookie
//! honoured (UTF-8, ASCII, latin-1 / ISO-8859-1, cp1252 here; every other
//! codec CPython has that `encoding_rs` decodes through [`crate::codecs`])
//! and every `\r\n` or
//! lone `\r` turned into `\n` (Python's universal newlines), so byte offsets,
//! line numbers and every metric agree across platforms. A file that cannot be
//! decoded gives a [`DecodeError`] naming the byte and the line; the caller
//! turns it into a per-file error entry. No I/O here.

use std::fmt;

/// Decoded, newline-normalised source text with a line index built once.
#[derive(Debug)]
pub(crate) struct SourceText {
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceText {
    /// Builds a source from text that is already decoded (normalises newlines).
    #[cfg(test)]
    pub(crate) fn from_text(text: &str) -> SourceText {
        SourceText::from_string(text.to_owned())
    }

    /// Like [`SourceText::from_text`], keeping the buffer when it has no `\r`.
    fn from_string(text: String) -> SourceText {
        let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            normalize_newlines(&text)
        } else {
            text
        };
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0u32);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        SourceText { text, line_starts }
    }

    /// 1-based line of a byte offset, counting `\n` only (as CPython's AST does).
    pub(crate) fn line_of(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based column, in characters, of a byte offset.
    pub(crate) fn column_of(&self, offset: u32) -> u32 {
        let line_start = self.line_starts[self.line_of(offset) as usize - 1] as usize;
        let end = (offset as usize).min(self.text.len());
        self.text
            .get(line_start..end)
            .map_or(1, |s| s.chars().count() as u32 + 1)
    }
}

/// Why a file could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// The bytes are not valid in the file's encoding.
    InvalidBytes {
        encoding: &'static str,
        byte: u8,
        offset: usize,
        line: usize,
    },
    /// The coding cookie names an encoding Python does not know.
    UnknownEncoding {
        name: String,
        line: usize,
        suggestion: Option<&'static str>,
    },
    /// Python knows the cookie's codec, antipasta cannot decode it.
    UnsupportedEncoding {
        name: String,
        codec: &'static str,
        line: usize,
    },
    /// The file starts with a UTF-16 or UTF-32 byte order mark.
    WideBom { kind: &'static str },
    /// A BOM says UTF-8 but the cookie says something else.
    BomCookieMismatch { name: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::InvalidBytes {
                encoding,
                byte,
                offset,
                line,
            } => write!(
                f,
                "cannot decode byte 0x{byte:02x} at offset {offset} (line {line}) as {encoding}; \
                 declare the file's encoding with a coding cookie or save it as UTF-8"
            ),
            DecodeError::UnknownEncoding {
                name,
                line,
                suggestion,
            } => {
                write!(
                    f,
                    "unknown encoding `{name}` in the coding cookie on line {line} (Python \
                     does not know it either)"
                )?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => Ok(()),
                }
            }
            DecodeError::UnsupportedEncoding { name, codec, line } => write!(
                f,
                "the coding cookie on line {line} names `{name}` (Python's codec `{codec}`), \
                 which antipasta cannot decode; save the file as UTF-8"
            ),
            DecodeError::WideBom { kind } => write!(
                f,
                "source code string cannot contain null bytes (as Python says): the file \
                 starts with a {kind} byte order mark, and Python reads source files as \
                 UTF-8 (or as their coding cookie says); save it as UTF-8"
            ),
            DecodeError::BomCookieMismatch { name } => write!(
                f,
                "the file starts with a UTF-8 byte order mark but its coding cookie says `{name}`"
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Ascii,
    Latin1,
    Cp1252,
    /// Any other codec CPython has that `encoding_rs` decodes.
    Other {
        python: &'static str,
        with: &'static encoding_rs::Encoding,
    },
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Ascii => "ascii",
            Encoding::Latin1 => "latin-1",
            Encoding::Cp1252 => "cp1252",
            Encoding::Other { python, .. } => python,
        }
    }
}

/// A UTF-16 or UTF-32 byte order mark at the start of `bytes`.
pub(crate) fn wide_bom(bytes: &[u8]) -> Option<&'static str> {
    // UTF-32 LE starts like UTF-16 LE: test it first.
    if bytes.starts_with(b"\xFF\xFE\x00\x00") {
        Some("UTF-32 (little-endian)")
    } else if bytes.starts_with(b"\x00\x00\xFE\xFF") {
        Some("UTF-32 (big-endian)")
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some("UTF-16 (little-endian)")
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some("UTF-16 (big-endian)")
    } else {
        None
    }
}

/// Decodes the bytes of a Python source file as CPython would.
pub(crate) fn decode(bytes: &[u8]) -> Result<SourceText, DecodeError> {
    if let Some(kind) = wide_bom(bytes) {
        return Err(DecodeError::WideBom { kind });
    }
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let encoding = match coding_cookie(body) {
        None => Encoding::Utf8,
        Some((name, line)) => match lookup_encoding(&name) {
            Some(enc) if bom && enc != Encoding::Utf8 => {
                return Err(DecodeError::BomCookieMismatch { name })
            }
            Some(enc) => enc,
            None => match crate::codecs::lookup(&name) {
                Some(crate::codecs::Codec::Decoded { python, with }) if !bom => {
                    Encoding::Other { python, with }
                }
                Some(crate::codecs::Codec::Decoded { .. }) => {
                    return Err(DecodeError::BomCookieMismatch { name })
                }
                Some(crate::codecs::Codec::Unsupported(codec)) => {
                    return Err(DecodeError::UnsupportedEncoding { name, codec, line })
                }
                None => {
                    let suggestion = crate::codecs::suggest(&name);
                    return Err(DecodeError::UnknownEncoding {
                        name,
                        line,
                        suggestion,
                    });
                }
            },
        },
    };
    let text = match encoding {
        Encoding::Utf8 => String::from_utf8(body.to_vec())
            .map_err(|e| invalid(body, e.utf8_error().valid_up_to(), encoding))?,
        Encoding::Ascii => match body.iter().position(|b| !b.is_ascii()) {
            Some(pos) => return Err(invalid(body, pos, encoding)),
            // All ASCII, so the UTF-8 view is exact.
            None => String::from_utf8_lossy(body).into_owned(),
        },
        Encoding::Latin1 => body.iter().map(|&b| b as char).collect(),
        Encoding::Cp1252 => {
            let mut s = String::with_capacity(body.len());
            for (i, &b) in body.iter().enumerate() {
                s.push(cp1252_char(b).ok_or_else(|| invalid(body, i, encoding))?);
            }
            s
        }
        Encoding::Other { with, .. } => {
            crate::codecs::decode(body, with).map_err(|at| invalid(body, at, encoding))?
        }
    };
    Ok(SourceText::from_string(text))
}

fn invalid(body: &[u8], offset: usize, encoding: Encoding) -> DecodeError {
    DecodeError::InvalidBytes {
        encoding: encoding.name(),
        byte: body.get(offset).copied().unwrap_or(0),
        offset,
        line: body[..offset.min(body.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
    }
}

/// PEP 263: a comment on line 1 or 2 matching `coding[:=]\s*([-\w.]+)`; line 2
/// counts only if line 1 is blank or a comment.
fn coding_cookie(body: &[u8]) -> Option<(String, usize)> {
    let mut lines = body.split(|&b| b == b'\n' || b == b'\r');
    let first = lines.next()?;
    if let Some(name) = cookie_in_line(first) {
        return Some((name, 1));
    }
    let first_trimmed = trim_ascii_start(first);
    if !(first_trimmed.is_empty() || first_trimmed.starts_with(b"#")) {
        return None;
    }
    // Skip a "\n" that followed a "\r" (a CRLF file yields an empty piece).
    let mut second = lines.next()?;
    if second.is_empty() && body.get(first.len()) == Some(&b'\r') {
        second = lines.next()?;
    }
    cookie_in_line(second).map(|name| (name, 2))
}

fn trim_ascii_start(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))
        .unwrap_or(line.len());
    &line[start..]
}

fn cookie_in_line(line: &[u8]) -> Option<String> {
    let line = trim_ascii_start(line);
    if !line.starts_with(b"#") {
        return None;
    }
    let pos = line.windows(6).position(|w| w == b"coding")?;
    let rest = &line[pos + 6..];
    let rest = rest
        .strip_prefix(b":")
        .or_else(|| rest.strip_prefix(b"="))?;
    let rest = trim_ascii_start(rest);
    let len = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
        .unwrap_or(rest.len());
    if len == 0 {
        return None;
    }
    Some(String::from_utf8_lossy(&rest[..len]).into_owned())
}

/// Maps a cookie to an encoding the way Python's codec lookup normalises names.
fn lookup_encoding(name: &str) -> Option<Encoding> {
    let norm: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    // The tokenizer itself maps "utf-8-*" and "latin-1-*" style names.
    if norm == "utf-8" || norm.starts_with("utf-8-") || norm == "utf8" || norm == "u8" {
        return Some(Encoding::Utf8);
    }
    if norm.starts_with("latin-1-") || norm.starts_with("iso-8859-1-") {
        return Some(Encoding::Latin1);
    }
    match norm.as_str() {
        "ascii" | "us-ascii" | "646" => Some(Encoding::Ascii),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819" | "l1"
        | "iso-latin-1" | "latin" => Some(Encoding::Latin1),
        "cp1252" | "windows-1252" => Some(Encoding::Cp1252),
        _ => match crate::codecs::builtin(name) {
            Some("utf_8") => Some(Encoding::Utf8),
            Some("ascii") => Some(Encoding::Ascii),
            Some("latin_1") => Some(Encoding::Latin1),
            Some("cp1252") => Some(Encoding::Cp1252),
            _ => None,
        },
    }
}

/// Windows-1252; five bytes are undefined, as in Python's codec.
fn cp1252_char(b: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => match HIGH[(b - 0x80) as usize] {
            0 => None,
            cp => char::from_u32(cp as u32),
        },
        _ => Some(b as char),
    }
}

fn normalize_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8() {
        let s = decode("x = 'é'\n".as_bytes()).unwrap();
        assert_eq!(s.text, "x = 'é'\n");
    }

    #[test]
    fn bom_is_stripped() {
        let s = decode(b"\xEF\xBB\xBFx = 1\n").unwrap();
        assert_eq!(s.text, "x = 1\n");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        let s = decode(b"a = 1\r\nb = 2\rc = 3\r\n").unwrap();
        assert_eq!(s.text, "a = 1\nb = 2\nc = 3\n");
        assert_eq!(s.line_of(12), 3);
    }

    #[test]
    fn every_codec_python_and_encoding_rs_share_decodes() {
        // "привет" in koi8-r, with the cookie spelled as people do.
        for cookie in ["koi8-r", "KOI8_R", "cskoi8r"] {
            let mut bytes = format!("# -*- coding: {cookie} -*-\ns = '").into_bytes();
            bytes.extend_from_slice(&[0xd0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]);
            bytes.extend_from_slice(b"'\n");
            let s = decode(&bytes).unwrap();
            assert!(s.text.ends_with("s = 'привет'\n"), "{cookie}");
        }
        // cp1251 and shift_jis.
        let s = decode(b"# coding: cp1251\nx = '\xcf\xf0\xe8'\n").unwrap();
        assert!(s.text.ends_with("x = 'При'\n"));
        let s = decode(b"# coding: shift_jis\nx = '\x93\xfa\x96\x7b'\n").unwrap();
        assert!(s.text.ends_with("x = '日本'\n"));
        // A byte the codec cannot decode: named, with its line.
        let err = decode(b"# coding: shift_jis\nx = 1\ny = '\x81'\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot decode byte 0x81 at offset 31 (line 3) as shift_jis"),
            "{err}"
        );
        // ASCII's aliases are ASCII.
        assert!(decode(b"# coding: us-ascii\nx = 1\n").is_ok());
        assert!(decode(b"# coding: ANSI_X3.4-1968\nx = 1\n").is_ok());
    }

    #[test]
    fn unknown_unsupported_and_wide_files_say_which() {
        let err = decode(b"# coding: uft-8\nx = 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown encoding `uft-8` in the coding cookie on line 1 (Python does not know it \
             either); did you mean `utf_8`?"
        );
        // Python knows no `latin-2` (only `latin2`, `iso8859-2`, ...).
        assert!(matches!(
            decode(b"# coding: latin-2\n").unwrap_err(),
            DecodeError::UnknownEncoding { .. }
        ));
        let err = decode(b"# coding: cp437\nx = 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the coding cookie on line 1 names `cp437` (Python's codec `cp437`), which antipasta \
             cannot decode; save the file as UTF-8"
        );
        let err = decode(b"\xff\xfex\x00=\x001\x00").unwrap_err();
        assert!(
            err.to_string().starts_with(
                "source code string cannot contain null bytes (as Python says): the file \
                 starts with a UTF-16 (little-endian) byte order mark"
            ),
            "{err}"
        );
        let err = decode(b"\xff\xfe\x00\x00x\x00\x00\x00").unwrap_err();
        assert!(err.to_string().contains("UTF-32 (little-endian)"), "{err}");
    }

    #[test]
    fn latin1_cookie_on_first_line() {
        let s = decode(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n").unwrap();
        assert_eq!(s.text, "# -*- coding: latin-1 -*-\nx = '\u{e9}'\n");
    }

    #[test]
    fn cookie_on_second_line_after_shebang() {
        let s =
            decode(b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\xe9'\n")
                .unwrap();
        assert!(s.text.contains('\u{e9}'));
    }

    #[test]
    fn cookie_on_second_line_after_code_is_ignored() {
        let err = decode(b"x = 1\n# coding: latin-1\ny = '\xe9'\n").unwrap_err();
        assert!(
            matches!(err, DecodeError::InvalidBytes { line: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn cp1252_cookie_maps_high_bytes() {
        let s = decode(b"# coding: cp1252\nx = '\x80\x96'\n").unwrap();
        assert!(s.text.contains("\u{20ac}\u{2013}"));
        let err = decode(b"# coding: cp1252\nx = '\x81'\n").unwrap_err();
        assert!(matches!(err, DecodeError::InvalidBytes { byte: 0x81, .. }));
    }

    #[test]
    fn invalid_utf8_names_byte_and_line() {
        let err = decode(b"a = 1\nb = '\xe9t\xe9'\n").unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidBytes {
                encoding: "utf-8",
                byte: 0xe9,
                offset: 11,
                line: 2
            }
        );
        assert!(err.to_string().contains("0xe9"));
    }

    #[test]
    fn unknown_cookie_is_an_error() {
        let err = decode(b"# coding: uft-8\nx = 1\n").unwrap_err();
        assert!(err.to_string().contains("uft-8"));
    }

    #[test]
    fn bom_with_latin1_cookie_is_an_error() {
        let err = decode(b"\xEF\xBB\xBF# coding: latin-1\nx = 1\n").unwrap_err();
        assert!(matches!(err, DecodeError::BomCookieMismatch { .. }));
    }

    #[test]
    fn line_and_column() {
        let s = SourceText::from_text("ab\ncdé f\n");
        assert_eq!(s.line_of(0), 1);
        assert_eq!(s.line_of(3), 2);
        assert_eq!(s.column_of(3), 1);
        // 'f' sits after "cdé " (é is two bytes): byte 8, column 5.
        assert_eq!(s.column_of(8), 5);
    }
}
