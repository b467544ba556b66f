#!/usr/bin/env python3
"""`antipasta hotspots` against `git log --numstat` on a real repository.

For every Python file that is at HEAD and was not renamed in the range,
the commits touching it and its added and removed lines must equal what
`git log --first-parent --numstat` counts over the same commits.

usage: tests/hotspots-numstat.py ANTIPASTA REPO [MAX_COMMITS]
"""
import json
import os
import subprocess
import sys
from collections import defaultdict


def main():
    binary, repo = os.path.abspath(sys.argv[1]), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    out = subprocess.run(
        [binary, "hotspots", "--format", "json", "--top", "1000000", "--max-commits", str(n)],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout
    ours = {f["path"]: f for f in json.loads(out)["files"]}
    log = subprocess.run(
        ["git", "log", "--first-parent", "--numstat", "--format=commit %H", "-n", str(n)],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout
    at_head = set(subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "HEAD"],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout.splitlines())
    commits = 0
    theirs = defaultdict(lambda: [0, 0, 0])
    renamed = set()
    for line in log.splitlines():
        if line.startswith("commit "):
            commits += 1
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        added, removed, path = parts
        if "=>" in path:
            # `a => b` or `dir/{a => b}/f.py`: both names are renamed.
            if "{" in path:
                head, rest = path.split("{", 1)
                middle, tail = rest.split("}", 1)
                old, new = (s.strip() for s in middle.split("=>"))
                names = [(head + old + tail).replace("//", "/"), (head + new + tail).replace("//", "/")]
            else:
                names = [s.strip() for s in path.split("=>")]
            renamed.update(names)
            continue
        if added == "-":
            renamed.add(path)  # binary: no line counts to compare
            continue
        t = theirs[path]
        t[0] += 1
        t[1] += int(added)
        t[2] += int(removed)
    compared, mismatches = 0, []
    for path, (c, a, r) in sorted(theirs.items()):
        if not path.endswith(".py") or path in renamed or path not in at_head:
            continue
        compared += 1
        mine = ours.get(path)
        got = (mine["commits"], mine["added"], mine["removed"]) if mine else None
        if got != (c, a, r):
            mismatches.append(f"{path}: git {(c, a, r)}, antipasta {got}")
    extra = [p for p in ours if p not in theirs and p not in renamed]
    print(f"{commits} commits, {compared} files compared, {len(mismatches)} mismatches, "
          f"{len(extra)} files only antipasta lists")
    for m in mismatches[:20] + extra[:20]:
        print("  " + m)
    if compared == 0:
        print("nothing to compare: no Python file changed in the commits read")
    if mismatches or extra:
        sys.exit(1)


if __name__ == "__main__":
    main()
