//! Halstead metrics, value-exact with `radon hal` 6.0.1.
//! (Implementation pending: see the helper task.)
use ruff_python_ast::{Stmt, StmtFunctionDef};

/// Distinct and total operators/operands; every derived value is a method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Halstead {
    pub h1: u32,
    pub h2: u32,
    pub n1: u32,
    pub n2: u32,
}

/// Halstead counts of one function as radon reports it (nested functions folded in,
/// each with its own operand context).
pub(crate) fn halstead_function(_def: &StmtFunctionDef) -> Halstead {
    Halstead::default()
}

/// radon's file total.
pub(crate) fn halstead_module(_body: &[Stmt]) -> Halstead {
    Halstead::default()
}

impl Halstead {
    pub(crate) fn volume(&self) -> f64 {
        0.0
    }
    pub(crate) fn difficulty(&self) -> f64 {
        0.0
    }
    pub(crate) fn effort(&self) -> f64 {
        0.0
    }
    pub(crate) fn time(&self) -> f64 {
        0.0
    }
    pub(crate) fn bugs(&self) -> f64 {
        0.0
    }
}
