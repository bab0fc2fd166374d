#!/usr/bin/env python3
"""PyTorch as a tconv backend: a persistent external server (backends/external/PROTOCOL.md).

    tconv run cases/models.yaml --perf \\
      --external-server "pytorch=exec python3 tools/pytorch_backend.py --serve" \\
      --external-server "pytorch_benchmark=exec python3 tools/pytorch_backend.py --serve --benchmark" \\
      --backends cudnn,cuda,pytorch,pytorch_benchmark

Each request runs PyTorch's own operators on the problem: fwd is
torch.nn.functional.conv_transpose2d, the gradients are aten::convolution_backward (what
autograd calls for conv_transpose2d) with one output selected. So PyTorch's rows sit beside
tconv's in the same run: checked against the oracle like every backend, and with --perf timed
on the same shapes, dtypes and layouts (the report's performance table gives the ratios).

Timing: after the answer is computed, the same call is repeated (one warm-up, then at least
--repeats calls and --min-time seconds) and the median is the row's time, by CUDA events on
a GPU (the device's time of PyTorch's kernels, as tconv's own GPU backends report), by the
wall clock on the CPU. --benchmark sets torch.backends.cudnn.benchmark (PyTorch then times
cuDNN's algorithms on the first call of each shape, the warm-up). f32 runs without TF32
unless --tf32 (PyTorch's cuDNN default allows it).

Problems PyTorch cannot express are refused with an "unsupported" reply (UNSUPPORTED rows):
asymmetric crops beyond output_padding, negative crops, output_padding not below the stride
or the dilation; so are dtypes PyTorch has no kernel for on the device. f16 and bf16 are
offered on a GPU only (capabilities() says why). Declared math: f32
accumulation, the bias added after the convolution's output is rounded (PyTorch's cuDNN path
adds it in a second kernel), and on a GPU the algorithm class `fft`, because cuDNN may choose
FFT or Winograd algorithms whose errors are judged norm-wise (docs/tolerance.md); on the CPU
implicit-gemm.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

STORAGE_AXES = {"NCHW": (0, 1, 2, 3), "NHWC": (0, 2, 3, 1), "IOHW": (0, 1, 2, 3), "IHWO": (0, 2, 3, 1)}
NP_STORED = {"f32": np.float32, "bf16": np.float32, "f16": np.float16, "f64": np.float64}


class Unsupported(Exception):
    """A problem this PyTorch cannot run: the reply refuses it instead of failing."""


def torch_arguments(p):
    """PyTorch's (padding, output_padding) for tconv's crops, or Unsupported with the rule."""
    padding, output_padding = [], []
    for axis, first, last, stride, dil in (("h", "pad_top", "pad_bottom", "stride_h", "dil_h"),
                                           ("w", "pad_left", "pad_right", "stride_w", "dil_w")):
        crop, end = p[first], p[last]
        if crop < 0 or end < 0:
            raise Unsupported(f"negative crop ({first} {crop}, {last} {end}): PyTorch pads only by cropping")
        extra = crop - end  # output_padding: PyTorch crops `padding` on both sides, then adds it at the end
        if extra < 0:
            raise Unsupported(f"{last} {end} > {first} {crop}: PyTorch crops the end by at most the start")
        if extra >= max(p[stride], p[dil]):
            raise Unsupported(f"output_padding {extra} along {axis} is not below stride {p[stride]} or "
                              f"dilation {p[dil]}")
        padding.append(crop)
        output_padding.append(extra)
    return tuple(padding), tuple(output_padding)


class Server:
    def __init__(self, args):
        import torch
        self.torch = torch
        if args.device == "cuda" and not torch.cuda.is_available():
            sys.exit("pytorch_backend: --device cuda, but this PyTorch sees no GPU (torch.cuda.is_available() is false)")
        self.device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.on_gpu = self.device.type == "cuda"
        torch.backends.cudnn.benchmark = args.benchmark
        torch.backends.cudnn.allow_tf32 = args.tf32
        torch.backends.cuda.matmul.allow_tf32 = args.tf32
        if args.threads:
            torch.set_num_threads(args.threads)
        self.min_time, self.repeats = args.min_time, args.repeats
        self.dtypes = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64}
        mode = ("benchmark" if args.benchmark else "default") + ("+tf32" if args.tf32 else "")
        self.algorithm = f"torch-{torch.__version__.split('+')[0]} {self.device.type} {mode}"

    def capabilities(self):
        u_mul = 2.0 ** -11 if self.torch.backends.cudnn.allow_tf32 and self.on_gpu else 2.0 ** -24
        # f16 / bf16 on the CPU: PyTorch 2.15's conv_transpose2d there breaks the f32-accumulation
        # bound by up to 11x (287 ulp in f16 on cases/smoke.yaml), as if it summed in the
        # storage type; this backend declares one math for every dtype, so it offers them on
        # a GPU only (cuDNN accumulates half-precision convolutions in f32).
        dtypes = ["f32", "f16", "bf16", "f64"] if self.on_gpu else ["f32", "f64"]
        return {"dtypes": dtypes, "layouts": ["NCHW", "NHWC"],
                "weight_layouts": ["IOHW", "IHWO"], "on_device": self.on_gpu,
                "math": {"name": "pytorch", "u_mul": u_mul, "u_acc": 2.0 ** -24, "output_roundings": 2,
                         "separate_bias": True, "algorithm": "fft" if self.on_gpu else "implicit-gemm"}}

    def load(self, work, entry, dtype, layout):
        """An input .npy as a tensor on the device in logical order (NCHW / IOHW), its memory in
        the problem's storage order (channels_last for NHWC / IHWO)."""
        a = np.load(os.path.join(work, entry["file"]))
        t = self.torch.from_numpy(np.ascontiguousarray(a)).to(self.device, dtype)
        if layout in STORAGE_AXES:
            t = t.permute(*np.argsort(STORAGE_AXES[layout]).tolist())
        return t

    def call(self, doc, work):
        """The timed callable for this request."""
        torch, p, d = self.torch, doc["problem"], doc["direction"]
        padding, output_padding = torch_arguments(p)
        dtype = self.dtypes[p["dtype"]]
        t = {name: self.load(work, e, dtype, e["layout"]) for name, e in doc["inputs"].items()}
        conv = dict(stride=(p["stride_h"], p["stride_w"]), padding=padding, dilation=(p["dil_h"], p["dil_w"]),
                    groups=p["groups"])
        if d == "fwd":
            return lambda: torch.nn.functional.conv_transpose2d(t["x"], t["w"], t.get("b"),
                                                                output_padding=output_padding, **conv)
        dy = t["dy"]
        x = t["x"] if "x" in t else torch.empty(p["n"], p["c_in"], p["h_in"], p["w_in"], dtype=dtype,
                                                device=self.device)
        w = t["w"] if "w" in t else torch.empty(p["c_in"], p["c_out"] // p["groups"], p["kh"], p["kw"],
                                                dtype=dtype, device=self.device)
        if p["layout"] == "NHWC":
            x, w = (v.contiguous(memory_format=torch.channels_last) for v in (x, w))
        pick = {"bwd_data": 0, "bwd_weights": 1, "bwd_bias": 2}[d]
        mask = [i == pick for i in range(3)]
        bias_sizes = [p["c_out"]] if d == "bwd_bias" else None
        return lambda: torch.ops.aten.convolution_backward(dy, x, w, bias_sizes, conv["stride"], conv["padding"],
                                                           conv["dilation"], True, list(output_padding),
                                                           conv["groups"], mask)[pick]

    def median_ms(self, fn):
        """One warm-up, then repeats: the median time of one call in ms."""
        torch = self.torch
        fn()
        times, start = [], time.perf_counter()
        while len(times) < self.repeats or time.perf_counter() - start < self.min_time:
            if self.on_gpu:
                begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                begin.record()
                fn()
                end.record()
                end.synchronize()
                times.append(begin.elapsed_time(end))
            else:
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(times)

    def solve(self, work):
        with open(os.path.join(work, "problem.json")) as f:
            doc = json.load(f)
        fn = self.call(doc, work)
        try:
            result = fn()
        except (RuntimeError, NotImplementedError) as e:
            if "not implemented for" in str(e):  # e.g. "... not implemented for 'Half'" on the CPU
                raise Unsupported(f"PyTorch on {self.device.type}: {str(e).splitlines()[0]}") from e
            raise
        out, p = doc["output"], doc["problem"]
        if out["layout"] in STORAGE_AXES:
            result = result.permute(*STORAGE_AXES[out["layout"]])
        stored = result.detach().to("cpu", self.torch.float64 if p["dtype"] == "f64" else
                                    self.torch.float16 if p["dtype"] == "f16" else self.torch.float32)
        np.save(os.path.join(work, out["file"]), np.ascontiguousarray(stored.numpy()).astype(NP_STORED[p["dtype"]]))
        return {"device_time_ms": self.median_ms(fn), "algorithm": self.algorithm}


