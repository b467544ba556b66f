#!/usr/bin/env python3
"""Prints metrics/raw/tables.rs's WORD_RANGES: the non-ASCII code points that
`\\w` matches in this interpreter's `re` (run it with CPython 3.11, whose
tokenizer radon 6.0.1 used), merged into inclusive ranges, six to a line.
usage: python3.11 scripts/gen-word-ranges.py > ranges.txt"""
import re
import sys

word = re.compile(r"\w")
ranges = []
for cp in range(0x80, sys.maxunicode + 1):
    if word.match(chr(cp)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
cells = [f"(0x{a:X}, 0x{b:X})," for a, b in ranges]
line = "   "
for cell in cells:
    if len(line) + 1 + len(cell) > 100:
        print(line)
        line = "   "
    line += " " + cell
print(line)
