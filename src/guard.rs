//! Input guards: what a file must satisfy before antipasta parses it.
//!
//! Stage: between reading bytes and decoding/parsing them. Input: raw bytes,
//! then decoded text. Output: `Ok` or the reason the file is refused.
//!
//! Why: ruff's parser grows its own stack, but everything after it recurses
//! over the AST without a bound — the metric walks, the function hashes and
//! even dropping the tree. A file nested 100,000 levels deep (brackets,
//! `-`/`not` chains, `a.b.c...`, `1+1+...`) would overflow any fixed stack
//! and abort the whole process. So before parsing, a token scan computes an
//! upper bound of the AST depth and files over [`MAX_NESTING`] are refused
//! with a per-file error. CPython itself refuses such files (more than 200
//! nested brackets, 100 indentation levels, or a few thousand nested
//! operators: "too many nested parentheses", "RecursionError during
//! compilation"), so no runnable Python is turned away.
//!
//! Example: `x = ((((...1...))))` with 5,000 parentheses gives the file
//! error `nesting too deep: brackets, operators and blocks nest more than
//! 3000 levels ...`; the rest of the run goes on.
//!
//! No I/O here.

use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{lexer, Mode};

/// The deepest AST antipasta analyses, as estimated by [`nesting_bound`].
/// The analysis threads have a 64 MB stack; every walk survives about 10,000
/// levels even in a debug build, so this keeps a margin of three.
pub(crate) const MAX_NESTING: u32 = 3000;

/// Stack kept free by [`ensure_stack`]: more than any single step of a walk
/// (or the unwinding after it) needs.
const STACK_RESERVE: usize = 256 * 1024;

/// Default `max_file_bytes`: larger files are skipped, not analysed.
pub(crate) const DEFAULT_MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Why a file is not analysed at all (not an error: a skip with a reason).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Skip {
    TooLarge { bytes: u64, limit: u64 },
    Binary { offset: usize },
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::TooLarge { bytes, limit } => {
                write!(f, "skipped: {bytes} bytes is over max_file_bytes = {limit}")
            }
            Skip::Binary { offset } => write!(
                f,
                "skipped: binary file (NUL byte at offset {offset}), not Python source"
            ),
        }
    }
}

/// Size and content checks on the raw bytes; `limit` 0 means no size limit.
pub(crate) fn check_bytes(bytes: &[u8], limit: u64) -> Result<(), Skip> {
    let size = bytes.len() as u64;
    if limit > 0 && size > limit {
        return Err(Skip::TooLarge { bytes: size, limit });
    }
    match bytes.iter().position(|&b| b == 0) {
        Some(offset) => Err(Skip::Binary { offset }),
        None => Ok(()),
    }
}

/// Refuses text whose AST could be deeper than `limit` levels. (ruff's
/// lexer does not expose token offsets, so the refusal has no position.)
pub(crate) fn check_nesting(text: &str, limit: u32) -> Result<(), TooDeep> {
    if nesting_exceeds(text, limit) {
        Err(TooDeep { limit })
    } else {
        Ok(())
    }
}

/// The file nests deeper than antipasta analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooDeep {
    pub limit: u32,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "nesting too deep: brackets, operators and blocks nest more than {} levels \
             (CPython cannot compile such a file either); not analysed",
            self.limit
        )
    }
}

/// Per bracket level: how many nesting tokens since the last separator, and
/// whether a `lambda` is open (its parameters' commas do not separate).
#[derive(Clone, Copy, Default)]
struct Level {
    chain: u32,
    in_lambda: bool,
}

/// Defence in depth for the recursive AST walks, called once per node: if
/// the depth estimate ever under-counts, the walk stops with a [`TooDeep`]
/// panic that [`crate::isolate::catch`] turns into this file's error,
/// instead of overflowing the stack (which aborts the process).
#[inline]
pub(crate) fn ensure_stack() {
    if stacker::remaining_stack().is_some_and(|left| left < STACK_RESERVE) {
        std::panic::panic_any(TooDeep { limit: MAX_NESTING });
    }
}

