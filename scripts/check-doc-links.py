#!/usr/bin/env python3
"""Every relative link in the project's Markdown points at a file that
exists (and, for `file.md#anchor`, at a heading of that file).

usage: scripts/check-doc-links.py   (from the repository root)
"""
import re
import sys
from pathlib import Path

LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path):
    """GitHub's heading anchors: lowercase, punctuation dropped, spaces to -."""
    out = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        text = line.lstrip("#").strip().lower()
        text = re.sub(r"[^\w\- ]", "", text)
        out.add(text.replace(" ", "-"))
    return out


def main():
    files = [Path("README.md"), Path("CONTRIBUTING.md"), Path("CHANGELOG.md"), *Path("docs").glob("*.md")]
    bad = []
    for doc in (f for f in files if f.exists()):
        in_code = False
        for n, line in enumerate(doc.read_text().splitlines(), 1):
            if line.startswith("```"):
                in_code = not in_code
            if in_code:
                continue
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target):
                    continue
                path, _, anchor = target.partition("#")
                dest = (doc.parent / path) if path else doc
                if not dest.exists():
                    bad.append(f"{doc}:{n}: {target}: no such file")
                elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                    bad.append(f"{doc}:{n}: {target}: no such heading")
    for b in bad:
        print("FAIL [links]: " + b)
    print(f"{len(files)} Markdown files, {len(bad)} broken links")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
