//! Python's source encodings: the codec a coding cookie names, found the
//! way CPython finds it, and decoded with `encoding_rs` where CPython's
//! codec has an equivalent there.
//!
//! CPython's lookup: the name is lowercased, every run of characters other
//! than letters, digits and `.` becomes one `_` (leading and trailing ones
//! are dropped), and the result is looked up in the codec aliases, then as
//! a codec module's name. So `KOI8-R`, `koi8_r` and `cskoi8r` are one
//! codec while `latin-2` is none (CPython knows `latin2` and `iso8859-2`).
//! The tables below hold the aliases of every codec decoded here, read off
//! CPython 3.11's `encodings.aliases`, and the names of the codecs CPython
//! has that no crate here decodes (EBCDIC and DOS code pages, the rarer
//! Mac and CJK variants, UTF-7/16/32 with a cookie).

use encoding_rs::Encoding as Rs;

/// A codec named by a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    /// One of CPython's codecs, decoded by `encoding_rs`.
    Decoded {
        /// CPython's name for it (for messages).
        python: &'static str,
        with: &'static Rs,
    },
    /// A codec CPython has that antipasta cannot decode.
    Unsupported(&'static str),
}

/// CPython codec → the `encoding_rs` encoding that decodes it, and the
/// codec's aliases. Where WHATWG's encoding is a superset (GBK for
/// gb2312, windows-949 for euc_kr, windows-1254 for iso8859_9, windows-874
/// for tis_620), text CPython decodes decodes the same.
const DECODED: &[(&str, &Rs, &[&str])] = &[
    (
        "cp1250",
        encoding_rs::WINDOWS_1250,
        &["1250", "windows_1250"],
    ),
    (
        "cp1251",
        encoding_rs::WINDOWS_1251,
        &["1251", "windows_1251"],
    ),
    (
        "cp1253",
        encoding_rs::WINDOWS_1253,
        &["1253", "windows_1253"],
    ),
    (
        "cp1254",
        encoding_rs::WINDOWS_1254,
        &["1254", "windows_1254"],
    ),
    (
        "cp1255",
        encoding_rs::WINDOWS_1255,
        &["1255", "windows_1255"],
    ),
    (
        "cp1256",
        encoding_rs::WINDOWS_1256,
        &["1256", "windows_1256"],
    ),
    (
        "cp1257",
        encoding_rs::WINDOWS_1257,
        &["1257", "windows_1257"],
    ),
    (
        "cp1258",
        encoding_rs::WINDOWS_1258,
        &["1258", "windows_1258"],
    ),
    ("cp866", encoding_rs::IBM866, &["866", "csibm866", "ibm866"]),
    ("cp874", encoding_rs::WINDOWS_874, &[]),
    ("koi8_r", encoding_rs::KOI8_R, &["cskoi8r"]),
    ("koi8_u", encoding_rs::KOI8_U, &[]),
    (
        "iso8859_2",
        encoding_rs::ISO_8859_2,
        &[
            "csisolatin2",
            "iso_8859_2",
            "iso_8859_2_1987",
            "iso_ir_101",
            "l2",
            "latin2",
        ],
    ),
    (
        "iso8859_3",
        encoding_rs::ISO_8859_3,
        &[
            "csisolatin3",
            "iso_8859_3",
            "iso_8859_3_1988",
            "iso_ir_109",
            "l3",
            "latin3",
        ],
    ),
    (
        "iso8859_4",
        encoding_rs::ISO_8859_4,
        &[
            "csisolatin4",
            "iso_8859_4",
            "iso_8859_4_1988",
            "iso_ir_110",
            "l4",
            "latin4",
        ],
    ),
    (
        "iso8859_5",
        encoding_rs::ISO_8859_5,
        &[
            "csisolatincyrillic",
            "cyrillic",
            "iso_8859_5",
            "iso_8859_5_1988",
            "iso_ir_144",
        ],
    ),
    (
        "iso8859_6",
        encoding_rs::ISO_8859_6,
        &[
            "arabic",
            "asmo_708",
            "csisolatinarabic",
            "ecma_114",
            "iso_8859_6",
            "iso_8859_6_1987",
            "iso_ir_127",
        ],
    ),
    (
        "iso8859_7",
        encoding_rs::ISO_8859_7,
        &[
            "csisolatingreek",
            "ecma_118",
            "elot_928",
            "greek",
            "greek8",
            "iso_8859_7",
            "iso_8859_7_1987",
            "iso_ir_126",
        ],
    ),
    (
        "iso8859_8",
        encoding_rs::ISO_8859_8,
        &[
            "csisolatinhebrew",
            "hebrew",
            "iso_8859_8",
            "iso_8859_8_1988",
            "iso_ir_138",
        ],
    ),
    (
        "iso8859_9",
        encoding_rs::WINDOWS_1254,
        &[
            "csisolatin5",
            "iso_8859_9",
            "iso_8859_9_1989",
            "iso_ir_148",
            "l5",
            "latin5",
        ],
    ),
    (
        "iso8859_10",
        encoding_rs::ISO_8859_10,
        &[
            "csisolatin6",
            "iso_8859_10",
            "iso_8859_10_1992",
            "iso_ir_157",
            "l6",
            "latin6",
        ],
    ),
    (
        "iso8859_11",
        encoding_rs::WINDOWS_874,
        &["iso_8859_11", "iso_8859_11_2001", "thai"],
    ),
    (
        "iso8859_13",
        encoding_rs::ISO_8859_13,
        &["iso_8859_13", "l7", "latin7"],
    ),
    (
        "iso8859_14",
        encoding_rs::ISO_8859_14,
        &[
            "iso_8859_14",
            "iso_8859_14_1998",
            "iso_celtic",
            "iso_ir_199",
            "l8",
            "latin8",
        ],
    ),
    (
        "iso8859_15",
        encoding_rs::ISO_8859_15,
        &["iso_8859_15", "l9", "latin9"],
    ),
    (
        "iso8859_16",
        encoding_rs::ISO_8859_16,
        &[
            "iso_8859_16",
            "iso_8859_16_2001",
            "iso_ir_226",
            "l10",
            "latin10",
        ],
    ),
    (
        "tis_620",
        encoding_rs::WINDOWS_874,
        &[
            "iso_ir_166",
            "tis620",
            "tis_620_0",
            "tis_620_2529_0",
            "tis_620_2529_1",
        ],
    ),
    (
        "shift_jis",
        encoding_rs::SHIFT_JIS,
        &["csshiftjis", "s_jis", "shiftjis", "sjis", "x_mac_japanese"],
    ),
    (
        "cp932",
        encoding_rs::SHIFT_JIS,
        &["932", "ms932", "ms_kanji", "mskanji"],
    ),
    ("euc_jp", encoding_rs::EUC_JP, &["eucjp", "u_jis", "ujis"]),
    (
        "iso2022_jp",
        encoding_rs::ISO_2022_JP,
        &["csiso2022jp", "iso2022jp", "iso_2022_jp"],
    ),
    (
        "euc_kr",
        encoding_rs::EUC_KR,
        &[
            "euckr",
            "korean",
            "ks_c_5601",
            "ks_c_5601_1987",
            "ks_x_1001",
            "ksc5601",
            "ksx1001",
            "x_mac_korean",
        ],
    ),
    ("cp949", encoding_rs::EUC_KR, &["949", "ms949", "uhc"]),
    (
        "gb2312",
        encoding_rs::GBK,
        &[
            "chinese",
            "csiso58gb231280",
            "euc_cn",
            "euccn",
            "eucgb2312_cn",
            "gb2312_1980",
            "gb2312_80",
            "iso_ir_58",
            "x_mac_simp_chinese",
        ],
    ),
    ("gbk", encoding_rs::GBK, &["936", "cp936", "ms936"]),
    ("gb18030", encoding_rs::GB18030, &["gb18030_2000"]),
    (
        "big5",
        encoding_rs::BIG5,
        &["big5_tw", "csbig5", "x_mac_trad_chinese"],
    ),
    ("cp950", encoding_rs::BIG5, &["950", "ms950"]),
    ("big5hkscs", encoding_rs::BIG5, &["big5_hkscs", "hkscs"]),
    (
        "mac_roman",
        encoding_rs::MACINTOSH,
        &["macintosh", "macroman"],
    ),
    (
        "mac_cyrillic",
        encoding_rs::X_MAC_CYRILLIC,
        &["maccyrillic"],
    ),
];

