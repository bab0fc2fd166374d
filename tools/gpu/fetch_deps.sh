#!/usr/bin/env bash
# Run HERE, on a networked Debian machine (root): gathers what the bare GPU machine lacks to
# build tconv into the git-ignored folder .deps/ at the repository root, which the device
# tool's `run` carries (carry: [".deps"]). Nothing is installed on this machine.
#
#   .deps/root/      Debian packages unpacked with dpkg -x (headers, static and shared
#                    libraries, CMake package configs): yaml-cpp, CLI11, nlohmann-json,
#                    GoogleTest/GoogleMock, Google Benchmark
#   .deps/cudnn/     cuDNN headers copied from this machine's CUDA toolkit, used on the GPU
#                    machine only when its cuDNN (the python wheel) has no headers
#   .deps/cudnn_frontend/include/  cudnn-frontend's headers (header-only), from this machine's
#                    python3 package nvidia-cudnn-frontend (tools/setup.sh installs it)
#   .deps/MANIFEST   package versions, the newest glibc / libstdc++ symbol versions the
#                    shared libraries need (the GPU image must be at least as new)
#
# Debian packages built for an older distribution (this one) run on newer ones; the reverse
# is not true, so fetch on the oldest distribution you expect.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deps=${TCONV_DEPS:-$repo/.deps}
dry=0
[[ ${1:-} == --dry-run ]] && dry=1

# Development packages; the shared-library packages they depend on are resolved below.
dev_packages=(libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev)

runtime_of() {  # the versioned library package a -dev package depends on (libyaml-cpp0.7, ...)
  apt-cache depends "$1" 2>/dev/null | awk -v pat="$2" '$1 == "Depends:" && $2 ~ pat { print $2; exit }'
}

packages=("${dev_packages[@]}")
for pair in "libyaml-cpp-dev:^libyaml-cpp[0-9]" "libbenchmark-dev:^libbenchmark[0-9]"; do
  lib=$(runtime_of "${pair%%:*}" "${pair#*:}")
  [[ -n $lib ]] && packages+=("$lib")
done

if ((dry)); then
  echo "would download into $deps/debs: ${packages[*]}"
  echo "would unpack into $deps/root and copy cuDNN headers into $deps/cudnn/include"
  exit 0
fi

rm -rf "$deps"
mkdir -p "$deps/debs" "$deps/root" "$deps/cudnn/include"
(cd "$deps/debs" && apt-get download "${packages[@]}")
for deb in "$deps"/debs/*.deb; do dpkg -x "$deb" "$deps/root"; done

cuda_include=${CUDA_HOME:-/usr/local/cuda}/include
if compgen -G "$cuda_include/cudnn*.h" >/dev/null; then
  cp "$cuda_include"/cudnn*.h "$deps/cudnn/include/"
fi

frontend_include=$(python3 -c "import importlib.metadata as m; print(next(str(f.locate().parent) for f in m.files('nvidia-cudnn-frontend') if f.name == 'cudnn_frontend.h'))" 2>/dev/null || true)
if [[ -n $frontend_include ]]; then
  mkdir -p "$deps/cudnn_frontend/include"
  cp -r "$frontend_include"/cudnn_frontend* "$frontend_include"/cudnn_backend_base.h "$deps/cudnn_frontend/include/"
else
  echo "fetch_deps.sh: cudnn-frontend headers not found: run tools/setup.sh first" >&2
fi

{
  echo "# tconv GPU build dependencies, fetched $(date -u +%FT%TZ) on $(grep -m1 PRETTY_NAME /etc/os-release | cut -d\" -f2)"
  for deb in "$deps"/debs/*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done
  echo "# newest symbol versions required by the carried shared libraries:"
  find "$deps/root" -name '*.so*' -type f -exec objdump -T {} + 2>/dev/null |
    grep -oE 'GLIBC(XX)?_[0-9.]+' | sort -t_ -k1,1 -k2,2V -u |
    awk -F_ '{ last[$1] = $0 } END { for (k in last) print "  " last[k] }'
  if compgen -G "$deps/cudnn/include/cudnn_version.h" >/dev/null; then
    echo "# cuDNN headers: $(grep -E '#define CUDNN_(MAJOR|MINOR|PATCHLEVEL) ' "$deps/cudnn/include/cudnn_version.h" | awk '{print $3}' | paste -sd.)"
  fi
  [[ -n $frontend_include ]] &&
    echo "# cudnn-frontend headers: $(grep -E '#define CUDNN_FRONTEND_(MAJOR|MINOR|PATCH)_VERSION ' "$frontend_include/cudnn_frontend_version.h" | awk '{print $3}' | paste -sd.)"
} >"$deps/MANIFEST"
rm -rf "$deps/debs"  # the unpacked tree is what travels
du -sh "$deps"
cat "$deps/MANIFEST"
