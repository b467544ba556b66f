#!/usr/bin/env python3
"""docs/configuration.md against what `antipasta config init` writes.

usage: scripts/check-config-docs.py ANTIPASTA DOC

Runs `ANTIPASTA config init -o FILE` in a temporary directory and reads
every key that file documents, commented out or not:

- top-level `# key = value` lines: keys with a default (an inline table,
  such as `alerts = { ... }`, gives the table key `alerts` and one key
  with a default per entry: `alerts.window`, ...);
- `[thresholds]` entries, `# metric = N  # <cmp>, per <scope>` (metrics
  with a default threshold) and `#   metric (<cmp>, per <scope>)` (metrics
  without one);
- table headers, commented (`# [[rules]]`) or not (`[thresholds]`): table
  keys. The keys under a commented header (`rules.metric`, ...) are
  examples, not defaults: only their presence is checked. A comment
  paragraph saying "the same [thresholds] / [[rules]] keys" just before
  a `# [[name]]` header gives the table keys `name.thresholds`, ...

DOC conventions (see its last section):

- key tables have the header `| Key | Type | Default | Meaning |`; the
  first cell is the key in backticks, with dots for nesting
  (`alerts.window`, `rules.threshold`);
- the metrics table has the header
  `| Metric | Scope | Comparison | Default threshold | ... |`;
- a default cell of a key with a default is the TOML value in backticks,
  exactly as `config init` writes it, or `none (example: `VALUE`)` where
  `config init` shows an example; the type cell starts with the type of
  that value (string, boolean, integer, number, array, table);
- every ```toml block is a valid configuration (`config validate`), and
  names only known keys. A block with `[tool.antipasta]` is a
  pyproject.toml.

Exit 1, naming each problem, when a key or metric is missing from DOC,
when DOC names one that `config init` does not know, or when a default,
type, scope or comparison differs. Exit 2 on a usage error.
"""
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib

KEY_HEADER = ["Key", "Type", "Default", "Meaning"]
METRIC_HEADER = ["Metric", "Scope", "Comparison", "Default threshold"]
TYPE_WORDS = {bool: "boolean", int: "integer", float: "number", str: "string",
              list: "array", dict: "table"}


class Template:
    """What the `config init` file documents."""

    def __init__(self):
        # key -> raw TOML text of its default (value keys only)
        self.defaults = {}
        self.tables = set()
        self.examples = set()
        # metric -> (comparison, scope, threshold text or None)
        self.metrics = {}

    def keys(self):
        return set(self.defaults) | self.tables | self.examples


def toml_value(text):
    """(raw text, value) of a TOML value that may carry a trailing
    comment; None when it is not a TOML value."""
    cuts = [m.start() for m in re.finditer(r"\s#", text)] + [len(text)]
    for cut in cuts:
        raw = text[:cut].strip()
        try:
            return raw, tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            continue
    return None


def inline_entries(raw):
    """`{ a = 1, b = "x" }` -> [("a", "1"), ("b", '"x"')] (flat values)."""
    body = raw.strip()[1:-1]
    parts, depth, quote, cur = [], 0, None, ""
    for ch in body:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    parts.append(cur)
    return [tuple(s.strip() for s in p.split("=", 1)) for p in parts if p.strip()]