/// Scans the tokens; true when the estimated depth exceeds `limit`.
///
/// The estimate is an upper bound of the AST depth: two levels per
/// indentation (a compound statement and its clause, e.g. `try` →
/// handler → body), plus, for each open bracket, one level for the bracket
/// and one per operator, keyword, dot or bracket group seen since the last
/// comma at that level. Names, numbers and strings do not nest. Commas
/// separate siblings (elements, arguments), except between `lambda` and its
/// `:`, where they separate parameters of a node that is still open.
fn nesting_exceeds(text: &str, limit: u32) -> bool {
    let mut lexer = lexer::lex(text, Mode::Module);
    let mut indent: u32 = 0;
    let mut levels: Vec<Level> = vec![Level::default()];
    // Sum of `chain` over `levels`, kept in step to stay O(1) per token.
    let mut sum: u32 = 0;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => return false,
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Newline | TokenKind::Semi => {
                // A logical line ends: only the outermost level remains
                // (unbalanced brackets are a syntax error the parser reports).
                levels.truncate(1);
                levels[0] = Level::default();
                sum = 0;
            }
            TokenKind::Comma => {
                let top = top_mut(&mut levels);
                if !top.in_lambda {
                    sum -= top.chain;
                    top.chain = 0;
                }
            }
            TokenKind::Lpar
            | TokenKind::Lsqb
            | TokenKind::Lbrace
            | TokenKind::FStringStart
            | TokenKind::TStringStart => {
                top_mut(&mut levels).chain += 1;
                sum += 1;
                levels.push(Level::default());
            }
            TokenKind::Rpar
            | TokenKind::Rsqb
            | TokenKind::Rbrace
            | TokenKind::FStringEnd
            | TokenKind::TStringEnd => {
                if levels.len() > 1 {
                    if let Some(top) = levels.pop() {
                        sum -= top.chain;
                    }
                }
            }
            TokenKind::Name
            | TokenKind::Int
            | TokenKind::Float
            | TokenKind::Complex
            | TokenKind::String
            | TokenKind::FStringMiddle
            | TokenKind::TStringMiddle
            | TokenKind::Comment
            | TokenKind::NonLogicalNewline => {}
            other => {
                let top = top_mut(&mut levels);
                top.chain += 1;
                sum += 1;
                if other == TokenKind::Lambda {
                    top.in_lambda = true;
                }
            }
        }
        let depth = 2 * indent + levels.len() as u32 + sum;
        if depth > limit {
            return true;
        }
    }
}

fn top_mut(levels: &mut Vec<Level>) -> &mut Level {
    if levels.is_empty() {
        levels.push(Level::default());
    }
    let last = levels.len() - 1;
    &mut levels[last]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(text: &str) -> bool {
        check_nesting(text, MAX_NESTING).is_err()
    }

    #[test]
    fn ordinary_code_passes() {
        let src = "def f(a, b=1, *c, **d):\n    if a:\n        return [x.y(z) for x in b if not x]\n    return {k: v for k, v in d.items()}\n";
        assert!(!deep(src));
        assert!(!nesting_exceeds(src, 20));
    }

    #[test]
    fn large_flat_literal_passes() {
        let items: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
        let src = format!(
            "x = [{}]\ny = {{{}}}\n",
            items.join(", "),
            items.join(": 0, ")
        );
        assert!(!deep(&src));
    }

    #[test]
    fn deep_parentheses_are_refused() {
        let n = 100_000;
        assert!(deep(&format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n))));
        assert!(!deep(&format!(
            "x = {}1{}\n",
            "(".repeat(150),
            ")".repeat(150)
        )));
    }

    #[test]
    fn operator_chains_are_refused() {
        let n = 100_000;
        assert!(deep(&format!("x = {}\n", vec!["1"; n].join("+"))));
        assert!(deep(&format!("x = {}1\n", "-".repeat(n))));
        assert!(deep(&format!("x = {}1\n", "not ".repeat(n))));
        assert!(deep(&format!("x = a{}\n", ".a".repeat(n))));
        assert!(deep(&format!("x = a{}\n", "()".repeat(n))));
    }

    #[test]
    fn lambda_parameters_do_not_reset_the_chain() {
        let n = 5_000;
        assert!(deep(&format!("x = {}1\n", "lambda a, b: ".repeat(n))));
    }

    #[test]
    fn nested_fstrings_count() {
        let n = 2_000;
        assert!(deep(&format!(
            "x = {}1{}\n",
            "f\"{".repeat(n),
            "}\"".repeat(n)
        )));
    }

    #[test]
    fn deep_indentation_is_refused() {
        let mut src = String::new();
        for i in 0..2_000 {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(2_000));
        src.push_str("pass\n");
        assert!(deep(&src));
    }

    #[test]
    fn binary_and_large_files_are_skipped() {
        assert_eq!(check_bytes(b"x = 1\n", 0), Ok(()));
        assert_eq!(check_bytes(b"x\0", 0), Err(Skip::Binary { offset: 1 }));
        assert_eq!(
            check_bytes(b"x = 1\n", 3),
            Err(Skip::TooLarge { bytes: 6, limit: 3 })
        );
    }
}
