#!/usr/bin/env bash
# The CPU benchmark, one command: tconv_bench (openmp and onednn, every shape of shapes.csv,
# direction and layout, plus the GEMM providers), then PyTorch's conv_transpose2d on the same
# shapes, then the tables of backends/openmp/README.md rewritten from those measurements.
#
#   tools/bench/run_cpu_bench.sh [extra tconv_bench flags, e.g. --layouts=NCHW]
#
# Environment: BUILD_DIR (default build), OUT_DIR (default runs/cpu-bench-DATE), REPS (5),
# MIN_TIME (seconds per repetition, 0.2). Run it on an otherwise idle machine; the tables use
# the fastest repetition of each figure (interference only adds time).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
out=${OUT_DIR:-$root/runs/cpu-bench-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
cmake --build "$build" --target tconv_bench >/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run_cpu_bench: load before: $load_before"
# Repetitions interleaved in random order: a burst of other work on this shared machine then
# slows one repetition of several rows rather than every repetition of one row.
"$build/tools/bench/tconv_bench" --benchmark_repetitions="${REPS:-5}" --benchmark_min_time="${MIN_TIME:-0.2}" \
  --benchmark_enable_random_interleaving=true --benchmark_display_aggregates_only=true --benchmark_out="$out/bench.json" --benchmark_out_format=json "$@"

# PyTorch from whichever interpreter has it (Debian's python3-torch lives in /usr/bin/python3).
torch_python=""
for py in python3 /usr/bin/python3; do
  if "$py" -c "import torch" 2>/dev/null; then torch_python=$py; break; fi
done
if [ -n "$torch_python" ]; then
  "$torch_python" "$root/tools/pytorch_peer.py" --out "$out/pytorch.csv" --min-time "${MIN_TIME:-0.2}"
else
  echo "run_cpu_bench: no python with torch; the PyTorch column stays empty"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run_cpu_bench: load after: $load_after"

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -r), $(c++ --version | head -1)"
python3 "$root/tools/bench/make_table.py" --bench "$out/bench.json" --pytorch "$out/pytorch.csv" \
  --readme "$root/backends/openmp/README.md" --machine "$machine" --command "tools/bench/run_cpu_bench.sh $*" \
  --shapes "$root/tools/bench/shapes.csv" --load "$load_before before, $load_after after"
echo "run_cpu_bench: results in $out, tables in backends/openmp/README.md"