/// CPython's other text codecs, by module name.
const UNSUPPORTED: &[&str] = &[
    "cp037",
    "cp1006",
    "cp1026",
    "cp1125",
    "cp1140",
    "cp273",
    "cp424",
    "cp437",
    "cp500",
    "cp720",
    "cp737",
    "cp775",
    "cp850",
    "cp852",
    "cp855",
    "cp856",
    "cp857",
    "cp858",
    "cp860",
    "cp861",
    "cp862",
    "cp863",
    "cp864",
    "cp865",
    "cp869",
    "cp875",
    "euc_jis_2004",
    "euc_jisx0213",
    "hp_roman8",
    "hz",
    "iso2022_jp_1",
    "iso2022_jp_2",
    "iso2022_jp_2004",
    "iso2022_jp_3",
    "iso2022_jp_ext",
    "iso2022_kr",
    "johab",
    "koi8_t",
    "kz1048",
    "mac_arabic",
    "mac_croatian",
    "mac_farsi",
    "mac_greek",
    "mac_iceland",
    "mac_latin2",
    "mac_romanian",
    "mac_turkish",
    "ptcp154",
    "shift_jis_2004",
    "shift_jisx0213",
    "utf_16",
    "utf_16_be",
    "utf_16_le",
    "utf_32",
    "utf_32_be",
    "utf_32_le",
    "utf_7",
];

