#!/usr/bin/env bash
# Builds and validates tconv's GPU backends on a bare GPU machine (no network, no package
# registry) from the source tree plus the dependencies in .deps/ (tools/gpu/fetch_deps.sh,
# run beforehand on a networked machine). tools/gpu/README.md has the device-tool calls.
#
#   tools/gpu/run_all.sh [--dry-run] [STAGE ...]      default: env build test check perf
#
#   env     nvidia-smi, toolchain, driver, CUDA / cuDNN / glibc versions
#   build   check the carried deps (check_deps.sh), configure (CUDA + cuDNN, deps from .deps/)
#           and build tconv and the GPU test binaries
#   test    cudnn (and cuda) test binaries incl. the abstract conformance test; smoke and golden
#           suites over cudnn (and cuda)
#   check   bitwise run-twice determinism per cudnn variant; compute-sanitizer memcheck on the
#           smoke suite (cudnn, cuda) and racecheck (cuda)
#   perf    measured copy bandwidth and GEMM rates (tools/gpu/peak.py); tconv_phase_tc_bench
#           (the tensor-core families against phase_gemm, device events; the wgmma families
#           in a step of their own, wgmma_bench); models.yaml --perf; every
#           cuda family alone on models_perf.yaml, refitted into the cost model's calibration table
#   configure  configure only (a quick check of the carried dependencies)
#
# Every step runs under a timeout, its output goes to logs/<step>.log and one line
# "STATUS step seconds last-log-line" to summary.txt; a failing step never stops the next.
# One invocation stays within TCONV_CALL_BUDGET seconds (default 540, under the device tool's
# 10 minutes): steps that no longer fit are SKIPPED; TCONV_GPU_STEPS=a,b runs only those steps.
# The run directory is $TCONV_GPU_RUNS/reports/gpu/<gpu-model>/ (default runs/gpu/...); at the
# end it is packed into $OUT/gpu-<gpu-model>.tar.gz with $OUT/summary.txt beside it (the device
# tool returns files at most two folders below $OUT, so the tree travels as one archive).
# Stages whose build is missing build it first (a later call may land on a fresh machine).
# Exit status: 0 every step passed, 1 some step failed or timed out, 2 bad usage.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo" || exit 2
self="$repo/tools/gpu/run_all.sh"

build_dir=${TCONV_GPU_BUILD:-$repo/build-gpu}
deps=${TCONV_DEPS:-$repo/.deps}
runs=${TCONV_GPU_RUNS:-$repo/runs/gpu}
out=${OUT:-$runs/out}
archs=${TCONV_CUDA_ARCHS:-90}

gpu_model() {
  local name=""
  command -v nvidia-smi >/dev/null 2>&1 && name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1)
  name=${name:-no-gpu}
  printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_'
}

# Tools, cuDNN and the carried libraries, for every stage (each may be a fresh call).
setup_env() {
  export PATH="$PATH:/usr/local/cuda/bin:/opt/torch/.venv/bin"
  # CMake 4 refuses package configs that ask for policies older than 3.5 (the carried
  # Debian configs give ranges up to 3.19+; this is the safety net).
  export CMAKE_POLICY_VERSION_MINIMUM=3.5
  local lib="$deps/root/usr/lib/x86_64-linux-gnu"
  export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  if [[ -z ${CUDNN_ROOT:-} && ! -e /usr/local/cuda/include/cudnn.h ]]; then
    # The GPU images keep cuDNN in the python environment's nvidia/cudnn folder (pip wheel).
    CUDNN_ROOT=$(python3 -c 'import nvidia.cudnn as m; print(list(m.__path__)[0])' 2>/dev/null || true)
    if [[ -z $CUDNN_ROOT ]]; then  # another wheel layout: wherever libcudnn.so.9 is
      local so
      so=$(find /opt /usr -name 'libcudnn.so.9' 2>/dev/null | head -n1)
      [[ -n $so ]] && CUDNN_ROOT=$(dirname "$(dirname "$so")")
    fi
  fi
  if [[ -n ${CUDNN_ROOT:-} ]]; then
    export CUDNN_ROOT
    export LD_LIBRARY_PATH="$CUDNN_ROOT/lib:$LD_LIBRARY_PATH"
  fi
}

