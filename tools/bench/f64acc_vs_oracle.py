#!/usr/bin/env python3
"""Ratio table of tconv_oracle_bench's "oracle/..." and "f64acc/..." rows (median real time).

    build/tools/bench/tconv_oracle_bench --threads=2 --benchmark_repetitions=3 \
        --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
        --benchmark_format=json > /tmp/oracle.json
    tools/bench/f64acc_vs_oracle.py /tmp/oracle.json [--cpu]  # markdown table on stdout

--cpu uses the process CPU time instead of the wall time: on a loaded machine with --threads=1
that is the work itself, without the time slices other processes took.
"""
import json
import math
import sys


def main(path, clock):
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        who, shape, direction = b["run_name"].split("/")[:3]
        scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b["time_unit"]]
        ms = b[clock] * scale
        gflops = b.get("GFLOP/s", 0) * b["real_time"] / b[clock]
        rows.setdefault((shape, direction), {})[who] = (ms, gflops)
    print("| layer | direction | oracle ms | f64acc ms | oracle GFLOP/s | f64acc GFLOP/s | speed-up |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = {"oracle": 0.0, "f64acc": 0.0}
    per_dir = {}
    ratios = []
    for (shape, direction), v in rows.items():
        if "oracle" not in v or "f64acc" not in v:
            continue
        (to, go), (tf, gf) = v["oracle"], v["f64acc"]
        ratios.append(to / tf)
        for k in totals:
            totals[k] += v[k][0]
        d = per_dir.setdefault(direction, [0.0, 0.0])
        d[0] += to
        d[1] += tf
        print(f"| {shape} | {direction} | {to:.1f} | {tf:.1f} | {go:.2f} | {gf:.2f} | {to / tf:.1f}x |")
    for direction, (to, tf) in per_dir.items():
        print(f"| all layers | {direction}, sum of times | {to:.0f} | {tf:.0f} | | | {to / tf:.1f}x |")
    print(f"| all rows | sum of times | {totals['oracle']:.0f} | {totals['f64acc']:.0f} | | | "
          f"{totals['oracle'] / totals['f64acc']:.1f}x |")
    print(f"\ngeometric mean of the per-row speed-ups: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}x")


if __name__ == "__main__":
    main(sys.argv[1], "cpu_time" if "--cpu" in sys.argv[2:] else "real_time")
