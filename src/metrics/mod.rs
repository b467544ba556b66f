//! Metric families, each a pure module over a borrowed AST or text.
//!
//! Inputs: decoded source text and its parsed module. Outputs: plain values.
//! Nothing here does I/O.

pub(crate) mod cognitive;
pub(crate) mod cyclomatic;
pub(crate) mod halstead;
pub(crate) mod level;
pub(crate) mod maintainability;
pub(crate) mod raw;
pub(crate) mod structure;

use ruff_python_ast::Stmt;
use serde::{Deserialize, Serialize};

use crate::functions::{def_key, function_hashes, index_functions, module_hash, KnownHashes};
use crate::guard::TooDeep;
use crate::parse::{parse_recovering, SyntaxError};
use crate::source::SourceText;
use halstead::Halstead;
pub(crate) use level::{Cause, Degraded, Level};
use raw::{RawError, RawMetrics};

/// Options that change metric values (and so belong in the cache key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MetricOptions {
    /// radon mi's default: multi-line strings count as comments.
    pub mi_multi_as_comments: bool,
    /// Compute each function's normalised-AST hashes (the staged gate's
    /// function diff needs them; a plain metrics run does not).
    pub function_hashes: bool,
}

impl Default for MetricOptions {
    fn default() -> Self {
        MetricOptions {
            mi_multi_as_comments: true,
            function_hashes: true,
        }
    }
}

/// Every metric of one function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FunctionMetrics {
    pub cyclomatic: u32,
    pub cognitive: u32,
    pub halstead: Halstead,
    /// Lines from the `def` line to the last line of the body.
    pub lines: u32,
    pub parameters: u32,
    pub nesting: u32,
}

impl FunctionMetrics {
    /// The value of a metric at function scope, `None` for file-only metrics.
    pub(crate) fn value(&self, kind: MetricKind) -> Option<f64> {
        Some(match kind {
            MetricKind::CyclomaticComplexity => self.cyclomatic as f64,
            MetricKind::CognitiveComplexity => self.cognitive as f64,
            MetricKind::LinesOfCode => self.lines as f64,
            MetricKind::ParameterCount => self.parameters as f64,
            MetricKind::NestingDepth => self.nesting as f64,
            other => return halstead_value(&self.halstead, other),
        })
    }
}

fn halstead_value(h: &Halstead, kind: MetricKind) -> Option<f64> {
    Some(match kind {
        MetricKind::HalsteadVolume => h.volume(),
        MetricKind::HalsteadDifficulty => h.difficulty(),
        MetricKind::HalsteadEffort => h.effort(),
        MetricKind::HalsteadTime => h.time(),
        MetricKind::HalsteadBugs => h.bugs(),
        _ => return None,
    })
}

/// One function of a file with its identity and metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FunctionReport {
    pub qualname: String,
    pub occurrence: u32,
    pub line: u32,
    pub column: u32,
    pub first_line: u32,
    pub end_line: u32,
    pub is_method: bool,
    pub nested: bool,
    /// complexipy's name (`A::B::m`) for functions it reports; `None` for
    /// functions nested in functions.
    pub class_path: Option<Vec<String>>,
    /// Normalised-AST hashes of the whole definition and of everything but
    /// its name; 0 unless [`MetricOptions::function_hashes`] asked for them.
    pub ast_hash: u64,
    pub body_hash: u64,
    /// The suppression marker of the function, as written. A bare one
    /// (`# antipasta: ignore`, or complexipy's) exempts it from every
    /// threshold and from the cognitive file total.
    pub suppression: Option<crate::suppress::Suppression>,
    pub metrics: FunctionMetrics,
}

impl FunctionReport {
    /// Exempt from every threshold by a bare marker.
    pub(crate) fn ignored(&self) -> bool {
        self.suppression.as_ref().is_some_and(|s| s.is_bare())
    }
}

/// File-level metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FileMetrics {
    /// radon raw counts, or why radon's tokenizer rejects the file.
    pub raw: Result<RawMetrics, RawError>,
    pub halstead: Halstead,
    /// radon's total cyclomatic complexity (the `G` of the MI formula).
    pub cyclomatic_total: u32,
    /// complexipy's file total: reported functions plus module-level code.
    pub cognitive_total: u32,
    /// `None` when raw metrics failed, as radon mi fails then.
    pub maintainability: Option<f64>,
}

