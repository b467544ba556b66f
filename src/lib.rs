//! antipasta: a code-complexity gate for Python.
//!
//! The library holds every stage; the two binaries (`antipasta`, `git-antipasta`)
//! are thin wrappers around [`cli_main`]. Stages are wired together only in `run`.

pub(crate) mod config;
pub(crate) mod functions;
pub mod metrics;
pub(crate) mod parse;
pub(crate) mod source;
