//! Structural function metrics: parameter count and maximum nesting depth.
//!
//! `parameter_count` counts every parameter a caller can bind: positional-only,
//! regular, `*args`, keyword-only and `**kwargs` (`self` included), so
//! `def f(self, a, *args, b, **kw)` has 5. Long parameter lists are a classic
//! sign that a function does too much. Config key `parameter_count` (no
//! default limit).
//!
//! `nesting_depth` is the deepest level of block statements (`if`/`elif`/
//! `else`, `for`, `while`, `try`/`except`/`finally`, `with`, `match` cases)
//! inside the function's own body; nested functions and classes are not
//! entered, they have their own depth. A flat body has depth 0, `if a: for x
//! in y: ...` has 2. Deep nesting is what makes code hard to follow. Config key
//! `nesting_depth` (no default limit). Pure; no I/O.

use ruff_python_ast::{ExceptHandler, Parameters, Stmt};

pub(crate) fn parameter_count(parameters: &Parameters) -> u32 {
    (parameters.posonlyargs.len()
        + parameters.args.len()
        + usize::from(parameters.vararg.is_some())
        + parameters.kwonlyargs.len()
        + usize::from(parameters.kwarg.is_some())) as u32
}

/// Deepest block nesting of a function body (0 for a flat body).
pub(crate) fn nesting_depth(body: &[Stmt]) -> u32 {
    suite_depth(body, 0)
}

fn suite_depth(body: &[Stmt], level: u32) -> u32 {
    body.iter()
        .map(|s| stmt_depth(s, level))
        .max()
        .unwrap_or(level)
}

fn stmt_depth(stmt: &Stmt, level: u32) -> u32 {
    crate::guard::ensure_stack();
    let inner = level + 1;
    match stmt {
        Stmt::If(s) => s
            .elif_else_clauses
            .iter()
            .map(|c| suite_depth(&c.body, inner))
            .fold(suite_depth(&s.body, inner), u32::max),
        Stmt::For(s) => suite_depth(&s.body, inner).max(suite_depth(&s.orelse, inner)),
        Stmt::While(s) => suite_depth(&s.body, inner).max(suite_depth(&s.orelse, inner)),
        Stmt::With(s) => suite_depth(&s.body, inner),
        Stmt::Try(s) => s
            .handlers
            .iter()
            .map(|ExceptHandler::ExceptHandler(h)| suite_depth(&h.body, inner))
            .fold(suite_depth(&s.body, inner), u32::max)
            .max(suite_depth(&s.orelse, inner))
            .max(suite_depth(&s.finalbody, inner)),
        Stmt::Match(s) => s
            .cases
            .iter()
            .map(|c| suite_depth(&c.body, inner))
            .max()
            .unwrap_or(inner),
        _ => level,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_def(src: &str) -> ruff_python_ast::StmtFunctionDef {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        match parsed.into_syntax().body.remove(0) {
            Stmt::FunctionDef(def) => def,
            other => panic!("not a def: {other:?}"),
        }
    }

    #[test]
    fn every_parameter_kind_counts() {
        let def = first_def("def f(p, /, self, a=1, *args, b, c=2, **kw):\n    pass\n");
        assert_eq!(parameter_count(&def.parameters), 7);
        assert_eq!(
            parameter_count(&first_def("def f():\n    pass\n").parameters),
            0
        );
    }

    #[test]
    fn flat_body_has_depth_zero() {
        assert_eq!(
            nesting_depth(&first_def("def f():\n    x = 1\n    return x\n").body),
            0
        );
    }

    #[test]
    fn nested_blocks_count_levels() {
        let src = "def f(a):\n    if a:\n        for x in a:\n            while x:\n                pass\n    else:\n        with a:\n            pass\n";
        assert_eq!(nesting_depth(&first_def(src).body), 3);
    }

    #[test]
    fn try_handlers_and_match_cases_nest() {
        let src = "def f(a):\n    try:\n        pass\n    except E:\n        match a:\n            case 1:\n                if a:\n                    pass\n";
        assert_eq!(nesting_depth(&first_def(src).body), 3);
    }

    #[test]
    fn nested_def_is_not_entered() {
        let src = "def f(a):\n    def g():\n        if a:\n            if a:\n                pass\n    return g\n";
        assert_eq!(nesting_depth(&first_def(src).body), 0);
    }
}
