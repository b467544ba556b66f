#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium (Debian's
`chromium`) driven by Playwright.

Builds a project in a temporary directory, writes its report with
`--save-baseline`, changes the project (a new function, a worse one, a
better one, a removed file) and writes a `--baseline` report. Each page is
opened from file:// and must:
  - render (the script sets body[data-ready]) and log no error;
  - make no request other than the page itself;
  - show as many files in the treemap and functions in the table as
    `antipasta metrics --format json` reports for the same tree;
  - sort by a column when its header is clicked (the first row changes),
    filter, and drill down into a directory;
and the baseline page shows the expected new/worse/better/removed counts.
Then a large tree (thousands of files, tens of thousands of functions)
must load and sort; how long each took is printed, not asserted.
Screenshots go to the directory given (default: target/report-shots).

usage: tests/html-report.py ANTIPASTA [SHOT_DIR]
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FAILURES = []


def check(ok, what):
    print(("ok" if ok else "FAIL") + " [html]: " + what)
    if not ok:
        FAILURES.append(what)


def run(binary, args, cwd):
    env = dict(os.environ, ANTIPASTA_CACHE_DIR=str(Path(cwd) / ".cache"), CI="1")
    proc = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc.stdout


def branchy(name, depth):
    """A function with `depth` nested ifs: cognitive 1 + 2 + ... + depth."""
    lines = [f"def {name}(x):"]
    for level in range(depth):
        lines.append("    " * (level + 1) + f"if x > {level}:")
    lines.append("    " * (depth + 1) + "return x")
    lines.append("    return 0")
    return "\n".join(lines) + "\n"


def small_project(root):
    files = {
        "app/__init__.py": "",
        "app/core.py": branchy("parse", 6) + "\n" + branchy("simple", 1),
        "app/util/strings.py": branchy("slug", 2) + "\nclass Text:\n    def upper(self):\n        return 1\n",
        "app/util/numbers.py": branchy("clamp", 3),
        "lib/old.py": branchy("legacy", 7) + "\n" + branchy("helper", 2),
        "tools/run.py": "print('hello')\n",
        "setup.py": branchy("configure", 1),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def change_project(root):
    core = root / "app/core.py"
    # parse: better (6 → 3 levels); simple: worse (1 → 4); new: fresh.
    core.write_text(branchy("parse", 3) + "\n" + branchy("simple", 4) + "\n" + branchy("fresh", 1))
    (root / "lib/old.py").unlink()


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = path.resolve().as_uri()
    started = time.monotonic()
    page.goto(url)
    try:
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    except Exception:
        raise SystemExit(f"FAIL [html]: {path.name} never became ready; errors: {errors[:5]}")
    loaded = time.monotonic() - started
    return page, errors, [r for r in requests if r != url], loaded


def first_row(page):
    return page.eval_on_selector(
        "#fn-rows .row[data-index='0']",
        "r => Array.from(r.children).map(c => c.textContent)",
    )


def expected(binary, root):
    report = json.loads(run(binary, ["metrics", "--format", "json", "."], root))
    files = len(report["files"])
    functions = sum(len(f["functions"]) for f in report["files"])
    return files, functions, report


def check_page(page, errors, others, files, functions, label):
    check(not errors, f"{label}: no error logged ({errors[:3]})")
    check(not others, f"{label}: no request besides the page ({others[:3]})")
    check(page.locator("#treemap .tm-file").count() == files,
          f"{label}: the treemap shows {files} files")
    check(page.get_attribute("#functions", "data-total") == str(functions),
          f"{label}: the table holds {functions} functions")
    check(page.get_attribute("#summary", "data-functions") == str(functions),
          f"{label}: the summary counts {functions} functions")


def small_checks(browser, binary, work, shots):
    root = work / "small"
    root.mkdir()
    small_project(root)
    files, functions, report = expected(binary, root)
    out = run(binary, ["report", ".", "-o", "report.html", "--save-baseline"], root)
    check("wrote report.html and report.json" in out, f"the report says what it wrote: {out.strip()}")
    page, errors, others, _ = open_page(browser, root / "report.html")
    check_page(page, errors, others, files, functions, "report")

    # The worst cognitive function first, then the simplest.
    cog = page.locator("#fn-head [data-col=cognitive_complexity]")
    cog.click()
    top = first_row(page)
    worst = max((fn["metrics"]["cognitive_complexity"], fn["name"])
                for f in report["files"] for fn in f["functions"])
    check(top[1] == worst[1] and top[4] == str(worst[0]),
          f"sorting by cognitive puts {worst[1]} ({worst[0]}) first: {top[:5]}")
    cog.click()
    check(first_row(page)[1] != top[1], "sorting again reverses the order")
    page.locator("#fn-head [data-col=name]").click()
    names = sorted(fn["name"] for f in report["files"] for fn in f["functions"])
    check(first_row(page)[1] == names[0], f"sorting by name puts {names[0]} first")

    # Functions breaking a limit are marked.
    bad = sum(1 for f in report["files"] for v in f["violations"] if v.get("function"))
    page.check("#only-bad")
    shown = int(page.get_attribute("#functions", "data-rows"))
    check(shown == len({(f["path"], v["function"]) for f in report["files"]
                        for v in f["violations"] if v.get("function")}) and bad > 0,
          f"'violations only' shows the {shown} functions over a limit")
    page.uncheck("#only-bad")
    page.fill("#filter", "app/util/")
    check(page.get_attribute("#functions", "data-rows") == "3", "the filter keeps app/util's 3 functions")
    page.fill("#filter", "")

    # Drill down into app/ and back up.
    page.locator("#treemap .tm-dir[data-path=app]").click(position={"x": 5, "y": 5})
    check(page.get_attribute("#treemap", "data-files") == "4"
          and page.locator("#treemap .tm-file").count() == 4, "drilling into app/ shows its 4 files")
    page.locator("#crumbs a").first.click()
    check(page.locator("#treemap .tm-file").count() == files, "the crumb goes back to the whole tree")
    dirs = page.locator("table.dirs tbody tr").count()
    check(dirs == 5, f"the directory summary lists ., app, app/util, lib and tools ({dirs})")
    page.screenshot(path=str(shots / "report.png"), full_page=False)
    page.close()

    # The same tree changed, against the saved snapshot.
    change_project(root)
    files, functions, _ = expected(binary, root)
    out = run(binary, ["report", ".", "-o", "delta.html", "--baseline", "report.json"], root)
    check("1 new, 1 worse, 1 better, 2 removed functions" in out, f"the delta summary: {out.strip()}")
    page, errors, others, _ = open_page(browser, root / "delta.html")
    check_page(page, errors, others, files, functions, "baseline report")
    counts = {k: page.get_attribute(f".delta-group[data-kind={k}]", "data-count")
              for k in ("new", "worse", "better", "removed")}
    check(counts == {"new": "1", "worse": "1", "better": "1", "removed": "2"},
          f"the page lists 1 new, 1 worse, 1 better, 2 removed: {counts}")
    text = page.inner_text("#delta")
    check("app/core.py::simple" in text and "lib/old.py::legacy" in text,
          "the page names the worse and the removed functions")
    check(page.is_visible("#delta-summary"), "the delta summary is shown")
    page.screenshot(path=str(shots / "report-baseline.png"), full_page=False)
    page.close()


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@example.com",
                            GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.com"))


def hotspot_checks(browser, binary, work, shots):
    root = work / "history"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    small_project(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    for depth in (3, 5, 8):
        (root / "app/core.py").write_text(branchy("parse", depth) + "\n" + branchy("simple", 1))
        (root / "lib/old.py").write_text(branchy("legacy", depth + 1))
        git(root, "commit", "-q", "-am", f"depth {depth}")
    expected = json.loads(run(binary, ["hotspots", "--format", "json", "--top", "50"], root))
    run(binary, ["report", ".", "--hotspots", "-o", "hot.html"], root)
    page, errors, others, _ = open_page(browser, root / "hot.html")
    check(not errors and not others, f"hotspots report: no error, no request ({errors[:2]}, {others[:2]})")
    check(page.is_visible("#hotspots-section"), "hotspots report: the section is shown")
    files = page.locator("table.hot-files tbody tr")
    check(files.count() == len(expected["files"]) > 0,
          f"hotspots report: {len(expected['files'])} files ranked, as `hotspots` ranks them")
    check(page.locator("table.hot-functions tbody tr").count() == len(expected["functions"]),
          f"hotspots report: {len(expected['functions'])} functions ranked")
    first = files.first.locator("td").first.inner_text()
    check(first == expected["files"][0]["path"], f"hotspots report: {first} leads, as in `hotspots`")
    check("4 commits" in page.inner_text("#hotspots-summary"), "hotspots report: the range is stated")
    page.locator("#hotspots-section").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "report-hotspots.png"), full_page=False)
    page.close()


