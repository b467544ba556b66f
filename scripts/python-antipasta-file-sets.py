#!/usr/bin/env python3
"""Records which files the Python antipasta's `metrics` analyses for its
file-selection flags, on a small tree with a config file, ignore patterns
and a .gitignore: tests/fixtures/python-antipasta-file-sets.json, which
tests/it/migrating.rs replays against this antipasta.

Usage: scripts/python-antipasta-file-sets.py PYTHON_ANTIPASTA [--check]

PYTHON_ANTIPASTA is the `antipasta` executable of the Python package
(e.g. `python3 -m venv /tmp/apy && /tmp/apy/bin/pip install antipasta==1.2.0`).
With --check, compares with the committed fixture instead of writing it.
Cases where this antipasta deliberately selects differently carry the
set it selects and why (docs/migrating.md explains each).
"""

import json
import os
import subprocess
import sys
import tempfile

FIXTURE = os.path.join(
    os.path.dirname(__file__), "..", "tests", "fixtures", "python-antipasta-file-sets.json"
)

FILES = [
    "src/pkg/a.py",
    "src/pkg/__init__.py",
    "src/pkg/x_gen.py",
    "src/pkg/legacy_io.py",
    "src/top.py",
    "tests/test_a.py",
    "tests/helpers.py",
    "build/b.py",
    "docs/conf.py",
]
SOURCE = "def f(x):\n    if x:\n        return 1\n    return 0\n"
GITIGNORE = "build/\n*_gen.py\n"
CONFIG = 'ignore_patterns:\n  - "**/test_*.py"\n  - "docs/**"\nuse_gitignore: true\n'

# Command lines in the style of the Python antipasta's documentation, one
# or more per flag.
CASES = [
    ["-d", "."],
    ["-d", ".", "-e", "tests/**"],
    ["-d", ".", "-e", "**/legacy_*", "-e", "src/top.py"],
    ["-d", "src", "-e", "src/pkg/legacy_*"],
    ["-d", ".", "--no-gitignore"],
    ["-d", ".", "--no-gitignore", "-e", "build/**"],
    ["-d", ".", "--force-analyze"],
    ["-d", ".", "-q", "-t", "cyc=1", "-t", "cog=1"],
    ["-d", ".", "-e", "tests/**", "-i", "tests/helpers.py"],
    ["-f", "src/top.py", "-f", "build/b.py"],
]

# Where this antipasta selects otherwise, on purpose.
DIVERGENT = {
    ("-d", ".", "-e", "tests/**", "-i", "tests/helpers.py"): (
        ["src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/legacy_io.py", "src/top.py",
         "tests/helpers.py"],
        "-i re-includes what ignore patterns exclude, as its help says; the Python "
        "antipasta 1.2 filters the files a second time without the -i patterns",
    ),
    ("-f", "src/top.py", "-f", "build/b.py"): (
        ["build/b.py", "src/top.py"],
        "a file named on the command line is analysed even when .gitignore lists it; "
        "the Python antipasta 1.2 drops it silently",
    ),
}


def make_tree(root):
    for rel in FILES:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(SOURCE)
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write(GITIGNORE)
    with open(os.path.join(root, ".antipasta.yaml"), "w") as f:
        f.write(CONFIG)
    subprocess.run(["git", "init", "-q", root], check=True)


def selected(tool, root, args):
    env = dict(os.environ, ANTIPASTA_NO_CACHE="1", ANTIPASTA_JOBS="1")
    out = subprocess.run(
        [tool, "metrics", *args, "--format", "json"],
        cwd=root, env=env, capture_output=True, text=True,
    ).stdout
    # Without -q the Python tool prints status lines before the JSON.
    document = json.loads(out[out.index("{"):])
    paths = (os.path.relpath(r["file"], root) if os.path.isabs(r["file"]) else r["file"]
             for r in document["reports"])
    return sorted(p for p in paths if p.endswith(".py"))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = sys.argv[1]
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as root:
        make_tree(root)
        cases = []
        for args in CASES:
            case = {"args": args, "python": selected(tool, root, args)}
            if tuple(args) in DIVERGENT:
                case["antipasta"], case["why"] = DIVERGENT[tuple(args)]
            cases.append(case)
    fixture = {
        "recorded_with": version,
        "files": FILES,
        "source": SOURCE,
        "gitignore": GITIGNORE,
        "config": CONFIG,
        "cases": cases,
    }
    text = json.dumps(fixture, indent=2) + "\n"
    if "--check" in sys.argv:
        with open(FIXTURE) as f:
            if f.read() != text:
                sys.exit("the Python antipasta now selects differently from the fixture")
        print("fixture matches", version)
        return
    with open(FIXTURE, "w") as f:
        f.write(text)
    print("wrote", os.path.normpath(FIXTURE), "with", version)


if __name__ == "__main__":
    main()
