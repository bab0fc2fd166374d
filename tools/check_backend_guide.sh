#!/bin/sh
# check_backend_guide.sh [--build] [SOURCE_DIR]: follows backends/README.md section 1 literally
# (it runs the guide's own code blocks, marked <!-- guide:... -->) in a copy of the tree, making
# a backend "mybackend" from the template, then checks the result:
#   default   the copy configures and the new backend and the registry compile (seconds)
#   --build   also builds tconv and the new test, runs the conformance test, and sweeps the
#             smoke suite on the new backend (minutes)
set -eu
build=0
if [ "${1:-}" = "--build" ]; then build=1; shift; fi
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
readme=$src/backends/README.md
work=$(mktemp -d "${TMPDIR:-/tmp}/tconv-guide-XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/tree

# A fresh checkout: the tracked and new files of the working tree, no build directories.
mkdir -p "$tree"
(cd "$src" && git ls-files -co --exclude-standard | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
  tar -cf - -T -) | tar -xf - -C "$tree"

# The fenced block after the marker <!-- guide:NAME --> in the README.
block() {
  awk -v m="<!-- guide:$1 -->" '$0 == m {f = 1; next} f && /^```/ {if (inside) exit; inside = 1; next} inside' "$readme"
}

cd "$tree"
echo "step 1: the folder"
sh -eu -c "$(block shell)"
echo "step 2: the CMake option"
block cmake >> backends/CMakeLists.txt
echo "step 3: the registry line"
reg=backends/builtin_registry.cpp
block registry-include > "$work/include.txt"
block registry-add > "$work/add.txt"
awk -v inc="$work/include.txt" -v add="$work/add.txt" '
  /^namespace tconv/ && !done_inc { while ((getline l < inc) > 0) print l; print ""; done_inc = 1 }
  /^  return r;/ && !done_add { while ((getline l < add) > 0) print l; done_add = 1 }
  { print }' "$reg" > "$work/reg.cpp" && mv "$work/reg.cpp" "$reg"

# What the steps must have produced.
for f in mybackend_backend.h mybackend_backend.cpp mybackend_conformance_test.cpp CMakeLists.txt; do
  [ -f "backends/mybackend/$f" ] || { echo "missing backends/mybackend/$f"; exit 1; }
done
if grep -n -i template backends/mybackend/*; then echo "the copy still says 'template'"; exit 1; fi
grep -q "mybackend_backend_factory()" "$reg" || { echo "no registry line"; exit 1; }

echo "step 4: configure and compile"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCONV_WITH_CUDA=OFF -DTCONV_WITH_CUDNN=OFF \
  -DTCONV_WITH_ONEDNN=OFF -DTCONV_WITH_OPENMP=OFF >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
if [ "$build" -eq 0 ]; then
  ninja -C build backends/mybackend/CMakeFiles/tconv_mybackend.dir/mybackend_backend.cpp.o \
    backends/CMakeFiles/tconv_backends.dir/builtin_registry.cpp.o
  echo "ok: the guide's steps configure and compile (run with --build for the full check)"
  exit 0
fi
ninja -C build tconv tconv_mybackend_tests
./build/backends/mybackend/tconv_mybackend_tests --gtest_brief=1
./build/tconv list-backends | grep -q '^mybackend$' || { echo "mybackend is not in tconv list-backends"; exit 1; }
./build/tconv run cases/smoke.yaml --backends mybackend --jobs 2 --out "$work/smoke"
echo "ok: the guide yields a backend that passes its conformance test and the smoke suite"
