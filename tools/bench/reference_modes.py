#!/usr/bin/env python3
"""Table of the reference modes' speed from tconv_oracle_bench JSON runs (backends/naive/README.md).

    tconv_oracle_bench --threads=2 --benchmark_format=json > new.json   # oracle, f64acc, reference_fast, check_sample4096
    OLD_BUILD/tools/bench/tconv_oracle_bench ... > old.json            # an older oracle, same shapes
    tools/bench/reference_modes.py [--wall] old=old.json new=new.json  # markdown on stdout

Each column is one bench row family ("oracle/...", "reference_fast/...") of one file, named
LABEL:family. Figures are process CPU time (every thread) and GFLOP per CPU second, the
figures a loaded machine can measure, or with --wall wall time and GFLOP/s (on a quiet
machine; a bench built before the CPU column existed reports its main thread's CPU time
only, so compare it by wall time). The last rows are sums over the layers and the speed of
each column against the first.
"""
import json
import sys


def load(label, path, clock):
    """{(layer, direction): {column: cpu_ms}} and {(layer, direction): GFLOP} of one run."""
    times, work = {}, {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        family, layer, direction = b["run_name"].split("/")[:3]
        scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b["time_unit"]]
        times.setdefault((layer, direction), {})[f"{label}:{family}"] = b[clock] * scale
        work[(layer, direction)] = b["GFLOP/s"] * b["real_time"] * scale * 1e-3  # GFLOP of the direction
    return times, work


def main(args):
    clock, unit = ("real_time", "s") if "--wall" in args else ("cpu_time", "CPU-s")
    times, work = {}, {}
    for arg in (a for a in args if a != "--wall"):
        label, path = arg.split("=", 1)
        t, w = load(label, path, clock)
        for key, columns in t.items():
            times.setdefault(key, {}).update(columns)
        work.update(w)
    columns = []
    for row in times.values():
        columns += [c for c in row if c not in columns]
    keys = [k for k in times if all(c in times[k] for c in columns)]
    ms_name = "ms" if clock == "real_time" else "CPU ms"
    print("| layer | direction | GFLOP | " + " | ".join(f"{c} {ms_name}" for c in columns) + " | "
          + " | ".join(f"{c} GFLOP/{unit}" for c in columns) + " |")
    print("|---|---|---:|" + "---:|" * (2 * len(columns)))
    for key in keys:
        ms = [times[key][c] for c in columns]
        rate = [work[key] / (m * 1e-3) for m in ms]
        print(f"| {key[0]} | {key[1]} | {work[key]:.3f} | " + " | ".join(f"{m:.1f}" for m in ms) + " | "
              + " | ".join(f"{r:.2f}" for r in rate) + " |")
    total_work = sum(work[k] for k in keys)
    total_ms = [sum(times[k][c] for k in keys) for c in columns]
    print(f"| all {len(keys)} rows | sum | {total_work:.3f} | " + " | ".join(f"{m:.1f}" for m in total_ms) + " | "
          + " | ".join(f"{total_work / (m * 1e-3):.2f}" for m in total_ms) + " |")
    print()
    print("Speed against " + columns[0] + f" (sum of {'wall' if clock == 'real_time' else 'CPU'} time): "
          + ", ".join(f"{c} {total_ms[0] / m:.2f}x" for c, m in zip(columns, total_ms)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
