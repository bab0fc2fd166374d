#!/usr/bin/env bash
# Configures and builds tconv: tools/build.sh [BUILD_DIR] [BUILD_TYPE] [extra cmake args...]
# Every TCONV_WITH_* option is auto-detected (ON when its dependency is found).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
type=${2:-Release}
shift $(( $# > 2 ? 2 : $# ))
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >"$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log"; exit 1; }
grep -E "^-- tconv:" "$dir.configure.log" || true
cmake --build "$dir" -j "$(nproc)"