def read_template(text):
    t = Template()
    table, commented = None, False
    paragraph = []
    for line in text.splitlines():
        s = line.rstrip()
        if not s:
            paragraph = []
            continue
        header = re.match(r"^(#\s*)?\[(\[)?([\w.]+)\]\]?\s*(#.*)?$", s)
        if header:
            commented = bool(header.group(1))
            table = header.group(3)
            t.tables.add(table)
            if commented and header.group(2):
                same = re.search(r"same (.*?) keys", " ".join(paragraph))
                if same:
                    for sub in re.findall(r"\[\[?(\w+)\]\]?", same.group(1)):
                        if sub != table:
                            t.tables.add(f"{table}.{sub}")
            paragraph = []
            continue
        paragraph.append(s.lstrip("#").strip())
        if table is not None and table.split(".")[-1] == "thresholds":
            entry = re.match(r"^#\s?(\w+) = (\S+)(?:\s+#\s*(\S+), per (\w+))?$", s)
            bare = re.match(r"^#\s+(\w+) \((\S+), per (\w+)\)$", s)
            if entry and table == "thresholds" and entry.group(3):
                t.metrics[entry.group(1)] = (entry.group(3), entry.group(4), entry.group(2))
            elif bare and table == "thresholds":
                t.metrics[bare.group(1)] = (bare.group(2), bare.group(3), None)
            elif entry:
                t.examples.add(f"{table}.<metric {entry.group(1)}>")
            continue
        kv = re.match(r"^(#\s?)?(\w+) = (.*)$", s)
        if not kv:
            continue
        parsed = toml_value(kv.group(3))
        if parsed is None:
            continue
        raw, value = parsed
        key = kv.group(2) if table is None else f"{table}.{kv.group(2)}"
        if table is not None and commented:
            t.examples.add(key)
        elif isinstance(value, dict):
            t.tables.add(key)
            for sub, sub_raw in inline_entries(raw):
                t.defaults[f"{key}.{sub}"] = sub_raw
        else:
            t.defaults[key] = raw
    # Threshold entries of an override name metrics, not keys of their own.
    for example in [e for e in t.examples if "<metric " in e]:
        t.examples.discard(example)
        name = example.split("<metric ")[1].rstrip(">")
        if name not in t.metrics:
            t.examples.add(f"{example.split('.<')[0]}.{name}")
    return t


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_doc(text):
    """(key rows, metric rows, toml blocks, problems); rows are
    (name, cells, line number)."""
    keys, metrics, blocks, problems = [], [], [], []
    lines = text.splitlines()
    kind = None
    in_code, code, code_lang, code_start = False, [], None, 0
    for n, line in enumerate(lines, 1):
        if line.startswith("```"):
            if in_code:
                if code_lang == "toml":
                    blocks.append((code_start, "\n".join(code) + "\n"))
                in_code = False
            else:
                in_code, code, code_lang, code_start = True, [], line[3:].strip(), n
            continue
        if in_code:
            code.append(line)
            continue
        if not line.startswith("|"):
            kind = None
            continue
        row = cells(line)
        if row[:4] == KEY_HEADER:
            kind = "key"
            continue
        if row[:4] == METRIC_HEADER:
            kind = "metric"
            continue
        if kind is None or set(line.replace("|", "").strip()) <= set("-: "):
            continue
        name = re.fullmatch(r"`([\w.]+)`", row[0])
        if not name:
            problems.append(f"{n}: the first cell of a {kind} row is not one `name`: {row[0]}")
            continue
        (keys if kind == "key" else metrics).append((name.group(1), row, n))
    return keys, metrics, blocks, problems


def check_default(key, cell, raw, type_cell, n):
    problems = []
    literal = re.fullmatch(r"`([^`]*)`", cell)
    example = re.fullmatch(r"none \(example: `([^`]*)`\)", cell)
    shown = literal or example
    if not shown:
        problems.append(f"{n}: `{key}`: the default should be `{raw}`, "
                        f"as `config init` writes it; the doc says: {cell}")
    elif shown.group(1) != raw:
        problems.append(f"{n}: `{key}`: the doc's default `{shown.group(1)}` differs from "
                        f"`config init`'s `{raw}`")
    value = tomllib.loads(f"v = {raw}")["v"]
    word = TYPE_WORDS[type(value)]
    if not type_cell.startswith(word):
        problems.append(f"{n}: `{key}`: type `{type_cell}` should start with `{word}` "
                        f"(`config init` writes {raw})")
    return problems


def block_keys(data, template, prefix=""):
    """The key paths a TOML example uses that `config init` does not know."""
    unknown = []
    for k, v in data.items():
        path = prefix + k
        if prefix.endswith("thresholds."):
            if k not in template.metrics:
                unknown.append(f"metric {k}")
            continue
        norm = re.sub(r"^overrides\.rules\.", "rules.", path)
        if norm not in template.keys():
            unknown.append(path)
            continue
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, dict):
                unknown += block_keys(item, template, path + ".")
    return unknown