configure_args() {
  local args=(-S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$deps/root/usr"
    -DTCONV_WITH_CUDA=ON -DTCONV_WITH_CUDNN=ON -DTCONV_WITH_ONEDNN=OFF -DCMAKE_CUDA_ARCHITECTURES="$archs")
  command -v ninja >/dev/null 2>&1 && args+=(-G Ninja)
  # A cuDNN without headers (some wheels): the headers fetch_deps.sh copied.
  if [[ -n ${CUDNN_ROOT:-} && ! -e $CUDNN_ROOT/include/cudnn.h && -e $deps/cudnn/include/cudnn.h ]]; then
    args+=(-DCUDNN_INCLUDE_DIR="$deps/cudnn/include")
  fi
  # cudnn-frontend's headers (header-only): those fetch_deps.sh copied, unless this machine's
  # python has the package.
  [[ -e $deps/cudnn_frontend/include/cudnn_frontend.h ]] &&
    args+=(-DCUDNN_FRONTEND_INCLUDE_DIR="$deps/cudnn_frontend/include")
  # TCONV_GPU_HIDE_SYSTEM=1: ignore /usr's CMake packages, to prove .deps/ is enough.
  [[ ${TCONV_GPU_HIDE_SYSTEM:-0} == 1 ]] && args+=(-DCMAKE_IGNORE_PREFIX_PATH=/usr)
  printf '%s\n' "${args[@]}"
}

has_cuda_backend() { grep -q 'tconv_cuda_tests' "$repo/backends/cuda/CMakeLists.txt" 2>/dev/null; }
# PyTorch as a backend in the same runs (tools/pytorch_backend.py, an external server): its
# default and benchmark modes, CUDA-event timed, beside cudnn and cuda in the perf tables.
has_torch() { python3 -c 'import torch, numpy; assert torch.cuda.is_available()' 2>/dev/null; }
pytorch_servers() {
  local cmd="exec python3 $repo/tools/pytorch_backend.py --serve --device cuda"
  printf '%s\n' --external-server "pytorch=$cmd" --external-server "pytorch_benchmark=$cmd --benchmark"
}

# The tensor-core family's own timing tool (issue 19), where this tree has it.
has_phase_tc_bench() { grep -q 'tconv_phase_tc_bench' "$repo/backends/cuda/CMakeLists.txt" 2>/dev/null; }

gpu_targets() {
  local t=(tconv tconv_cudnn_tests)
  has_cuda_backend && t+=(tconv_cuda_tests tconv_runner_tests tconv_cuda_calibrate)
  has_phase_tc_bench && t+=(tconv_phase_tc_bench)
  grep -q 'tconv_simt128_bench' "$repo/tools/bench/CMakeLists.txt" 2>/dev/null && t+=(tconv_simt128_bench)
  printf '%s\n' "${t[@]}"
}

# "cudnn" plus "cuda" where this build has that backend.
gpu_backends() {
  local b=cudnn
  "$build_dir/tconv" list-backends 2>/dev/null | grep -qx 'cuda' && b+=",cuda"
  printf '%s' "$b"
}

# Whether the cuda backend of this build lists variant $1 (e.g. phase_tc).
cuda_has_variant() {
  "$build_dir/tconv" list-backends 2>/dev/null |
    awk '/^cuda$/ { on = 1; next } on && /variants:/ { sub(/.*variants: /, ""); print; exit }' | tr -d ' ' |
    tr ',' '\n' | grep -qx "$1"
}

cudnn_variants() {
  "$build_dir/tconv" list-backends 2>/dev/null |
    awk '/^cudnn$/ { on = 1; next } on && /variants:/ { sub(/.*variants: /, ""); print; exit }' | tr -d ' ' | tr ',' '\n'
}

# Every cuda family variant this build has (not `default`), one per line.
cuda_family_variants() {
  "$build_dir/tconv" list-backends 2>/dev/null |
    awk '/^cuda$/ { on = 1; next } on && /variants:/ { sub(/.*variants: /, ""); print; exit }' | tr -d ' ' |
    tr ',' '\n' | grep -vx default
}

# ---- internal commands, run by step() through this script ------------------------------

