#!/usr/bin/env python3
"""openmp against onednn by CPU time, from tconv_bench JSON (run with --threads=1, so the CPU
time of the one thread is the work done, whatever else the shared machine runs); --time real
reads the wall time instead (2-thread runs on a quiet machine).

    cpu_time_ratios.py AFTER.json [--before BEFORE.json] [--time cpu|real]

Prints a markdown table of onednn time / openmp time (the fastest repetition of each), per
shape, direction and layout, then per direction the geometric mean, the worst row and the
rows below 0.9. With --before, each cell is "before -> after".
"""
import argparse
import collections
import json
import math

DIRECTIONS = ("fwd", "bwd_data", "bwd_weights")


def ratios(path, clock="cpu"):
    times = collections.defaultdict(list)
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        parts = b["name"].split("/")
        if len(parts) < 4 or parts[2] not in DIRECTIONS:
            continue
        times[tuple(parts[:3]), parts[3].split(":")[0]].append(b[f"{clock}_time"])
    best = {key: min(v) for key, v in times.items()}
    return {k: best[k, "onednn"] / best[k, "openmp"] for (k, be) in best if be == "openmp" and (k, "onednn") in best}


def summary(r, d):
    rows = [(v, k) for k, v in r.items() if k[2] == d]
    if not rows:
        return "no rows"
    geo = math.exp(sum(math.log(v) for v, _ in rows) / len(rows))
    worst = min(rows)
    below = sum(v < 0.9 for v, _ in rows)
    return f"geomean **{geo:.2f}**, worst {worst[0]:.2f} ({worst[1][0]} {worst[1][1]}), {below} of {len(rows)} below 0.9"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("after")
    ap.add_argument("--before")
    ap.add_argument("--time", choices=("cpu", "real"), default="cpu")
    a = ap.parse_args()
    after = ratios(a.after, a.time)
    before = ratios(a.before, a.time) if a.before else None
    cols = [(d, lay) for d in DIRECTIONS for lay in ("NCHW", "NHWC")]
    print("| shape | " + " | ".join(f"{d} {lay}" for d, lay in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for shape in sorted({k[0] for k in after}):
        cells = []
        for d, lay in cols:
            k = (shape, lay, d)
            cell = f"{after[k]:.2f}" if k in after else ""
            if before is not None and k in before and k in after:
                cell = f"{before[k]:.2f} -> {after[k]:.2f}"
            cells.append(cell)
        print(f"| {shape} | " + " | ".join(cells) + " |")
    print()
    for d in DIRECTIONS:
        line = f"{d}: " + summary(after, d)
        if before is not None:
            line += f" (before: {summary(before, d)})"
        print(line)
        print()


if __name__ == "__main__":
    main()
