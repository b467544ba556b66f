//! Halstead metrics, value-exact with `radon hal` 6.0.1 (CPython 3.11 grammar).
//!
//! What it measures: how much "vocabulary" a piece of code uses. Operators are
//! arithmetic, unary, boolean and comparison operations; operands are what they
//! act on. From the distinct counts (h1, h2) and total counts (N1, N2) Halstead
//! derives volume, difficulty, effort, time and an estimate of bugs. Volume feeds the
//! maintainability index; difficulty and effort are gated as `halstead_difficulty`
//! and `halstead_effort` (and `halstead_volume`, `halstead_time`, `halstead_bugs`).
//!
//! ```python
//! def f(a, b):
//!     return a + b * 2    # operators: Add, Mult; operands: a, (b * 2), b, 2
//! ```
//! gives h1 = 2, h2 = 4, N1 = 2, N2 = 4.
//!
//! What counts, as radon counts it:
//! * binary operators and augmented assignments (`+=` is the same operator as `+`),
//!   2 operands each; unary operators, 1 operand; a boolean operation is 1 operator
//!   whatever its length, with all its values as operands; a comparison is one
//!   operator per comparison op (`a < b < c` is 2) and all its terms as operands.
//!   Nothing else (calls, subscripts, ternaries, ...) is an operator.
//! * an operand is told apart by (function name, value): a name by its identifier, an
//!   attribute by the attribute name only (`self.x`, `other.x`, the name `x` and the
//!   string `'x'` are all one operand), a constant by Python equality (`1 == 1.0 ==
//!   True`, `'a' != b'a'`), and any other expression is a new operand every time it
//!   occurs (`f(a) + f(a)` has two distinct operands).
//! * the function name is the bare name of the def whose body holds the operand, or
//!   none at module and class level, so the same variable in two functions is two
//!   operands. Nested defs are counted inside the enclosing function's report under
//!   their own name. Decorators, defaults and annotations of a def are not looked at;
//!   class decorators and bases, and lambda defaults, are.
//!
//! Derived values follow radon's evaluation order with `log2(x)` computed as
//! `ln(x) / ln(2)`, so they are bit-identical to radon's floats.
//!
//! Known difference from radon: ruff decodes a lone surrogate escape (`'\ud800'`) to
//! U+FFFD, so string constants that differ only in such escapes count as one operand
//! here and as several in radon (one function in the CPython 3.11 stdlib).
use rustc_hash::{FxHashMap, FxHashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Number, Stmt, StmtFunctionDef};

/// Distinct and total operators/operands; every derived value is a method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Halstead {
    pub h1: u32,
    pub h2: u32,
    pub n1: u32,
    pub n2: u32,
}

impl Halstead {
    /// h1 + h2.
    pub(crate) fn vocabulary(&self) -> u64 {
        u64::from(self.h1) + u64::from(self.h2)
    }

    /// N1 + N2.
    pub(crate) fn length(&self) -> u64 {
        u64::from(self.n1) + u64::from(self.n2)
    }

    /// h1·log2(h1) + h2·log2(h2), 0 unless both are non-zero.
    pub(crate) fn calculated_length(&self) -> f64 {
        if self.h1 == 0 || self.h2 == 0 {
            return 0.0;
        }
        let h1 = f64::from(self.h1);
        let h2 = f64::from(self.h2);
        h1 * log2(h1) + h2 * log2(h2)
    }

    /// N · log2(h), 0 for an empty vocabulary.
    pub(crate) fn volume(&self) -> f64 {
        let vocabulary = self.vocabulary();
        if vocabulary == 0 {
            return 0.0;
        }
        self.length() as f64 * log2(vocabulary as f64)
    }

    /// (h1 · N2) / (2 · h2), the integer products taken first; 0 when h2 = 0.
    pub(crate) fn difficulty(&self) -> f64 {
        if self.h2 == 0 {
            return 0.0;
        }
        let numerator = u64::from(self.h1) * u64::from(self.n2);
        let denominator = 2 * u64::from(self.h2);
        numerator as f64 / denominator as f64
    }

    /// difficulty · volume.
    pub(crate) fn effort(&self) -> f64 {
        self.difficulty() * self.volume()
    }

    /// effort / 18 (seconds, by Halstead's estimate).
    pub(crate) fn time(&self) -> f64 {
        self.effort() / 18.0
    }

