//! AST → the functions of a file, each with its qualified name, lines and hashes.
//!
//! Input: a parsed module and its [`SourceText`]. Output: one [`FunctionDef`] per
//! `def` / `async def` in source order, including methods, functions inside
//! classes nested anywhere and functions nested in functions. Names follow
//! Python's `__qualname__`: `Class.method`, `outer.<locals>.inner`,
//! `outer.<locals>.Local.method`. Two definitions with the same qualified name
//! in one file (conditional definitions) keep distinct, stable `occurrence`
//! numbers in source order.
//!
//! [`function_hashes`] gives two hashes of a function's normalised AST
//! (positions, comments and formatting do not count): one over the whole
//! definition and one over everything but its name, which is what a rename
//! keeps. Only the staged gate needs them, so they are computed on demand.
//! No I/O here.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use ruff_python_ast::comparable::{
    ComparableArguments, ComparableDecorator, ComparableExpr, ComparableParameters, ComparableStmt,
    ComparableTypeParams,
};
use ruff_python_ast::{Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;
use twox_hash::XxHash64;

use crate::source::SourceText;

/// One function definition found in a file.
#[derive(Debug)]
pub(crate) struct FunctionDef<'a> {
    pub def: &'a StmtFunctionDef,
    /// `__qualname__`-style name.
    pub qualname: String,
    /// 1 for the first definition of `qualname` in the file, 2 for the next, ...
    pub occurrence: u32,
    /// Line of the `def` keyword (not of a decorator).
    pub line: u32,
    /// 1-based column of the `def` keyword.
    pub column: u32,
    /// Line of the first decorator, or `line` when there is none.
    pub first_line: u32,
    /// Last line of the function's last statement.
    pub end_line: u32,
    /// Defined directly (at any statement depth) in a class body.
    pub is_method: bool,
    /// Index of the enclosing function in the list, if this one is nested.
    pub parent: Option<usize>,
    /// Qualified name of the enclosing classes only, as complexipy names
    /// reported functions (`A::B::m`); `None` when inside another function.
    pub class_path: Option<Vec<String>>,
}

/// Lists every function definition of a module in source order.
pub(crate) fn index_functions<'a>(body: &'a [Stmt], source: &SourceText) -> Vec<FunctionDef<'a>> {
    let mut out = Vec::new();
    let mut scope = Scope {
        prefix: String::new(),
        in_class: false,
        parent: None,
        class_path: Some(Vec::new()),
    };
    walk_suite(body, source, &mut scope, &mut out);
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(out.len());
    let occurrences: Vec<u32> = out
        .iter()
        .map(|f| {
            let n = seen.entry(f.qualname.as_str()).or_insert(0);
            *n += 1;
            *n
        })
        .collect();
    for (f, occurrence) in out.iter_mut().zip(occurrences) {
        f.occurrence = occurrence;
    }
    out
}

struct Scope {
    prefix: String,
    in_class: bool,
    parent: Option<usize>,
    class_path: Option<Vec<String>>,
}

fn walk_suite<'a>(
    body: &'a [Stmt],
    source: &SourceText,
    scope: &mut Scope,
    out: &mut Vec<FunctionDef<'a>>,
) {
    for stmt in body {
        walk_stmt(stmt, source, scope, out);
    }
}

fn walk_stmt<'a>(
    stmt: &'a Stmt,
    source: &SourceText,
    scope: &mut Scope,
    out: &mut Vec<FunctionDef<'a>>,
) {
    crate::guard::ensure_stack();
    match stmt {
        Stmt::FunctionDef(def) => {
            let index = out.len();
            out.push(function_entry(def, source, scope));
            let mut inner = Scope {
                prefix: format!("{}{}.<locals>.", scope.prefix, def.name.as_str()),
                in_class: false,
                parent: Some(index),
                class_path: None,
            };
            walk_suite(&def.body, source, &mut inner, out);
        }
        Stmt::ClassDef(class) => {
            let mut inner = Scope {
                prefix: format!("{}{}.", scope.prefix, class.name.as_str()),
                in_class: true,
                parent: scope.parent,
                class_path: scope.class_path.as_ref().map(|p| {
                    let mut p = p.clone();
                    p.push(class.name.to_string());
                    p
                }),
            };
            walk_suite(&class.body, source, &mut inner, out);
        }
        Stmt::If(s) => {
            walk_suite(&s.body, source, scope, out);
            for clause in &s.elif_else_clauses {
                walk_suite(&clause.body, source, scope, out);
            }
        }
        Stmt::For(s) => {
            walk_suite(&s.body, source, scope, out);
            walk_suite(&s.orelse, source, scope, out);
        }
        Stmt::While(s) => {
            walk_suite(&s.body, source, scope, out);
            walk_suite(&s.orelse, source, scope, out);
        }
        Stmt::With(s) => walk_suite(&s.body, source, scope, out),
        Stmt::Try(s) => {
            walk_suite(&s.body, source, scope, out);
            for handler in &s.handlers {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                walk_suite(&h.body, source, scope, out);
            }
            walk_suite(&s.orelse, source, scope, out);
            walk_suite(&s.finalbody, source, scope, out);
        }
        Stmt::Match(s) => {
            for case in &s.cases {
                walk_suite(&case.body, source, scope, out);
            }
        }
        _ => {}
    }
}