/// CPython's aliases of the four codecs the caller decodes itself, by
/// codec: `utf_8`, `ascii`, `latin_1`, `cp1252`.
const BUILTIN: &[(&str, &[&str])] = &[
    (
        "utf_8",
        &[
            "utf_8",
            "cp65001",
            "u8",
            "utf",
            "utf8",
            "utf8_ucs2",
            "utf8_ucs4",
        ],
    ),
    (
        "ascii",
        &[
            "ascii",
            "646",
            "ansi_x3.4_1968",
            "ansi_x3.4_1986",
            "ansi_x3_4_1968",
            "cp367",
            "csascii",
            "ibm367",
            "iso646_us",
            "iso_646.irv_1991",
            "iso_ir_6",
            "us",
            "us_ascii",
        ],
    ),
    (
        "latin_1",
        &[
            "latin_1",
            "8859",
            "cp819",
            "csisolatin1",
            "ibm819",
            "iso8859",
            "iso8859_1",
            "iso_8859_1",
            "iso_8859_1_1987",
            "iso_ir_100",
            "l1",
            "latin",
            "latin1",
        ],
    ),
    ("cp1252", &["cp1252", "1252", "windows_1252"]),
];

/// Which of `utf_8`, `ascii`, `latin_1` and `cp1252` CPython's lookup
/// finds for `name`, if one of them.
pub(crate) fn builtin(name: &str) -> Option<&'static str> {
    let norm = normalise(name);
    let dotless = norm.replace('.', "_");
    BUILTIN
        .iter()
        .find(|(_, aliases)| {
            aliases.contains(&norm.as_str()) || aliases.contains(&dotless.as_str())
        })
        .map(|(codec, _)| *codec)
}

