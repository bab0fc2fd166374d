#!/usr/bin/env bash
# ctest onnx_import: the onnx package's own ConvTranspose test cases, its pytorch-converted
# test_ConvTranspose2d* models and a user's model made here, imported by onnx_import.py, load
# and pass on naive and openmp (every direction: fwd against ONNX's outputs, the others
# against the oracle); the 3-D case is a case whose rows are UNSUPPORTED, naming its
# dimensionality.
# Exit 77 (skipped) without the onnx package.
# Usage: onnx_import_test.sh TCONV OUT_DIR
. "$(dirname "$0")/test_prelude.sh" onnx_import_test onnx "$@"
# A user's model in the backend-test layout: Relu -> ConvTranspose -> Sigmoid, so X and Y of
# the node are intermediate tensors the importer computes with onnx.reference.
python3 - "$out/user_model" <<'PY'
import os, sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
from onnx.reference import ReferenceEvaluator
d = sys.argv[1]
os.makedirs(os.path.join(d, "test_data_set_0"))
rng = np.random.default_rng(15)
w = numpy_helper.from_array(rng.standard_normal((4, 6, 3, 2)).astype(np.float32), "W")
b = numpy_helper.from_array(rng.standard_normal(6).astype(np.float32), "B")
nodes = [helper.make_node("Relu", ["input"], ["x"]),
         helper.make_node("ConvTranspose", ["x", "W", "B"], ["y"], strides=[2, 1], dilations=[1, 2], pads=[1, 0, 0, 1]),
         helper.make_node("Sigmoid", ["y"], ["output"])]
graph = helper.make_graph(nodes, "user", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 4, 5, 3])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)], [w, b])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.save(model, os.path.join(d, "model.onnx"))
x = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
(y,) = ReferenceEvaluator(model).run(None, {"input": x})
for name, a in (("input_0.pb", numpy_helper.from_array(x)), ("output_0.pb", numpy_helper.from_array(y))):
    open(os.path.join(d, "test_data_set_0", name), "wb").write(a.SerializeToString())
PY
python3 "$here/onnx_import.py" --onnx-package --out "$out" "$out/user_model"
suite=$out/onnx_import.yaml
grep -q "computed by onnx.reference: x, y" "$suite" || { echo "FAIL: the user model's intermediate X and Y are not marked computed"; exit 1; }
if grep -q "^# skipped" "$suite"; then echo "FAIL: cases skipped:"; grep "^# skipped" "$suite"; exit 1; fi
for name in user_model test_convtranspose_1d test_convtranspose_3d test_convtranspose_group_2 test_convtranspose_autopad_same test_ConvTranspose2d test_ConvTranspose2d_no_bias; do
  grep -q "^  - name: $name$" "$suite" || { echo "FAIL: $name was not imported"; exit 1; }
done
"$tconv" run "$suite" --backends naive,openmp --out "$out/run"
# 14 cases x 4 directions on naive and each openmp variant: the 3-D one's rows UNSUPPORTED, the
# others PASSED.
python3 "$here/expect_all_passed.py" "$out/run/results.csv" =$((14 * 4)) --per-variant \
  --unsupported "test_convtranspose_3d=3-D ConvTranspose (input_shape [1, 1, 3, 4, 5]): tconv's operator is 2-D"