fn function_entry<'a>(
    def: &'a StmtFunctionDef,
    source: &SourceText,
    scope: &Scope,
) -> FunctionDef<'a> {
    let range = def.range();
    let def_offset = def_keyword_offset(def, source);
    let start_byte = range.start().to_u32();
    FunctionDef {
        def,
        qualname: format!("{}{}", scope.prefix, def.name.as_str()),
        occurrence: 0,
        line: source.line_of(def_offset),
        column: source.column_of(def_offset),
        first_line: source.line_of(start_byte),
        end_line: source.line_of(range.end().to_u32()),
        is_method: scope.in_class,
        parent: scope.parent,
        class_path: scope.class_path.clone(),
    }
}

/// Offset of the `def` keyword: the name follows it after whitespace (or a
/// backslash continuation), so walk back from the name.
fn def_keyword_offset(def: &StmtFunctionDef, source: &SourceText) -> u32 {
    let name_start = def.name.range().start().to_usize();
    let before = &source.text.as_bytes()[..name_start];
    let mut i = before.len();
    while i > 0 && matches!(before[i - 1], b' ' | b'\t' | b'\x0c' | b'\n' | b'\\') {
        i -= 1;
    }
    // `i` now points just past "def"; the keyword starts three bytes earlier.
    i.saturating_sub(3) as u32
}

/// `(ast_hash, body_hash)`: the whole definition, and everything but the name.
pub(crate) fn function_hashes(def: &StmtFunctionDef) -> (u64, u64) {
    let body = body_hash(def);
    (ast_hash(def, body), body)
}

/// The whole-definition hashes of a file's functions already computed,
/// by the address of their definition, for [`module_hash`].
pub(crate) type KnownHashes = rustc_hash::FxHashMap<usize, u64>;

/// The key of a definition in [`KnownHashes`].
pub(crate) fn def_key(def: &StmtFunctionDef) -> usize {
    def as *const StmtFunctionDef as usize
}

/// Hash of a whole module's normalised AST: what the file's code is, with
/// positions, comments and formatting left out (as in [`function_hashes`]).
/// A `def` counts by its whole-definition hash (from `known`, computed for
/// the function list, else now) and a class by its header and, the same
/// way, its body: a method's code is hashed once, not again for the module
/// (hashing was a fifth of the hook's analysis CPU, half of it the module
/// hash). Any other statement counts by its comparable AST.
pub(crate) fn module_hash(body: &[Stmt], known: &KnownHashes) -> u64 {
    buffered(|h| suite_hash(body, known, h))
}

fn suite_hash(body: &[Stmt], known: &KnownHashes, h: &mut Collect) {
    h.write_usize(body.len());
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => {
                h.write_u8(1);
                let whole = match known.get(&def_key(def)) {
                    Some(&hash) => hash,
                    None => function_hashes(def).0,
                };
                h.write_u64(whole);
            }
            Stmt::ClassDef(class) => {
                h.write_u8(2);
                class.name.as_str().hash(h);
                h.write_usize(class.decorator_list.len());
                for decorator in &class.decorator_list {
                    ComparableDecorator::from(decorator).hash(h);
                }
                class
                    .type_params
                    .as_deref()
                    .map(ComparableTypeParams::from)
                    .hash(h);
                // `class A:` and `class A():` are the same code.
                class
                    .arguments
                    .as_deref()
                    .map(ComparableArguments::from)
                    .unwrap_or_default()
                    .hash(h);
                suite_hash(&class.body, known, h);
            }
            other => {
                h.write_u8(0);
                ComparableStmt::from(other).hash(h);
            }
        }
    }
}

fn body_hash(def: &StmtFunctionDef) -> u64 {
    buffered(|h| {
        def.is_async.hash(h);
        ComparableParameters::from(def.parameters.as_ref()).hash(h);
        for stmt in &def.body {
            ComparableStmt::from(stmt).hash(h);
        }
    })
}

