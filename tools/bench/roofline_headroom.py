#!/usr/bin/env python3
"""How far openmp and oneDNN are from this machine's roofline, from one tconv_bench JSON.

    roofline_headroom.py BENCH.json [--time real|cpu]

tconv_bench records its measured ceilings in the JSON's context: the FMA-chain ceiling
(`peak_fma_gflops`, register-only FMAs on every thread: no kernel can pass it) and the copy
bandwidth (`copy_gbps`). Per row the roofline time is max(useful flops / FMA ceiling,
bytes / copy bandwidth), where *useful* flops count only the taps that land inside the
output (flops() counts every tap, cropped ones too, so a backend that skips those can pass
100% of a ceiling by flops()); bytes are each tensor once.

Prints per direction and row: oneDNN's useful GFLOP/s and its fraction of the FMA ceiling,
openmp / oneDNN (time ratio), and the bound on that ratio: oneDNN time / roofline time, what
openmp would reach at 100% of the roofline. Then per direction the geometric means, and the
average fraction of the roofline openmp would need for a given openmp / oneDNN geomean.
--time cpu reads cpu_time (runs with --threads=1 on a shared machine), real the wall time.
"""
import argparse
import collections
import csv
import json
import math
import os

SHAPES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shapes.csv")
DIRECTIONS = ("fwd", "bwd_data", "bwd_weights")


def load_shapes():
    with open(SHAPES) as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["name"]: {k: int(v) for k, v in r.items() if k != "name"} for r in rows}


def output_extent(s, size):
    return (size - 1) * s["s"] - 2 * s["p"] + s["d"] * (s["k"] - 1) + s["op"] + 1


def useful_tap_fraction(s, size):
    """Of the (input index, tap) pairs along one axis, the fraction that lands in the output."""
    out = output_extent(s, size)
    inside = sum(1 for i in range(size) for k in range(s["k"]) if 0 <= i * s["s"] - s["p"] + k * s["d"] < out)
    return inside / (size * s["k"])


def work(s):
    """(useful flops, bytes) of fwd / bwd_data / bwd_weights: the same products in each."""
    taps = 2.0 * s["n"] * s["c_in"] * s["h"] * s["w"] * (s["c_out"] // s["g"]) * s["k"] ** 2
    useful = taps * useful_tap_fraction(s, s["h"]) * useful_tap_fraction(s, s["w"])
    x = s["n"] * s["c_in"] * s["h"] * s["w"]
    y = s["n"] * s["c_out"] * output_extent(s, s["h"]) * output_extent(s, s["w"])
    w = s["c_in"] * (s["c_out"] // s["g"]) * s["k"] ** 2
    return useful, 4.0 * (x + y + w)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_json")
    ap.add_argument("--time", choices=("real", "cpu"), default="real")
    a = ap.parse_args()
    data = json.load(open(a.bench_json))
    ctx = data["context"]
    if "peak_fma_gflops" not in ctx:
        raise SystemExit(f"{a.bench_json}: no peak_fma_gflops in the context (a tconv_bench older than the FMA ceiling)")
    fma, copy = float(ctx["peak_fma_gflops"]), float(ctx["copy_gbps"])
    shapes = load_shapes()
    best = collections.defaultdict(lambda: math.inf)  # (shape, layout, direction, backend) -> ms
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        parts = b["name"].split("/")
        if len(parts) >= 4:
            best[tuple(parts[:4])] = min(best[tuple(parts[:4])], b[f"{a.time}_time"])
    print(f"Ceilings measured by the same binary: FMA chains {fma:.1f} GFLOP/s, copy {copy:.1f} GB/s, "
          f"{ctx.get('threads', '?')} threads, {a.time} time.\n")
    for d in DIRECTIONS:
        rows = []
        for (shape, layout, direction, backend), t_dnnl in sorted(best.items()):
            t_omp = best.get((shape, layout, direction, "openmp:default"), math.inf)
            if direction != d or backend != "onednn:default" or shape not in shapes or math.isinf(t_omp):
                continue
            useful, nbytes = work(shapes[shape])
            roofline_ms = max(useful / (fma * 1e9), nbytes / (copy * 1e9)) * 1e3
            rows.append((shape, layout, useful / t_dnnl * 1e-6, t_dnnl / t_omp, t_dnnl / roofline_ms))
        if not rows:
            continue
        print(f"**{d}**\n")
        print("| shape | layout | oneDNN useful GFLOP/s | oneDNN % of FMA ceiling | openmp/oneDNN | bound at the roofline |")
        print("|---|---|---:|---:|---:|---:|")
        for shape, layout, gf, ratio, bound in rows:
            print(f"| {shape} | {layout} | {gf:.1f} | {100 * gf / fma:.1f} | {ratio:.2f} | {bound:.2f} |")
        g_ratio, g_bound = geomean([r[3] for r in rows]), geomean([r[4] for r in rows])
        tight = sum(r[4] < 1.2 for r in rows)
        print(f"\n{d}: geomean openmp/oneDNN **{g_ratio:.2f}**; at 100% of the roofline on every row it would be "
              f"**{g_bound:.2f}** (oneDNN averages {100 / g_bound:.0f}% of the roofline, openmp "
              f"{100 * g_ratio / g_bound:.0f}%); a geomean of 1.2 "
              f"needs openmp at {100 * 1.2 / g_bound:.0f}% of the roofline on average; {tight} of {len(rows)} rows "
              f"cannot reach 1.2 at all (oneDNN above {100 / 1.2:.0f}% of their roofline).\n")


if __name__ == "__main__":
    main()
