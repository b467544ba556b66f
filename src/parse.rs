//! Text → Python AST, or a per-file syntax error with its position.
//!
//! A thin wrapper over `ruff_python_parser` (Python 3.8–3.14 syntax). The error
//! keeps the parser's message and turns its byte range into line and column so
//! the report can say `syntax error at 3:7: ...`. No I/O here.

use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_text_size::Ranged;

use crate::source::SourceText;

/// A syntax error, positioned for people (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "syntax error at line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Parses a whole module.
pub(crate) fn parse(source: &SourceText) -> Result<Parsed<ModModule>, SyntaxError> {
    ruff_python_parser::parse_module(&source.text).map_err(|err| {
        let start = err.range().start().to_u32();
        SyntaxError {
            line: source.line_of(start),
            column: source.column_of(start),
            message: err.error.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_module_parses() {
        let src = SourceText::from_text("def f(x):\n    return x\n");
        assert_eq!(parse(&src).unwrap().syntax().body.len(), 1);
    }

    #[test]
    fn pep701_nested_fstring_parses() {
        let src = SourceText::from_text("x = f\"{a + f\"{b}\"}\"\n");
        assert!(parse(&src).is_ok());
    }

    #[test]
    fn syntax_error_has_position() {
        let src = SourceText::from_text("x = 1\ndef f(:\n    pass\n");
        let err = parse(&src).unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.column, 7);
        assert!(err
            .to_string()
            .starts_with("syntax error at line 2, column 7"));
    }

    #[test]
    fn python2_print_is_an_error() {
        let src = SourceText::from_text("print 'hello'\n");
        assert!(parse(&src).is_err());
    }
}
