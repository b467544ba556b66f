//! Text → Python AST, or a per-file syntax error with its position.
//!
//! A thin wrapper over `ruff_python_parser` (Python 3.8–3.14 syntax). The error
//! keeps the parser's message and turns its byte range into line and column so
//! the report can say `syntax error at 3:7: ...`. [`parse_recovering`] keeps
//! the tree the parser recovered around syntax errors (so the functions that
//! did parse can still be measured) and refuses, before parsing, text nested
//! too deeply to walk safely (see [`crate::guard`]). No I/O here.

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};

use crate::guard::{check_nesting, within_token_bound, TooDeep, MAX_NESTING};
use crate::source::SourceText;

/// A syntax error, positioned for people (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// Parses a whole module; any syntax error is an error.
#[cfg(test)]
pub(crate) fn parse(source: &SourceText) -> Result<Parsed<ModModule>, SyntaxError> {
    ruff_python_parser::parse_module(&source.text)
        .map_err(|err| syntax_error(source, err.range(), err.error.to_string()))
}

/// A module as far as it parsed.
pub(crate) struct Recovered {
    pub parsed: Parsed<ModModule>,
    /// The parser's syntax errors, in source order; empty for valid code.
    pub errors: Vec<SyntaxError>,
    /// Byte ranges of those errors, to tell which functions they touch.
    pub error_ranges: Vec<TextRange>,
}

/// Parses a whole module with the parser's error recovery. Refuses text
/// nested deeper than [`MAX_NESTING`] before parsing it.
pub(crate) fn parse_recovering(source: &SourceText) -> Result<Recovered, TooDeep> {
    // The parser grows its stack with `stacker` while it parses; nothing of
    // antipasta runs inside those segments (the walks come after it returns),
    // which `guard::ensure_stack`'s per-thread floor relies on.
    let parsed = ruff_python_parser::parse_unchecked_source(&source.text, PySourceType::Python);
    if within_token_bound(parsed.tokens().iter().map(|t| t.kind()), MAX_NESTING) {
        return Ok(recovered(source, parsed));
    }
    // The guard stops at the token where the depth passes the limit.
    let mut scanned = 0usize;
    let kinds = parsed
        .tokens()
        .iter()
        .map(|t| t.kind())
        .inspect(|_| scanned += 1);
    if let Err(mut too_deep) = check_nesting(kinds, MAX_NESTING) {
        too_deep.at = scanned
            .checked_sub(1)
            .and_then(|i| parsed.tokens().get(i))
            .map(|t| {
                let offset = t.start().to_u32();
                (source.line_of(offset), source.column_of(offset))
            });
        // Dropping a very deep tree recurses once per level; the file is
        // refused anyway, so its memory is left to the end of the process.
        std::mem::forget(parsed);
        return Err(too_deep);
    }
    Ok(recovered(source, parsed))
}

fn recovered(source: &SourceText, parsed: Parsed<ModModule>) -> Recovered {
    let error_ranges: Vec<TextRange> = parsed.errors().iter().map(Ranged::range).collect();
    let errors = parsed
        .errors()
        .iter()
        .map(|e| syntax_error(source, e.range(), e.error.to_string()))
        .collect();
    Recovered {
        parsed,
        errors,
        error_ranges,
    }
}

fn syntax_error(source: &SourceText, range: TextRange, message: String) -> SyntaxError {
    let start = range.start().to_u32();
    SyntaxError {
        line: source.line_of(start),
        column: source.column_of(start),
        message,
    }
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
    fn recovery_keeps_what_parsed() {
        let src = SourceText::from_text("def ok():\n    return 1\n\ndef bad(:\n    pass\n");
        let r = parse_recovering(&src).unwrap();
        assert_eq!(r.errors[0].line, 4);
        assert!(matches!(
            &r.parsed.syntax().body[0],
            ruff_python_ast::Stmt::FunctionDef(f) if f.name.as_str() == "ok"
        ));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let n = 100_000;
        let src = SourceText::from_text(&format!("x = {}1\n", "-".repeat(n)));
        assert!(parse_recovering(&src).is_err());
    }

    #[test]
    fn deep_nesting_says_where() {
        // Each bracket counts two levels (the bracket and its contents), so
        // the limit of 3,000 is passed about 1,500 brackets into line 3.
        let text = format!("a = 1\n\nb = [{}1{}]\n", "(".repeat(4000), ")".repeat(4000));
        let src = SourceText::from_text(&text);
        let Err(deep) = parse_recovering(&src) else {
            panic!("accepted");
        };
        let (line, column) = deep.at.unwrap();
        assert_eq!(line, 3);
        assert!((1490..1510).contains(&column), "column {column}");
        assert!(deep.to_string().starts_with(&format!(
            "nesting too deep at line 3, column {column}: brackets"
        )));
    }

    #[test]
    fn python2_print_is_an_error() {
        let src = SourceText::from_text("print 'hello'\n");
        assert!(parse(&src).is_err());
    }
}