/// The whole definition: the body hash plus name, decorators, type parameters
/// and return annotation.
fn ast_hash(def: &StmtFunctionDef, body_hash: u64) -> u64 {
    buffered(|h| {
        body_hash.hash(h);
        def.name.as_str().hash(h);
        for decorator in &def.decorator_list {
            ComparableDecorator::from(decorator).hash(h);
        }
        def.type_params
            .as_deref()
            .map(ComparableTypeParams::from)
            .hash(h);
        def.returns.as_deref().map(ComparableExpr::from).hash(h);
    })
}

/// The XxHash64 (seed 0) of what `feed` writes, computed in one pass at the
/// end. The `Hash` impls of the comparable AST write a few bytes at a time
/// (a tag, a length, a name); fed to the streaming hasher one call each,
/// those calls were a quarter of the hook's hashing time. Collecting them
/// in a reused per-thread buffer first gives the same value (XxHash64 is
/// defined on the concatenated input), so cached records and baseline
/// fingerprints are unchanged.
fn buffered(feed: impl FnOnce(&mut Collect)) -> u64 {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut collect = Collect(BUFFER.with(std::cell::Cell::take));
    collect.0.clear();
    feed(&mut collect);
    let hash = XxHash64::oneshot(0, &collect.0);
    // Keep the buffer for the next hash, unless one huge module grew it.
    if collect.0.capacity() <= 1 << 24 {
        BUFFER.with(|b| b.set(collect.0));
    }
    hash
}

/// A [`Hasher`] that only collects the bytes written to it ([`buffered`]
/// hashes them). Every write goes through `write`, as with XxHash64, which
/// overrides no other method, so the byte stream is the same.
struct Collect(Vec<u8>);

