#!/usr/bin/env bash
# Regenerates every golden suite under cases/golden/ (bit-identical for the same framework
# versions: the inputs are seeded and the frameworks run single-threaded). Run setup_env.sh
# first; then review `git diff cases/golden` and commit the .npy files with the YAML.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${TCONV_GOLDEN_VENV:-/tmp/tconv-golden-venv}"
torch_python="${TCONV_TORCH_PYTHON:-/usr/bin/python3}"

"$torch_python" "$here/gen_pytorch.py"
"$venv/bin/python" "$here/gen_keras.py" 2> >(grep -v -e '^I0000' -e '^W0000' -e 'absl::' >&2)
"$venv/bin/python" "$here/gen_tf.py" 2> >(grep -v -e '^I0000' -e '^W0000' -e 'absl::' >&2)
"$venv/bin/python" "$here/gen_onnx.py"
du -sh --apparent-size "$here/../../cases/golden"
