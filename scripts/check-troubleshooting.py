#!/usr/bin/env python3
r"""Every error and warning antipasta can print must be in docs/troubleshooting.md.

usage: scripts/check-troubleshooting.py SRC DOC [--list]

Reads the Rust sources under SRC, extracts the text of every user-facing
message, and checks that DOC shows each one. Exit 1 with the list of
messages DOC lacks (file, line, text); on success print "N messages
checked". `--list` prints every extracted message instead of checking.

What counts as a message (the extraction rule)
----------------------------------------------
The sources are lexed (comments dropped; string literals decoded, so `\"`,
`\n` and `\` line continuations are handled; raw strings understood; byte
strings ignored), test code is dropped (files named `tests.rs`, anything
below a `tests/` directory, and the item after each `#[cfg(test)]`), and a
string literal is a message when

1. it lies inside the parentheses of a message call (TRIGGERS below):
   `bail!`, `anyhow!`, `ensure!`, `eprintln!`, `.context(`, `.with_context(`,
   `report::warn(` / `report::say(`, the cache's `notice(`,
   `Problem::error(` / `skipped(` / `internal(`, `Err(`, `.map_err(`,
   `.ok_or_else(`, pushes onto `warnings` / `notices` / `notes`, the reason
   of a path `metrics` cannot use (`unusable(`), the `message:` field of a
   degradation or an alert, the `write!(f, ...)` and `f.write_str(...)` of
   a `Display` impl (skip reasons, decode errors, syntax errors), and the
   constructors of config errors; or
2. it lies in a MESSAGE_FILES file, whose every literal is message text
   (the config diagnostics are assembled from pieces: a message here, its
   hint there); or in a MESSAGE_FUNCTIONS function, which returns message
   text built from several literals; or
3. its text starts with `antipasta: ` (a line written to stderr as it is);

and it is none of the SKIPPED contexts (log and tracing macros, panics and
assertions, attributes, `env!`, and the arguments of text-matching calls such
as `strip_prefix`, which are patterns, not output), nor listed in EXCLUDED.
A literal whose fixed text (the text without its `{...}` placeholders) is
shorter than MIN_FIXED characters or has no space (names, keys, paths) is
ignored: it carries no message of its own.

When the code joins several literals into one message (a `format!` of
pieces, a message pushed in parts), each literal is checked on its own, so
every piece must be in the doc.

Not checked: what commands print on stdout as their normal output (`cache
stats`, `baseline check`'s result, `hook install`'s confirmation, help
texts), the report's own lines (violations, summaries), and messages of the
libraries antipasta uses (the TOML and YAML readers, the command-line
parser, the operating system), whose text is not in SRC.

When the doc shows a message (the matching rule)
-----------------------------------------------
Each message becomes a regular expression: its fixed text, with every run of
whitespace matching any whitespace (so a message may wrap, and `\n` inside a
message matches the line break the doc shows) and every `{...}` placeholder
matching anything on the line (the doc writes `…` or a descriptive word:
`config file … does not exist`). `{HINT_MARKER}` stands for the config
error's snippet and `= hint:` line, so it may span a few lines. Placeholders
at either end are dropped. The doc must match the whole expression, not just
a fragment of it: every fixed piece, in order. So the doc must quote each
message's text exactly, and removing an entry fails the check unless
another entry shows the same text too (a message that is part of a longer
one, or one that a second entry quotes in its example).
"""
import pathlib
import re
import sys

MIN_FIXED = 12

# Calls whose parenthesised arguments hold message text.
TRIGGERS = [
    r"\b(?:anyhow::)?(?:bail|anyhow|ensure)!\s*\(",
    r"\beprint(?:ln)?!\s*\(",
    r"\.(?:with_)?context\s*\(",
    r"\b(?:report::)?(?:warn|say)\s*\(",
    r"\bnotice\s*\(",
    r"\bProblem::\w+\s*\(",
    r"\bErr\s*\(",
    r"\.map_err\s*\(",
    r"\.ok_or_else\s*\(",
    r"\b(?:warnings|notices|notes)\.push\s*\(",
    r"\bmessage\s*:\s*format!\s*\(",
    r"\bwrite(?:ln)?!\s*\(\s*f\s*,",
    r"\bf\.write_str\s*\(",
    r"\bConfigError::\w+\s*\(",
    r"\bsrc\.error\s*\(",
    r"\bError::new\s*\(",
    r"\bunusable\s*\(",
]
# A `message: "..."` field initialiser (a literal, no call).
MESSAGE_FIELD = re.compile(r"\bmessage\s*:\s*(?=\")")

