//! Cyclomatic complexity, value-exact with `radon cc` 6.0.1 (CPython 3.11 grammar).
//!
//! What it measures: the number of independent paths through a function, i.e.
//! 1 + the number of decision points in its body. It matters because every extra
//! path needs its own test, and a high count is the classic sign of a function that
//! does too much. Gated as `cyclomatic_complexity`.
//!
//! ```python
//! def f(a, b):          # 1
//!     if a and b:       # +1 (if) +1 (the `and`)
//!         return [x for x in a if x]   # +1 (for clause) +1 (if clause)
//!     return 0
//! ```
//! gives 5.
//!
//! Decision points, as radon counts them: `if`/`elif` and ternaries +1; `for`,
//! `async for` and `while` +1, and +1 more with an `else:`; `try` +1 per `except`
//! and +1 for `else:`; a boolean operator with n operands +(n-1); each comprehension
//! `for` +1 plus +1 per `if` filter; `match` + the number of cases, minus one if any
//! case is an irrefutable `case _:` or bare capture `case x:`; `assert` +1.
//!
//! Quirks kept on purpose because radon has them:
//! * `assert a and b` is +1 only: radon does not look inside an assert.
//! * `try ... except*` adds nothing (radon does not recognise the node).
//! * nested defs and classes are separate blocks: their decision points are not part
//!   of the enclosing function; a class defined inside a function counts nowhere.
//! * decorators, default values and annotations of a def are not looked at, but the
//!   defaults of a `lambda` are (radon walks lambdas like any other expression).
//!
//! ruff represents `elif`/`else` as clauses of one `if` statement where CPython nests
//! `If` nodes; each clause with a test counts +1, which gives the same total.
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    Comprehension, ElifElseClause, Expr, Pattern, Stmt, StmtClassDef, StmtFunctionDef,
};
use rustc_hash::FxHashMap;

/// radon cc of one function: 1 + decision points of its body, nested defs and classes excluded.
pub(crate) fn cyclomatic(def: &StmtFunctionDef) -> u32 {
    1 + decision_points(&def.body, Scope::Function, &Known::default())
}

/// Complexities already computed, by the address of their def: the module
/// total then takes them instead of walking those bodies again.
pub(crate) type Known = FxHashMap<usize, u32>;

/// The key of `def` in [`Known`].
pub(crate) fn known_key(def: &StmtFunctionDef) -> usize {
    std::ptr::from_ref(def).addr()
}

/// radon's total complexity of a module, as `radon mi` uses it (section 4 of METRICS.md):
/// 1 + module-level decision points + Σ(cc - 1) over top-level functions
/// + Σ(real complexity - 1) over top-level classes. Closures never count.
///
/// `known` holds [`cyclomatic`] of some of its defs.
pub(crate) fn module_total(body: &[Stmt], known: &Known) -> u32 {
    1 + decision_points(body, Scope::Module, known)
}

/// radon's "real complexity" of a class: 1 + decision points of the class body outside
/// its methods + the cyclomatic complexity of every method (found at any statement
/// depth of the body). Inner classes contribute nothing.
fn class_real_complexity(class: &StmtClassDef, known: &Known) -> u32 {
    1 + decision_points(&class.body, Scope::Class, known)
}

/// Whose body is being walked; it decides what a def or class found in it is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// A function body: nested defs are closures, nested classes are discarded.
    Function,
    /// A class body: defs are methods and count in full, inner classes count 0.
    Class,
    /// Module level: defs and classes are top-level blocks, counted beyond their base 1.
    Module,
}

fn decision_points(body: &[Stmt], scope: Scope, known: &Known) -> u32 {
    let mut counter = DecisionPoints {
        scope,
        count: 0,
        known,
    };
    counter.visit_body(body);
    counter.count
}

struct DecisionPoints<'k> {
    scope: Scope,
    count: u32,
    known: &'k Known,
}

impl DecisionPoints<'_> {
    fn add(&mut self, n: usize) {
        self.count = self
            .count
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
    }
}