    /// volume / 3000 (delivered bugs, by Halstead's estimate).
    pub(crate) fn bugs(&self) -> f64 {
        self.volume() / 3000.0
    }
}

/// Python's `math.log(x, 2)`: the quotient of two natural logarithms, which can differ
/// from a dedicated log2 in the last bit.
fn log2(x: f64) -> f64 {
    x.ln() / std::f64::consts::LN_2
}

/// Halstead counts of one function as radon reports it (nested functions folded in,
/// each with its own operand context).
#[cfg(test)]
pub(crate) fn halstead_function(def: &StmtFunctionDef) -> Halstead {
    HalsteadCounter::default().function(def)
}

/// radon's file total.
#[cfg(test)]
pub(crate) fn halstead_module(body: &[Stmt]) -> Halstead {
    HalsteadCounter::default().module(body)
}

/// Counts Halstead metrics of the functions and the module of one AST, reusing
/// its sets (and their allocations) from one count to the next.
///
/// The module total would walk every function body a second time; instead,
/// the sets of each outermost def (one not inside another def) are folded
/// into the module's as that def is counted, and the module walk skips it.
/// The walk of a def's body is the same in both counts (same contexts, same
/// nodes), so the union of its sets and the sum of its totals are exactly
/// what walking it again would add.
#[derive(Default)]
pub(crate) struct HalsteadCounter<'a> {
    counter: Counter<'a>,
    module: Counter<'a>,
    /// Scratch: the module's context number of each of `counter`'s.
    renumbered: Vec<u32>,
}

impl<'a> HalsteadCounter<'a> {
    /// A counter for a file of `source_len` bytes, with the module's operand
    /// set sized up front (real files have one distinct operand per 20 to 400
    /// bytes, about 100 typically), which spares most of its rehashing.
    pub(crate) fn for_source_len(source_len: usize) -> Self {
        let mut counter = Self::default();
        counter.module.operands.reserve(source_len / 64);
        counter
    }

    /// Halstead counts of one function as radon reports it (nested functions
    /// folded in, each with its own operand context).
    pub(crate) fn function(&mut self, def: &'a StmtFunctionDef) -> Halstead {
        self.counter.reset();
        self.counter.context = self.counter.context_id(def.name.as_str());
        self.counter.visit_body(&def.body);
        self.counter.counts()
    }

    /// [`HalsteadCounter::function`] for a def that no other def encloses,
    /// also adding it to the module total that [`HalsteadCounter::module`]
    /// then returns.
    pub(crate) fn outermost_function(&mut self, def: &'a StmtFunctionDef) -> Halstead {
        let counts = self.function(def);
        let module = &mut self.module;
        module.n1 += self.counter.n1;
        module.n2 += self.counter.n2;
        module.distinct_nodes += self.counter.distinct_nodes;
        module
            .operators
            .extend(self.counter.operators.iter().copied());
        // The def's few context numbers, renumbered once for the module.
        self.renumbered.clear();
        for &name in &self.counter.contexts {
            self.renumbered.push(module.context_id(name));
        }
        for (context, value) in &self.counter.operands {
            let context = match context.checked_sub(1) {
                Some(at) => self.renumbered[at as usize],
                None => 0,
            };
            module.operands.insert((context, value.clone()));
        }
        module.counted_defs.insert(std::ptr::from_ref(def).addr());
        counts
    }

    /// radon's file total: the defs passed to
    /// [`HalsteadCounter::outermost_function`] plus a walk of the rest.
    /// Starts the next file's total afresh.
    pub(crate) fn module(&mut self, body: &'a [Stmt]) -> Halstead {
        self.module.visit_body(body);
        let counts = self.module.counts();
        self.module.reset();
        counts
    }
}

/// An operator is told apart by its kind alone (radon keys it by the op class name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Operator {
    Binary(ast::Operator),
    Unary(ast::UnaryOp),
    Bool(ast::BoolOp),
    Compare(ast::CmpOp),
}

/// An operand's value, with Python's equality: every variant is one equivalence
/// class, so deriving `Eq`/`Hash` gives the same distinct count as a Python set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Value<'a> {
    /// A name, an attribute name or a `str` constant.
    Text(&'a str),
    Bytes(Vec<u8>),
    /// Any number equal to an integer (ints, bools, integral floats, `0j`).
    Int(u64),
    /// An integer above `u64::MAX`, as canonical decimal digits.
    BigInt(String),
    /// The bits of a float that is not an integer (fractions, infinity).
    Float(u64),
    /// The bits of a complex number with a non-zero imaginary part.
    Complex(u64, u64),
    None,
    Ellipsis,
}

