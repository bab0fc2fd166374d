#!/usr/bin/env python3
"""numpy_tconv: an external tconv backend in Python / NumPy (backends/external/PROTOCOL.md).

    numpy_tconv.py --capabilities   prints what it supports
    numpy_tconv.py WORKDIR          one problem x direction: reads problem.json and the
                                    inputs, writes the output .npy
    numpy_tconv.py --serve          persistent mode: a hello line, then one reply line per
                                    request line on stdin (one Python start per sweep)

Every dtype, layout, weight layout and direction: tensors are brought to NCHW / IOHW
logical order, computed in float64 with one einsum per kernel tap, and written back in the
problem's layouts.
"""
import json
import os
import sys

import numpy as np

# Logical order -> storage order, as np.transpose axes (backends/api/layout.h).
TO_STORAGE = {"NCHW": (0, 1, 2, 3), "NHWC": (0, 2, 3, 1), "IOHW": (0, 1, 2, 3),
              "IHWO": (0, 2, 3, 1), "HWOI": (2, 3, 1, 0)}


def to_logical(a, layout, groups):
    if layout == "OIHW_FLIPPED":  # [C_out][C_in/g][kH][kW], spatially flipped
        co, cig, kh, kw = a.shape
        a = a[:, :, ::-1, ::-1].reshape(groups, co // groups, cig, kh, kw)
        return a.transpose(0, 2, 1, 3, 4).reshape(groups * cig, co // groups, kh, kw)
    return a.transpose(np.argsort(TO_STORAGE[layout]))


def to_storage(a, layout, groups):
    if layout == "OIHW_FLIPPED":
        ci, cog, kh, kw = a.shape
        a = a.reshape(groups, ci // groups, cog, kh, kw).transpose(0, 2, 1, 3, 4)
        return a.reshape(groups * cog, ci // groups, kh, kw)[:, :, ::-1, ::-1]
    return a.transpose(TO_STORAGE[layout])


def taps(p):
    """(kh, kw, output rows, output cols, input rows, input cols) of every tap that lands."""
    for kh in range(p["kh"]):
        for kw in range(p["kw"]):
            oh = np.arange(p["h_in"]) * p["stride_h"] - p["pad_top"] + kh * p["dil_h"]
            ow = np.arange(p["w_in"]) * p["stride_w"] - p["pad_left"] + kw * p["dil_w"]
            ih, iw = np.nonzero((oh >= 0) & (oh < p["h_out"]))[0], np.nonzero((ow >= 0) & (ow < p["w_out"]))[0]
            yield kh, kw, oh[ih], ow[iw], ih, iw


def compute(p, direction, t):
    g, cig, cog = p["groups"], p["c_in"] // p["groups"], p["c_out"] // p["groups"]
    grouped = lambda a: a.reshape(a.shape[0], g, a.shape[1] // g, *a.shape[2:])  # N,C,.. -> N,G,C/G,..
    if direction == "bwd_bias":
        return t["dy"].sum(axis=(0, 2, 3))
    if direction == "fwd":
        x, w = grouped(t["x"]), t["w"].reshape(g, cig, cog, p["kh"], p["kw"])
        y = np.zeros((p["n"], g, cog, p["h_out"], p["w_out"]))
        for kh, kw, oh, ow, ih, iw in taps(p):
            y[:, :, :, oh[:, None], ow] += np.einsum("ngchw,gco->ngohw", x[:, :, :, ih[:, None], iw], w[:, :, :, kh, kw])
        y = y.reshape(p["n"], p["c_out"], p["h_out"], p["w_out"])
        return y + t["b"].reshape(1, -1, 1, 1) if "b" in t else y
    dy = grouped(t["dy"])
    if direction == "bwd_data":
        w = t["w"].reshape(g, cig, cog, p["kh"], p["kw"])
        dx = np.zeros((p["n"], g, cig, p["h_in"], p["w_in"]))
        for kh, kw, oh, ow, ih, iw in taps(p):
            dx[:, :, :, ih[:, None], iw] += np.einsum("ngohw,gco->ngchw", dy[:, :, :, oh[:, None], ow], w[:, :, :, kh, kw])
        return dx.reshape(p["n"], p["c_in"], p["h_in"], p["w_in"])
    x = grouped(t["x"])  # bwd_weights
    dw = np.zeros((g, cig, cog, p["kh"], p["kw"]))
    for kh, kw, oh, ow, ih, iw in taps(p):
        dw[:, :, :, kh, kw] += np.einsum("ngchw,ngohw->gco", x[:, :, :, ih[:, None], iw], dy[:, :, :, oh[:, None], ow])
    return dw.reshape(p["c_in"], cog, p["kh"], p["kw"])


CAPABILITIES = {"dtypes": ["f32", "f64", "f16", "bf16"], "layouts": ["NCHW", "NHWC"],
                "weight_layouts": ["IOHW", "IHWO", "HWOI", "OIHW_FLIPPED"],
                # f64 sums rounded once to the stored dtype (docs/tolerance.md)
                "math": {"name": "f64acc", "u_mul": 0, "u_acc": 2.0 ** -53, "output_roundings": 1}}


def solve(work):
    """One problem x direction staged in WORKDIR: the same files in both modes."""
    with open(os.path.join(work, "problem.json")) as f:
        doc = json.load(f)
    p, groups = doc["problem"], doc["problem"]["groups"]
    tensors = {name: to_logical(np.load(os.path.join(work, e["file"])).astype(np.float64), e["layout"], groups)
               for name, e in doc["inputs"].items() if e["layout"] != "X"}
    tensors.update({name: np.load(os.path.join(work, e["file"])).astype(np.float64)
                    for name, e in doc["inputs"].items() if e["layout"] == "X"})
    out = doc["output"]
    result = compute(p, doc["direction"], tensors)
    if out["layout"] != "X":
        result = to_storage(result, out["layout"], groups)
    stored = np.float16 if p["dtype"] == "f16" else np.float64 if p["dtype"] == "f64" else np.float32
    np.save(os.path.join(work, out["file"]), np.ascontiguousarray(result).astype(stored))


def serve():
    """Persistent mode (PROTOCOL.md): stdout carries protocol lines only, so anything else
    printed goes to stderr; a failed problem is an {"ok": false} reply, not an exit."""
    protocol, sys.stdout = sys.stdout, sys.stderr

    def send(obj):
        protocol.write(json.dumps(obj) + "\n")
        protocol.flush()

    send({"protocol": "tconv-server", "version": 1, "capabilities": CAPABILITIES})
    for line in sys.stdin:  # ends at end of input too: tconv has gone
        request = json.loads(line)
        if request.get("shutdown"):
            return
        reply = {"id": request["id"]} if "id" in request else {}
        try:
            solve(request["workdir"])
            reply["ok"] = True
        except Exception as e:  # noqa: BLE001 -- any failure is this problem's, not the server's
            reply.update(ok=False, error=f"{type(e).__name__}: {e}")
        send(reply)


def main():
    if sys.argv[1:] == ["--capabilities"]:
        print(json.dumps(CAPABILITIES))
    elif sys.argv[1:] == ["--serve"]:
        serve()
    else:
        solve(sys.argv[1])


if __name__ == "__main__":
    main()
