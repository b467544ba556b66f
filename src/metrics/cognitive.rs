//! Cognitive complexity, value-exact with complexipy 8.3.0.
//!
//! What it measures: how hard a function is to *read*, rather than how many
//! paths it has. Every break in the linear flow (`if`, loop, `except`, `match`,
//! ternary, comprehension, boolean sequence) costs 1, and the flow breaks that
//! sit inside other ones cost extra: one more per enclosing level. Deeply
//! nested code therefore scores far higher than flat code with the same
//! number of branches, which is the point: nesting is what people find hard.
//!
//! Why it matters: it is the gate `complexipy` users already rely on
//! (`cognitive_complexity`, complexipy's default limit is 15), so the numbers
//! here must be the ones complexipy prints, quirks included.
//!
//! Example:
//!
//! ```python
//! def f(a, b):
//!     for x in a:          # +1 (loop at nesting 0)
//!         if x and b:      # +2 (if at nesting 1) +1 (boolean sequence)
//!             pass
//!         else:            # +1 (else never pays for nesting)
//!             pass
//! ```
//!
//! scores 5.
//!
//! Quirks kept on purpose, because complexipy has them:
//! * `elif` and `else` cost 1 and never pay the nesting bonus; `else: if` costs
//!   more than `elif`. A loop's `else` costs 0 and its body stays at the loop's level.
//! * `try` and `with` do not nest; each `except` costs 1 + nesting.
//! * `match` costs 1 + nesting once; cases and guards cost nothing.
//! * Expressions are only looked into through a few node kinds (boolean and
//!   unary operators, comparisons, ternaries, lambdas, comprehensions,
//!   positional call arguments, tuple/list/set elements, dict values). Anything
//!   else (attribute, subscript, arithmetic, `await`, walrus, f-string, keyword
//!   arguments, dict keys, ...) is opaque and scores 0 however complex inside.
//! * Inside a boolean operand only further boolean/unary operators are seen:
//!   `a and (b if c else d)` is 1.
//! * Nested defs are folded into their function: a def directly in a def's body
//!   is one level deeper, except for the decorator shape (a body of exactly a
//!   def and a return), where the inner def stays at the same level and the
//!   return is not scored.
//! * A call to the function's own bare name adds 1, once.
//!
//! complexipy also skips a function carrying `# complexipy: ignore` or
//! `# noqa: complexipy` near its header; [`crate::suppress`] finds those
//! markers. Whether to honour them is the caller's choice.
use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{
    BoolOp, Comprehension, ExceptHandler, Expr, ExprBoolOp, ExprUnaryOp, Stmt, StmtFunctionDef,
};
use ruff_text_size::Ranged;

/// Cognitive complexity of a function scored as complexipy scores a reported function
/// (nested defs and classes folded in, recursion bonus included).
///
/// Applied to a nested function it scores that function on its own, as if it
/// were a top-level one (nesting restarts at 0).
///
/// `source` is the text `def` was parsed from and `verbatim_names` whether
/// every identifier in it is spelled as the parser stores it (see
/// [`verbatim_names`]); they let the recursion search skip bodies that
/// cannot mention the function's name.
pub(crate) fn cognitive(def: &StmtFunctionDef, source: &str, verbatim_names: bool) -> u32 {
    def_body(def, 0, Scope::Function) + recursion_bonus(def, source, verbatim_names)
}

/// Whether every name token of `source` is ASCII, so that the parser stores
/// it exactly as written (it NFKC-normalises non-ASCII identifiers).
pub(crate) fn verbatim_names(source: &str, tokens: &Tokens) -> bool {
    source.is_ascii()
        || tokens.iter().all(|t| {
            t.kind() != TokenKind::Name
                || source
                    .get(t.start().to_usize()..t.end().to_usize())
                    .is_some_and(str::is_ascii)
        })
}

/// complexipy's module-level score (`<module>`).
///
/// Module statements are scored at nesting 0; defs and classes anywhere in
/// them count 0 (complexipy reports the defs separately and ignores class-body
/// statements altogether).
pub(crate) fn module_level(body: &[Stmt]) -> u32 {
    suite(body, 0, Scope::Module)
}

/// Where a statement is being scored. At module level complexipy does not fold
/// defs and classes into the score; inside a function it does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Function,
    Module,
}

