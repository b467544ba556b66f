#!/usr/bin/env python3
"""The layering rules of src/ (docs/architecture.md), checked from the source:

- no import cycle between the top-level modules (a module's dependencies are
  the `crate::NAME` paths outside its tests);
- no file over 800 lines;
- clap's types (`crate::cli`) only in the entry (lib.rs, main.rs, bin/) and
  in run/, which turns them into plain values;
- the terminal (print!, eprintln!, io::stderr()) only in the entry and in
  report/, the reporting edge.

usage: scripts/check-structure.py [SRC]   exit 1 with the reasons when a rule fails
"""
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
LIMIT = 800
ENTRY = re.compile(r"^(lib|main|bin/.+)\.rs$")
CLI_OK = re.compile(r"^(lib|main|cli|bin/.+|run/.+)\.rs$")
TERMINAL_OK = re.compile(r"^(lib|main|bin/.+|report(/.+)?)\.rs$")
TERMINAL = re.compile(r"\b(e?print(ln)?!|io::stderr\(\))")


def module_of(rel: pathlib.PurePath) -> str:
    parts = list(rel.with_suffix("").parts)
    return "crate" if parts in (["lib"], ["main"]) else parts[0]


def without_tests_and_comments(text: str) -> str:
    cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+", text)
    body = text[: cut.start()] if cut else text
    return "\n".join(l for l in body.splitlines() if not l.lstrip().startswith("//"))


modules = {p.stem if p.is_file() else p.name for p in src.iterdir()
           if (p.suffix == ".rs" and p.stem not in ("lib", "main")) or (p.is_dir() and p.name != "bin")}
graph: dict[str, set[str]] = {}
problems = []
for path in sorted(src.rglob("*.rs")):
    rel = path.relative_to(src)
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines > LIMIT:
        problems.append(f"{rel}: {lines} lines (limit {LIMIT})")
    body = without_tests_and_comments(text)
    me = module_of(rel)
    used = set(re.findall(r"\bcrate::(\w+)", body))
    for group in re.findall(r"\bcrate::\{([^}]*)\}", body):
        used |= {name.strip().split("::")[0] for name in group.split(",") if name.strip()}
    graph.setdefault(me, set()).update(m for m in used if m in modules and m != me)
    if "cli" in used and not CLI_OK.match(rel.as_posix()):
        problems.append(f"{rel}: uses crate::cli (clap types belong to the entry and run/)")
    if TERMINAL.search(body) and not TERMINAL_OK.match(rel.as_posix()):
        problems.append(f"{rel}: writes to the terminal (only the entry and report/ may)")

# cycles: depth-first search, reporting each cycle once by its node set
seen_cycles = set()
state: dict[str, int] = {}
stack: list[str] = []


def visit(node: str) -> None:
    state[node] = 1
    stack.append(node)
    for nxt in sorted(graph.get(node, ())):
        if state.get(nxt) == 1:
            cycle = stack[stack.index(nxt):]
            key = frozenset(cycle)
            if key not in seen_cycles:
                seen_cycles.add(key)
                problems.append("import cycle: " + " -> ".join(cycle + [nxt]))
        elif nxt not in state:
            visit(nxt)
    stack.pop()
    state[node] = 2


for node in sorted(graph):
    if node not in state:
        visit(node)

edges = sum(len(v) for v in graph.values())
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"structure ok: {len(graph)} modules, {edges} dependencies, no cycle, "
      f"no file over {LIMIT} lines, cli and the terminal only where allowed")