/// A codec name as CPython's lookup normalises it.
pub(crate) fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if gap && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// The codec CPython would find for `name` among those not handled by the
/// tokenizer itself (UTF-8, latin-1, ASCII, cp1252 are the caller's).
pub(crate) fn lookup(name: &str) -> Option<Codec> {
    let norm = normalise(name);
    let candidates = [norm.clone(), norm.replace('.', "_")];
    for key in &candidates {
        for (python, with, aliases) in DECODED {
            if python == key || aliases.contains(&key.as_str()) {
                return Some(Codec::Decoded { python, with });
            }
        }
        if let Some(python) = UNSUPPORTED.iter().find(|n| *n == key) {
            return Some(Codec::Unsupported(python));
        }
    }
    None
}

/// The known codec name closest to an unknown one, for "did you mean".
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    let norm = normalise(name);
    DECODED
        .iter()
        .flat_map(|(python, _, aliases)| std::iter::once(*python).chain(aliases.iter().copied()))
        .chain(
            BUILTIN
                .iter()
                .flat_map(|(_, aliases)| aliases.iter().copied()),
        )
        .map(|known| (strsim::jaro_winkler(&norm, known), known))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

/// Decodes `body` with `with`; `Err(offset)` of the first byte it cannot
/// decode.
pub(crate) fn decode(body: &[u8], with: &'static Rs) -> Result<String, usize> {
    let mut decoder = with.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            Err(read.saturating_sub(usize::from(bad) + usize::from(after)))
        }
        // The buffer was sized for the worst case.
        encoding_rs::DecoderResult::OutputFull => Err(read),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_in_cpython() {
        assert_eq!(normalise("KOI8-R"), "koi8_r");
        assert_eq!(normalise("  euc--JP "), "euc_jp");
        assert_eq!(normalise("iso-8859-5"), "iso_8859_5");
        assert_eq!(normalise("ansi_x3.4_1968"), "ansi_x3.4_1968");
    }

    #[test]
    fn aliases_resolve_and_unknown_names_do_not() {
        let decoded = |n: &str| match lookup(n) {
            Some(Codec::Decoded { python, .. }) => Some(python),
            _ => None,
        };
        assert_eq!(decoded("koi8-r"), Some("koi8_r"));
        assert_eq!(decoded("cskoi8r"), Some("koi8_r"));
        assert_eq!(decoded("Windows-1251"), Some("cp1251"));
        assert_eq!(decoded("latin2"), Some("iso8859_2"));
        assert_eq!(decoded("iso-8859-2"), Some("iso8859_2"));
        assert_eq!(decoded("sjis"), Some("shift_jis"));
        assert_eq!(decoded("euc_jp"), Some("euc_jp"));
        assert_eq!(decoded("gb2312"), Some("gb2312"));
        assert_eq!(decoded("big5"), Some("big5"));
        // CPython has no `latin_2`.
        assert_eq!(lookup("latin-2"), None);
        assert_eq!(lookup("cp437"), Some(Codec::Unsupported("cp437")));
        assert_eq!(lookup("utf-16"), Some(Codec::Unsupported("utf_16")));
        assert_eq!(suggest("koi8r"), Some("koi8_r"));
        assert_eq!(suggest("zzzz"), None);
    }

    #[test]
    fn decodes_and_finds_the_bad_byte() {
        // "привет" in koi8-r.
        let koi = [0xd0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4];
        assert_eq!(decode(&koi, encoding_rs::KOI8_R).unwrap(), "привет");
        // "日本" in shift_jis, then a lead byte with no trail.
        let sjis = [0x93, 0xfa, 0x96, 0x7b, b'x', 0x81];
        assert_eq!(decode(&sjis[..4], encoding_rs::SHIFT_JIS).unwrap(), "日本");
        assert_eq!(decode(&sjis, encoding_rs::SHIFT_JIS), Err(5));
    }
}
