#!/usr/bin/env bash
# The cost of supervised workers (conformance/runner/README.md, "Cost of supervision"): whole-
# process wall times of the same sweep in-process (--isolate=none) and supervised (the default,
# --isolate=device), interleaved, with the median of each and their ratio.
#   tools/bench/supervision_cost.sh [REPEATS] [tconv run arguments...]
# Default: 3 repeats of `cases/default.yaml` over every backend of the build. On a machine
# shared with other work, running it as root raises this session's scheduling weight first
# (its autogroup's nice value), so the other work disturbs the figures less.
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-3}
shift || true
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(cases/default.yaml)
[ "$(id -u)" -eq 0 ] && echo -20 > /proc/self/autogroup 2>/dev/null || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seconds() {  # one run's wall time
  local start=$EPOCHREALTIME
  build/tconv run "${args[@]}" --isolate="$1" --out "$out/$1" >/dev/null 2>&1 || true
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$EPOCHREALTIME"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
none=() device=()
for ((i = 0; i < repeats; i++)); do
  none+=("$(seconds none)")
  device+=("$(seconds device)")
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${none[*]}" "${device[*]}" "${args[*]}" <<'PY'
import statistics, sys
none = [float(v) for v in sys.argv[1].split()]
device = [float(v) for v in sys.argv[2].split()]
a, b = statistics.median(none), statistics.median(device)
print(f"tconv run {sys.argv[3]}")
print(f"--isolate=none   median {a:.2f} s  runs {' '.join(f'{v:.2f}' for v in none)}")
print(f"--isolate=device median {b:.2f} s  runs {' '.join(f'{v:.2f}' for v in device)}")
print(f"ratio {b / a:.3f}")
PY
