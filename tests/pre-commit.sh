#!/usr/bin/env bash
# Exercises both hooks of .pre-commit-hooks.yaml with the real pre-commit
# framework: a scratch project's .pre-commit-config.yaml points at a clone of
# this repository; pre-commit clones it, builds it with cargo (language:
# rust) once into its store, and runs the hooks. (`pre-commit try-repo`
# would work too, but it uses a fresh store, and so a fresh build, per call.)
# usage: tests/pre-commit.sh   (needs `pip install pre-commit`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (pip install pre-commit)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/hooks-repo"
rev=$(git -C "$work/hooks-repo" rev-parse HEAD)
export PRE_COMMIT_HOME="$work/pre-commit-home"
mkdir "$work/project"
cd "$work/project"
git init -q -b main
git config user.email dev@example.com
git config user.name Dev
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks-repo
    rev: $rev
    hooks:
      - id: antipasta
      - id: antipasta-full
YAML
printf 'def add(a, b):\n    return a + b\n' > app.py
git add app.py .pre-commit-config.yaml
git commit -q -m init

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
failures=0
passes=0
expect() { # expect CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    set +e; "$@" > out.txt 2>&1; local got=$?; set -e
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, wanted $want"; cat out.txt; failures=$((failures + 1))
    else
        echo "ok: $what"; passes=$((passes + 1))
    fi
}

printf '%s' "$complex" > legacy.py
git add legacy.py
git commit -q -m legacy --no-verify

# antipasta: only changed functions count. An untouched complex legacy file passes.
printf '%s\ndef helper(x):\n    return x\n' "$(cat app.py)" > app.py
git add app.py
expect 0 "antipasta passes a simple staged change next to complex legacy code" -- \
    pre-commit run antipasta --all-files
printf '%s' "$complex" > new.py
git add new.py
expect 1 "antipasta blocks a new complex function" -- pre-commit run antipasta
grep -q "new.py:1: deep: cognitive_complexity 22 > 15 (added)" out.txt || { echo "FAIL: message"; cat out.txt; failures=$((failures + 1)); }
git rm -q --cached new.py && rm new.py

# antipasta-full: every function of the passed files.
expect 1 "antipasta-full flags the legacy function" -- pre-commit run antipasta-full --files legacy.py
expect 0 "antipasta-full passes simple files" -- pre-commit run antipasta-full --files app.py
# One process for many files (require_serial): one report, one summary line,
# where pre-commit would otherwise split the list across the machine's cores.
many=()
for i in 1 2 3 4 5 6 7 8; do printf '%s' "$complex" > "many$i.py"; many+=("many$i.py"); done
expect 1 "antipasta-full flags many files at once" -- pre-commit run antipasta-full --files "${many[@]}"
summaries=$(grep -cE '^[0-9]+ files?, [0-9]+ functions?, [0-9]+ violations?' out.txt || true)
if [ "$summaries" -ne 1 ]; then
    echo "FAIL: antipasta-full printed $summaries summary lines for one run, wanted 1"; cat out.txt; failures=$((failures + 1))
else
    echo "ok: antipasta-full prints one summary for one run"; passes=$((passes + 1))
fi
rm -f "${many[@]}"

# PRE_COMMIT_FROM_REF/TO_REF: the range between two commits.
git commit -q -m helper --no-verify
base=$(git rev-parse HEAD)
printf '%s' "$complex" > later.py
git add later.py
git commit -q -m later --no-verify
expect 1 "antipasta judges the --from-ref/--to-ref range" -- \
    pre-commit run antipasta --from-ref "$base" --to-ref HEAD

if [ "$failures" -ne 0 ]; then
    echo "pre-commit integration: $passes passed, $failures failed"; exit 1
fi
echo "pre-commit integration: $passes passed, 0 failed"
