#!/usr/bin/env python3
"""Turns a tconv_bench JSON (Google Benchmark) and a pytorch_peer.py CSV into the markdown
tables of backends/openmp/README.md, between its '<!-- BEGIN name -->' / '<!-- END name -->'
markers. Numbers are copied from the measurements, never typed in."""
import argparse
import csv
import json
import math
import re
import sys

DIRECTIONS = ("fwd", "bwd_data", "bwd_weights", "bwd_bias")


def load_bench(path):
    data = json.load(open(path))
    results, gemms = {}, {}
    # The fastest repetition of each benchmark: on a shared machine interference only ever
    # adds time, so the minimum is the estimate least disturbed by it.
    best = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        name = re.sub(r"/real_time$", "", b.get("run_name", b["name"]))
        if name not in best or b["real_time"] < best[name]["real_time"]:
            best[name] = b
    ceilings = {"peak_sgemm_gflops": float(data["context"]["peak_sgemm_gflops"]),
                "copy_gbps": float(data["context"]["copy_gbps"])}
    # Registration order (shapes.csv order), whatever order interleaved repetitions ran in.
    for name, b in sorted(best.items(), key=lambda item: item[1].get("family_index", 0)):
        parts = name.split("/")
        if parts[0] == "peak":  # the ceilings measured again during the run: keep the best
            if parts[1].startswith("sgemm"):
                ceilings["peak_sgemm_gflops"] = max(ceilings["peak_sgemm_gflops"], b["GFLOP/s"])
            else:
                ceilings["copy_gbps"] = max(ceilings["copy_gbps"], b["GB/s"])
        elif parts[0] == "gemm":
            gemms[(parts[1], parts[2], parts[3])] = b["GFLOP/s"]
        else:
            shape, layout, direction, backend = parts
            results[(shape, layout, direction, backend.split(":")[0] if backend.endswith(":default") else backend)] = b
    context = dict(data["context"])
    context.update({k: str(v) for k, v in ceilings.items()})
    return context, results, gemms


def load_pytorch(path):
    out = {}
    if not path:
        return out, ""
    try:
        rows = list(csv.DictReader(open(path)))
    except FileNotFoundError:
        return out, ""
    version = ""
    for r in rows:
        if r["gflops"] and r["time_min_ms"]:  # the fastest repetition, as for tconv_bench
            gflops = float(r["gflops"]) * float(r["time_ms"]) / float(r["time_min_ms"])
            out[(r["case"], r["layout"], r["direction"])] = (gflops, r["status"])
            version = r["variant"]
    return out, version


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def shapes_in_order(results):
    seen = []
    for key in results:
        if key[0] not in seen:
            seen.append(key[0])
    return seen


def pixel_shuffle_shapes(path):
    """Names of the shapes with k == s and no padding (the pixel-shuffle fast path)."""
    rows = [line for line in open(path) if line.strip() and not line.startswith("#")]
    return {r["name"] for r in csv.DictReader(rows) if r["k"] == r["s"] and r["p"] == "0" and r["op"] == "0"}