# Files whose every literal is message text (paths relative to SRC).
MESSAGE_FILES = {
    "config/diagnostic.rs",  # the config errors' messages and hints
    "config/schema.rs",  # the TOML schema's checks
    "config/values.rs",  # single values' checks: sizes, names, thresholds
    "config/mod.rs",  # `-t METRIC=VALUE` and the metrics file's name
    "exemptions.rs",  # suppression marker problems
    "sandbox.rs",  # the sandbox's status line
    "cancel.rs",  # the names of the signals that stop a run
    "budget.rs",  # resource caps and budget degradation
    "history.rs",  # the hook's alerts
    "run/gate.rs",  # the gate's closing line and its warnings
}

# Functions (file, name) that return message text made of several literals.
MESSAGE_FUNCTIONS = {
    ("metrics/level.rs", "omits"),  # "reduced analysis (no Halstead ...)"
    ("report/mod.rs", "degraded_note"),
    ("report/text.rs", "file_notes"),  # "(partial: measured what parsed)"
    ("config/legacy.rs", "scope_notes"),  # `config validate`'s note
    ("report/findings.rs", "file_problems"),  # the CI formats' file problems
    ("cli.rs", "parse_shard"),  # `--shard K/N`, in clap's usage error
}

# Contexts whose literals are never messages, even inside a trigger.
SKIPPED = [
    # logs (ANTIPASTA_LOG), not messages
    r"\b(?:tracing::)?(?:trace|debug|info|warn|error|event|span)!\s*\(",
    # bugs: a panic reaches the user as "internal error: ..."
    r"\b(?:panic|unreachable|todo|unimplemented)!\s*\(",
    r"\b(?:debug_)?assert(?:_eq|_ne)?!\s*\(",
    r"\.expect\s*\(",
    # build-time text
    r"\b(?:env|option_env|include_str|include_bytes)!\s*\(",
    # patterns to match against, not output
    r"\.(?:strip_prefix|strip_suffix|starts_with|ends_with|contains|split_once"
    r"|rsplit_once|find|rfind|replace|matches|trim_start_matches|trim_end_matches)\s*\(",
    # environment variable names
    r"\bvar(?:_os)?\s*\(",
]

# Deliberately excluded: (file, start of the literal's text, reason).
EXCLUDED = [
    ("report/progress.rs", "antipasta: {bar",
     "the progress bar's template, drawn on a terminal only"),
    ("sandbox.rs", "sandbox probe:",
     "debug builds only: the sandbox test's probe (ANTIPASTA_TEST_SANDBOX_PROBE)"),
    ("sandbox.rs", "{file}; sandbox probe:", "debug builds only, as above"),
    ("sandbox.rs", "not denied (", "debug builds only, as above"),
]

CHAR = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^\\'\n])'")
RAW = re.compile(r'(b?)r(#*)"')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def lex(text: str):
    """(code, literals): the text with comments blanked and each literal's
    inside blanked (same length, so offsets hold), and the literals as
    (start, end, value) with the value decoded; byte strings are blanked too
    but not returned."""
    code = list(text)
    literals = []
    i, n = 0, len(text)

    def blank(a, b, keep_quotes):
        for k in range(a, b):
            if code[k] != "\n":
                code[k] = " "
        if keep_quotes:
            code[a] = code[b - 1] = '"'

    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j, False)
            i = j
            continue
        if text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j, False)
            i = j
            continue
        word_before = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
        m = RAW.match(text, i)
        if m and not word_before:
            close = '"' + m.group(2)
            j = text.index(close, m.end()) + len(close)
            if not m.group(1):
                literals.append((i, j, text[m.end():j - len(close)]))
            blank(i, j, True)
            i = j
            continue
        is_bytes = text.startswith('b"', i) and not word_before
        if text[i] == '"' or is_bytes:
            s = i + 1 if is_bytes else i
            j = s + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if not is_bytes:
                literals.append((i, j + 1, unescape(text[s + 1:j])))
            blank(i, j + 1, True)
            i = j + 1
            continue
        if text[i] == "'":
            m = CHAR.match(text, i)
            if m:
                blank(i, m.end(), False)
                i = m.end()
                continue
        i += 1
    return "".join(code), literals


