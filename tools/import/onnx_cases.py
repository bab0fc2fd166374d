"""One ONNX ConvTranspose node with its tensors -> one tconv case in the `onnx` convention
(conformance/conventions/onnx.h): the node's attributes as they are, X / W / B as x / weight /
bias and Y as expect.y. A 1-D node is the 2-D one with height 1 (every attribute gets a
leading 1 or 0, every tensor a height axis of 1): exactly the same arithmetic. A node of
another rank (3-D) is written as it is, with its tensors: the `onnx` convention makes its rows
UNSUPPORTED, naming the dimensionality (tconv's operator is 2-D)."""

from __future__ import annotations

import numpy as np
import onnx

from suite_writer import ImportedCase

# ONNX element dtypes tconv's golden loader takes, by numpy dtype.
_DTYPES = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64", np.dtype(np.float16): "f16"}


def _attributes(node: onnx.NodeProto) -> dict[str, object]:
    out = {}
    for a in node.attribute:
        v = onnx.helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else (list(v) if isinstance(v, (list, tuple)) else v)
    return out


def _lift_1d(attrs: dict[str, object], arrays: dict[str, np.ndarray]) -> None:
    """1-D -> 2-D with height 1, in place."""
    for key, lead in (("strides", 1), ("dilations", 1), ("kernel_shape", 1), ("output_padding", 0)):
        if key in attrs:
            attrs[key] = [lead] + list(attrs[key])
    if "pads" in attrs:
        begin, end = attrs["pads"]
        attrs["pads"] = [0, begin, 0, end]
    if "output_shape" in attrs:
        attrs["output_shape"] = [1, list(attrs["output_shape"])[-1]]
    for key, a in arrays.items():
        if a.ndim == 3:  # X, W, Y: [.., .., L] -> [.., .., 1, L]
            arrays[key] = a[:, :, np.newaxis, :]


def node_case(name: str, node: onnx.NodeProto, values: dict[str, np.ndarray], comments: list[str]) -> ImportedCase | str:
    """The case, or the reason the node is skipped."""
    x, w = values[node.input[0]], values[node.input[1]]
    has_bias = len(node.input) > 2 and node.input[2] != ""
    arrays = {"x": x, "weight": w, "y": values[node.output[0]]}
    if has_bias:
        arrays["bias"] = values[node.input[2]]
    rank = x.ndim - 2
    if x.dtype not in _DTYPES:
        return f"dtype {x.dtype}: tconv's golden tensors are float16, float32 or float64"
    attrs = _attributes(node)
    if rank == 1:
        _lift_1d(attrs, arrays)
        comments = comments + ["1-D node, as 2-D with height 1"]
    elif rank != 2:
        comments = comments + [f"{rank}-D node: UNSUPPORTED on every backend (tconv's operator is 2-D)"]
    if "output_shape" in attrs and len(attrs["output_shape"]) == x.ndim:  # the whole [N, C, spatial...]
        attrs["output_shape"] = list(attrs["output_shape"])[2:]
    params: dict[str, object] = {}
    for key in ("group", "kernel_shape", "strides", "dilations", "pads", "auto_pad", "output_shape", "output_padding"):
        if key in attrs:
            params[key] = attrs[key]
    if params.get("auto_pad") == "NOTSET":
        del params["auto_pad"]
    if _DTYPES[x.dtype] != "f32":
        params["dtype"] = _DTYPES[x.dtype]
    if not has_bias:
        params["bias"] = False
    tensors = {"x": arrays["x"], "weight": arrays["weight"]}
    if has_bias:
        tensors["bias"] = arrays["bias"]
    return ImportedCase(name, "onnx", params, tensors, {"y": arrays["y"]}, comments)