impl FileMetrics {
    /// The value of a metric at file scope, `None` when not available.
    pub(crate) fn value(&self, kind: MetricKind) -> Option<f64> {
        let raw = self.raw.as_ref().ok();
        Some(match kind {
            MetricKind::CyclomaticComplexity => self.cyclomatic_total as f64,
            MetricKind::CognitiveComplexity => self.cognitive_total as f64,
            MetricKind::MaintainabilityIndex => return self.maintainability,
            MetricKind::LinesOfCode => raw?.loc as f64,
            MetricKind::LogicalLinesOfCode => raw?.lloc as f64,
            MetricKind::SourceLinesOfCode => raw?.sloc as f64,
            MetricKind::CommentLines => raw?.comments as f64,
            MetricKind::BlankLines => raw?.blank as f64,
            MetricKind::ParameterCount | MetricKind::NestingDepth => return None,
            other => return halstead_value(&self.halstead, other),
        })
    }
}

/// Everything antipasta knows about one file's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FileAnalysis {
    pub file: FileMetrics,
    pub functions: Vec<FunctionReport>,
    /// The first syntax error when the file does not parse cleanly. The
    /// analysis is then partial: file metrics cover the tree the parser
    /// recovered, `functions` only those no syntax error touches.
    pub syntax_error: Option<SyntaxError>,
    /// How much of the analysis ran (see [`Level`]).
    pub level: Level,
    /// Why the analysis is below [`Level::Full`].
    pub degraded: Option<Degraded>,
    /// Hash of the whole module's normalised AST (comments, blank lines and
    /// formatting do not count): the gate judges file-scope metrics only
    /// when it differs between HEAD and the staged side. Computed with
    /// [`MetricOptions::function_hashes`]; `None` otherwise and when the
    /// file was not parsed (minimal analysis), which counts as changed.
    pub code_hash: Option<u64>,
    /// `# antipasta: ignore-file[...]` in the first comment block.
    pub file_suppression: Option<crate::suppress::Suppression>,
}

impl FileAnalysis {
    /// A file-level value, `None` when unavailable or not computed at this
    /// analysis's level.
    pub(crate) fn file_value(&self, kind: MetricKind) -> Option<f64> {
        self.level
            .provides(kind)
            .then(|| self.file.value(kind))
            .flatten()
    }

    /// Line counts only, from text that cannot (or need not) be parsed.
    pub(crate) fn minimal(source: &SourceText) -> FileAnalysis {
        FileAnalysis {
            file: FileMetrics {
                raw: raw::raw_metrics(&source.text),
                halstead: Halstead::default(),
                cyclomatic_total: 0,
                cognitive_total: 0,
                maintainability: None,
            },
            functions: Vec::new(),
            syntax_error: None,
            level: Level::Minimal,
            degraded: None,
            code_hash: None,
            file_suppression: None,
        }
    }
}

/// Parses a source and computes every metric of the file and its functions.
/// A syntax error gives a partial analysis; only text nested too deeply to
/// walk safely is refused.
pub(crate) fn analyze(
    source: &SourceText,
    options: MetricOptions,
) -> Result<FileAnalysis, TooDeep> {
    analyze_at(source, options, Level::Full)
}