impl Hasher for Collect {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        XxHash64::oneshot(0, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// The hashes as XxHash64 streaming computes them, write by write: the
    /// values cached records and baseline fingerprints hold.
    fn streamed(def: &StmtFunctionDef) -> (u64, u64) {
        let mut h = XxHash64::with_seed(0);
        def.is_async.hash(&mut h);
        ComparableParameters::from(def.parameters.as_ref()).hash(&mut h);
        for stmt in &def.body {
            ComparableStmt::from(stmt).hash(&mut h);
        }
        let body = h.finish();
        let mut h = XxHash64::with_seed(0);
        body.hash(&mut h);
        def.name.as_str().hash(&mut h);
        for decorator in &def.decorator_list {
            ComparableDecorator::from(decorator).hash(&mut h);
        }
        def.type_params
            .as_deref()
            .map(ComparableTypeParams::from)
            .hash(&mut h);
        def.returns
            .as_deref()
            .map(ComparableExpr::from)
            .hash(&mut h);
        (h.finish(), body)
    }

    #[test]
    fn buffered_hashes_equal_streamed_ones() {
        let src = "import os\n\n@decorate(1, key='v')\nasync def f[T](a: int, /, b=2, *c, d, **e) -> list[T]:\n    \"\"\"Doc.\"\"\"\n    x = {k: v for k, v in e.items() if k}\n    async with a as b:\n        await b\n    match a:\n        case [1, *rest] if rest:\n            return f'{a!r:>{b}}' + 'implicit' 'concat'\n    def inner(q=lambda z: z ** 2):\n        nonlocal x\n        return (yield from q)\n    return [i for i in range(10)]\n\nclass C(Base, metaclass=M):\n    def m(self) -> None:\n        try:\n            pass\n        except* (ValueError, TypeError) as err:\n            raise err from None\n        finally:\n            del self.x[1:2, ...]\n";
        let source = SourceText::from_text(src);
        let parsed = parse(&source).unwrap();
        let body = &parsed.syntax().body;
        let functions = index_functions(body, &source);
        assert_eq!(functions.len(), 3);
        for f in &functions {
            assert_eq!(function_hashes(f.def), streamed(f.def), "{}", f.qualname);
        }
    }

    fn module_of(src: &str) -> u64 {
        let source = SourceText::from_text(src);
        let parsed = parse(&source).unwrap();
        let body = &parsed.syntax().body;
        let known: KnownHashes = index_functions(body, &source)
            .iter()
            .map(|f| (def_key(f.def), function_hashes(f.def).0))
            .collect();
        let hash = module_hash(body, &known);
        // The same without the functions' hashes at hand.
        assert_eq!(module_hash(body, &KnownHashes::default()), hash, "{src}");
        hash
    }

    #[test]
    fn module_hash_follows_the_code_not_its_layout() {
        let base = "import os\n\nclass C(B):\n    x = 1\n    def m(self):\n        return self.x\n\ndef f(a):\n    return a\n";
        let h = module_of(base);
        // Comments, blank lines and formatting do not count.
        assert_eq!(module_of("import os\nclass C(B):  # note\n    x = (1)\n    def m(self):\n        return self.x\ndef f(a):\n\n    return a\n"), h);
        assert_eq!(
            module_of(&base.replace("class C(B):", "class C(\n    B,\n):")),
            h
        );
        // Every kind of code change does.
        for changed in [
            base.replace("return self.x", "return self.y"),
            base.replace("return a\n", "return a + 1\n"),
            base.replace("def f(a)", "def g(a)"),
            base.replace("def m(self)", "async def m(self)"),
            base.replace("class C(B)", "class D(B)"),
            base.replace("class C(B)", "class C(B, metaclass=M)"),
            base.replace("class C(B)", "@dataclass\nclass C(B)"),
            base.replace("    x = 1\n", "    x = 2\n"),
            base.replace("import os", "import sys"),
            // The same statements, moved in or out of the class.
            base.replace("    x = 1\n", "") + "x = 1\n",
            format!("{base}\ndef f(a):\n    return a\n"),
        ] {
            assert_ne!(module_of(&changed), h, "{changed}");
        }
        // `class A:` is `class A():`.
        assert_eq!(
            module_of("class A:\n    pass\n"),
            module_of("class A():\n    pass\n")
        );
    }

    fn index(src: &str) -> Vec<(String, u32, u32, u32, u32)> {
        let source = SourceText::from_text(src);
        let parsed = parse(&source).unwrap();
        index_functions(&parsed.syntax().body, &source)
            .into_iter()
            .map(|f| (f.qualname, f.occurrence, f.first_line, f.line, f.end_line))
            .collect()
    }

    #[test]
    fn qualified_names_follow_python() {
        let src = "\
def top():
    def inner():
        class Local:
            def m(self):
                pass
        return Local
    return inner

class A:
    def m(self):
        pass
    class B:
        async def n(self):
            pass
    if flag:
        def conditional(self):
            pass
";
        let names: Vec<String> = index(src).into_iter().map(|f| f.0).collect();
        assert_eq!(
            names,
            [
                "top",
                "top.<locals>.inner",
                "top.<locals>.inner.<locals>.Local.m",
                "A.m",
                "A.B.n",
                "A.conditional",
            ]
        );
    }

    #[test]
    fn decorated_def_line_is_the_def_keyword() {
        let src = "@deco\n@other(1)\ndef f(a):\n    return a\n";
        assert_eq!(index(src), [("f".to_string(), 1, 1, 3, 4)]);
    }

    #[test]
    fn end_line_is_last_line_of_last_statement() {
        let src = "def f(a):\n    return g(\n        a,\n    )\n\n# trailing comment\n";
        assert_eq!(index(src)[0].4, 4);
    }

    #[test]
    fn duplicate_names_get_occurrences() {
        let src = "if x:\n    def f():\n        pass\nelse:\n    def f():\n        return 1\n";
        let got = index(src);
        assert_eq!(got[0].0, "f");
        assert_eq!(got[0].1, 1);
        assert_eq!(got[1].0, "f");
        assert_eq!(got[1].1, 2);
    }

    #[test]
    fn hashes_ignore_formatting_and_comments() {
        let a = "def f(a, b):\n    return a+b\n";
        let b = "def f(a,\n      b):\n    # sum\n    return (a + b)\n";
        let c = "def g(a, b):\n    return a + b\n";
        let d = "def f(a, b):\n    return a - b\n";
        let hashes = |src: &str| {
            let source = SourceText::from_text(src);
            let parsed = parse(&source).unwrap();
            let f = &index_functions(&parsed.syntax().body, &source)[0];
            function_hashes(f.def)
        };
        assert_eq!(hashes(a), hashes(b));
        assert_ne!(hashes(a).0, hashes(c).0, "renaming changes the full hash");
        assert_eq!(hashes(a).1, hashes(c).1, "but not the body hash");
        assert_ne!(hashes(a).1, hashes(d).1);
    }

    #[test]
    fn class_path_only_outside_functions() {
        let src = "class A:\n    class B:\n        def m(self):\n            def h():\n                pass\n";
        let source = SourceText::from_text(src);
        let parsed = parse(&source).unwrap();
        let fns = index_functions(&parsed.syntax().body, &source);
        assert_eq!(
            fns[0].class_path.as_deref(),
            Some(&["A".to_string(), "B".to_string()][..])
        );
        assert_eq!(fns[1].class_path, None);
        assert_eq!(fns[1].parent, Some(0));
        assert!(fns[0].is_method && !fns[1].is_method);
    }
}
