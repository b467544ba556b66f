#!/usr/bin/env bash
# Every install route, end to end (docs/install.md):
#
# 1. the wheel: built by maturin with the dist profile, installed with no
#    package index and no Rust toolchain on PATH into a fresh virtual
#    environment; `antipasta --version`, `git antipasta --version` and a
#    gate check in a temporary repository;
# 2. the wheel route of the hook managers: the mirror that
#    scripts/make-mirror makes (language: python) under pre-commit and prek,
#    the wheel found in a local directory, still no index and no Rust;
# 3. the source route: this repository (language: rust) under pre-commit
#    and prek, built by `cargo install` with the release profile.
#
# Each route runs tests/hook-route.sh and prints how long the first hook
# install took. Leaves the dist binaries in target/dist/ (the corpus parity
# check reuses them instead of building again).
#
# usage: tests/install.sh   (installs maturin, pre-commit, prek and uv with
#                            pip when missing; that step needs the index)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)
failures=0
fail() { echo "FAIL [install]: $*"; failures=$((failures + 1)); }
ok() { echo "ok [install]: $*"; }
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

for tool in maturin pre-commit prek uv; do
    command -v "$tool" >/dev/null || python3 -m pip install --quiet "$tool"
done
export INSTALL_TIMES="$work/install-times.txt"

# A PATH without the Rust toolchain: what a user without Rust has.
norust=$(python3 - <<'PY'
import os
keep = [d for d in os.environ["PATH"].split(os.pathsep)
        if d and not any(os.path.exists(os.path.join(d, t)) for t in ("cargo", "rustc", "rustup"))]
print(os.pathsep.join(keep))
PY
)
if PATH=$norust command -v cargo >/dev/null; then
    echo "install: could not take cargo off PATH"; exit 1
fi

# 1. The wheel.
wheelhouse="$work/wheelhouse"
start=$EPOCHREALTIME
# The release workflow's rustc arguments (a static binary on Linux with
# glibc): the tests below, the parity check and the benchmarks see the
# binary users get.
wheel_args=$("$root/scripts/wheel-rustc-args")
# shellcheck disable=SC2086 # the arguments are words
(cd "$root" && maturin build --quiet --out "$wheelhouse" -- $wheel_args 2>&1 | grep -v '^\s*Compiling' || true)
echo "wheel build (dist profile): $(seconds_since "$start") s"
wheel=$(ls "$wheelhouse"/antipasta_rs-"$version"-*.whl 2>/dev/null | head -1)
[ -n "$wheel" ] || { echo "install: maturin built no wheel"; ls -la "$wheelhouse" || true; exit 1; }
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
# Listed once into a variable: `python3 -m zipfile -l | grep -q` fails
# under pipefail when grep exits early and the listing hits a closed pipe.
listing=$(python3 -m zipfile -l "$wheel")
grep -qE 'scripts/antipasta +' <<<"$listing" || fail "the wheel has no antipasta binary"
grep -qE 'scripts/git-antipasta +' <<<"$listing" || fail "the wheel has no git-antipasta binary"

python3 -m venv "$work/venv"
start=$EPOCHREALTIME
PATH=$norust "$work/venv/bin/python" -m pip install --quiet --no-index --find-links "$wheelhouse" antipasta-rs \
    || { echo "install: pip could not install the wheel"; exit 1; }
echo "pip install of the wheel: $(seconds_since "$start") s"
venv_path="$work/venv/bin:$norust"
commit=$(git -C "$root" log -1 --format=%h)
got=$(PATH=$venv_path antipasta --version)
[[ $got == "antipasta $version ("*")" ]] && ok "antipasta --version: $got" || fail "antipasta --version said '$got'"
got=$(PATH=$venv_path git antipasta --version)
[[ $got == "antipasta $version ("*")" ]] && ok "git antipasta --version: $got" || fail "git antipasta --version said '$got'"
PATH=$venv_path antipasta --version --verbose | grep -q '^profile: dist$' && ok "the wheel's binary is the dist profile" \
    || fail "the wheel's binary is not the dist profile: $(PATH=$venv_path antipasta version)"