def validate_block(antipasta, start, text, template, tmp):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return [f"{start}: toml example is not TOML: {e}"]
    pyproject = isinstance(data.get("tool"), dict) and "antipasta" in data["tool"]
    name = "pyproject.toml" if pyproject else ".antipasta.toml"
    config = data["tool"]["antipasta"] if pyproject else data
    problems = [f"{start}: toml example names an unknown key: {k}"
                for k in block_keys(config, template)]
    d = pathlib.Path(tempfile.mkdtemp(dir=tmp))
    (d / name).write_text(text)
    run = subprocess.run([antipasta, "config", "validate", name], cwd=d,
                         capture_output=True, text=True)
    if run.returncode != 0:
        problems.append(f"{start}: toml example fails `config validate`: "
                        + (run.stderr.strip().splitlines() or ["(no message)"])[0])
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    antipasta = str(pathlib.Path(sys.argv[1]).resolve())
    doc_path = pathlib.Path(sys.argv[2])
    doc = doc_path.read_text()
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "init.toml"
        run = subprocess.run([antipasta, "config", "init", "-o", str(out)], cwd=tmp,
                             capture_output=True, text=True)
        if run.returncode != 0 or not out.is_file():
            print(f"`{antipasta} config init` failed: {run.stderr.strip()}", file=sys.stderr)
            return 2
        template = read_template(out.read_text())
        key_rows, metric_rows, blocks, problems = read_doc(doc)
        if not template.defaults or not template.metrics:
            print("found no keys or no metrics in the `config init` file: has its layout "
                  "changed?", file=sys.stderr)
            return 2

        known = template.keys()
        documented = {}
        for key, row, n in key_rows:
            if key in documented:
                problems.append(f"{n}: `{key}` is documented twice (first on line {documented[key]})")
                continue
            documented[key] = n
            if key not in known:
                problems.append(f"{n}: `{key}` is documented, but `config init` does not know it")
            elif len(row) < 4:
                problems.append(f"{n}: `{key}`: the row has fewer than 4 cells")
            elif key in template.defaults:
                problems += check_default(key, row[2], template.defaults[key], row[1], n)
        for key in sorted(known - set(documented)):
            problems.append(f"`{key}` is missing from the doc")

        seen = {}
        for name, row, n in metric_rows:
            if name in seen:
                problems.append(f"{n}: metric `{name}` is listed twice")
                continue
            seen[name] = n
            if name not in template.metrics:
                problems.append(f"{n}: metric `{name}` is documented, but `config init` does not know it")
                continue
            if len(row) < 4:
                problems.append(f"{n}: metric `{name}`: the row has fewer than 4 cells")
                continue
            comparison, scope, threshold = template.metrics[name]
            if row[1] != scope:
                problems.append(f"{n}: metric `{name}`: scope `{row[1]}`, `config init` says {scope}")
            if row[2] != f"`{comparison}`":
                problems.append(f"{n}: metric `{name}`: comparison {row[2]}, `config init` says `{comparison}`")
            want = "none" if threshold is None else f"`{threshold}`"
            if row[3] != want:
                problems.append(f"{n}: metric `{name}`: default threshold {row[3]}, "
                                f"`config init` says {want}")
        for name in sorted(set(template.metrics) - set(seen)):
            problems.append(f"metric `{name}` is missing from the doc's metrics table")

        for start, text in blocks:
            problems += validate_block(antipasta, start, text, template, tmp)

    if problems:
        for p in problems:
            print(f"{doc_path}:{p}" if p[0].isdigit() else f"{doc_path}: {p}")
        print(f"{len(problems)} problem(s) in {doc_path}", file=sys.stderr)
        return 1
    print(f"{len(known)} keys checked ({len(template.defaults)} defaults), "
          f"{len(template.metrics)} metrics, {len(blocks)} toml examples validated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