def large_checks(browser, binary, work):
    root = work / "large"
    for d in range(60):
        pkg = root / f"pkg{d:02}" / f"sub{d % 7}"
        pkg.mkdir(parents=True)
        for i in range(50):
            body = "".join(branchy(f"f{j}", 1 + (i + j) % 6) + "\n" for j in range(10))
            (pkg / f"m{i:02}.py").write_text(body)
    started = time.monotonic()
    run(binary, ["report", ".", "-o", "large.html"], root)
    written = time.monotonic() - started
    size = (root / "large.html").stat().st_size
    page, errors, others, loaded = open_page(browser, root / "large.html")
    check(not errors and not others, "large report: no error, no request")
    check(page.locator("#treemap .tm-file").count() == 3000, "large report: 3000 files in the treemap")
    check(page.get_attribute("#functions", "data-total") == "30000", "large report: 30000 functions")
    started = time.monotonic()
    page.locator("#fn-head [data-col=cognitive_complexity]").click()
    page.wait_for_function("document.getElementById('fn-head').dataset.sorted === 'cognitive_complexity desc'")
    sorted_in = time.monotonic() - started
    rows = page.locator("#fn-rows .row").count()
    check(rows < 200, f"large report: only the visible rows exist ({rows})")
    print(f"large report: 3000 files, 30000 functions, {size / 2**20:.1f} MB, written in "
          f"{written:.1f} s, loaded in {loaded:.2f} s, sorted in {sorted_in:.2f} s")
    page.close()


def main():
    binary = str(Path(sys.argv[1]).resolve())
    shots = Path(sys.argv[2] if len(sys.argv) > 2 else "target/report-shots")
    shots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run",
                      "--disable-quic"],
            )
            small_checks(browser, binary, work, shots)
            hotspot_checks(browser, binary, work, shots)
            large_checks(browser, binary, work)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failed")
        sys.exit(1)
    print(f"all html report checks passed; screenshots in {shots}")


if __name__ == "__main__":
    main()