verbose=$(PATH=$venv_path antipasta version)
[[ $verbose == *"allocator=mimalloc"* ]] && ok "the wheel's binary links mimalloc" \
    || fail "the wheel's binary does not link mimalloc: $verbose"
[ "$(PATH=$venv_path command -v antipasta)" = "$work/venv/bin/antipasta" ] || fail "antipasta is not the venv's"
if [[ $wheel_args == *crt-static* ]]; then
    linked=$(ldd "$work/venv/bin/antipasta" 2>&1 || true)
    [[ $linked == *"statically linked"* || $linked == *"not a dynamic executable"* ]] \
        && ok "the wheel's binary is statically linked" \
        || fail "the wheel's binary is not statically linked: $linked"
fi

repo="$work/gate"
git init -q -b main "$repo"
git -C "$repo" config user.email dev@example.com
git -C "$repo" config user.name Dev
printf 'def add(a, b):\n    return a + b\n' > "$repo/app.py"
git -C "$repo" add app.py && git -C "$repo" commit -q -m init
printf 'def deep(a, b, c, d):\n    if a:\n        if b:\n            if c:\n                if d:\n                    for x in a:\n                        if x and b or c:\n                            return x\n    return 0\n' > "$repo/app.py"
git -C "$repo" add app.py
set +e; (cd "$repo" && PATH=$venv_path git antipasta) > "$work/gate.txt" 2>&1; code=$?; set -e
if [ "$code" -eq 1 ] && grep -q "app.py:1: deep: cognitive_complexity" "$work/gate.txt"; then
    ok "git antipasta from the wheel blocks a complex staged function"
else
    fail "git antipasta from the wheel: exit $code"; cat "$work/gate.txt"
fi

# 2. The wheel route of the hook managers. The local wheel directory is the
# package index: it also needs the build backend of the mirror's package,
# taken from the wheels virtualenv itself carries (no download).
embed=$(python3 -c 'import virtualenv.seed.wheels.embed as e; print(e.BUNDLE_FOLDER)')
cp "$(ls "$embed"/setuptools-*.whl | sort -V | tail -1)" "$wheelhouse/"
scripts_dir="$root/scripts"
"$scripts_dir/make-mirror" --url "$work/mirror" "$version" "$work/mirror" >/dev/null
diff <(grep -v '^ *#\|language:' "$root/.pre-commit-hooks.yaml") \
     <(grep -v '^ *#\|language:' "$work/mirror/.pre-commit-hooks.yaml") >/dev/null \
    && ok "the mirror's hooks are the repository's, but for the language" \
    || fail "the mirror's .pre-commit-hooks.yaml differs from the repository's beyond the language"
offline=(env PATH="$norust" PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheelhouse" UV_NO_INDEX=1
         UV_FIND_LINKS="$wheelhouse" UV_PYTHON_DOWNLOADS=never)
"${offline[@]}" PRE_COMMIT_HOME="$work/pre-commit-wheel" \
    bash "$root/tests/hook-route.sh" pre-commit "$work/mirror" "v$version" "wheel, pre-commit" || failures=$((failures + 1))
"${offline[@]}" PREK_HOME="$work/prek-wheel" \
    bash "$root/tests/hook-route.sh" prek "$work/mirror" "v$version" "wheel, prek" || failures=$((failures + 1))

# 3. The source route: a clone of this repository, built by each manager's
# `cargo install` with the release profile. Both builds are cold: prek keeps
# its own CARGO_HOME, so nothing of pre-commit's build is reused.
git clone -q "$root" "$work/hooks-repo"
rev=$(git -C "$work/hooks-repo" rev-parse HEAD)
PRE_COMMIT_HOME="$work/pre-commit-source" \
    bash "$root/tests/hook-route.sh" pre-commit "$work/hooks-repo" "$rev" "source, pre-commit" || failures=$((failures + 1))
PREK_HOME="$work/prek-source" \
    bash "$root/tests/hook-route.sh" prek "$work/hooks-repo" "$rev" "source, prek" || failures=$((failures + 1))

echo "== first hook install, by route"
cat "$INSTALL_TIMES"
if [ "$failures" -ne 0 ]; then
    echo "install routes: $failures failed"; exit 1
fi
echo "install routes: all passed"