/// An operand keyed by its context (see [`Counter::context`]) and value.
type Operand<'a> = (u32, Value<'a>);

#[derive(Default)]
struct Counter<'a> {
    /// The def whose body is being walked, told apart by its bare name: 0 at
    /// module/class level, `i + 1` for `contexts[i]`. Numbering the few names
    /// of a walk spares hashing a name with every operand.
    context: u32,
    contexts: Vec<&'a str>,
    /// `contexts` the other way round: a module total can hold thousands of
    /// def names, too many to search one by one.
    context_ids: FxHashMap<&'a str, u32>,
    operators: FxHashSet<Operator>,
    operands: FxHashSet<Operand<'a>>,
    /// Operands that are neither names nor constants (calls, subscripts,
    /// nested operations...): each occurrence is distinct from everything, so
    /// they are counted, not hashed. No node is counted twice in one total:
    /// a node is the operand of its one parent, and a walk visits it once.
    distinct_nodes: u64,
    n1: u64,
    n2: u64,
    /// Addresses of the defs already counted into this total, which the walk
    /// skips (see [`HalsteadCounter`]).
    counted_defs: FxHashSet<usize>,
}

impl<'a> Counter<'a> {
    /// Empties the counter, keeping its allocations.
    fn reset(&mut self) {
        self.context = 0;
        self.contexts.clear();
        self.context_ids.clear();
        self.operators.clear();
        self.operands.clear();
        self.distinct_nodes = 0;
        self.n1 = 0;
        self.n2 = 0;
        self.counted_defs.clear();
    }

    /// The context number of a def named `name` in this walk.
    fn context_id(&mut self, name: &'a str) -> u32 {
        if let Some(&id) = self.context_ids.get(name) {
            return id;
        }
        self.contexts.push(name);
        let id = u32::try_from(self.contexts.len()).unwrap_or(u32::MAX);
        self.context_ids.insert(name, id);
        id
    }

    fn counts(&self) -> Halstead {
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Halstead {
            h1: clamp(self.operators.len() as u64),
            h2: clamp(self.operands.len() as u64 + self.distinct_nodes),
            n1: clamp(self.n1),
            n2: clamp(self.n2),
        }
    }

    fn operator(&mut self, op: Operator) {
        self.n1 += 1;
        self.operators.insert(op);
    }

    fn operand(&mut self, expr: &'a Expr) {
        self.n2 += 1;
        match value(expr) {
            Some(value) => {
                self.operands.insert((self.context, value));
            }
            None => self.distinct_nodes += 1,
        }
    }
}

