#!/usr/bin/env bash
# Installs the frameworks the golden generators need, away from the system Python:
#   PyTorch: Debian's python3-torch for /usr/bin/python3 (PyPI's default torch wheel pulls
#            gigabytes of CUDA libraries; the CPU result is what matters here)
#   TensorFlow (with Keras 3), ONNX and ONNX Runtime: a virtual environment, by default
#            /tmp/tconv-golden-venv (override with TCONV_GOLDEN_VENV).
# CI never runs this: the tests read the committed .npy files only.
set -euo pipefail
venv="${TCONV_GOLDEN_VENV:-/tmp/tconv-golden-venv}"

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-torch python3-numpy >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q numpy tensorflow-cpu onnx onnxruntime
echo "golden setup: torch for /usr/bin/python3, the rest in $venv"