def results_table(context, results, torch, torch_version, shuffle_shapes=()):
    peak, copy = float(context["peak_sgemm_gflops"]), float(context["copy_gbps"])
    lines = []
    layouts = sorted({k[1] for k in results})
    for direction in DIRECTIONS:
        if not any(k[2] == direction for k in results):
            continue
        lines += [f"**{direction}**", "",
                  "| shape | layout | openmp GFLOP/s | onednn GFLOP/s | PyTorch GFLOP/s | openmp/onednn | openmp/PyTorch "
                  "| openmp % of peak | openmp GB/s (% of copy) |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        ratios_onednn, ratios_torch, ratios_shuffle = [], [], []
        for shape in shapes_in_order(results):
            for layout in layouts:
                omp = results.get((shape, layout, direction, "openmp"))
                dnn = results.get((shape, layout, direction, "onednn"))
                pt = torch.get((shape, layout, direction))
                if not omp:
                    continue
                g_omp = omp["GFLOP/s"]
                g_dnn = dnn["GFLOP/s"] if dnn else None
                g_pt = pt[0] if pt else None
                r_dnn = g_omp / g_dnn if g_dnn else None
                r_pt = g_omp / g_pt if g_pt else None
                if r_dnn:
                    ratios_onednn.append(r_dnn)
                    if shape in shuffle_shapes:
                        ratios_shuffle.append(f"{shape} {layout} {r_dnn:.2f}")
                if r_pt:
                    ratios_torch.append(r_pt)
                flag = " (INCORRECT)" if pt and pt[1] == "INCORRECT" else ""
                lines.append(f"| {shape} | {layout} | {fmt(g_omp)} | {fmt(g_dnn)} | {fmt(g_pt)}{flag} | {fmt(r_dnn, 2)} "
                             f"| {fmt(r_pt, 2)} | {fmt(100 * g_omp / peak)} | {fmt(omp['GB/s'])} "
                             f"({fmt(100 * omp['GB/s'] / copy, 0)}%) |")
        gm = geomean(ratios_onednn)
        lines += ["", f"{direction}: geomean openmp/onednn **{fmt(gm, 2)}**, "
                      f"openmp/PyTorch min **{fmt(min(ratios_torch) if ratios_torch else None, 2)}**, "
                      f"geomean {fmt(geomean(ratios_torch), 2)}; "
                      f"k == s shapes openmp/onednn: {', '.join(ratios_shuffle) or '—'}", ""]
    return lines


def gemm_table(gemms):
    providers = sorted({k[2] for k in gemms})
    rows = []
    for key in gemms:
        if (key[0], key[1]) not in rows:
            rows.append((key[0], key[1]))
    lines = ["| GEMM (M x N x K, op) | " + " | ".join(f"{p} GFLOP/s" for p in providers) + " |",
             "|---|" + "---:|" * len(providers)]
    for what, dims in rows:
        lines.append(f"| {what} {dims} | " + " | ".join(fmt(gemms.get((what, dims, p))) for p in providers) + " |")
    return lines


def replace_block(text, name, lines):
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + "\n".join(lines) + "\n" + end + tail


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True)
    ap.add_argument("--pytorch", default="")
    ap.add_argument("--readme", required=True)
    ap.add_argument("--machine", default="")
    ap.add_argument("--command", default="tools/bench/run_cpu_bench.sh")
    ap.add_argument("--shapes", default="")
    ap.add_argument("--load", default="", help="load averages before / after, as measured")
    ap.add_argument("--blocks", default="bench,gemm", help="which README blocks to rewrite")
    args = ap.parse_args()
    context, results, gemms = load_bench(args.bench)
    torch, torch_version = load_pytorch(args.pytorch)
    header = [f"Measured {context.get('date', '')} by `{args.command}` on: {args.machine}",
              f"{context['threads']} threads; measured sgemm peak **{float(context['peak_sgemm_gflops']):.1f} GFLOP/s** "
              f"({context['peak_gemm_provider']}, 2048^3, split over the threads), copy bandwidth "
              f"**{float(context['copy_gbps']):.1f} GB/s** (parallel memcpy of 256 MiB), both the best of their "
              f"measurements in the same binary (at start, first and last benchmark); "
              f"PyTorch: {torch_version or 'not installed'}; each figure is the fastest of its repetitions"
              + (f"; load average {args.load}" if args.load else "") + ".", ""]
    text = open(args.readme).read()
    shuffle = pixel_shuffle_shapes(args.shapes) if args.shapes else set()
    blocks = args.blocks.split(",")
    if "bench" in blocks:
        text = replace_block(text, "bench", header + results_table(context, results, torch, torch_version, shuffle))
    if gemms and "gemm" in blocks:
        text = replace_block(text, "gemm", header[:2] + [""] + gemm_table(gemms))
    open(args.readme, "w").write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
