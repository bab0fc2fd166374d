#!/usr/bin/env bash
# Builds, on this (CPU) machine, every binary tools/gpu/run_all.sh runs on a GPU machine, so a
# session's device time goes to the GPU and none to compiling: a Release build of run_all.sh's
# GPU targets for sm_90 (sm_90a for the wgmma families) without oneDNN and OpenBLAS, whose binaries
# need only libyaml-cpp and libgomp beside the CUDA driver and cuDNN; copied stripped into a
# folder that mirrors the build tree's paths, with .deps/ (fetch_deps.sh: the carried
# libraries, libgomp added), and packed with the runtime libraries into BUNDLE.tar.xz.
#
#   tools/gpu/bundle.sh [BUNDLE]      default build-gpu-bundle (git-ignored); build tree build-gpu
#
# Then one device call carries ["BUNDLE.tar.xz"] and runs
#   tar -xJf BUNDLE.tar.xz && TCONV_GPU_BUILD=BUNDLE tools/gpu/run_all.sh env test check perf
# (tools/gpu/README.md, "A 15-minute session"). The device tool carries at most 64 MiB.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
tree=${TCONV_GPU_BUILD_TREE:-$repo/build-gpu}
bundle=${1:-build-gpu-bundle}
case $bundle in /*) ;; *) bundle="$repo/$bundle" ;; esac

cmake -S "$repo" -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCONV_WITH_CUDA=ON -DTCONV_WITH_CUDNN=ON \
  -DTCONV_WITH_ONEDNN=OFF -DTCONV_OPENMP_WITH_OPENBLAS=OFF -DCMAKE_CUDA_ARCHITECTURES=90 >"$tree.configure.log" 2>&1 ||
  { echo "bundle: configure failed, see $tree.configure.log" >&2; exit 1; }
mapfile -t targets < <(TCONV_GPU_BUILD="$tree" "$repo/tools/gpu/run_all.sh" __gpu_targets)
cmake --build "$tree" -j "$(nproc)" --target "${targets[@]}"

rm -rf "$bundle"
for target in "${targets[@]}"; do
  found=$(find "$tree" -type f -name "$target" -perm -u+x -not -path '*/CMakeFiles/*' | head -n1)
  [[ -n $found ]] || { echo "bundle: $target was not built" >&2; exit 1; }
  rel=${found#"$tree"/}
  mkdir -p "$bundle/$(dirname "$rel")"
  cp "$found" "$bundle/$rel"
  strip "$bundle/$rel"
done

"$repo/tools/gpu/fetch_deps.sh"
libdir="$repo/.deps/root/usr/lib/x86_64-linux-gnu"
mkdir -p "$libdir"
cp -L "$(g++ -print-file-name=libgomp.so.1)" "$libdir/"

# One xz archive of the binaries and the runtime libraries the device needs (the headers in
# .deps/ serve a build on the GPU machine, which the bundle makes unnecessary): a fifth of the
# size, well under the device tool's 64 MiB.
archive="$bundle.tar.xz"
tar -C "$repo" -cJf "$archive" "${bundle#"$repo"/}" .deps/root/usr/lib
rel_bundle=${bundle#"$repo"/}
rel_archive=${archive#"$repo"/}
echo "bundle: $(du -sh "$bundle" | cut -f1) in $rel_bundle; archive $rel_archive $(du -sh "$archive" | cut -f1)"
echo "device call: carry [\"$rel_archive\"], command"
echo "  tar -xJf $rel_archive && TCONV_GPU_BUILD=$rel_bundle tools/gpu/run_all.sh env test check perf"
