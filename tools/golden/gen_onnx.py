#!/usr/bin/env python3
"""Golden tensors from ONNX ConvTranspose: onnxruntime's output, cross-checked against the ONNX
reference evaluator (onnx.reference), plus the ONNX specification's own examples.

ONNX Runtime's inference build has no gradients, so these cases carry y only (the runner still
checks the backward directions against the oracle). Where the two runtimes disagree the case
keeps the reference evaluator's result (it follows the specification) and says so.
Run in the virtual environment of tools/golden/setup_env.sh.
"""
import golden_common as gc

gc.single_thread_env()
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402

OPSET = 17
IR_VERSION = 8  # what onnxruntime accepts for that opset


def make_model(attrs, with_bias):
    inputs = ["X", "W"] + (["B"] if with_bias else [])
    node = helper.make_node("ConvTranspose", inputs, ["Y"], **attrs)
    graph = helper.make_graph([node], "convtranspose",
                              [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in inputs],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    return model


def run_both(model, feeds):
    """(onnxruntime result or error text, reference result or error text)."""
    results = []
    for run in (lambda: ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"],
                                             sess_options=single_thread_session()).run(None, feeds)[0],
                lambda: ReferenceEvaluator(model).run(None, feeds)[0]):
        try:
            results.append(np.asarray(run(), dtype=np.float32))
        except Exception as e:  # a runtime's refusal is information, not a generator failure
            results.append(str(e).split("\n")[0][:160])
    return results


def single_thread_session():
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return options


def attr_text(value):
    return gc.tuple_text(value) if isinstance(value, (list, tuple)) else str(value)


def run_case(name, comment, x, w, b=None, **attrs):
    model = make_model(attrs, b is not None)
    feeds = {"X": x, "W": w}
    if b is not None:
        feeds["B"] = b
    ort_y, ref_y = run_both(model, feeds)
    if isinstance(ort_y, np.ndarray) and isinstance(ref_y, np.ndarray) and ort_y.shape == ref_y.shape \
            and np.allclose(ort_y, ref_y, rtol=1e-5, atol=1e-5):
        y, source = ort_y, "onnxruntime and the reference evaluator agree"
    elif isinstance(ref_y, np.ndarray):
        y = ref_y
        what = f"gives shape {ort_y.shape} with other values" if isinstance(ort_y, np.ndarray) else f"fails: {ort_y}"
        source = f"the reference evaluator (spec); onnxruntime {ort.__version__} {what}"
    elif isinstance(ort_y, np.ndarray):
        y, source = ort_y, f"onnxruntime (the reference evaluator fails: {ref_y})"
    else:
        raise RuntimeError(f"{name}: both runtimes fail: {ort_y} / {ref_y}")
    params = [("input_shape", gc.tuple_text(x.shape)), ("weight_shape", gc.tuple_text(w.shape))]
    params += [(k, attr_text(v)) for k, v in attrs.items()]
    if b is None:
        params.append(("bias", "false"))  # with B, `bias:` names its file
    case = gc.Case(name, comment + "\n" + source, params)
    case.input("x", "x.npy", x)
    case.input("weight", "w.npy", w)
    if b is not None:
        case.input("bias", "b.npy", b)
    case.output("y", "y.npy", y)
    return case