# The cuda backend's calibration table for this GPU model from the cuda_families step's timings
# and peak.py's ceilings (backends/cuda/calibration/ has the format): written to
# calibration/<gpu>.csv and <gpu>_measured.csv in the report; commit them under
# backends/cuda/calibration/ (the cost model compiles them in).
calibrate_cuda() {
  local peak="$logs/peak.log" results="$report/cuda-families/results.csv" gpu name copy f32 f16 threads
  copy=$(awk '$1 == "copy_bandwidth" { print $2 }' "$peak" 2>/dev/null)
  f32=$(awk '$1 == "gemm_f32" { print $2 }' "$peak" 2>/dev/null)
  f16=$(awk '$1 == "gemm_bf16" { print $2 }' "$peak" 2>/dev/null)
  threads=$(awk '$1 == "resident_threads" { print $2 }' "$peak" 2>/dev/null)
  if [[ -z $copy || -z $f32 || -z $f16 || -z $threads ]]; then
    echo "calibrate: peak.log lacks copy_bandwidth / gemm_f32 / gemm_bf16 / resident_threads (run the peak step)"
    return 1
  fi
  [[ -s $results ]] || { echo "calibrate: no $results (run the cuda_families step)"; return 1; }
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1 | sed 's/^NVIDIA //')
  name=$(printf '%s' "${gpu:-unknown}" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_')
  mkdir -p "$report/calibration"
  "$build_dir/tools/gpu/tconv_cuda_calibrate" --gpu "${gpu:-unknown}" --copy-gbps "$copy" --f32-gemm-tflops "$f32" \
    --f16-gemm-tflops "$f16" --resident-threads "$threads" \
    --resident-threads-source "torch.cuda.get_device_properties: SMs x max threads per SM (tools/gpu/peak.py)" \
    --ceilings-source "tools/gpu/peak.py (PyTorch) in the same run_all.sh run, $(date -u +%F); the f16 ceiling is its bf16 GEMM" \
    --measured-where "on one ${gpu:-GPU of unknown model}, $(date -u +%F), source $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'): run_all.sh step cuda_families (models_perf.yaml --perf --min-time 0.05; time_ms = CUDA events around the family's kernels)" \
    --out-dir "$report/calibration" --name "$name" "$results"
}

capture_env() {
  echo "date: $(date -u +%FT%TZ)"
  echo "gpu model: $(gpu_model)"
  echo "kernel: $(uname -a)"
  grep -m1 PRETTY_NAME /etc/os-release 2>/dev/null
  echo "glibc: $(ldd --version 2>/dev/null | head -n1)"
  echo "nproc: $(nproc)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv 2>&1
  echo "--- nvcc"; nvcc --version 2>&1 | tail -n2
  echo "--- host compiler"; (c++ --version || g++ --version) 2>&1 | head -n1
  echo "--- cmake / ninja"; cmake --version 2>&1 | head -n1; ninja --version 2>&1
  echo "--- cuDNN root: ${CUDNN_ROOT:-/usr/local/cuda}"
  find "${CUDNN_ROOT:-/usr/local/cuda}"/ -maxdepth 2 -name 'libcudnn.so*' 2>&1 | head -n3
  echo "--- compute-sanitizer"; compute-sanitizer --version 2>&1 | tail -n1
  echo "--- torch"; python3 -c 'import torch; print(torch.__version__, torch.version.cuda, torch.backends.cudnn.version())' 2>&1
  echo "--- carried deps"; cat "$deps/MANIFEST" 2>&1
  echo "--- source"; git -C "$repo" rev-parse HEAD 2>/dev/null || echo "(no .git: working-tree copy)"
}