fn suite(stmts: &[Stmt], nesting: u32, scope: Scope) -> u32 {
    stmts.iter().map(|s| stmt(s, nesting, scope)).sum()
}

/// The body of a def that received `nesting`: defs directly in it go one level
/// deeper, everything else stays, and the decorator shape flattens.
fn def_body(def: &StmtFunctionDef, nesting: u32, scope: Scope) -> u32 {
    if let [Stmt::FunctionDef(inner), Stmt::Return(_)] = def.body.as_slice() {
        // A decorator (or factory) wraps its inner def without adding a level,
        // and complexipy does not look at the `return` at all.
        return def_body(inner, nesting, scope);
    }
    def.body
        .iter()
        .map(|s| match s {
            Stmt::FunctionDef(inner) => def_body(inner, nesting + 1, scope),
            _ => stmt(s, nesting, scope),
        })
        .sum()
}

fn stmt(s: &Stmt, nesting: u32, scope: Scope) -> u32 {
    crate::guard::ensure_stack();
    let n = nesting;
    match s {
        Stmt::FunctionDef(def) => match scope {
            Scope::Function => def_body(def, n, scope),
            Scope::Module => 0,
        },
        Stmt::ClassDef(class) => match scope {
            // Only the methods of a class inside a function are scored, at the
            // class's own level; other class-body statements are ignored.
            Scope::Function => class
                .body
                .iter()
                .map(|s| match s {
                    Stmt::FunctionDef(def) => def_body(def, n, scope),
                    _ => 0,
                })
                .sum(),
            Scope::Module => 0,
        },
        Stmt::Assign(a) => expr(&a.value, n),
        Stmt::AugAssign(a) => expr(&a.value, n),
        Stmt::AnnAssign(a) => opt_expr(a.value.as_deref(), n),
        Stmt::For(f) => {
            1 + n + expr(&f.iter, n) + suite(&f.body, n + 1, scope) + suite(&f.orelse, n, scope)
        }
        Stmt::While(w) => {
            1 + n + expr(&w.test, n) + suite(&w.body, n + 1, scope) + suite(&w.orelse, n, scope)
        }
        Stmt::If(i) => {
            let head = 1 + n + expr(&i.test, n) + suite(&i.body, n + 1, scope);
            // elif and else cost 1 each with no nesting bonus; their bodies nest.
            let clauses: u32 = i
                .elif_else_clauses
                .iter()
                .map(|c| 1 + opt_expr(c.test.as_ref(), n) + suite(&c.body, n + 1, scope))
                .sum();
            head + clauses
        }
        Stmt::Try(t) => {
            let handlers: u32 = t
                .handlers
                .iter()
                .map(|h| match h {
                    ExceptHandler::ExceptHandler(h) => 1 + n + suite(&h.body, n + 1, scope),
                })
                .sum();
            suite(&t.body, n, scope)
                + handlers
                + suite(&t.orelse, n, scope)
                + suite(&t.finalbody, n, scope)
        }
        Stmt::Match(m) => {
            1 + n
                + m.cases
                    .iter()
                    .map(|c| suite(&c.body, n + 1, scope))
                    .sum::<u32>()
        }
        Stmt::With(w) => {
            w.items
                .iter()
                .map(|item| expr(&item.context_expr, n))
                .sum::<u32>()
                + suite(&w.body, n, scope)
        }
        Stmt::Return(r) => opt_expr(r.value.as_deref(), n),
        Stmt::Raise(r) => opt_expr(r.exc.as_deref(), n) + opt_expr(r.cause.as_deref(), n),
        Stmt::Assert(a) => expr(&a.test, n) + opt_expr(a.msg.as_deref(), n),
        Stmt::Expr(e) => expr(&e.value, n),
        Stmt::Delete(_)
        | Stmt::TypeAlias(_)
        | Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::Global(_)
        | Stmt::Nonlocal(_)
        | Stmt::Pass(_)
        | Stmt::Break(_)
        | Stmt::Continue(_)
        | Stmt::IpyEscapeCommand(_) => 0,
    }
}

fn opt_expr(e: Option<&Expr>, nesting: u32) -> u32 {
    e.map_or(0, |e| expr(e, nesting))
}

