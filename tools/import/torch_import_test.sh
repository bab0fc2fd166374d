#!/usr/bin/env bash
# ctest torch_import: a PyTorch module made here (ConvTranspose2d layers with stride, padding,
# output_padding, output_padding below dilation, dilation, groups, depthwise, bias=False,
# non-square kernels, a LazyConvTranspose2d, a call with output_size, a ConvTranspose1d, other
# layers between them), imported by torch_import.py from its Python factory, from torch.save
# and from TorchScript (scripted and traced): each suite has the 6 cases and passes on naive and
# openmp, 120 rows, every direction against PyTorch's y and autograd dx, dw, db. A layer with
# padding_mode 'reflect' is refused by name. Exit 77 (skipped) without torch.
# Usage: torch_import_test.sh TCONV OUT_DIR
. "$(dirname "$0")/test_prelude.sh" torch_import_test torch "$@"
cat >"$out/decoder.py" <<'PY'
import torch
import torch.nn.functional as F
from torch import nn


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.up_p1_op1 = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)
        self.up_groups_dilation_no_bias = nn.ConvTranspose2d(6, 4, (2, 3), stride=(1, 2), padding=(0, 1), dilation=(2, 1),
                                                             groups=2, bias=False)
        self.up_op_below_dilation = nn.ConvTranspose2d(4, 3, 3, stride=1, padding=2, output_padding=1, dilation=2)
        self.up_lazy = nn.LazyConvTranspose2d(4, (3, 1), stride=(2, 1), padding=(1, 0), output_padding=(1, 0))
        self.up_depthwise_output_size = nn.ConvTranspose2d(4, 8, 3, stride=2, padding=1, groups=4)
        self.up_1d = nn.ConvTranspose1d(8, 2, 4, stride=3, padding=1, output_padding=2)

    def forward(self, x):
        h = torch.relu(self.up_p1_op1(x))
        h = torch.tanh(self.up_groups_dilation_no_bias(h))
        h = self.up_op_below_dilation(h)
        h = self.up_lazy(h)
        h = self.up_depthwise_output_size(h, output_size=[2 * h.shape[2], 2 * h.shape[3]])
        return self.up_1d(h.mean(dim=2))


def make():
    torch.manual_seed(15)
    return Decoder()


def reflect_padding():
    m = nn.Sequential(nn.ConvTranspose2d(2, 3, 3))
    m[0].padding_mode = "reflect"  # the constructor refuses it; set afterwards, forward refuses it
    return m
PY
python3 - "$out" <<'PY'
import sys, warnings
import numpy as np
import torch
sys.path.insert(0, sys.argv[1])
import decoder
out = sys.argv[1]
warnings.simplefilter("ignore")  # torch.jit is deprecated
x = torch.from_numpy(np.random.default_rng(15).standard_normal((2, 4, 3, 5)).astype(np.float32))
np.save(f"{out}/x.npy", x.numpy())
m = decoder.make()
m(x)  # materialises the lazy layer before saving
torch.save(m, f"{out}/saved.pt")
torch.jit.save(torch.jit.script(m), f"{out}/scripted.pt")
torch.jit.save(torch.jit.trace(m, x), f"{out}/traced.pt")
PY
export PYTHONPATH=$out  # torch.load unpickles decoder.Decoder
python3 "$here/torch_import.py" --out "$out/factory" "$out/decoder.py:make" --input-shape 2,4,3,5
for saved in saved scripted traced; do
  python3 "$here/torch_import.py" --out "$out/$saved" "$out/$saved.pt" --input "$out/x.npy"
done
yaml=$out/factory/torch_import.yaml
for name in up_p1_op1 up_groups_dilation_no_bias up_op_below_dilation up_lazy up_depthwise_output_size up_1d; do
  for suite in factory saved scripted traced; do
    grep -q "^  - name: $name$" "$out/$suite/torch_import.yaml" || { echo "FAIL: $suite: layer $name was not imported"; exit 1; }
  done
done
grep -q "output_size: \[36, 40\]" "$yaml" || { echo "FAIL: the call with output_size is not written as output_size"; exit 1; }
grep -q "up_lazy, LazyConvTranspose2d" "$yaml" || { echo "FAIL: the lazy layer is not named as such"; exit 1; }
grep -q "1-D layer, as 2-D with height 1" "$yaml" || { echo "FAIL: the 1-D layer is not lifted"; exit 1; }
[ "$(grep -c "      dx: " "$yaml")" = 6 ] || { echo "FAIL: not every case has autograd's dx"; exit 1; }
for suite in factory saved scripted traced; do
  "$tconv" run "$out/$suite/torch_import.yaml" --backends naive,openmp --out "$out/$suite/run"
  python3 "$here/expect_all_passed.py" "$out/$suite/run/results.csv" =$((6 * 4)) --per-variant  # 6 cases x 4 directions per backend variant
done
if python3 "$here/torch_import.py" --out "$out/refused" "$out/decoder.py:reflect_padding" --input-shape 1,2,4,4 2>"$out/refused.txt"; then
  echo "FAIL: a layer with padding_mode 'reflect' was imported"; exit 1
fi
grep -q "layer 0 has padding_mode 'reflect': not supported" "$out/refused.txt" || { echo "FAIL: padding_mode is not named:"; cat "$out/refused.txt"; exit 1; }
echo "torch_import_test: passed"
