#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds the release
# build (CUDA and cuDNN code included where the toolkit is installed) and an ASan+UBSan
# build, and runs the tests in both. GPU tests skip with their reason on a machine without one.
# Tests labelled 'slow' (the full and default sweeps, the Python external backend over the
# smoke suite) run only with --all.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
exclude_release=(-LE slow)
[ "${1:-}" = "--all" ] && exclude_release=()

tools/setup.sh

echo "== release build"
tools/build.sh build Release
ctest --test-dir build --output-on-failure -j "$jobs" "${exclude_release[@]}"

echo "== ASan + UBSan build"
# CUDA is left out here: the sanitizers do not instrument device code, and the CUDA runtime
# trips LeakSanitizer. Tests labelled 'slow' or 'browser' run in the release build only.
tools/build.sh build-asan RelWithDebInfo -DTCONV_SANITIZE=ON -DTCONV_WITH_CUDA=OFF -DTCONV_WITH_CUDNN=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE "slow|browser"