impl<'a> Visitor<'a> for Counter<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        crate::guard::ensure_stack();
        match stmt {
            // Only the body, under the def's own name; decorators, defaults and
            // annotations are skipped as radon skips them.
            Stmt::FunctionDef(def) => {
                if self
                    .counted_defs
                    .contains(&std::ptr::from_ref::<StmtFunctionDef>(def).addr())
                {
                    return;
                }
                let outer = self.context;
                self.context = self.context_id(def.name.as_str());
                self.visit_body(&def.body);
                self.context = outer;
                return;
            }
            Stmt::AugAssign(aug) => {
                self.operator(Operator::Binary(aug.op));
                self.operand(&aug.target);
                self.operand(&aug.value);
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        crate::guard::ensure_stack();
        match expr {
            Expr::BinOp(bin) => {
                self.operator(Operator::Binary(bin.op));
                self.operand(&bin.left);
                self.operand(&bin.right);
            }
            Expr::UnaryOp(unary) => {
                self.operator(Operator::Unary(unary.op));
                self.operand(&unary.operand);
            }
            Expr::BoolOp(bool_op) => {
                self.operator(Operator::Bool(bool_op.op));
                for value in &bool_op.values {
                    self.operand(value);
                }
            }
            Expr::Compare(compare) => {
                for op in &compare.ops {
                    self.operator(Operator::Compare(*op));
                }
                self.operand(&compare.left);
                for comparator in &compare.comparators {
                    self.operand(comparator);
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// The value radon keys an operand by (CPython's `Name.id`, `Attribute.attr`,
/// `Constant.value`), or `None` when radon keys it by the node itself, which
/// makes it distinct from every other operand.
fn value(expr: &Expr) -> Option<Value<'_>> {
    Some(match expr {
        Expr::Name(name) => Value::Text(name.id.as_str()),
        Expr::Attribute(attribute) => Value::Text(attribute.attr.as_str()),
        // Implicitly concatenated literals are one constant in CPython too.
        Expr::StringLiteral(string) => Value::Text(string.value.to_str()),
        Expr::BytesLiteral(bytes) => Value::Bytes(bytes.value.bytes().collect()),
        Expr::NumberLiteral(number) => number_value(&number.value),
        Expr::BooleanLiteral(boolean) => Value::Int(u64::from(boolean.value)),
        Expr::NoneLiteral(_) => Value::None,
        Expr::EllipsisLiteral(_) => Value::Ellipsis,
        _ => return None,
    })
}

/// Literal numbers are never negative (a minus sign is a unary operator), so only
/// non-negative values need canonical forms.
fn number_value(number: &Number) -> Value<'static> {
    match number {
        Number::Int(int) => match int.as_u64() {
            Some(small) => Value::Int(small),
            // ruff keeps the literal's text for ints that overflow u64.
            None => Value::BigInt(big_int_digits(&int.to_string())),
        },
        Number::Float(float) => float_value(*float),
        // A complex equals a real number only when its imaginary part is zero.
        Number::Complex { real, imag } if *imag == 0.0 => float_value(*real),
        // `+ 0.0` folds -0.0 into 0.0, which Python considers equal.
        Number::Complex { real, imag } => Value::Complex((real + 0.0).to_bits(), imag.to_bits()),
    }
}

fn float_value(float: f64) -> Value<'static> {
    // 2^64: every integral float below it converts to u64 exactly.
    const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
    if !float.is_finite() || float.fract() != 0.0 {
        return Value::Float(float.to_bits());
    }
    let magnitude = float.abs();
    if magnitude < TWO_POW_64 {
        // Exact: `magnitude` is an integer below 2^64.
        Value::Int(magnitude as u64)
    } else {
        // Fixed-point formatting of a float is exact in Rust, so this is the
        // integer's full decimal expansion.
        Value::BigInt(format!("{magnitude:.0}"))
    }
}

/// Canonical decimal digits of a big int literal (`0x…`, `0o…`, `0b…` or decimal,
/// maybe with `_` separators).
fn big_int_digits(literal: &str) -> String {
    let lower = literal.to_ascii_lowercase();
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ => (10, lower.as_str()),
    };
    // Little-endian limbs in base 10^9.
    const LIMB: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = Vec::new();
    for digit in digits.chars().filter_map(|c| c.to_digit(radix)) {
        let mut carry = u64::from(digit);
        for limb in &mut limbs {
            let v = *limb * u64::from(radix) + carry;
            *limb = v % LIMB;
            carry = v / LIMB;
        }
        while carry > 0 {
            limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = match limbs.last() {
        Some(top) => top.to_string(),
        None => return "0".to_string(),
    };
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    out
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

    fn counts(h: Halstead) -> (u32, u32, u32, u32) {
        (h.h1, h.h2, h.n1, h.n2)
    }

    fn total(src: &str) -> (u32, u32, u32, u32) {
        counts(halstead_module(&module(src)))
    }

    /// Report of the first statement, which must be a def.
    fn function(src: &str) -> (u32, u32, u32, u32) {
        match module(src).first() {
            Some(Stmt::FunctionDef(def)) => counts(halstead_function(def)),
            _ => panic!("snippet must start with a def"),
        }
    }

    /// The module total with the outermost defs folded in from their own
    /// counts equals a plain walk of the whole module.
    #[test]
    fn folded_module_total_equals_a_full_walk() {
        let src = "\
x = a + 1
def f(a, b):
    if a and b or not a:
        return a * 2 + b
    def g(c):
        return c - a
    return g(a) + g(b)
class A:
    def __init__(self, v):
        self.v = -v
    @dec(1 + 2)
    def m(self, w=3 * 4):
        return self.v ** w
class B:
    def __init__(self, v):
        self.v = v if v > 0 else ~v
    if x < 3:
        def m(self):
            return x % 2
y = x << 2 | 1
";
        let body = module(src);
        let whole = halstead_module(&body);
        let mut counter = HalsteadCounter::default();
        let mut folded = 0;
        for stmt in &body {
            let defs: Vec<&StmtFunctionDef> = match stmt {
                Stmt::FunctionDef(def) => vec![def],
                Stmt::ClassDef(class) => class
                    .body
                    .iter()
                    .flat_map(|s| match s {
                        Stmt::FunctionDef(def) => vec![def],
                        Stmt::If(i) => i
                            .body
                            .iter()
                            .filter_map(|s| match s {
                                Stmt::FunctionDef(def) => Some(def),
                                _ => None,
                            })
                            .collect(),
                        _ => vec![],
                    })
                    .collect(),
                _ => vec![],
            };
            for def in defs {
                counter.outermost_function(def);
                folded += 1;
            }
        }
        assert_eq!(folded, 5);
        assert_eq!(counter.module(&body), whole);
        // The counter starts the next total afresh.
        assert_eq!(counter.module(&body), whole);
        // radon 6.0.1 `h_visit(src).total`.
        assert_eq!(counts(whole), (14, 22, 16, 29));
    }

    #[test]
    fn no_operators() {
        assert_eq!(total("x = 1\n"), (0, 0, 0, 0));
    }

    #[test]
    fn nested_binop_is_unique_operand() {
        assert_eq!(total("x = a + b * c\n"), (2, 4, 2, 4));
    }

    #[test]
    fn bool_op_one_operator() {
        assert_eq!(total("x = a and b and c\ny = a or b\n"), (2, 3, 2, 5));
    }

    #[test]
    fn chained_compare() {
        assert_eq!(
            total("x = a < b < c\ny = a is not b\nz = a not in b\n"),
            (3, 3, 4, 7)
        );
    }

    #[test]
    fn augassign_shares_binop_operator() {
        assert_eq!(total("x += 1\ny = x + 1\n"), (1, 2, 2, 4));
    }

    #[test]
    fn unary_ops() {
        assert_eq!(total("x = -a\ny = not a\nz = ~a\nw = +a\n"), (4, 1, 4, 4));
    }

    #[test]
    fn attribute_by_name_only() {
        assert_eq!(total("x = self.a + other.a\ny = a + 'a'\n"), (1, 1, 2, 4));
    }

    #[test]
    fn constants_python_equality() {
        assert_eq!(total("x = 1 + 1.0\ny = True + 1\nz = 0 + False\nw = 0.0 + -0.0\nv = 0j + 2.5\nu = 2.5 + 5e-1\n"), (2, 5, 7, 13));
    }

    #[test]
    fn strings_and_bytes() {
        assert_eq!(
            total("x = 'a' + 'a'\ny = b'a' + 'a'\nz = 'ab' + ('a' 'b')\nw = b'x' + b'x'\n"),
            (1, 4, 4, 8)
        );
    }

    #[test]
    fn big_ints() {
        assert_eq!(total("x = 18446744073709551616 + 0x10000000000000000\ny = 1e20 + 100000000000000000000\nz = 1e30 + 10**30\n"), (2, 6, 4, 8));
    }

    #[test]
    fn none_ellipsis_singletons() {
        assert_eq!(
            total("x = None == None\ny = ... is ...\nz = None is False\n"),
            (2, 3, 3, 6)
        );
    }

    #[test]
    fn call_operands_unique() {
        assert_eq!(total("x = f(a) + f(a)\n"), (1, 2, 1, 2));
    }

    #[test]
    fn fstring_fields_walked() {
        assert_eq!(
            total("x = f\"{a + b}\"\ny = f\"{c:{d - e}}\" + f\"\"\n"),
            (2, 6, 3, 6)
        );
    }

    #[test]
    fn ternary_and_subscript_not_operators() {
        assert_eq!(
            total("x = a if b else c\ny = a[1]\nz = a[1:2]\n"),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn lambda_and_comprehension() {
        assert_eq!(
            total("f = lambda a, b=c * 2: a + 1\nz = [i * 2 for i in y if i > 0]\n"),
            (3, 6, 4, 8)
        );
    }

    #[test]
    fn same_name_two_functions() {
        assert_eq!(
            total("def f(a):\n    return a + 1\n\ndef g(a):\n    return a + 1\n"),
            (1, 4, 2, 4)
        );
    }

    #[test]
    fn nested_function_folded() {
        assert_eq!(
            function("def f(a):\n    def g(b):\n        return b * 2\n    return a + g(a)\n"),
            (2, 4, 2, 4)
        );
    }

    #[test]
    fn nested_function_own_context() {
        assert_eq!(
            function(
                "def f(a):\n    x = a + 1\n    def g():\n        return a + 1\n    return x\n"
            ),
            (1, 4, 2, 4)
        );
    }

    #[test]
    fn def_decorators_defaults_skipped() {
        assert_eq!(
            total("@d(1 + 2)\ndef f(x=1 + 2, *, y: a - b = c or d) -> 1 + 2:\n    pass\n"),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn class_bases_and_decorators_walked() {
        assert_eq!(total("@d(1 + 2)\nclass A(B or C, metaclass=m - n):\n    x = a + 1\n    def m(self):\n        return self.x + 1\n"), (3, 9, 5, 10));
    }

    #[test]
    fn class_in_function_uses_function_context() {
        assert_eq!(function("def f(a):\n    class K:\n        y = a + 1\n        def m(self):\n            return a + 1\n    return a + 1\n"), (1, 4, 3, 6));
    }

    #[test]
    fn match_value_patterns() {
        assert_eq!(total("match v:\n    case -1:\n        pass\n    case 1 + 2j:\n        pass\n    case {1: x} if x > 2:\n        pass\n"), (3, 4, 3, 5));
    }

    #[test]
    fn walrus_and_starred() {
        assert_eq!(
            total("if (n := a + 1) > 2:\n    print(*a + b)\n"),
            (2, 5, 3, 6)
        );
    }

    #[test]
    fn dict_unpack_and_slices() {
        assert_eq!(
            total("x = {**a, b: c - d}\ny = a[b + 1 : c - 1 : -1]\n"),
            (3, 4, 4, 7)
        );
    }

    #[test]
    fn derived_values_bit_exact() {
        // radon hal on `def f(a, b):\n    if a > b and b > 0:\n ...` (fixture hal18).
        let total = Halstead {
            h1: 5,
            h2: 7,
            n1: 6,
            n2: 11,
        };
        assert_eq!(total.vocabulary(), 12);
        assert_eq!(total.length(), 17);
        assert_eq!(total.calculated_length(), 31.26112492884004);
        assert_eq!(total.volume(), 60.94436251225966);
        assert_eq!(total.difficulty(), 3.9285714285714284);
        assert_eq!(total.effort(), 239.42428129816292);
        assert_eq!(total.time(), 13.301348961009051);
        assert_eq!(total.bugs(), 0.020314787504086555);
        let f = Halstead {
            h1: 4,
            h2: 5,
            n1: 5,
            n2: 9,
        };
        assert_eq!(f.calculated_length(), 19.60964047443681);
        assert_eq!(f.volume(), 44.37895002019238);
        assert_eq!(f.difficulty(), 3.6);
        assert_eq!(f.effort(), 159.76422007269255);
        assert_eq!(f.time(), 8.875790004038475);
        assert_eq!(f.bugs(), 0.014792983340064125);
    }

    #[test]
    fn derived_values_of_empty_counts_are_zero() {
        let empty = Halstead::default();
        assert_eq!(empty.calculated_length(), 0.0);
        assert_eq!(empty.volume(), 0.0);
        assert_eq!(empty.difficulty(), 0.0);
        assert_eq!(empty.effort(), 0.0);
        assert_eq!(empty.time(), 0.0);
        assert_eq!(empty.bugs(), 0.0);
        // Operands but no operators: no calculated length, but a volume.
        let operands_only = Halstead {
            h1: 0,
            h2: 2,
            n1: 0,
            n2: 3,
        };
        assert_eq!(operands_only.calculated_length(), 0.0);
        assert_eq!(operands_only.volume(), 3.0);
        assert_eq!(operands_only.difficulty(), 0.0);
    }

    #[test]
    fn big_int_literals_in_any_radix() {
        assert_eq!(
            big_int_digits("0x1_0000_0000_0000_0000"),
            "18446744073709551616"
        );
        assert_eq!(
            big_int_digits("0o2000000000000000000000"),
            "18446744073709551616"
        );
        assert_eq!(big_int_digits("000123"), "123");
    }
}
