#!/usr/bin/env python3
"""PyTorch's CPU conv_transpose2d as a timing peer of tconv's CPU backends.

Times torch.nn.functional.conv_transpose2d on the benchmark shapes (tools/bench/shapes.csv)
in every direction (fwd; bwd_data, bwd_weights, bwd_bias through autograd on a retained graph,
so each direction computes only its own gradient), f32, NCHW and channels_last (NHWC), and
writes rows in the runner's results.csv form so reports can put PyTorch beside tconv. Each row
is also checked against PyTorch itself in float64 with docs/design.md's shape-aware bound
(PASSED / INCORRECT); --no-check skips that.

    python3 tools/pytorch_peer.py --out runs/pytorch.csv [--threads N] [--min-time S]

Exits 0 with a message when torch is not installed (Debian: apt-get install python3-torch,
for /usr/bin/python3).
"""
import argparse
import csv
import os
import statistics
import sys
import time

COLUMNS = ("case,backend,variant,direction,dtype,status,reason,max_abs_err,max_rel_err,err_bound_ratio,"
           "mismatches,elements,zero_fraction,time_ms,time_min_ms,time_max_ms,repeats,timer,gflops,gbps,math,"
           "repro,n,c_in,c_out,groups,h_in,w_in,kh,kw,stride_h,stride_w,dil_h,dil_w,pad_top,pad_bottom,pad_left,"
           "pad_right,bias,layout,weight_layout,h_out,w_out,source,first_mismatches").split(",")
DIRECTIONS = ("fwd", "bwd_data", "bwd_weights", "bwd_bias")
HERE = os.path.dirname(os.path.abspath(__file__))


def load_shapes(path):
    rows = [line for line in open(path) if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(rows))