def serve(args):
    """Persistent mode: stdout carries protocol lines only (diagnostics go to stderr)."""
    protocol, sys.stdout = sys.stdout, sys.stderr

    def send(obj):
        protocol.write(json.dumps(obj) + "\n")
        protocol.flush()

    server = Server(args)
    send({"protocol": "tconv-server", "version": 1, "capabilities": server.capabilities()})
    for line in sys.stdin:  # ends at end of input too: tconv has gone
        request = json.loads(line)
        if request.get("shutdown"):
            return
        reply = {"id": request["id"]} if "id" in request else {}
        try:
            reply.update(ok=True, **server.solve(request["workdir"]))
        except Unsupported as e:
            reply.update(ok=False, unsupported=str(e))
        except Exception as e:  # noqa: BLE001 -- any failure is this problem's, not the server's
            reply.update(ok=False, error=f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        send(reply)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", action="store_true", help="persistent mode (the only mode)")
    ap.add_argument("--device", choices=("cpu", "cuda"), help="default: cuda where available, else cpu")
    ap.add_argument("--benchmark", action="store_true", help="torch.backends.cudnn.benchmark = True")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 in f32 convolutions (PyTorch's cuDNN default)")
    ap.add_argument("--min-time", type=float, default=0.02, help="seconds of timed repeats per request")
    ap.add_argument("--repeats", type=int, default=5, help="at least this many timed repeats per request")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (default: PyTorch's)")
    args = ap.parse_args()
    if not args.serve:
        ap.error("run it as an external server: tconv ... --external-server \"pytorch=exec python3 "
                 "tools/pytorch_backend.py --serve\"")
    serve(args)


if __name__ == "__main__":
    main()