def spec_examples():
    """The ONNX specification's ConvTranspose examples (their inputs; the outputs come from the
    runtimes like every other case)."""
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    w = np.ones((1, 2, 3, 3), dtype=np.float32)
    return [
        run_case("onnx_spec_convtranspose", "spec example test_convtranspose", x, w),
        run_case("onnx_spec_output_shape", "spec example test_convtranspose_output_shape: total -1, floor division",
                 x, w, strides=[3, 2], output_shape=[10, 8]),
        run_case("onnx_spec_output_padding", "spec example: strides (3, 2), output_padding (1, 1)",
                 x, w, strides=[3, 2], output_padding=[1, 1]),
        run_case("onnx_spec_kernel_shape", "spec example test_convtranspose_kernel_shape: output_shape with output_padding",
                 x, w, kernel_shape=[3, 3], strides=[3, 2], output_shape=[10, 8], output_padding=[1, 1]),
        run_case("onnx_spec_pads", "spec example test_convtranspose_pads: pads [1, 2, 1, 2]",
                 x, w, strides=[3, 2], pads=[1, 2, 1, 2]),
        run_case("onnx_spec_dilations", "spec example test_convtranspose_dilations",
                 np.array([[[[3, 8, 1], [9, 5, 7], [3, 2, 6]]]], dtype=np.float32),
                 np.array([[[[7, 2], [1, 9]]]], dtype=np.float32), dilations=[2, 2]),
        run_case("onnx_spec_autopad_same", "spec example test_convtranspose_autopad_same: SAME_UPPER, strides 2",
                 x, w, auto_pad="SAME_UPPER", strides=[2, 2]),
        run_case("onnx_spec_group_2", "spec example test_convtranspose_group_2",
                 np.arange(18, dtype=np.float32).reshape(1, 2, 3, 3), np.ones((2, 1, 3, 3), dtype=np.float32), group=2),
    ]


def random_cases():
    gen = gc.rng(5300)
    u = lambda shape: gc.uniform(gen, shape)  # noqa: E731
    x_same, w_same, b_same = u((1, 2, 3, 4)), u((2, 3, 3, 3)), u((3,))
    return [
        run_case("onnx_same_upper", "SAME_UPPER, total 1 per dimension: the extra crop at the END (like Keras same)",
                 x_same, w_same, b_same, auto_pad="SAME_UPPER", strides=[2, 2]),
        run_case("onnx_same_lower", "SAME_LOWER on the same tensors: the extra crop at the BEGIN, one pixel shifted",
                 x_same, w_same, b_same, auto_pad="SAME_LOWER", strides=[2, 2]),
        run_case("onnx_pads_asymmetric_output_padding", "pads [2, 0, 1, 1] with output_padding (1, 2), strides (2, 3)",
                 u((2, 3, 4, 3)), u((3, 2, 3, 3)), u((2,)), strides=[2, 3], pads=[2, 0, 1, 1], output_padding=[1, 2]),
        run_case("onnx_group_dilation", "group 2, dilations (2, 1), strides (1, 2), non-square kernel",
                 u((1, 4, 4, 3)), u((4, 3, 2, 3)), u((6,)), group=2, dilations=[2, 1], strides=[1, 2]),
        run_case("onnx_output_shape_negative_total", "output_shape (10, 8) one past the full (9, 7): total -1, the end extends",
                 u((2, 2, 3, 3)), u((2, 2, 3, 3)), u((2,)), strides=[3, 2], output_shape=[10, 8]),
        run_case("onnx_same_upper_negative_total",
                 "SAME_UPPER with output_shape one past the full size: by the spec floor(-1/2) = -1 extends the TOP",
                 u((1, 1, 3, 3)), u((1, 2, 3, 3)), u((2,)), auto_pad="SAME_UPPER", strides=[3, 2], output_shape=[10, 8]),
        run_case("onnx_valid_output_padding", "auto_pad VALID with output_padding (1, 0)",
                 u((1, 2, 2, 3)), u((2, 2, 2, 2)), u((2,)), auto_pad="VALID", strides=[2, 2], output_padding=[1, 0]),
    ]


def main():
    cases = spec_examples() + random_cases()
    versions = f"onnx {onnx.__version__} (opset {OPSET}), onnxruntime {ort.__version__}, {gc.python_version()}"
    gc.write_suite("onnx", "onnx", "ONNX ConvTranspose (onnxruntime, checked against onnx.reference)", versions, cases,
                   "gen_onnx.py")


if __name__ == "__main__":
    main()
