#!/usr/bin/env python3
"""Checks antipasta's run metrics file with the reference Prometheus parser.

usage: tests/prometheus-check.py ANTIPASTA

Runs `ANTIPASTA metrics --metrics-file` over a small tree written to a
temporary directory, then parses the file with prometheus_client's parser
(the Python client's own text-format parser: stricter than a regex) and
checks that every family is a documented gauge labelled with the mode, and
that the counters equal the JSON report's.
"""
import json
import os
import subprocess
import sys
import tempfile

from prometheus_client.parser import text_string_to_metric_families

exe = os.path.abspath(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    os.makedirs(os.path.join(tmp, "pkg"))
    with open(os.path.join(tmp, "pkg", "a.py"), "w") as f:
        f.write("def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(12)) + "    return 0\n")
    with open(os.path.join(tmp, "pkg", "b.py"), "w") as f:
        f.write("def g():\n    return 1\n")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, ".cache"))
    out = subprocess.run([exe, "metrics", "pkg", "--format", "json", "--metrics-file", "m.prom"],
                         cwd=tmp, capture_output=True, env=env)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    text = open(os.path.join(tmp, "m.prom")).read()
families = {f.name: f for f in text_string_to_metric_families(text)}
for name, family in families.items():
    assert name.startswith("antipasta_"), name
    assert family.type == "gauge", (name, family.type)
    assert family.documentation, name
    for sample in family.samples:
        assert sample.labels["mode"] == "metrics", sample

def value(name, **labels):
    [s] = [s for s in families[name].samples if all(s.labels.get(k) == v for k, v in labels.items())]
    return s.value

summary = report["summary"]
assert value("antipasta_files", state="checked") == summary["files"] == 2
assert value("antipasta_violations") == summary["violations"] == 1
assert value("antipasta_functions") == summary["functions"] == 2
phases = sum(s.value for s in families["antipasta_phase_seconds"].samples)
duration = value("antipasta_run_duration_seconds")
assert abs(phases - duration) <= 0.05 * duration, (phases, duration)
print(f"prometheus_client parsed {len(families)} families; counters equal the report's")
