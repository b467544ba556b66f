#!/usr/bin/env bash
# A short fuzzing run of the `pipeline` target (default 60 s), seeded with
# real Python: this repository's own scripts and, when ../shared exists,
# the reference fixtures. Works on a stable toolchain: the coverage flags
# libFuzzer needs are nightly-only, and RUSTC_BOOTSTRAP=1 lets stable rustc
# accept them. Exit 1 with the crashing input under fuzz/artifacts/ on a
# finding; keep such an input as a regression test (fuzz/README.md).
#
# usage: fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
target="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTC_BOOTSTRAP=1
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
  cargo build --quiet --release --target "$target" --bin pipeline
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
cp ../scripts/*.py ../tests/*.py "$seeds"/
if [ -d ../../shared/reference/fixtures ]; then
  find ../../shared/reference/fixtures -name '*.py' -exec cp {} "$seeds"/ \;
fi
mkdir -p corpus artifacts
echo "fuzzing pipeline for ${seconds}s from $(ls "$seeds" | wc -l) seed files"
"target/$target/release/pipeline" corpus "$seeds" -max_total_time="$seconds" \
  -max_len=65536 -dict=python.dict -artifact_prefix=artifacts/ -print_final_stats=1
