#!/usr/bin/env bash
# The checks of one install route under one hook manager: a scratch project
# whose .pre-commit-config.yaml points at HOOKS_REPO@REV, the hooks installed
# once (timed), then the hooks run by the manager and through `git commit`.
#
# usage: tests/hook-route.sh TOOL HOOKS_REPO REV LABEL
#   TOOL        pre-commit or prek (on PATH)
#   HOOKS_REPO  a git repository with .pre-commit-hooks.yaml (this project,
#               language: rust; or a mirror made by scripts/make-mirror,
#               language: python)
#   REV         the revision or tag to pin
#   LABEL       what to call the route in the output
# The caller sets the environment: PRE_COMMIT_HOME / PREK_HOME, PATH, and
# for the wheel route where the package installer finds the wheel.
set -euo pipefail
tool=$1 hooks_repo=$2 rev=$3 label=$4
command -v "$tool" >/dev/null || { echo "$tool is not installed (pip install $tool)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/project"
cd "$work/project"
git init -q -b main
git config user.email dev@example.com
git config user.name Dev
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks_repo
    rev: $rev
    hooks:
      - id: antipasta
      - id: antipasta-full
YAML
printf 'def add(a, b):\n    return a + b\n' > app.py
git add app.py .pre-commit-config.yaml
git commit -q -m init

failures=0
passes=0
fail() { echo "FAIL [$label]: $*"; failures=$((failures + 1)); }
expect() { # expect CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    set +e; "$@" > out.txt 2>&1; local got=$?; set -e
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit $got, wanted $want"; cat out.txt
    else
        echo "ok [$label]: $what"; passes=$((passes + 1))
    fi
}

# The first use: the manager installs the hook's environment (a build from
# source, or the wheel into a virtual environment). This is the wait a new
# user or a fresh CI runner sees.
start=$EPOCHREALTIME
expect 0 "$tool installs the hooks" -- "$tool" install-hooks
awk -v a="$start" -v b="$EPOCHREALTIME" -v l="$label" \
    'BEGIN { printf "first hook install [%s]: %.1f s\n", l, b - a }' | tee -a "${INSTALL_TIMES:-/dev/null}"

complex='def deep(a, b, c, d, e):
    if a:
        if b:
            if c:
                if d:
                    if e and a or b:
                        return 1
                    for x in a:
                        return x
    return 0
'
printf '%s' "$complex" > legacy.py
git add legacy.py
git commit -q -m legacy --no-verify

# antipasta: only changed functions count. An untouched complex legacy file passes.
printf '%s\ndef helper(x):\n    return x\n' "$(cat app.py)" > app.py
git add app.py
expect 0 "antipasta passes a simple staged change next to complex legacy code" -- \
    "$tool" run antipasta --all-files
printf '%s' "$complex" > new.py
git add new.py
expect 1 "antipasta blocks a new complex function" -- "$tool" run antipasta
grep -q "new.py:1: deep: cognitive_complexity 22 > 15 (added)" out.txt || { fail "message"; cat out.txt; }
git rm -q --cached new.py && rm new.py

# antipasta-full: every function of the passed files.
expect 1 "antipasta-full flags the legacy function" -- "$tool" run antipasta-full --files legacy.py
expect 0 "antipasta-full passes simple files" -- "$tool" run antipasta-full --files app.py
# One process for many files (require_serial): one report, one summary line,
# where the manager would otherwise split the list across the machine's cores.
many=()
for i in 1 2 3 4 5 6 7 8; do printf '%s' "$complex" > "many$i.py"; many+=("many$i.py"); done
expect 1 "antipasta-full flags many files at once" -- "$tool" run antipasta-full --files "${many[@]}"
summaries=$(grep -cE '^ *[0-9]+ files?, [0-9]+ functions?, [0-9]+ violations?' out.txt || true)
if [ "$summaries" -ne 1 ]; then
    fail "antipasta-full printed $summaries summary lines for one run, wanted 1"; cat out.txt
else
    echo "ok [$label]: antipasta-full prints one summary for one run"; passes=$((passes + 1))
fi
rm -f "${many[@]}"

# PRE_COMMIT_FROM_REF/TO_REF: the range between two commits.
git commit -q -m helper --no-verify
base=$(git rev-parse HEAD)
printf '%s' "$complex" > later.py
git add later.py
git commit -q -m later --no-verify
expect 1 "antipasta judges the --from-ref/--to-ref range" -- \
    "$tool" run antipasta --from-ref "$base" --to-ref HEAD

# Through git itself: the manager's own git hook, an allowed and a blocked commit.
expect 0 "$tool install writes the git hook" -- "$tool" install
printf '%s\ndef twice(x):\n    return 2 * x\n' "$(cat app.py)" > app.py
git add app.py
expect 0 "git commit of a simple change goes through the hook" -- git commit -m simple
printf '%s' "$complex" > blocked.py
git add blocked.py
expect 1 "git commit adding a complex function is blocked by the hook" -- git commit -m complex
grep -q "blocked.py:1: deep: cognitive_complexity 22 > 15 (added)" out.txt || { fail "commit message"; cat out.txt; }
[ "$(git log -1 --format=%s)" = simple ] || fail "the blocked commit was made"

if [ "$failures" -ne 0 ]; then
    echo "hook route [$label]: $passes passed, $failures failed"; exit 1
fi
echo "hook route [$label]: $passes passed, 0 failed"