# Each cudnn variant twice on one problem, all four directions in one call (a pinned algorithm
# serves one); every output it wrote (y, dx, dw, db) compared bitwise between the two runs.
determinism() {
  local problem="n=4 ci=64 co=32 g=1 in=24x24 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 bias=1 dt=f32 layout=NHWC wl=HWOI"
  problem+=" dir=fwd,bwd_data,bwd_weights,bwd_bias fill=uniform seed=5"
  local tmp csv="$report/determinism.csv" v f any verdict
  tmp=$(mktemp -d)
  echo "variant,output,result" >"$csv"
  while read -r v; do
    rm -rf "$tmp/a" "$tmp/b"
    "$build_dir/tconv" repro "$problem" --backend "cudnn:$v" --dump "$tmp/a" >"$tmp/log" 2>&1
    "$build_dir/tconv" repro "$problem" --backend "cudnn:$v" --dump "$tmp/b" >>"$tmp/log" 2>&1
    any=0
    for f in y dx dw db; do
      [[ -e $tmp/a/$f.npy ]] || continue
      any=1
      verdict=DIFFERENT
      [[ -e $tmp/b/$f.npy ]] && cmp -s "$tmp/a/$f.npy" "$tmp/b/$f.npy" && verdict=identical
      echo "$v,$f,$verdict" | tee -a "$csv"
    done
    ((any)) || echo "$v,-,no output ($(grep -m1 -oE 'UNSUPPORTED|SKIPPED|FAILED' "$tmp/log"))" | tee -a "$csv"
  done < <(cudnn_variants)
  rm -rf "$tmp"
  echo "determinism: $(grep -c ',identical$' "$csv") identical, $(grep -c ',DIFFERENT$' "$csv") DIFFERENT," \
    "$(grep -c ',no output' "$csv") variants without output (determinism.csv)"
}

# ---- steps and stages --------------------------------------------------------------------

failures=0
step() {  # step NAME TIMEOUT_S CMD...
  local name=$1 limit=$2
  shift 2
  # TCONV_GPU_STEPS=a,b: run only those steps (to redo one that timed out).
  [[ -n ${TCONV_GPU_STEPS:-} && ,$TCONV_GPU_STEPS, != *",$name,"* ]] && return 0
  if ((dry)); then
    printf '[dry-run] %-22s timeout %4ss: %s\n' "$name" "$limit" "$*"
    return 0
  fi
  # The device tool kills a call at 10 minutes and nothing comes back: stay inside the call's
  # budget so that the summary and the archive are always written.
  local left=$((deadline - SECONDS))
  ((left < limit)) && limit=$left
  if ((limit < 20)); then
    printf '%-9s %-22s %5ss  %s\n' "SKIPPED" "$name" 0 "call budget spent: run this stage again" | tee -a "$summary"
    failures=$((failures + 1))
    return 1
  fi
  local start=$SECONDS rc status log="$logs/$name.log"
  timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1
  rc=$?
  case $rc in
    0) status=PASS ;;
    124 | 137) status=TIMEOUT ;;
    *) status="FAIL($rc)" ;;
  esac
  ((rc == 0)) || failures=$((failures + 1))
  printf '%-9s %-22s %5ss  %s\n' "$status" "$name" "$((SECONDS - start))" "$(tail -n1 "$log" | cut -c1-150)" |
    tee -a "$summary"
  return "$rc"
}

ensure_built() {
  [[ -x $build_dir/tconv && -x $build_dir/backends/cudnn/tconv_cudnn_tests ]] || stage_build
}

stage_env() {
  step nvidia_smi 60 nvidia-smi
  step environment 120 "$self" __capture_env
  [[ -e $logs/environment.log ]] && cp "$logs/environment.log" "$report/environment.txt"
}

stage_configure() {
  local args
  mapfile -t args < <(configure_args)
  step configure 300 cmake "${args[@]}"
}

stage_build() {
  step deps_check 180 "$repo/tools/gpu/check_deps.sh"
  stage_configure
  local targets
  mapfile -t targets < <(gpu_targets)
  step build 540 cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"
}

stage_test() {
  ((dry)) || ensure_built
  local backends
  backends=$(gpu_backends)
  # gtest_survive.py: a crash inside cuDNN in one test is reported by name and the tests
  # after it still run (a fresh process), instead of ending the binary; so is a test still
  # running after 90 s (a kernel waiting on an mbarrier that never completes: the wgmma
  # families' first run), instead of using up the step's time.
  local survive=(python3 "$repo/tools/testing/gtest_survive.py" --test-timeout=90)
  step cudnn_tests 420 "${survive[@]}" "$build_dir/backends/cudnn/tconv_cudnn_tests"
  if has_cuda_backend; then
    # Only the suites that use the GPU: the rest of the binary emulates kernels on the CPU (over
    # a minute in one process), which CI already ran. device_test_filter_test.py holds every
    # suite of a test file that touches a GPU to this filter.
    local cuda_device_tests='*Device.*:*Gpu*:Cuda/CudaConformance.*:CudaBackend.*'
    step cuda_tests 300 "${survive[@]}" "$build_dir/backends/cuda/tconv_cuda_tests" --gtest_filter="$cuda_device_tests"
    # --reference fast's device engine (cuda:gather in f64) against the oracle.
    step fast_reference_tests 120 "$build_dir/conformance/tconv_runner_tests" --gtest_filter='FastReference.*'
  fi
  # Supervised workers (the default) make a crash a CRASHED row; --repeat-check checks every
  # row's determinism claim with a second run on the same inputs.
  step smoke 300 "$build_dir/tconv" run cases/smoke.yaml --backends "$backends" --repeat-check --out "$report/smoke"
  step golden 300 "$build_dir/tconv" run cases/golden.yaml --backends "$backends" --out "$report/golden"
}

