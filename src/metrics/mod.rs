//! Metric families, each a pure module over a borrowed AST or text.
//!
//! Inputs: decoded source text and its parsed module. Outputs: plain values.
//! Nothing here does I/O.

pub(crate) mod cognitive;
pub(crate) mod cyclomatic;
pub(crate) mod halstead;
pub(crate) mod maintainability;
pub(crate) mod raw;
