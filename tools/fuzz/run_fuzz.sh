#!/usr/bin/env bash
# Fuzzes the repro-string parser (and the .npy reader) with libFuzzer + ASan + UBSan.
#
#   tools/fuzz/run_fuzz.sh [SECONDS] [TARGET]     SECONDS per target (default 180),
#                                                 TARGET: repro (default), npy, or all
#
# Builds this folder standalone with clang in build-fuzz/ (override with TCONV_FUZZ_BUILD),
# fuzzes starting from tools/fuzz/corpus/TARGET/, then merges the new inputs into that corpus,
# minimized (-merge=1 keeps only inputs that add coverage). A crash stops the script with the
# reproducing input under build-fuzz/artifacts/; rerun it with: build-fuzz/tconv_fuzz_TARGET FILE
set -euo pipefail

seconds=${1:-180}
which=${2:-repro}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${TCONV_FUZZ_BUILD:-$root/build-fuzz}

case "$which" in
  repro | npy) targets=("$which") ;;
  all) targets=(repro npy) ;;
  *) echo "run_fuzz.sh: unknown target '$which' (repro, npy or all)" >&2; exit 2 ;;
esac
for tool in clang clang++ cmake; do
  command -v "$tool" >/dev/null || { echo "run_fuzz.sh: $tool not found (apt-get install clang libclang-rt-dev cmake)" >&2; exit 2; }
done
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

CC=clang CXX=clang++ cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "${targets[@]/#/tconv_fuzz_}"
mkdir -p "$build/artifacts"

for t in "${targets[@]}"; do
  corpus=$here/corpus/$t
  fuzzer=$build/tconv_fuzz_$t
  mkdir -p "$corpus"
  found=$(mktemp -d)
  minimized=$(mktemp -d)
  trap 'rm -rf "$found" "$minimized"' EXIT
  echo "== fuzzing $t for ${seconds}s from $(ls "$corpus" | wc -l) corpus inputs"
  # New inputs go to $found (the first dir); the kept corpus is only read.
  "$fuzzer" "$found" "$corpus" -dict="$here/$t.dict" -max_total_time="$seconds" -max_len=4096 \
    -rss_limit_mb=1024 -timeout=10 -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1
  # Keep only inputs that add edge coverage; set cover (clang >= 14) keeps far fewer than the
  # greedy -merge=1, which is the fallback.
  merge=-merge=1
  # (grep without -q reads all the help: an early exit would SIGPIPE the fuzzer under pipefail)
  if "$fuzzer" -help=1 2>&1 | grep set_cover_merge >/dev/null; then merge=-set_cover_merge=1; fi
  "$fuzzer" "$merge" -use_counters=0 "$minimized" "$corpus" "$found" 2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" || true
  rm -f "$corpus"/*
  cp "$minimized"/* "$corpus"/
  echo "== $t: no crash; corpus minimized to $(ls "$corpus" | wc -l) inputs in ${corpus#$root/}"
  rm -rf "$found" "$minimized"
  trap - EXIT
done
