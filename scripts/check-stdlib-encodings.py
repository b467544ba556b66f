#!/usr/bin/env python3
"""Every file of this Python's standard library (tests included) that Python
itself decodes, antipasta decodes too.

usage: scripts/check-stdlib-encodings.py ANTIPASTA

Runs `ANTIPASTA metrics --format json` over the standard library (without
site-packages) and, for each file antipasta reports an encoding or decoding
error on, asks Python whether it can decode and compile the file: a file
Python reads is a failure here. Files both refuse (CPython's own
deliberately broken test inputs) are listed as agreeing.
"""
import json
import os
import subprocess
import sys
import sysconfig
import tempfile

exe = os.path.abspath(sys.argv[1])
stdlib = sysconfig.get_paths()["stdlib"]
# Everything but site-packages (installed third-party code).
paths = [os.path.join(stdlib, e) for e in sorted(os.listdir(stdlib)) if e != "site-packages"]
with tempfile.TemporaryDirectory() as tmp:
    # An empty configuration, so nothing found around the stdlib counts.
    config = os.path.join(tmp, "antipasta.toml")
    open(config, "w").close()
    out = subprocess.run([exe, "metrics", "--no-cache", "--config", config, "--format", "json", *paths],
                         capture_output=True, cwd=tmp)
report = json.loads(out.stdout)
words = ("encoding", "decode", "null bytes", "byte order mark")
refused = [f for f in report["files"] if any(w in (f.get("error") or "") for w in words)]
wrong = []
for f in refused:
    path = f["path"] if os.path.isabs(f["path"]) else os.path.join(stdlib, f["path"])
    try:
        compile(open(path, "rb").read(), path, "exec")
        wrong.append((path, f["error"]))
    except (SyntaxError, ValueError) as e:
        print(f"both refuse {os.path.relpath(path, stdlib)}: antipasta: {f['error'][:80]} / Python: {e}")
print(f"{report['summary']['files']} files, {len(refused)} refused by antipasta, {len(wrong)} of them readable by Python")
for path, error in wrong:
    print(f"  {path}: {error}")
sys.exit(1 if wrong else 0)
