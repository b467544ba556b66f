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
//! error `nesting too deep at line 1, column 1503: brackets, operators and
//! blocks nest more than 3000 levels ...` (each bracket counts two levels)
//! and line counts only; the rest of the run goes on.
//!
//! No I/O here.

use ruff_python_ast::token::TokenKind;

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

/// The size check alone, for a size known without reading the file;
/// `limit` 0 means no size limit.
pub(crate) fn check_size(size: u64, limit: u64) -> Result<(), Skip> {
    if limit > 0 && size > limit {
        return Err(Skip::TooLarge { bytes: size, limit });
    }
    Ok(())
}

/// Size and content checks on the raw bytes; `limit` 0 means no size limit.
pub(crate) fn check_bytes(bytes: &[u8], limit: u64) -> Result<(), Skip> {
    check_size(bytes.len() as u64, limit)?;
    // A UTF-16 or UTF-32 file is full of NUL bytes but is not binary: the
    // decoder says what it is and how to fix it (save it as UTF-8).
    if crate::source::wide_bom(bytes).is_some() {
        return Ok(());
    }
    match memchr::memchr(0, bytes) {
        Some(offset) => Err(Skip::Binary { offset }),
        None => Ok(()),
    }
}

/// Refuses a token stream whose AST could be deeper than `limit` levels.
/// The parser's own tokens are used, so the file is lexed once; the parser
/// itself grows its stack as it needs and is safe at any depth.
pub(crate) fn check_nesting(
    kinds: impl Iterator<Item = TokenKind>,
    limit: u32,
) -> Result<(), TooDeep> {
    if nesting_exceeds(kinds, limit) {
        Err(TooDeep { limit, at: None })
    } else {
        Ok(())
    }
}

/// A cheap pre-check for [`check_nesting`]: true when no logical line has
/// enough tokens to reach `limit`, so the exact scan can be skipped.
///
/// The exact estimate starts every logical line (after NEWLINE or `;`) at
/// one level above the indentation's, and a token raises it by at most two
/// (an open bracket: one for the bracket, one for the new level; a binary
/// operator or any other nesting token, one). So it never exceeds
/// `2 * indent + STATEMENT_MARGIN + 1 + 2 * tokens_in_the_line`, and when
/// that bound stays within `limit` the exact scan cannot fail. Only very
/// long logical lines (large literals) pay for the exact scan; this one
/// costs a comparison or two per token.
pub(crate) fn within_token_bound(kinds: impl Iterator<Item = TokenKind>, limit: u32) -> bool {
    let mut indent: u32 = 0;
    let mut in_line: u32 = 0;
    for kind in kinds {
        // Comparisons, not a `match`: a jump per token cost as much as the
        // exact scan saved.
        let ends_line = (kind == TokenKind::Newline) | (kind == TokenKind::Semi);
        let indents = u32::from(kind == TokenKind::Indent);
        let dedents = u32::from(kind == TokenKind::Dedent);
        indent = (indent + indents).saturating_sub(dedents);
        in_line = if ends_line {
            0
        } else {
            in_line + 1 - indents - dedents
        };
        let bound =
            2u64 * u64::from(indent) + u64::from(STATEMENT_MARGIN) + 1 + 2 * u64::from(in_line);
        if bound > u64::from(limit) {
            return false;
        }
    }
    true
}

/// The file nests deeper than antipasta analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooDeep {
    pub limit: u32,
    /// Line and column (1-based) where the nesting passes the limit, when
    /// known (the caller of [`check_nesting`] has the token positions).
    pub at: Option<(u32, u32)>,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("nesting too deep")?;
        if let Some((line, column)) = self.at {
            write!(f, " at line {line}, column {column}")?;
        }
        write!(
            f,
            ": brackets, operators and blocks nest more than {} levels \
             (CPython cannot compile such a file either); not parsed",
            self.limit
        )
    }
}

