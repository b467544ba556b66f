#!/usr/bin/env python3
"""Corpus parity check: antipasta's metrics against radon 6.0.1 / complexipy 8.3.0.

usage: parity.py ANTIPASTA_BIN CORPUS_DIR [KNOWN_MISMATCHES]

CORPUS_DIR holds src/ (Python files) and reference.json (the reference tools'
values, keyed by path relative to src/). Prints, per metric, how many values
agree exactly (floats to 1e-9 relative) and fails on any disagreement that is
not listed in KNOWN_MISMATCHES, and on any listed one that no longer occurs
(so the list only ever shrinks). Each list line is
`path<TAB>metric<TAB>function<TAB>reason`; `#` starts a comment.
"""
import json
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict

RAW = [("loc", "lines_of_code"), ("lloc", "logical_lines_of_code"),
       ("sloc", "source_lines_of_code"), ("comments", "comment_lines"),
       ("multi", "multi_line_string_lines"), ("blank", "blank_lines"),
       ("single_comments", "single_comment_lines")]
HAL_INT = [("h1", "halstead_distinct_operators"), ("h2", "halstead_distinct_operands"),
           ("N1", "halstead_total_operators"), ("N2", "halstead_total_operands")]
HAL_FLOAT = [("volume", "halstead_volume"), ("difficulty", "halstead_difficulty"),
             ("effort", "halstead_effort"), ("time", "halstead_time"), ("bugs", "halstead_bugs")]


def same(a, b):
    if a is None or b is None:
        return a is b
    if isinstance(a, float) or isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)
    return a == b


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    known_path = sys.argv[3] if len(sys.argv) > 3 else None
    reference = json.load(open(os.path.join(corpus, "reference.json")))
    src = os.path.join(corpus, "src")
    proc = subprocess.run([binary, "metrics", "--format", "json", "."], cwd=src,
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1, 2):
        sys.exit(f"antipasta exited {proc.returncode}: {proc.stderr}")
    ours = {f["path"]: f for f in json.loads(proc.stdout)["files"]}

    agree, total = Counter(), Counter()
    mismatches = []  # (path, metric, function, detail)

    def compare(path, metric, function, theirs, mine):
        total[metric] += 1
        if same(theirs, mine):
            agree[metric] += 1
        else:
            mismatches.append((path, metric, function, f"reference {theirs!r}, antipasta {mine!r}"))

    unmeasured = []
    for path, ref in sorted(reference.items()):
        if "error" in ref:
            # The reference tools themselves failed on this file (radon hits
            # Python's recursion limit on some huge expressions): nothing to
            # compare against.
            unmeasured.append((path, ref["error"]))
            continue
        mine = ours.get(path)
        if mine is None or mine["error"] is not None:
            total["files"] += 1
            mismatches.append((path, "file", "-", "missing or error: "
                               + (mine["error"] if mine else "not analysed")))
            continue
        total["files"] += 1
        agree["files"] += 1
        fm = mine["metrics"]
        functions = mine["functions"]

        # radon cc: every function, matched by def line and bare name.
        by_line = {(f["line"], f["name"].rsplit(".", 1)[-1]): f for f in functions}
        for rf in ref["functions"]:
            f = by_line.get((rf["line"], rf["name"]))
            name = ((rf["classname"] + ".") if rf["classname"] else "") + rf["name"]
            compare(path, "cyclomatic_complexity", f"{name}@{rf['line']}", rf["cc"],
                    f["metrics"]["cyclomatic_complexity"] if f else None)

        # complexipy: functions not nested in functions, `A::m` names, in order.
        seen = defaultdict(list)
        for f in functions:
            if ".<locals>." not in f["name"]:
                seen[f["name"].replace(".", "::")].append(f)
        used = Counter()
        for rf in ref["cognitive"]:
            cands = seen.get(rf["name"], [])
            f = cands[used[rf["name"]]] if used[rf["name"]] < len(cands) else None
            used[rf["name"]] += 1
            label = f"{rf['name']}@{rf['line_start']}"
            compare(path, "cognitive_complexity", label, rf["cog"],
                    f["metrics"]["cognitive_complexity"] if f else None)
            compare(path, "end_line", label, rf["line_end"], f["end_line"] if f else None)

        # radon hal: per file, and per function where the bare name is unique.
        for key, ours_key in HAL_INT + HAL_FLOAT:
            compare(path, ours_key, "<file>", ref["hal_total"][key], fm.get(ours_key))
        top = [f for f in functions if ".<locals>." not in f["name"]]
        names = Counter(f["name"].rsplit(".", 1)[-1] for f in top)
        for name, rh in ref["hal_functions"].items():
            if names[name] != 1:
                continue
            f = next(f for f in top if f["name"].rsplit(".", 1)[-1] == name)
            for key, ours_key in HAL_INT + HAL_FLOAT:
                compare(path, ours_key, name, rh[key], f["metrics"][ours_key])

        if ref["raw"] != "skipped":
            for key, ours_key in RAW:
                compare(path, ours_key, "<file>", ref["raw"][key], fm.get(ours_key))
        if ref["mi"] != "skipped":
            compare(path, "maintainability_index", "<file>", ref["mi"], fm.get("maintainability_index"))

    known = {}
    if known_path and os.path.exists(known_path):
        for line in open(known_path, encoding="utf-8"):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 4 or not parts[3].strip():
                sys.exit(f"{known_path}: every entry needs path, metric, function and a reason: {line!r}")
            known[tuple(parts[:3])] = parts[3]

    print(f"parity against {corpus} ({len(reference)} files)")
    for path, why in unmeasured:
        print(f"  not compared, the reference failed: {path}: {why}")
    for metric in sorted(total):
        flag = "" if agree[metric] == total[metric] else "  <-- differs"
        print(f"  {metric:32} {agree[metric]:6} / {total[metric]:6} agree{flag}")
    unexpected = [m for m in mismatches if m[:3] not in known]
    stale = sorted(set(known) - {m[:3] for m in mismatches})
    for path, metric, function, detail in unexpected:
        print(f"MISMATCH {path}\t{metric}\t{function}\t{detail}")
    for entry in stale:
        print(f"FIXED (remove from the known list) {chr(9).join(entry)}")
    print(f"{len(mismatches)} mismatches, {len(mismatches) - len(unexpected)} known, "
          f"{len(unexpected)} unexpected, {len(stale)} stale entries")
    sys.exit(1 if unexpected or stale else 0)


if __name__ == "__main__":
    main()
