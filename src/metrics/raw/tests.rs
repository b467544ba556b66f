//! radon-exact cases, each checked against radon 6.0.1 on CPython 3.11.

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
        ">>=", "<<=", "**=", "//=", "...", "|=", "^=", "@=", ">>", ">=", "==", "<=", "<<", ":=",
        "/=", "//", "->", "-=", "+=", "*=", "**", "&=", "%=", "!=", "~", "}", "|", "{", "^", "]",
        "[", "@", ">", "=", "<", ";", ":", "/", ".", "-", ",", "+", "*", ")", "(", "&", "%",
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