/// Score of an expression. Only the kinds listed here are looked into; every
/// other kind is opaque to complexipy and scores 0 with its whole subtree.
fn expr(e: &Expr, nesting: u32) -> u32 {
    crate::guard::ensure_stack();
    let n = nesting;
    match e {
        Expr::BoolOp(b) => bool_sequence(b),
        Expr::UnaryOp(u) => unary(u),
        Expr::Compare(c) => {
            expr(&c.left, n) + c.comparators.iter().map(|x| expr(x, n)).sum::<u32>()
        }
        Expr::If(t) => 1 + n + expr(&t.test, n) + expr(&t.body, n + 1) + expr(&t.orelse, n + 1),
        Expr::Lambda(l) => expr(&l.body, n + 1),
        Expr::ListComp(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::SetComp(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::Generator(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::DictComp(c) => match c.key.as_deref() {
            Some(key) => comprehension(&[key, &c.value], &c.generators, n),
            None => comprehension(&[&c.value], &c.generators, n),
        },
        // Keyword arguments and the callee are not examined; a starred
        // positional argument is opaque like any `Starred`.
        Expr::Call(c) => c.arguments.args.iter().map(|a| expr(a, n)).sum(),
        Expr::Tuple(t) => t.elts.iter().map(|x| expr(x, n)).sum(),
        Expr::List(l) => l.elts.iter().map(|x| expr(x, n)).sum(),
        Expr::Set(s) => s.elts.iter().map(|x| expr(x, n)).sum(),
        // Values only: keys are opaque, and `**m` contributes through `m`.
        Expr::Dict(d) => d.items.iter().map(|item| expr(&item.value, n)).sum(),
        _ => 0,
    }
}

/// Each `for` clause costs 1 + nesting, each filter 1 more; the element(s) and
/// the filters' own contents are one level deeper.
fn comprehension(elements: &[&Expr], generators: &[Comprehension], nesting: u32) -> u32 {
    let clauses: u32 = generators
        .iter()
        .map(|g| {
            1 + nesting
                + expr(&g.iter, nesting)
                + g.ifs.iter().map(|f| 1 + expr(f, nesting + 1)).sum::<u32>()
        })
        .sum();
    clauses + elements.iter().map(|e| expr(e, nesting + 1)).sum::<u32>()
}

/// A boolean operator node starting a sequence: 1, plus what its operands add.
fn bool_sequence(b: &ExprBoolOp) -> u32 {
    1 + b.values.iter().map(|v| bool_operand(v, b.op)).sum::<u32>()
}

/// An operand of a boolean operator `parent`. A nested boolean operator costs
/// 1 only when its operator differs (`a and b or c` is two sequences); inside
/// operands nothing but boolean and unary operators is looked at.
fn bool_operand(v: &Expr, parent: BoolOp) -> u32 {
    match v {
        Expr::BoolOp(b) => {
            u32::from(b.op != parent) + b.values.iter().map(|w| bool_operand(w, b.op)).sum::<u32>()
        }
        Expr::UnaryOp(u) => unary(u),
        _ => 0,
    }
}

/// Any unary operator starts a fresh sequence for the boolean operator under
/// it (`a and not (b and c)` is 2); chains of unary operators are seen through.
fn unary(u: &ExprUnaryOp) -> u32 {
    match &*u.operand {
        Expr::BoolOp(b) => bool_sequence(b),
        Expr::UnaryOp(inner) => unary(inner),
        _ => 0,
    }
}

/// 1 if the function's body calls the function by its bare name. Nested defs,
/// classes and lambdas are not searched (their calls are someone else's), nor
/// are the function's own decorators, defaults and annotations.
fn recursion_bonus(def: &StmtFunctionDef, source: &str, verbatim_names: bool) -> u32 {
    if verbatim_names && !mentions(def, source) {
        return 0;
    }
    let mut finder = SelfCall {
        name: def.name.as_str(),
        found: false,
    };
    for s in &def.body {
        finder.visit_stmt(s);
        if finder.found {
            return 1;
        }
    }
    0
}

/// Whether the text of the def's body may call the def by name: some
/// occurrence of the name is a whole word, not right after a `.` (an
/// attribute) and followed by `(` or `)` (a call, maybe of a parenthesised
/// name). Whitespace, line breaks and backslashes are looked past; a `#` or
/// `\\` after the name is taken as a possible call. Sound only when every
/// identifier is spelled as the parser stores it (see [`verbatim_names`]).
fn mentions(def: &StmtFunctionDef, source: &str) -> bool {
    let (Some(first), Some(last)) = (def.body.first(), def.body.last()) else {
        return false;
    };
    let Some(body) = source
        .as_bytes()
        .get(first.range().start().to_usize()..last.range().end().to_usize())
    else {
        return true;
    };
    let name = def.name.as_str().as_bytes();
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let is_gap = |b: &&u8| matches!(b, b' ' | b'\t' | b'\x0c' | b'\n' | b'\r' | b'\\');
    let Some(&first_byte) = name.first() else {
        // A name lost to error recovery: search the tree instead.
        return true;
    };
    // Building a substring searcher per function cost more than it saved
    // on bodies this short: find the first byte, then compare.
    let mut occurrences =
        memchr::memchr_iter(first_byte, body).filter(|&at| body[at..].starts_with(name));
    occurrences.any(|at| {
        let before = &body[..at];
        let after = &body[at + name.len()..];
        if before.last().is_some_and(is_word) || after.first().is_some_and(is_word) {
            return false;
        }
        if before.iter().rev().find(|b| !is_gap(b)) == Some(&b'.') {
            return false;
        }
        after
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\x0c' | b'\n' | b'\r'))
            .is_none_or(|b| matches!(b, b'(' | b')' | b'#' | b'\\'))
    })
}

struct SelfCall<'n> {
    name: &'n str,
    found: bool,
}

impl<'a> Visitor<'a> for SelfCall<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        crate::guard::ensure_stack();
        if self.found || matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        crate::guard::ensure_stack();
        if self.found {
            return;
        }
        match expr {
            Expr::Lambda(_) => {}
            Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == self.name) =>
            {
                self.found = true;
            }
            _ => walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Score of the first def named `name` anywhere in `src` (top level, in a
    /// class, or nested), scored as complexipy scores a reported function.
    fn cog(src: &str, name: &str) -> u32 {
        let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
        let def = find_def(&parsed.syntax().body, name).expect("def present");
        cognitive(def, src, verbatim_names(src, parsed.tokens()))
    }

    fn find_def<'a>(stmts: &'a [Stmt], name: &str) -> Option<&'a StmtFunctionDef> {
        stmts.iter().find_map(|s| match s {
            Stmt::FunctionDef(d) if d.name.as_str() == name => Some(d),
            Stmt::FunctionDef(d) => find_def(&d.body, name),
            Stmt::ClassDef(c) => find_def(&c.body, name),
            Stmt::If(i) => find_def(&i.body, name),
            Stmt::For(f) => find_def(&f.body, name),
            _ => None,
        })
    }

    fn module(src: &str) -> u32 {
        let parsed = ruff_python_parser::parse_module(src).expect("test snippet parses");
        module_level(&parsed.syntax().body)
    }

    #[test]
    fn elif_chain() {
        let src = "def f(a, b):\n    if a:\n        pass\n    elif b:\n        pass\n    else:\n        pass\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn nested_ifs() {
        let src =
            "def f(a, b, c):\n    if a:\n        if b:\n            if c:\n                pass\n";
        assert_eq!(cog(src, "f"), 6);
    }

    #[test]
    fn elif_bodies_nest_but_elif_does_not() {
        let src = "def f(a, b, c):\n    for x in a:\n        if b:\n            pass\n        elif c:\n            if x:\n                pass\n        else:\n            pass\n";
        assert_eq!(cog(src, "f"), 8);
    }

    #[test]
    fn else_if_costs_more_than_elif() {
        let src =
            "def f(a, b):\n    if a:\n        pass\n    else:\n        if b:\n            pass\n";
        assert_eq!(cog(src, "f"), 4);
    }

    #[test]
    fn elif_tests_are_scored() {
        let src = "def f(a, b):\n    for x in a:\n        if a:\n            pass\n        elif a and b:\n            pass\n        elif x if a else b:\n            pass\n";
        assert_eq!(cog(src, "f"), 8);
    }

    #[test]
    fn boolean_sequences() {
        assert_eq!(cog("def f(a, b, c):\n    return a and b and c\n", "f"), 1);
        assert_eq!(cog("def f(a, b, c):\n    return a and b or c\n", "f"), 2);
        assert_eq!(
            cog(
                "def f(a, b, c, d, e):\n    return a and b or c and d or e\n",
                "f"
            ),
            3
        );
        assert_eq!(cog("def f(a, b, c):\n    return (a and b) and c\n", "f"), 1);
    }

    #[test]
    fn unary_starts_a_fresh_sequence() {
        assert_eq!(
            cog("def f(a, b, c):\n    return a and not (b and c)\n", "f"),
            2
        );
        assert_eq!(
            cog(
                "def f(a, b):\n    x = not not (a and b)\n    y = -(a or b)\n",
                "f"
            ),
            2
        );
        assert_eq!(
            cog(
                "def f(a, b, c):\n    return a or not b or (not (c and a))\n",
                "f"
            ),
            2
        );
    }

    #[test]
    fn bool_operands_are_not_looked_into() {
        assert_eq!(
            cog(
                "def f(a, b, c, d):\n    return a and (b if c else d)\n",
                "f"
            ),
            1
        );
        assert_eq!(
            cog("def f(a, b):\n    return not (a == (b or a))\n", "f"),
            0
        );
    }

    #[test]
    fn if_test_with_bool_ops_in_loop() {
        let src = "def f(a, b, c):\n    for x in a:\n        if b and c or x:\n            pass\n";
        assert_eq!(cog(src, "f"), 5);
    }

    #[test]
    fn loop_else_adds_nothing_and_does_not_nest() {
        let src = "def f(a, b):\n    for x in a:\n        pass\n    else:\n        if b:\n            pass\n    while b:\n        pass\n";
        assert_eq!(cog(src, "f"), 3);
        let src = "def f(a):\n    while a:\n        if a:\n            pass\n    else:\n        if a:\n            pass\n";
        assert_eq!(cog(src, "f"), 4);
    }

    #[test]
    fn break_and_continue_are_free() {
        let src =
            "def f(a):\n    while True:\n        if a:\n            break\n        continue\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn try_except_else_finally() {
        let src = "def f(a):\n    try:\n        if a:\n            pass\n    except ValueError:\n        if a:\n            pass\n    except Exception:\n        pass\n    else:\n        pass\n    finally:\n        pass\n";
        assert_eq!(cog(src, "f"), 5);
    }

    #[test]
    fn nested_try_finally_in_loop() {
        let src = "def f(a):\n    for x in a:\n        try:\n            if x:\n                pass\n        except E:\n            if x:\n                pass\n        finally:\n            if x:\n                pass\n";
        assert_eq!(cog(src, "f"), 10);
    }

    #[test]
    fn except_star() {
        let src = "def f():\n    try:\n        pass\n    except* ValueError:\n        pass\n";
        assert_eq!(cog(src, "f"), 1);
    }

    #[test]
    fn match_guards_ignored() {
        let src = "def f(v, a, b):\n    match v:\n        case 1 if a and b:\n            if a:\n                pass\n        case _:\n            pass\n";
        assert_eq!(cog(src, "f"), 3);
        let src = "def f(v, a):\n    if a:\n        match v:\n            case 1:\n                if a:\n                    pass\n";
        assert_eq!(cog(src, "f"), 6);
    }

    #[test]
    fn with_does_not_nest() {
        let src = "def f(a, b):\n    with open(a or b) as fh:\n        if fh:\n            pass\n";
        assert_eq!(cog(src, "f"), 2);
        let src = "def f(a, b):\n    with a or b as x, (b and a) as y:\n        pass\n";
        assert_eq!(cog(src, "f"), 2);
    }

    #[test]
    fn nested_ternary() {
        assert_eq!(
            cog(
                "def f(a, b, c, d):\n    x = a if b else (c if d else a)\n",
                "f"
            ),
            3
        );
    }

    #[test]
    fn lambda_nests_its_body() {
        assert_eq!(cog("def f(a, b):\n    g = lambda: a if b else a\n", "f"), 2);
        assert_eq!(
            cog(
                "def f(y):\n    for x in y:\n        g = lambda q: q if x else y\n",
                "f"
            ),
            4
        );
    }

    #[test]
    fn comprehensions() {
        assert_eq!(
            cog(
                "def f(y, z):\n    return [x for x in y if x if z for w in x]\n",
                "f"
            ),
            4
        );
        assert_eq!(
            cog("def f(y):\n    return [[j for j in i] for i in y]\n", "f"),
            3
        );
        assert_eq!(
            cog(
                "def f(y):\n    for i in y:\n        z = [j for j in i if j]\n",
                "f"
            ),
            4
        );
        assert_eq!(
            cog(
                "def f(y):\n    return {k: (v if k else 0) for k, v in y if k for z in k}\n",
                "f"
            ),
            5
        );
        assert_eq!(cog("def f(y):\n    return any(x for x in y)\n", "f"), 1);
    }

    #[test]
    fn direct_recursion_counts_once() {
        let src = "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1) + fact(n - 2)\n";
        assert_eq!(cog(src, "fact"), 2);
        // Found inside a comprehension; its positional argument is not needed.
        assert_eq!(cog("def f(a):\n    return [f(x) for x in a]\n", "f"), 2);
        assert_eq!(cog("def f(a):\n    return g(k=f(a))\n", "f"), 1);
    }

    #[test]
    fn recursion_through_a_normalised_name() {
        // The parser NFKC-normalises identifiers: `ﬁ` (a ligature) is `fi`,
        // so the call recurses although the text never spells `fi` again.
        assert_eq!(cog("def fi():\n    return \u{fb01}()\n", "fi"), 1);
        assert_eq!(cog("def fi():\n    return fj()\n", "fi"), 0);
    }

    #[test]
    fn recursion_search_sees_past_spacing() {
        // The text pre-check must not hide any of these calls.
        for body in [
            "return (f)(a)",
            "return f (a)",
            "return ( f\n  )(a)",
            "return f \\\n (a)",
            "return g(f\n  # why\n  (a))",
            "x = 1;f(a)",
            "return g(*[f(b)])",
        ] {
            assert_eq!(cog(&format!("def f(a):\n    {body}\n"), "f"), 1, "{body}");
        }
        for body in [
            "return x.f(a)",
            "return x . f(a)",
            "return ff(a) + f_(a)",
            "return f",
            "return 'f(a)'",
        ] {
            assert_eq!(cog(&format!("def f(a):\n    {body}\n"), "f"), 0, "{body}");
        }
    }

    #[test]
    fn recursion_search_skips_nested_scopes() {
        let src = "def f(a):\n    g = lambda: f(a)\n    def h():\n        f(a)\n    class K:\n        x = f(a)\n    return g\n";
        assert_eq!(cog(src, "f"), 0);
        assert_eq!(cog("def f(a):\n    return g(k=f)\n", "f"), 0);
    }

    #[test]
    fn method_call_is_not_recursion() {
        let src = "class A:\n    def m(self, n):\n        return self.m(n - 1)\n";
        assert_eq!(cog(src, "m"), 0);
    }

    #[test]
    fn nested_def_is_one_level_deeper() {
        let src = "def outer(a, b):\n    if a:\n        pass\n    def inner():\n        if b:\n            pass\n    return inner\n";
        assert_eq!(cog(src, "outer"), 3);
        let src = "def f(a):\n    x = 1\n    def g():\n        def h():\n            if a:\n                pass\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn def_inside_block_takes_the_block_level() {
        let src =
            "def f(a):\n    if a:\n        def g():\n            if a:\n                pass\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn decorator_shape_flattens() {
        let src = "def deco(fn):\n    def wrapper(*args):\n        if args:\n            return fn(*args)\n    return wrapper\n";
        assert_eq!(cog(src, "deco"), 1);
        let src = "def f(x):\n    def g(fn):\n        def w():\n            if x:\n                pass\n        return w\n    return g\n";
        assert_eq!(cog(src, "f"), 1);
        let src = "def f(x):\n    async def w():\n        if x:\n            pass\n    return w\n";
        assert_eq!(cog(src, "f"), 1);
    }

    #[test]
    fn decorator_shape_ignores_the_return() {
        let src = "def f(a, b):\n    def g():\n        pass\n    return a and b\n";
        assert_eq!(cog(src, "f"), 0);
    }

    #[test]
    fn decorator_shape_broken_by_extra_statement() {
        let src = "def deco(fn):\n    x = 1\n    def wrapper(*args):\n        if args:\n            return fn(*args)\n    return wrapper\n";
        assert_eq!(cog(src, "deco"), 2);
    }

    #[test]
    fn decorators_and_defaults_ignored() {
        let src = "class A:\n    @dec(a if b else c)\n    def m(self, x=a if b else c):\n        if x:\n            pass\n    class B:\n        def m2(self):\n            pass\n";
        assert_eq!(cog(src, "m"), 1);
        assert_eq!(cog(src, "m2"), 0);
    }

    #[test]
    fn class_inside_function() {
        let src = "def f():\n    class K:\n        def m(self, a):\n            if a:\n                pass\n    return K\n";
        assert_eq!(cog(src, "f"), 1);
        // Only the class's own defs count; other statements and nested
        // classes are ignored, and a def inside a method nests as usual.
        let src = "def f(a):\n    class K:\n        x = a if a else 1\n        class J:\n            def n(self):\n                if a:\n                    pass\n        def m(self):\n            def inner():\n                if a:\n                    pass\n    return K\n";
        assert_eq!(cog(src, "f"), 2);
    }

    #[test]
    fn nested_function_scored_on_its_own() {
        let src = "def outer(a):\n    for x in a:\n        def inner(b):\n            if b:\n                pass\n";
        assert_eq!(cog(src, "inner"), 1);
        assert_eq!(cog(src, "outer"), 3);
    }

    #[test]
    fn opaque_expressions() {
        let src = "def f(a, b):\n    g(k=a and b)\n    x = d[a and b]\n    y = (a and b) + 1\n    z = f\"{a and b}\"\n    if (w := a and b):\n        pass\n";
        assert_eq!(cog(src, "f"), 1);
        // Only the dict value behind `**` counts here.
        let src = "async def f(a, b, c):\n    x = await (a and b)\n    y = [*(a or b)]\n    z = (a or b).c\n    w = (a or b)[0]\n    v = {(a or b): 1}\n    u = a[1:(b or c)]\n    yield a or b\n    t = {**(a or b)}\n";
        assert_eq!(cog(src, "f"), 1);
    }

    #[test]
    fn transparent_expressions() {
        let src = "def f(a, b):\n    g(a and b)\n    x = (a or b, [a and b])\n    y = {1: a or b}\n    z = (a and b) == a\n";
        assert_eq!(cog(src, "f"), 5);
        let src = "def f(a, b, c):\n    return (a or b) < (b and c) < (c if a else b)\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn bool_ops_in_simple_statements() {
        let src = "def f(a, b):\n    assert a and b, a or b\n    x: int = a and b\n    x += a or b\n    raise E(a and b) from (a or b)\n";
        assert_eq!(cog(src, "f"), 6);
    }

    #[test]
    fn async_constructs() {
        let src = "async def f(a):\n    async for x in a:\n        async with x:\n            if x:\n                pass\n";
        assert_eq!(cog(src, "f"), 3);
    }

    #[test]
    fn module_level_code() {
        let src = "for i in x:\n    if i:\n        pass\n\ndef f():\n    pass\n";
        assert_eq!(module(src), 3);
        assert_eq!(cog(src, "f"), 0);
        assert_eq!(module("x = a if b else c\ny = [i for i in z]\n"), 2);
    }

    #[test]
    fn module_level_skips_defs_and_classes_inside_blocks() {
        let src = "if TYPE_CHECKING:\n    def f(a):\n        if a:\n            pass\n";
        assert_eq!(module(src), 1);
        assert_eq!(cog(src, "f"), 1);
        let src = "if a:\n    def f(b):\n        if b:\n            pass\n    class C:\n        def m(self):\n            if a: pass\nelse:\n    g = lambda: a or b\n";
        assert_eq!(module(src), 3);
    }

    #[test]
    fn class_body_statements_ignored() {
        let src = "class A:\n    x = 1 if a else 2\n    for i in y:\n        pass\n    def m(self):\n        pass\n";
        assert_eq!(module(src), 0);
        assert_eq!(cog(src, "m"), 0);
    }
}
