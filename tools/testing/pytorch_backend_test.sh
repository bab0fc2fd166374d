#!/usr/bin/env bash
# ctest pytorch_backend: tools/pytorch_backend.py (PyTorch as an external tconv server) on the
# CPU. The tiny suite with --perf: every runnable row PASSED against the oracle and timed by the
# server's own clock (timer `device`, algorithm `torch-...`). Crops: one PyTorch expresses
# (output_padding) passes, three it cannot (a larger crop at the end, a negative crop,
# output_padding not below the stride) are UNSUPPORTED rows naming the rule, not failures.
# Exit 77 (skipped) without torch. Usage: pytorch_backend_test.sh TCONV OUT_DIR
. "$(dirname "$0")/../import/test_prelude.sh" pytorch_backend_test "torch numpy" "$@"
repo=$(cd "$here/../.." && pwd)
server="pytorch=exec python3 $repo/tools/pytorch_backend.py --serve --device cpu --repeats 1 --min-time 0"

"$tconv" run "$repo/conformance/testing/fixtures/tiny.yaml" --perf --repeats 1 --external-server "$server" \
  --backends pytorch --out "$out/tiny"
python3 - "$out/tiny/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 68, f"{len(rows)} rows, expected 68"
bad = [r for r in rows if r["status"] not in ("PASSED", "INVALID")]
assert not bad, f"{bad[0]['case']} {bad[0]['direction']}: {bad[0]['status']} {bad[0]['reason']}"
passed = [r for r in rows if r["status"] == "PASSED"]
assert len(passed) == 64, len(passed)
for r in passed:
    assert r["timer"] == "device" and float(r["time_ms"]) > 0, f"{r['case']}: not timed by the server"
    assert r["algorithm"].startswith("torch-"), r["algorithm"]
print("tiny: 64 pytorch rows PASSED, each timed by the server")
PY

cat >"$out/crops.yaml" <<'YAML'
suite: crops
seed: 1
defaults:
  convention: canonical
  n: 1
  c_in: 2
  c_out: 3
  input: [5, 6]
  kernel: 3
  stride: 2
  directions: [fwd, bwd_data]
cases:
  - name: output_padding_1
    crop: [1, 0, 1, 0]
  - name: larger_end_crop
    crop: [0, 1, 0, 1]
  - name: negative_crop
    crop: [-1, 0, 0, 0]
  - name: output_padding_2_at_stride_2
    crop: [2, 0, 2, 0]
YAML
"$tconv" run "$out/crops.yaml" --external-server "$server" --backends pytorch --out "$out/crops"
python3 - "$out/crops/results.csv" <<'PY'
import csv, sys
expect = {"output_padding_1": ("PASSED", ""),
          "larger_end_crop": ("UNSUPPORTED", "PyTorch crops the end by at most the start"),
          "negative_crop": ("UNSUPPORTED", "negative crop"),
          "output_padding_2_at_stride_2": ("UNSUPPORTED", "output_padding 2 along h is not below stride 2")}
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 8, f"{len(rows)} rows, expected 8"
for r in rows:
    status, words = expect[r["case"]]
    assert r["status"] == status and words in r["reason"], f"{r['case']} {r['direction']}: {r['status']} {r['reason']}"
print("crops: the expressible one PASSED, the other three UNSUPPORTED with the rule")
PY