/// [`analyze`] at `level` (full or reduced; minimal is
/// [`FileAnalysis::minimal`], which needs no parse). The caller sets
/// [`FileAnalysis::degraded`].
pub(crate) fn analyze_at(
    source: &SourceText,
    options: MetricOptions,
    level: Level,
) -> Result<FileAnalysis, TooDeep> {
    let full = level == Level::Full;
    let recovered = crate::timings::work(crate::timings::Work::Parse, || parse_recovering(source))?;
    let parsed = &recovered.parsed;
    let body: &[Stmt] = &parsed.syntax().body;
    let mut index = index_functions(body, source);
    // A function with a syntax error inside (or right at its end, such as a
    // missing operand before the newline) has metrics of a guessed tree.
    index.retain(|f| {
        let range = ruff_text_size::Ranged::range(f.def);
        !recovered
            .error_ranges
            .iter()
            .any(|e| range.start() <= e.start() && e.start() <= range.end())
    });
    let mut cognitive_total = cognitive::module_level(body);
    let mut known_cyclomatic = cyclomatic::Known::default();
    let mut halstead_counter = halstead::HalsteadCounter::for_source_len(source.text.len());
    let verbatim_names = cognitive::verbatim_names(&source.text, parsed.tokens());
    let markers = crate::suppress::has_ignore_markers(&source.text, parsed.tokens());
    let mut known_hashes = KnownHashes::default();
    let functions = index
        .into_iter()
        .map(|f| {
            let cc = cyclomatic::cyclomatic(f.def);
            known_cyclomatic.insert(cyclomatic::known_key(f.def), cc);
            let metrics = FunctionMetrics {
                cyclomatic: cc,
                cognitive: cognitive::cognitive(f.def, &source.text, verbatim_names),
                halstead: if !full {
                    Halstead::default()
                } else if f.parent.is_none() {
                    halstead_counter.outermost_function(f.def)
                } else {
                    halstead_counter.function(f.def)
                },
                lines: f.end_line - f.line + 1,
                parameters: structure::parameter_count(&f.def.parameters),
                nesting: structure::nesting_depth(&f.def.body),
            };
            let (ast_hash, body_hash) = if options.function_hashes {
                let hashes = function_hashes(f.def);
                known_hashes.insert(def_key(f.def), hashes.0);
                hashes
            } else {
                (0, 0)
            };
            let suppression = markers
                .then(|| {
                    crate::suppress::function_suppression(&source.text, parsed.tokens(), f.def)
                })
                .flatten();
            let ignored = suppression.as_ref().is_some_and(|s| s.is_bare());
            if f.class_path.is_some() && !ignored {
                cognitive_total += metrics.cognitive;
            }
            FunctionReport {
                qualname: f.qualname,
                occurrence: f.occurrence,
                line: f.line,
                column: f.column,
                first_line: f.first_line,
                end_line: f.end_line,
                is_method: f.is_method,
                nested: f.parent.is_some(),
                class_path: f.class_path,
                ast_hash,
                body_hash,
                suppression,
                metrics,
            }
        })
        .collect();
    let halstead = if full {
        halstead_counter.module(body)
    } else {
        Halstead::default()
    };
    let cyclomatic_total = cyclomatic::module_total(body, &known_cyclomatic);
    let raw = raw::raw_metrics(&source.text);
    let maintainability = raw.as_ref().ok().filter(|_| full).map(|r| {
        maintainability::maintainability_index(
            halstead.volume(),
            cyclomatic_total,
            r.lloc,
            maintainability::comment_percentage(r, options.mi_multi_as_comments),
        )
    });
    Ok(FileAnalysis {
        file: FileMetrics {
            raw,
            halstead,
            cyclomatic_total,
            cognitive_total,
            maintainability,
        },
        functions,
        syntax_error: recovered.errors.into_iter().next(),
        level: if full { Level::Full } else { Level::Reduced },
        degraded: None,
        code_hash: options
            .function_hashes
            .then(|| module_hash(body, &known_hashes)),
        file_suppression: markers
            .then(|| crate::suppress::file_suppression(&source.text, parsed.tokens()))
            .flatten(),
    })
}

/// Every metric antipasta can gate on, named as the Python antipasta names them
/// (`cyclomatic_complexity`, ...). A closed set: config keys, JSON keys and
/// violation messages all go through [`MetricKind::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricKind {
    CyclomaticComplexity,
    CognitiveComplexity,
    MaintainabilityIndex,
    HalsteadVolume,
    HalsteadDifficulty,
    HalsteadEffort,
    HalsteadTime,
    HalsteadBugs,
    LinesOfCode,
    LogicalLinesOfCode,
    SourceLinesOfCode,
    CommentLines,
    BlankLines,
    ParameterCount,
    NestingDepth,
}

impl MetricKind {
    pub const ALL: [MetricKind; 15] = [
        MetricKind::CyclomaticComplexity,
        MetricKind::CognitiveComplexity,
        MetricKind::MaintainabilityIndex,
        MetricKind::HalsteadVolume,
        MetricKind::HalsteadDifficulty,
        MetricKind::HalsteadEffort,
        MetricKind::HalsteadTime,
        MetricKind::HalsteadBugs,
        MetricKind::LinesOfCode,
        MetricKind::LogicalLinesOfCode,
        MetricKind::SourceLinesOfCode,
        MetricKind::CommentLines,
        MetricKind::BlankLines,
        MetricKind::ParameterCount,
        MetricKind::NestingDepth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MetricKind::CyclomaticComplexity => "cyclomatic_complexity",
            MetricKind::CognitiveComplexity => "cognitive_complexity",
            MetricKind::MaintainabilityIndex => "maintainability_index",
            MetricKind::HalsteadVolume => "halstead_volume",
            MetricKind::HalsteadDifficulty => "halstead_difficulty",
            MetricKind::HalsteadEffort => "halstead_effort",
            MetricKind::HalsteadTime => "halstead_time",
            MetricKind::HalsteadBugs => "halstead_bugs",
            MetricKind::LinesOfCode => "lines_of_code",
            MetricKind::LogicalLinesOfCode => "logical_lines_of_code",
            MetricKind::SourceLinesOfCode => "source_lines_of_code",
            MetricKind::CommentLines => "comment_lines",
            MetricKind::BlankLines => "blank_lines",
            MetricKind::ParameterCount => "parameter_count",
            MetricKind::NestingDepth => "nesting_depth",
        }
    }

    pub fn from_name(name: &str) -> Option<MetricKind> {
        MetricKind::ALL.into_iter().find(|k| k.name() == name)
    }
}