/// Defence in depth for the recursive AST walks, called once per node: if
/// the depth estimate ever under-counts, the walk stops with a [`TooDeep`]
/// panic that [`crate::isolate::catch`] turns into this file's error,
/// instead of overflowing the stack (which aborts the process).
///
/// Called for every node of every walk, so the common case is one
/// comparison of a local's address against this thread's lowest safe stack
/// address, found once per thread from the stack's bounds (`stacker`). No
/// walk runs on a stack segment that `stacker::grow` switched to, so the
/// thread's own stack is the one in use; an address below the cached floor
/// re-asks `stacker` before refusing.
#[inline]
pub(crate) fn ensure_stack() {
    let marker = 0u8;
    let here = std::ptr::from_ref(&marker).addr();
    if here > STACK_FLOOR.get() {
        return;
    }
    check_stack_slowly(here);
}

thread_local! {
    /// Lowest stack address at which [`STACK_RESERVE`] is still free on this
    /// thread; `usize::MAX` until first computed (so the first call asks).
    static STACK_FLOOR: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

#[cold]
fn check_stack_slowly(here: usize) {
    let Some(left) = stacker::remaining_stack() else {
        // Bounds unknown on this platform: never refuse, as before.
        STACK_FLOOR.set(0);
        return;
    };
    STACK_FLOOR.set(here.saturating_sub(left).saturating_add(STACK_RESERVE));
    if left < STACK_RESERVE {
        std::panic::panic_any(TooDeep {
            limit: MAX_NESTING,
            at: None,
        });
    }
}

/// Binary operators by precedence tier, loosest first. `*` and `**` also
/// unpack (`f(*a)`, `{**d}`): counted as operators, they still add a level.
fn binary_tier(kind: TokenKind) -> Option<usize> {
    Some(match kind {
        TokenKind::Vbar => 0,
        TokenKind::CircumFlex => 1,
        TokenKind::Amper => 2,
        TokenKind::LeftShift | TokenKind::RightShift => 3,
        TokenKind::Plus | TokenKind::Minus => 4,
        TokenKind::Star
        | TokenKind::Slash
        | TokenKind::DoubleSlash
        | TokenKind::Percent
        | TokenKind::At => 5,
        TokenKind::DoubleStar => 6,
        _ => return None,
    })
}

const TIERS: usize = 7;

/// One bracket level of the scan (the logical line is level 0).
#[derive(Clone, Copy, Default)]
struct Level {
    /// Nesting tokens other than binary operators since the last separator
    /// (unary operators, `.`, keywords, calls, comparisons, ...): each can
    /// add one node to any path, so they are summed.
    chain: u32,
    /// Binary operators since the last separator, per tier: `ops[t]` in the
    /// current tier-`t` expression, `done[t]` the deepest finished operand of
    /// it. A chain of `+` adds one level per `+`, but the `*` inside each
    /// term only as deep as the deepest term — so a long polynomial costs
    /// its number of terms, not its number of operators.
    ops: [u32; TIERS],
    done: [u32; TIERS],
    /// [`Level::binary_depth`] of `ops` and `done`, kept up to date by
    /// [`Level::push_binary`] (the only change to them besides a reset), so
    /// that the depth checked after every token costs no loop.
    binary: u32,
    /// `lambda`s whose parameter list is still open: the commas between
    /// `lambda` and its `:` do not separate siblings.
    open_lambdas: u32,
}

impl Level {
    /// Depth of the binary-operator tree so far.
    fn binary_depth(&self) -> u32 {
        let mut inner = 0;
        for t in (0..TIERS).rev() {
            inner = self.ops[t] + self.done[t].max(inner);
        }
        inner
    }

    fn depth(&self) -> u32 {
        self.chain + self.binary
    }

    /// A binary operator of `tier`: the operands of tighter tiers end here.
    fn push_binary(&mut self, tier: usize) {
        let mut inner = 0;
        for t in (tier + 1..TIERS).rev() {
            inner = self.ops[t] + self.done[t].max(inner);
            self.ops[t] = 0;
            self.done[t] = 0;
        }
        self.done[tier] = self.done[tier].max(inner);
        self.ops[tier] += 1;
        self.binary = self.binary_depth();
    }

    fn separate(&mut self) {
        *self = Level {
            open_lambdas: self.open_lambdas,
            ..Level::default()
        };
    }
}

/// Nodes above every expression that no token shows (module, statement).
const STATEMENT_MARGIN: u32 = 2;

/// Scans the tokens; true when the estimated depth exceeds `limit`.
///
/// The estimate is an upper bound of the AST depth: two levels per
/// indentation (a compound statement and its clause, e.g. `try` → handler
/// → body), plus, for each open bracket, one level for the bracket, the
/// depth of the binary-operator tree since the last comma (by precedence,
/// see [`Level`]) and one per other operator, keyword, dot or bracket group
/// since that comma. Names, numbers and strings do not nest. Commas separate
/// siblings (elements, arguments), except between `lambda` and its `:`,
/// where they separate parameters of a node that is still open.
fn nesting_exceeds(mut kinds: impl Iterator<Item = TokenKind>, limit: u32) -> bool {
    let mut indent: u32 = 0;
    let mut levels: Vec<Level> = vec![Level::default()];
    // Sum of the depths of every level but the innermost.
    let mut outer: u32 = 0;
    // Whether the previous token ends an operand (so `-` is binary).
    let mut after_operand = false;
    loop {
        let Some(kind) = kinds.next() else {
            return false;
        };
        let mut operand = false;
        let top = levels.len() - 1;
        match kind {
            TokenKind::EndOfFile => return false,
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Newline | TokenKind::Semi => {
                // A logical line ends: only the outermost level remains
                // (unbalanced brackets are a syntax error the parser reports).
                levels.truncate(1);
                levels[0] = Level::default();
                outer = 0;
            }
            TokenKind::Comma => {
                if levels[top].open_lambdas == 0 {
                    levels[top].separate();
                }
            }
            TokenKind::Lpar
            | TokenKind::Lsqb
            | TokenKind::Lbrace
            | TokenKind::FStringStart
            | TokenKind::TStringStart => {
                levels[top].chain += 1;
                outer += levels[top].depth();
                levels.push(Level::default());
            }
            TokenKind::Rpar
            | TokenKind::Rsqb
            | TokenKind::Rbrace
            | TokenKind::FStringEnd
            | TokenKind::TStringEnd => {
                if levels.len() > 1 {
                    levels.pop();
                    let top = levels.len() - 1;
                    outer -= levels[top].depth();
                }
                operand = true;
            }
            TokenKind::Name
            | TokenKind::Int
            | TokenKind::Float
            | TokenKind::Complex
            | TokenKind::String
            | TokenKind::FStringMiddle
            | TokenKind::TStringMiddle
            | TokenKind::None
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Ellipsis
            // Soft keywords: names, or statements that indentation counts.
            | TokenKind::Match
            | TokenKind::Case
            | TokenKind::Type
            | TokenKind::Lazy => {
                // Operands (about half of all tokens) leave every level as
                // it was, so the depth needs no new check.
                after_operand = true;
                continue;
            }
            TokenKind::Comment | TokenKind::NonLogicalNewline => continue,
            other => match binary_tier(other) {
                Some(tier) if after_operand || !matches!(other, TokenKind::Plus | TokenKind::Minus) => {
                    levels[top].push_binary(tier);
                }
                _ => {
                    let level = &mut levels[top];
                    level.chain += 1;
                    match other {
                        TokenKind::Lambda => level.open_lambdas += 1,
                        TokenKind::Colon => level.open_lambdas = level.open_lambdas.saturating_sub(1),
                        _ => {}
                    }
                }
            },
        }
        after_operand = operand;
        let top = levels.len() - 1;
        let depth =
            2 * indent + STATEMENT_MARGIN + levels.len() as u32 + outer + levels[top].depth();
        if depth > limit {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> impl Iterator<Item = TokenKind> + '_ {
        let mut lexer = ruff_python_parser::lexer::lex(text, ruff_python_parser::Mode::Module);
        std::iter::from_fn(move || Some(lexer.next_token()))
            .take_while(|k| *k != TokenKind::EndOfFile)
    }

    /// The exact scan's verdict, after checking that the pre-check never
    /// clears a file the exact scan refuses.
    fn deep(text: &str) -> bool {
        let exceeds = check_nesting(kinds(text), MAX_NESTING).is_err();
        if exceeds {
            assert!(!within_token_bound(kinds(text), MAX_NESTING));
        }
        exceeds
    }

    #[test]
    fn token_bound_clears_ordinary_code_and_trips_on_long_lines() {
        let src =
            "def f(a, b=1, *c, **d):\n    if a:\n        return [x.y(z) for x in b if not x]\n";
        assert!(within_token_bound(kinds(src), MAX_NESTING));
        // Every limit the bound clears, the exact scan clears too.
        for limit in 0..40 {
            if within_token_bound(kinds(src), limit) {
                assert!(!nesting_exceeds(kinds(src), limit), "limit {limit}");
            }
        }
        let long = format!("x = [{}]\n", vec!["1"; 2_000].join(", "));
        assert!(!within_token_bound(kinds(&long), MAX_NESTING));
        assert!(!deep(&long));
    }

    #[test]
    fn ordinary_code_passes() {
        let src = "def f(a, b=1, *c, **d):\n    if a:\n        return [x.y(z) for x in b if not x]\n    return {k: v for k, v in d.items()}\n";
        assert!(!deep(src));
        assert!(!nesting_exceeds(kinds(src), 20));
        assert!(nesting_exceeds(kinds(src), 3));
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
    fn lambda_defaults_holding_lambdas_do_not_reset_the_chain() {
        let n = 5_000;
        assert!(deep(&format!(
            "x = {}1\n",
            "lambda a=lambda: 1, b: ".repeat(n)
        )));
    }

    #[test]
    fn binary_depth_follows_precedence() {
        let mut level = Level::default();
        // a*b*c + d*e + f: `+` twice over the deepest term (two `*`).
        for tier in [5, 5, 4, 5, 4] {
            level.push_binary(tier);
        }
        assert_eq!(level.binary_depth(), 4);
    }

    #[test]
    fn long_polynomials_pass() {
        let term = "- 2*s1**5*s4*s2*s3 ";
        assert!(!deep(&format!("x = ({})\n", term.repeat(2_000))));
        assert!(deep(&format!("x = ({})\n", term.repeat(4_000))));
    }

    #[test]
    fn many_lambdas_in_a_list_pass() {
        // sympy's resolvent_lookup.py: long lists of `lambda s1, s2: (...)`.
        let item = "lambda s1, s2, s3, s4: (-2*s1*s2 + 6*s3),\n";
        assert!(!deep(&format!("x = [\n{}]\n", item.repeat(5_000))));
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
    fn ensure_stack_stops_a_walk_before_the_stack_overflows() {
        fn walk(depth: u32) -> u32 {
            ensure_stack();
            let frame = std::hint::black_box([depth as u8; 512]);
            if depth == 0 {
                0
            } else {
                walk(depth - 1).wrapping_add(u32::from(frame[0]))
            }
        }
        let outcome = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| std::panic::catch_unwind(|| walk(1_000_000)))
            .unwrap()
            .join()
            .unwrap();
        let payload = outcome.expect_err("a million 512-byte frames fit in 2 MB");
        assert!(payload.downcast_ref::<TooDeep>().is_some());
        // The same thread's shallow walks still pass.
        let shallow = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| walk(100))
            .unwrap()
            .join();
        assert!(shallow.is_ok());
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