impl<'a> Visitor<'a> for DecisionPoints<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        crate::guard::ensure_stack();
        match stmt {
            // Separate blocks: never walked into from here.
            Stmt::FunctionDef(def) => {
                // A closure never counts, a method counts in full, a
                // top-level def beyond its base 1.
                let base = match self.scope {
                    Scope::Function => return,
                    Scope::Class => 0,
                    Scope::Module => 1,
                };
                let cc = match self.known.get(&known_key(def)) {
                    Some(&cc) => cc,
                    None => cyclomatic(def),
                };
                self.count = self.count.saturating_add(cc - base);
                return;
            }
            Stmt::ClassDef(class) => {
                if self.scope == Scope::Module {
                    self.count = self
                        .count
                        .saturating_add(class_real_complexity(class, self.known) - 1);
                }
                return;
            }
            // radon counts the assert and does not visit its test or message.
            Stmt::Assert(_) => {
                self.add(1);
                return;
            }
            Stmt::If(_) => self.add(1),
            Stmt::For(ast) => self.add(1 + usize::from(!ast.orelse.is_empty())),
            Stmt::While(ast) => self.add(1 + usize::from(!ast.orelse.is_empty())),
            // CPython's TryStar node is not recognised by radon: 0, children still walked.
            Stmt::Try(ast) if !ast.is_star => {
                self.add(ast.handlers.len() + usize::from(!ast.orelse.is_empty()));
            }
            Stmt::Match(ast) => {
                let irrefutable = ast.cases.iter().any(
                    |case| matches!(&case.pattern, Pattern::MatchAs(as_) if as_.pattern.is_none()),
                );
                self.add(ast.cases.len().saturating_sub(usize::from(irrefutable)));
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_elif_else_clause(&mut self, clause: &'a ElifElseClause) {
        // An `elif` is a nested If node in CPython's AST; a bare `else` is not.
        if clause.test.is_some() {
            self.add(1);
        }
        visitor::walk_elif_else_clause(self, clause);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        crate::guard::ensure_stack();
        match expr {
            Expr::BoolOp(ast) => self.add(ast.values.len().saturating_sub(1)),
            Expr::If(_) => self.add(1),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.add(1 + comprehension.ifs.len());
        visitor::walk_comprehension(self, comprehension);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(src: &str) -> Vec<Stmt> {
        ruff_python_parser::parse_module(src)
            .expect("test snippet parses")
            .into_syntax()
            .body
            .into_iter()
            .collect()
    }

    /// cc of the first statement, which must be a def.
    fn cc(src: &str) -> u32 {
        match module(src).first() {
            Some(Stmt::FunctionDef(def)) => cyclomatic(def),
            _ => panic!("snippet must start with a def"),
        }
    }

    /// The module total, computed both from scratch and with every def's
    /// complexity known in advance, which must agree.
    fn total(src: &str) -> u32 {
        let body = module(src);
        let fresh = module_total(&body, &Known::default());
        let mut known = Known::default();
        let source = crate::source::SourceText::from_text(src);
        for f in crate::functions::index_functions(&body, &source) {
            known.insert(known_key(f.def), cyclomatic(f.def));
        }
        assert_eq!(module_total(&body, &known), fresh, "{src:?}");
        fresh
    }

    #[test]
    fn elif_chain() {
        assert_eq!(cc("def f(a):\n    if a == 1:\n        pass\n    elif a == 2:\n        pass\n    elif a == 3:\n        pass\n    else:\n        pass\n"), 4);
    }

    #[test]
    fn else_if_nested() {
        assert_eq!(cc("def f(a, b):\n    if a:\n        pass\n    else:\n        if b:\n            pass\n"), 3);
    }

    #[test]
    fn loops_with_else() {
        assert_eq!(cc("def f(xs):\n    for x in xs:\n        pass\n    else:\n        pass\n    while x:\n        break\n    else:\n        pass\n    async def g():\n        async for y in xs:\n            pass\n"), 5);
    }

    #[test]
    fn try_handlers_else_finally() {
        assert_eq!(cc("def f():\n    try:\n        pass\n    except ValueError:\n        pass\n    except TypeError:\n        pass\n    else:\n        pass\n    finally:\n        pass\n"), 4);
    }

    #[test]
    fn try_star_counts_zero() {
        assert_eq!(cc("def f(a):\n    try:\n        pass\n    except* ValueError:\n        if a:\n            pass\n    else:\n        pass\n"), 2);
    }

    #[test]
    fn bool_ops() {
        assert_eq!(cc("def f(a, b, c, d):\n    x = a and b and c\n    y = a and b or c\n    z = (a or b) and (c or d)\n    return not (a and b)\n"), 9);
    }

    #[test]
    fn assert_not_walked() {
        assert_eq!(cc("def f(a, b):\n    assert a and b, (c if d else e)\n"), 2);
    }

    #[test]
    fn comprehensions() {
        assert_eq!(cc("def f(y, z):\n    a = [x for x in y if x if z for w in x]\n    b = {x: 1 for x in y}, {x for x in y}, (x for x in y if x or z)\n"), 10);
    }

    #[test]
    fn match_wildcard() {
        assert_eq!(cc("def f(v):\n    match v:\n        case 1:\n            pass\n        case 2 if v and w:\n            pass\n        case x:\n            pass\n        case _:\n            pass\n"), 5);
    }

    #[test]
    fn match_only_wildcard() {
        assert_eq!(
            cc("def f(v):\n    match v:\n        case _:\n            pass\n"),
            1
        );
    }

    #[test]
    fn match_as_with_pattern() {
        assert_eq!(cc("def f(v):\n    match v:\n        case [1, 2] as y:\n            pass\n        case (1 | 2) as z:\n            pass\n"), 3);
    }

    #[test]
    fn decorators_defaults_annotations_skipped() {
        assert_eq!(cc("@dec(a if b else c)\ndef f(x=a or b, *, y: (a if b else c) = d and e) -> (a if b else c):\n    pass\n"), 1);
    }

    #[test]
    fn lambda_defaults_walked() {
        assert_eq!(
            cc("def f():\n    return lambda x=a if b else c, *, y=d or e: x and y\n"),
            4
        );
    }

    #[test]
    fn closure_and_class_excluded() {
        assert_eq!(cc("def f(a):\n    if a:\n        pass\n    def g(b):\n        if b:\n            pass\n    class K:\n        x = 1 if a else 2\n        def m(self):\n            if a:\n                pass\n    return g\n"), 2);
    }

    #[test]
    fn fstring_fields_walked() {
        assert_eq!(
            cc("def f(a, b):\n    return f\"{a if b else 0:{b or a}}\"\n"),
            3
        );
    }

    #[test]
    fn with_walrus_await() {
        assert_eq!(cc("async def f(a, b):\n    with g(a or b) as h:\n        if (n := await a):\n            yield n\n"), 3);
    }

    #[test]
    fn ternary_nested() {
        assert_eq!(
            cc("def f(a, b, c, d, e):\n    return a if b else c if d else e\n"),
            3
        );
    }

    #[test]
    fn module_level_code() {
        assert_eq!(
            total(
                "if a:\n    pass\nfor x in y:\n    pass\nassert a or b\nz = [i for i in y if i]\n"
            ),
            6
        );
    }

    #[test]
    fn module_functions_and_classes() {
        assert_eq!(total("def f(a):\n    if a:\n        pass\n    def g():\n        if a:\n            pass\nclass A:\n    x = 1 if a else 2\n    if a:\n        def m(self, b):\n            return b or a\n    def n(self):\n        pass\n    class B:\n        def p(self):\n            if a:\n                pass\n"), 7);
    }

    #[test]
    fn defs_under_module_if() {
        assert_eq!(total("if a:\n    def f(b):\n        return b and a\nelse:\n    class C:\n        def m(self):\n            for i in x:\n                pass\ntry:\n    import y\nexcept ImportError:\n    def h():\n        pass\n"), 6);
    }

    #[test]
    fn decorator_and_bases_skipped() {
        assert_eq!(total("@dec(a if b else c)\nclass A(B if c else D, metaclass=m or n):\n    pass\n@dec(a or b)\ndef f():\n    pass\n"), 1);
    }

    #[test]
    fn empty_module() {
        assert_eq!(total(""), 1);
    }
}
