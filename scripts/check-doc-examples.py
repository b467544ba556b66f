#!/usr/bin/env python3
"""Runs the documentation's runnable examples and compares their output.

An example is a fenced block whose info string is `sh runnable`:

    ```sh runnable
    $ antipasta metrics
    app/core.py:1:1: parse: cognitive_complexity 21 > 15
    ...
    ```

Lines starting with `$ ` are commands, run with bash in a fresh copy of
the fixture repository below (a git repository with one commit, the
built binaries first on PATH); the lines after a command are its expected
stdout and stderr, interleaved as written. A line `...` matches any number of lines;
trailing spaces do not count. Every example of a file runs in the same
copy, in order, so a later example sees what an earlier one did.

usage: scripts/check-doc-examples.py BIN_DIR FILE.md...
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The fixture the examples run in: a small project with one legacy
# function over the default cognitive limit.
FIXTURE = {
    "app/__init__.py": "",
    "app/core.py": (
        "def parse(tokens):\n"
        "    out = []\n"
        "    for t in tokens:\n"
        "        if t:\n"
        "            if t.isdigit():\n"
        "                for c in t:\n"
        "                    if c == '0':\n"
        "                        if out:\n"
        "                            if len(out) > 2:\n"
        "                                out.append(c)\n"
        "    return out\n"
        "\n"
        "\n"
        "def total(xs):\n"
        "    return sum(xs)\n"
    ),
    "app/util.py": "def slug(text):\n    return text.lower().replace(' ', '-')\n",
}

FENCE = re.compile(r"^```sh runnable\s*$")


def examples(path):
    """(first line number, lines) of each runnable block."""
    out, block, start = [], None, 0
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        if block is None and FENCE.match(line):
            block, start = [], n
        elif block is not None and line.startswith("```"):
            out.append((start, block))
            block = None
        elif block is not None:
            block.append(line)
    return out


def line_matches(expected, actual):
    expected, actual = expected.rstrip(), actual.rstrip()
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def matches(expected, actual):
    """`...` alone on a line matches any run of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and matches(expected[1:], actual[1:])


def make_fixture(root, env):
    for rel, text in FIXTURE.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "legacy code"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


def main():
    bin_dir = Path(sys.argv[1]).resolve()
    failures, ran = 0, 0
    for doc in sys.argv[2:]:
        blocks = examples(doc)
        if not blocks:
            continue
        work = Path(tempfile.mkdtemp())
        env = dict(
            os.environ,
            PATH=f"{bin_dir}:{os.environ['PATH']}",
            HOME=str(work),
            GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@example.com",
            GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.com",
            GIT_CONFIG_NOSYSTEM="1", CI="1", NO_COLOR="1",
        )
        for k in ("ANTIPASTA_CACHE_DIR", "ANTIPASTA_LOG", "GIT_DIR", "GIT_INDEX_FILE"):
            env.pop(k, None)
        root = work / "project"
        root.mkdir()
        make_fixture(root, env)
        try:
            for start, lines in blocks:
                i = 0
                while i < len(lines):
                    if not lines[i].startswith("$ "):
                        i += 1
                        continue
                    command = lines[i][2:]
                    j = i + 1
                    while j < len(lines) and not lines[j].startswith("$ "):
                        j += 1
                    expected = lines[i + 1:j]
                    proc = subprocess.run(["bash", "-c", command], cwd=root, env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True)
                    actual = proc.stdout.splitlines()
                    ran += 1
                    if not matches(expected, actual):
                        failures += 1
                        print(f"FAIL [docs]: {doc}:{start}: $ {command}")
                        print("  expected:\n    " + "\n    ".join(expected))
                        print("  got:\n    " + "\n    ".join(actual))
                    i = j
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{ran} runnable doc examples, {failures} failed")
    sys.exit(1 if failures or ran == 0 else 0)


if __name__ == "__main__":
    main()
