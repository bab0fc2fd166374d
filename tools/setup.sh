#!/usr/bin/env bash
# Installs everything tconv needs on a fresh Debian machine. Idempotent and fast when
# everything is already there: apt-get runs only for packages that are missing.
set -euo pipefail

apt_packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libomp-dev clang libclang-rt-14-dev
  libdnnl-dev libopenblas-dev
  libboost-stacktrace-dev
  python3 python3-numpy
  chromium
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "tconv setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The tests load .npy files with NumPy through whichever python3 is first on PATH
# (it may not be Debian's), so make sure that interpreter has it.
if ! python3 -c "import numpy" 2>/dev/null; then
  echo "tconv setup: installing numpy for $(command -v python3)"
  python3 -m pip install -q numpy
fi
# The importers (tools/import/) and their ctests: onnx reads ONNX models and the package's own
# test cases; keras with the jax backend (far lighter than TensorFlow) runs Keras models; torch
# runs PyTorch modules on the CPU (the default Linux wheel also brings NVIDIA's CUDA libraries and
# triton: 5.2 GiB installed for torch 2.15, by du; the importer needs none of them, any torch will do).
for module in onnx keras jax torch; do
  # Keras 3 imports only with a backend present; the importer runs it on jax.
  if ! KERAS_BACKEND=jax python3 -c "import $module" 2>/dev/null; then
    echo "tconv setup: installing $module for $(command -v python3)"
    python3 -m pip install -q "$module"
  fi
done
# cudnn-frontend: NVIDIA's header-only C++ graph API over cuDNN, which the cudnn backend builds
# its graphs with. The pip package ships the headers in its include/ folder (CMake finds them
# there); --no-deps: its python dependencies (CUTLASS DSL, TVM FFI) are for the python API only.
if ! python3 -c "import importlib.metadata as m; m.files('nvidia-cudnn-frontend')" 2>/dev/null; then
  echo "tconv setup: installing nvidia-cudnn-frontend (headers) for $(command -v python3)"
  python3 -m pip install -q --no-deps nvidia-cudnn-frontend
fi
# CUTLASS / CuTe: NVIDIA's header-only templates; the cuda backend's Hopper wgmma family takes
# its shared-memory layouts and wgmma descriptors from CuTe. The pip package ships the headers
# in cutlass_library/source/include (CMake finds them there); --no-deps: its python
# dependencies serve the python API only. Pinned: CuTe's interfaces move between releases.
if ! python3 -c "import importlib.metadata as m; assert m.version('nvidia-cutlass') == '4.2.0.0'" 2>/dev/null; then
  echo "tconv setup: installing nvidia-cutlass 4.2.0.0 (headers) for $(command -v python3)"
  python3 -m pip install -q --no-deps nvidia-cutlass==4.2.0.0
fi