stage_check() {
  ((dry)) || ensure_built
  step determinism 420 "$self" __determinism
  local sanitized="cudnn:default,cudnn:autotune,cudnn:legacy,cudnn:legacy_find"
  has_cuda_backend && sanitized+=",cuda"
  # The backends run in supervised worker processes: the sanitizer follows them.
  step memcheck_smoke 420 compute-sanitizer --target-processes all --tool memcheck --error-exitcode 3 \
    "$build_dir/tconv" run cases/smoke.yaml --backends "$sanitized" --out "$report/memcheck-smoke"
  if has_cuda_backend; then
    step racecheck_smoke_cuda 420 compute-sanitizer --target-processes all --tool racecheck --error-exitcode 3 \
      "$build_dir/tconv" run cases/smoke.yaml --backends cuda --out "$report/racecheck-smoke"
  fi
}

stage_perf() {
  ((dry)) || ensure_built
  step peak 180 python3 "$repo/tools/gpu/peak.py"
  # The measurement lines alone (the log holds stderr too): `tconv run --ceilings` reads them,
  # and each timed row of the runs below then shows its fraction of its data type's ceiling.
  if [[ -e $logs/peak.log ]]; then
    grep -E '^(device|gemm_[a-z0-9]+|copy_bandwidth|resident_threads) ' "$logs/peak.log" >"$report/peak.txt" || true
  fi
  local ceilings=()
  [[ -s $report/peak.txt ]] && ceilings=(--ceilings "$report/peak.txt")
  # The tensor-core families against phase_gemm / k_equals_s on real layers, device events,
  # bitwise cross-check. The wgmma families in a process of their own: on their first GPU an
  # mbarrier that never completes would hang, and the step's time-out would take the rows of
  # the families already measured with it.
  if has_phase_tc_bench; then
    local bench="$build_dir/backends/cuda/tconv_phase_tc_bench"
    step phase_tc_bench 240 "$bench" 20 "$report/peak.txt" phase_gemm k_equals_s phase_tc phase_tc+tf32
    [[ -e $logs/phase_tc_bench.log ]] && grep -v '^ceiling ' "$logs/phase_tc_bench.log" >"$report/phase_tc_bench.csv"
    step wgmma_bench 180 "$bench" 20 "$report/peak.txt" phase_gemm phase_wgmma phase_wgmma_ws \
      phase_wgmma_ws:tile_per_block
    [[ -e $logs/wgmma_bench.log ]] && grep -v '^ceiling ' "$logs/wgmma_bench.log" >"$report/wgmma_bench.csv"
  fi
  # The cudnn variants that choose for themselves; pinned algorithms run in `test` (smoke).
  local perf_backends="cudnn:default,cudnn:default+tf32,cudnn:autotune,cudnn:autotune+tf32,cudnn:heur_b"
  perf_backends+=",cudnn:legacy,cudnn:legacy+tf32,cudnn:legacy_find,cudnn:legacy_find+tf32"
  has_cuda_backend && perf_backends+=",cuda"
  # The tensor-core family as its own variant (issue 19).
  if ((!dry)); then
    cuda_has_variant phase_tc && perf_backends+=",cuda:phase_tc"
    cuda_has_variant phase_tc+tf32 && perf_backends+=",cuda:phase_tc+tf32"
    # and on Hopper's wgmma, plain and warp-specialised (each refuses with its reason off sm_90
    # or in a build without CuTe)
    cuda_has_variant phase_wgmma && perf_backends+=",cuda:phase_wgmma"
    cuda_has_variant phase_wgmma_ws && perf_backends+=",cuda:phase_wgmma_ws"
    # and the f32 CUDA-core GEMMs (issue 20)
    cuda_has_variant phase_simt128 && perf_backends+=",cuda:phase_simt128"
    cuda_has_variant wgrad_simt128 && perf_backends+=",cuda:wgrad_simt128"
  fi
  local peers=()
  if ((dry)) || has_torch; then
    mapfile -t peers < <(pytorch_servers)
    perf_backends+=",pytorch,pytorch_benchmark"
  fi
  step models_perf 540 "$build_dir/tconv" run cases/models.yaml --perf --min-time 0.05 "${ceilings[@]}" \
    "${peers[@]}" --backends "$perf_backends" --out "$report/models-perf"
  # --reference fast on a GPU computes with cuda:gather in f64 (the rows' `reference` column
  # says so, and each is rechecked by the definition); its log has the references' time.
  if has_cuda_backend; then
    step reference_fast 420 "$build_dir/tconv" run cases/models_perf.yaml --perf --min-time 0.05 "${ceilings[@]}" \
      --reference fast --backends cuda --out "$report/models_perf-reference-fast"
    # Every cuda family alone on the real layers (a family refuses what it does not run), then
    # the cost model's table refitted from those times (rows are streamed: a timeout still
    # leaves the finished rows to fit).
    local families
    families=$(cuda_family_variants | sed 's/^/cuda:/' | paste -sd, -)
    step cuda_families 540 "$build_dir/tconv" run cases/models_perf.yaml --perf --min-time 0.05 "${ceilings[@]}" \
      --reference fast --backends "${families:-cuda:gather}" --out "$report/cuda-families"
    step calibrate_cuda 60 "$self" __calibrate_cuda
  fi
  # The f32 simt128 kernels against phase_gemm / bwd_weights_gemm, device events (CSV).
  if [[ -x $build_dir/tools/bench/tconv_simt128_bench ]] || ((dry)); then
    step simt128_bench 240 "$build_dir/tools/bench/tconv_simt128_bench"
    [[ -e $logs/simt128_bench.log ]] && cp "$logs/simt128_bench.log" "$report/simt128_bench.csv"
  fi
}