def unescape(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        d = body[i + 1]
        if d == "\n":  # line continuation: the newline and the indentation go
            i += 2
            while i < len(body) and body[i] in " \t\r\n":
                i += 1
        elif d in ESCAPES:
            out.append(ESCAPES[d])
            i += 2
        elif d == "u":
            j = body.index("}", i)
            out.append(chr(int(body[i + 3:j], 16)))
            i = j + 1
        elif d == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        else:
            out.append(c)
            i += 1
    return "".join(out)


def closing(code: str, open_at: int) -> int:
    """Index just past the bracket matching the one at open_at."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[code[open_at]]]
    i = open_at + 1
    while i < len(code) and stack:
        c = code[i]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            stack.pop()
        i += 1
    return i


def call_spans(code: str, patterns) -> list:
    spans = []
    for pattern in patterns:
        for m in re.finditer(pattern, code):
            open_at = code.rfind("(", m.start(), m.end())
            if open_at < 0:
                open_at = code.find("(", m.end())
            spans.append((m.start(), closing(code, open_at)))
    return spans


def test_spans(code: str) -> list:
    """The item after each `#[cfg(test)]`: up to its `;` or its braces."""
    spans = []
    for m in re.finditer(r"#\[cfg\(test\)\]", code):
        i = m.end()
        while i < len(code) and code[i] not in ";{":
            i += 1
        end = i + 1 if i >= len(code) or code[i] == ";" else closing(code, i)
        spans.append((m.start(), end))
    return spans


def attribute_spans(code: str) -> list:
    return [(m.start(), closing(code, m.end() - 1)) for m in re.finditer(r"#!?\[", code)]


def function_spans(code: str, name: str) -> list:
    spans = []
    for m in re.finditer(r"\bfn\s+" + re.escape(name) + r"\b", code):
        body = code.find("{", m.end())
        spans.append((m.start(), closing(code, body)))
    return spans


def inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def pieces(value: str):
    """[('text', s) | ('ph', name)] of a format string; `{{`/`}}` are braces."""
    out, text, i = [], [], 0
    while i < len(value):
        if value.startswith("{{", i) or value.startswith("}}", i):
            text.append(value[i])
            i += 2
            continue
        if value[i] == "{":
            j = value.find("}", i)
            if j > 0 and "{" not in value[i + 1:j]:
                out.append(("text", "".join(text)))
                text = []
                out.append(("ph", value[i + 1:j].split(":")[0].strip()))
                i = j + 1
                continue
        text.append(value[i])
        i += 1
    out.append(("text", "".join(text)))
    return [p for p in out if p != ("text", "")]


def fixed_text(value: str) -> str:
    return "".join(s for kind, s in pieces(value) if kind == "text").strip()


def pattern(value: str) -> str:
    parts = pieces(value)
    while parts and (parts[0][0] == "ph" or not parts[0][1].strip()):
        parts.pop(0)
    while parts and (parts[-1][0] == "ph" or not parts[-1][1].strip()):
        parts.pop()
    out = []
    for k, (kind, s) in enumerate(parts):
        if kind == "ph":
            out.append(r"[\s\S]{0,600}?" if s == "HINT_MARKER" else r".*?")
            continue
        if k == 0:
            s = s.lstrip()
        if k == len(parts) - 1:
            s = s.rstrip()
        out.append("".join(r"\s+" if w.isspace() else re.escape(w)
                           for w in re.split(r"(\s+)", s) if w))
    return "".join(out)


def messages(src: pathlib.Path) -> dict:
    """pattern -> (shown text, [locations])."""
    found: dict = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src).as_posix()
        if path.name == "tests.rs" or "tests" in path.relative_to(src).parts[:-1]:
            continue
        text = path.read_text(encoding="utf-8")
        code, literals = lex(text)
        tests = test_spans(code)
        skipped = call_spans(code, SKIPPED) + attribute_spans(code)
        triggered = call_spans(code, TRIGGERS)
        triggered += [(m.end(), m.end() + 1) for m in MESSAGE_FIELD.finditer(code)]
        for file, name in MESSAGE_FUNCTIONS:
            if file == rel:
                triggered += function_spans(code, name)
        whole_file = rel in MESSAGE_FILES
        for start, _end, value in literals:
            if inside(start, tests) or inside(start, skipped):
                continue
            if not (whole_file or inside(start, triggered) or value.startswith("antipasta: ")):
                continue
            fixed = fixed_text(value)
            if len(fixed) < MIN_FIXED or not re.search(r"\s", fixed):
                continue
            if any(f == rel and value.startswith(p) for f, p, _ in EXCLUDED):
                continue
            line = text.count("\n", 0, start) + 1
            entry = found.setdefault(pattern(value), (value, []))
            entry[1].append(f"{rel}:{line}")
    return found


def main(argv) -> int:
    args = [a for a in argv[1:] if a != "--list"]
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    src, doc = pathlib.Path(args[0]), pathlib.Path(args[1])
    found = messages(src)
    if "--list" in argv:
        for value, where in found.values():
            print(f"{where[0]}: {value!r}")
        return 0
    text = doc.read_text(encoding="utf-8")
    missing = [(where, value) for regex, (value, where) in found.items()
               if not re.search(regex, text)]
    if missing:
        print(f"{doc} lacks {len(missing)} of {len(found)} messages "
              "(document each: message, cause, fix):", file=sys.stderr)
        for where, value in sorted(missing):
            print(f"  {', '.join(where)}: {value!r}", file=sys.stderr)
        return 1
    print(f"{len(found)} messages checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