class Shape:
    def __init__(self, row):
        self.name = row["name"]
        for key in ("n", "c_in", "h", "w", "c_out", "k", "s", "p", "op", "d", "g"):
            setattr(self, key, int(row[key]))
        k_eff = self.d * (self.k - 1) + 1
        self.h_out = (self.h - 1) * self.s - 2 * self.p + k_eff + self.op
        self.w_out = (self.w - 1) * self.s - 2 * self.p + k_eff + self.op

    def flops(self, direction):  # as tconv's flops(): every tap of every input pixel
        if direction == "bwd_bias":
            return float(self.n * self.c_out * self.h_out * self.w_out)
        return 2.0 * self.n * self.c_in * self.h * self.w * (self.c_out // self.g) * self.k * self.k

    def bytes_moved(self, direction):  # as tconv's bytes_moved(), f32
        x = self.n * self.c_in * self.h * self.w
        y = self.n * self.c_out * self.h_out * self.w_out
        w = self.c_in * (self.c_out // self.g) * self.k * self.k
        return 4.0 * {"fwd": x + w + self.c_out + y, "bwd_data": y + w + x, "bwd_weights": x + y + w,
                      "bwd_bias": y + self.c_out}[direction]

    def terms(self, direction):  # reduction length K of one output element (the bound's K)
        return {"fwd": self.c_in // self.g * self.k * self.k + 1, "bwd_data": self.c_out // self.g * self.k * self.k,
                "bwd_weights": self.n * self.h * self.w, "bwd_bias": self.n * self.h_out * self.w_out}[direction]


def make_call(torch, shape, direction, layout, dtype, operands):
    """The timed callable and the tensor it produces, for one direction."""
    F = torch.nn.functional
    x, w, b, dy = (t.to(dtype) for t in operands)
    if layout == "NHWC":
        x, w, dy = (t.contiguous(memory_format=torch.channels_last) for t in (x, w, dy))
    kwargs = dict(stride=shape.s, padding=shape.p, output_padding=shape.op, groups=shape.g, dilation=shape.d)
    if direction == "fwd":
        def fwd():
            with torch.no_grad():
                return F.conv_transpose2d(x, w, b, **kwargs)
        return fwd
    x, w, b = (t.detach().requires_grad_(True) for t in (x, w, b))
    y = F.conv_transpose2d(x, w, b, **kwargs)
    target = {"bwd_data": x, "bwd_weights": w, "bwd_bias": b}[direction]
    return lambda: torch.autograd.grad(y, [target], dy, retain_graph=True)[0]


def time_call(fn, min_time, min_repeats=3):
    t0 = time.perf_counter()
    fn()  # warm-up: oneDNN (mkldnn) JIT, allocator
    if time.perf_counter() - t0 > min_time:
        min_repeats = 2  # a slow call: two timed repeats say enough, and keep the run short
    else:
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def check(torch, shape, direction, layout, operands, got):
    """Error of the f32 result against float64 PyTorch, within docs/design.md's bound per element:
    (2u + K*u) * S + u*|ref|, S = the same operation on |operands| (sum of |a_k*b_k|)."""
    ref = make_call(torch, shape, direction, layout, torch.float64, operands)().detach()
    s = make_call(torch, shape, direction, layout, torch.float64, [t.abs() for t in operands])().detach()
    u = 2.0 ** -24
    bound = (2 * u + shape.terms(direction) * u) * s + u * ref.abs() + 2.0 ** -126
    err = (got.detach().double() - ref).abs()
    ratio = float((err / bound).max())
    nonzero = ref != 0
    rel = float((err[nonzero] / ref[nonzero].abs()).max()) if bool(nonzero.any()) else 0.0
    return {"max_abs_err": float(err.max()), "max_rel_err": rel, "err_bound_ratio": ratio,
            "mismatches": int((err > bound).sum()), "elements": ref.numel(),
            "zero_fraction": float((ref == 0).double().mean())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shapes", default=os.path.join(HERE, "bench", "shapes.csv"))
    ap.add_argument("--out", default="-", help="CSV file (default stdout)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timed repeats per row")
    ap.add_argument("--layouts", default="NCHW,NHWC")
    ap.add_argument("--directions", default=",".join(DIRECTIONS))
    ap.add_argument("--filter", default="", help="only shapes whose name contains this")
    ap.add_argument("--no-check", action="store_true", help="time only, status SKIPPED")
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        print("pytorch_peer: torch is not installed for %s; skipping (Debian: apt-get install python3-torch)"
              % sys.executable, file=sys.stderr)
        return 0
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    variant = "torch-" + torch.__version__.split("+")[0]
    for row in load_shapes(args.shapes):
        shape = Shape(row)
        if args.filter not in shape.name:
            continue
        operands = [torch.rand(shape.n, shape.c_in, shape.h, shape.w) * 2 - 1,
                    torch.rand(shape.c_in, shape.c_out // shape.g, shape.k, shape.k) * 2 - 1,
                    torch.rand(shape.c_out) * 2 - 1,
                    torch.rand(shape.n, shape.c_out, shape.h_out, shape.w_out) * 2 - 1]
        for layout in args.layouts.split(","):
            for direction in args.directions.split(","):
                fn = make_call(torch, shape, direction, layout, torch.float32, operands)
                times = time_call(fn, args.min_time)
                median = statistics.median(times)
                r = {c: "" for c in COLUMNS}
                r.update(case=shape.name, backend="pytorch", variant=variant, direction=direction, dtype="f32",
                         time_ms=median * 1e3, time_min_ms=min(times) * 1e3, time_max_ms=max(times) * 1e3,
                         repeats=len(times), timer="wall", gflops=shape.flops(direction) / median * 1e-9,
                         gbps=shape.bytes_moved(direction) / median * 1e-9, math="f32",
                         repro="python3 tools/pytorch_peer.py --filter %s --layouts %s --directions %s"
                               % (shape.name, layout, direction),
                         n=shape.n, c_in=shape.c_in, c_out=shape.c_out, groups=shape.g, h_in=shape.h, w_in=shape.w,
                         kh=shape.k, kw=shape.k, stride_h=shape.s, stride_w=shape.s, dil_h=shape.d, dil_w=shape.d,
                         pad_top=shape.p, pad_bottom=shape.p - shape.op, pad_left=shape.p,
                         pad_right=shape.p - shape.op, bias=1, layout=layout,
                         weight_layout="IHWO" if layout == "NHWC" else "IOHW", h_out=shape.h_out, w_out=shape.w_out,
                         source=os.path.relpath(args.shapes))
                if args.no_check:
                    r.update(status="SKIPPED", reason="pytorch peer: timed only (--no-check)")
                else:
                    c = check(torch, shape, direction, layout, operands, fn())
                    r.update(c)
                    r["status"] = "PASSED" if c["mismatches"] == 0 else "INCORRECT"
                    if c["mismatches"]:
                        r["reason"] = "%d of %d elements over the bound against float64 PyTorch" % (
                            c["mismatches"], c["elements"])
                writer.writerow(r)
                out.flush()
                print("pytorch_peer: %-18s %-4s %-11s %9.3f ms %8.1f GFLOP/s %s" % (
                    shape.name, layout, direction, median * 1e3, float(r["gflops"]), r["status"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