pack() {
  mkdir -p "$out"
  tar -czf "$out/gpu-$model.tar.gz" -C "$runs" "reports/gpu/$model"
  cp "$summary" "$out/summary.txt"
  echo "packed $(du -h "$out/gpu-$model.tar.gz" | cut -f1) into $out/gpu-$model.tar.gz"
}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$self"; }

# ---- main --------------------------------------------------------------------------------

setup_env
deadline=$((SECONDS + ${TCONV_CALL_BUDGET:-540}))  # seconds this invocation may use
model=$(gpu_model)
report="$runs/reports/gpu/$model"
logs="$report/logs"
summary="$report/summary.txt"
dry=0

case ${1:-} in
  __capture_env) capture_env; exit ;;
  __determinism) determinism; exit ;;
  __calibrate_cuda) calibrate_cuda; exit ;;
  __gpu_targets) gpu_targets; exit ;;  # for tools/gpu/bundle.sh
esac

stages=()
for arg in "$@"; do
  case $arg in
    --dry-run) dry=1 ;;
    -h | --help) usage; exit 0 ;;
    env | configure | build | test | check | perf) stages+=("$arg") ;;
    *) echo "run_all.sh: unknown argument '$arg' (stages: env configure build test check perf)" >&2; exit 2 ;;
  esac
done
((${#stages[@]})) || stages=(env build test check perf)

if ((dry)); then
  echo "[dry-run] gpu model: $model; run directory: $report; archive: $out/gpu-$model.tar.gz"
  echo "[dry-run] deps: $deps ($([[ -d $deps/root ]] && echo present || echo MISSING: run tools/gpu/fetch_deps.sh))"
  echo "[dry-run] cuDNN: ${CUDNN_ROOT:-/usr/local/cuda}"
else
  mkdir -p "$logs"
  echo "# $(date -u +%FT%TZ) run_all.sh ${stages[*]} on $model" >>"$summary"
fi
for s in "${stages[@]}"; do "stage_$s"; done
if ((!dry)); then
  echo "# steps failed: $failures" >>"$summary"
  pack
fi
((failures == 0))
