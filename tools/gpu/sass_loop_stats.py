#!/usr/bin/env python3
"""The main loop of every kernel in a CUDA object file, from its SASS: for each function, the
backward branch that runs a k-step among those whose body holds tensor-core (HMMA, Hopper's
HGMMA) or FMA (FFMA, f64's DFMA) instructions (main_loop), with its instruction count,
HMMA / HGMMA / FFMA / DFMA / LDGSTS (cp.async) counts and CALLs (on sm_90 mostly the 64-bit
integer division routine: integer work the loop pays per k-step). A warp-specialised
kernel, whose loads loop apart from its multiplies, gets a second row for its producer loop.

    sass_loop_stats.py OBJECT.o [--cuobjdump PATH]

Static counts of one pass of the loop body, not a profile; a GPU's profiler measures the rest.
cuobjdump: from PATH, /usr/local/cuda/bin, PyPI's nvidia-cuda-cuobjdump wheel (nvidia/cu13/bin),
or the copy Triton ships (triton/backends/nvidia/bin).
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys


def find_cuobjdump():
    found = shutil.which("cuobjdump")
    if found:
        return found
    candidates = ["/usr/local/cuda/bin/cuobjdump"]
    for base in sys.path:
        candidates += glob.glob(os.path.join(base, "nvidia", "cu*", "bin", "cuobjdump"))
        candidates += glob.glob(os.path.join(base, "triton", "backends", "nvidia", "bin", "cuobjdump"))
    return next((c for c in candidates if os.path.exists(c)), None)


def readable(name):
    """The demangled kernel name without its parameter list (c++filt where installed)."""
    try:
        name = subprocess.run(["c++filt", name], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return name
    name = re.sub(r"\(anonymous namespace\)::", "", name)
    depth = 0
    for i, ch in enumerate(name):  # cut at the parameter list's "(" (outside template brackets)
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "(" and depth == 0:
            return name[:i].replace("void ", "", 1)
    return name


MMA_OPS = ("HMMA", "HGMMA", "FFMA", "DFMA")


def has(body, ops):
    return any(re.search(r"\b" + op + r"\b", t) for t in body for op in ops)


SYNC_OPS = ("BAR", "SYNCS")  # a block barrier; an mbarrier's arrive or wait


def main_loop(candidates):
    """Of (start, end, body) loops, the one a k-step runs: where some hold a barrier, the largest
    of those holding no other one (in a persistent kernel the k-step loop, not the tile loop
    around it; in phase_gemm the k-step loop, not its unsynchronised multiply loop), else the
    largest."""
    synced = [c for c in candidates if has(c[2], SYNC_OPS)]
    if not synced:
        return max((c[2] for c in candidates), key=len, default=[])
    inner = [c for c in synced if not any(o is not c and c[0] <= o[0] and o[1] <= c[1] for o in synced)]
    return max((c[2] for c in inner), key=len)


def loops(sass):
    """Per function: the main loop (main_loop) among the loops holding multiply-adds, and, where
    its loads sit in another loop (a warp-specialised producer), among those holding cp.async
    without them. Branches after the function's last EXIT (out-of-line slow paths: mbarrier
    retries, division routines) jump back into the code they serve and are not loops."""
    for function in re.split(r"\n\s+Function : ", sass)[1:]:
        name = function.split("\n", 1)[0].strip()
        code = [(int(m.group(1), 16), m.group(2)) for m in
                re.finditer(r"/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;", function)]
        last_exit = max((a for a, t in code if re.search(r"\bEXIT\b", t)), default=None)
        mma, producer = [], []
        for address, text in code:
            branch = re.search(r"\bBRA\b.*0x([0-9a-f]+)", text)
            if not branch or int(branch.group(1), 16) >= address or (last_exit is not None and address > last_exit):
                continue
            start = int(branch.group(1), 16)
            body = [t for a, t in code if start <= a <= address]
            if has(body, MMA_OPS):
                mma.append((start, address, body))
            elif has(body, ("LDGSTS",)):
                producer.append((start, address, body))
        mma, producer = main_loop(mma), main_loop(producer)
        yield name, "", mma
        if producer and not has(mma, ("LDGSTS",)):
            yield name, " (producer)", producer


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("object")
    ap.add_argument("--cuobjdump", default=None)
    a = ap.parse_args()
    tool = a.cuobjdump or find_cuobjdump()
    if not tool:
        sys.exit("sass_loop_stats: no cuobjdump found (PATH, /usr/local/cuda/bin, nvidia/cu*/bin, triton/backends/nvidia/bin)")
    sass = subprocess.run([tool, "-sass", a.object], check=True, capture_output=True, text=True).stdout
    print("| kernel | loop instructions | HMMA | HGMMA | FFMA | DFMA | LDGSTS | CALL |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, role, body in loops(sass):
        count = lambda op: sum(1 for t in body if re.search(r"\b" + op + r"\b", t))
        print(f"| `{readable(name)}`{role} | {len(body)} | {count('HMMA')} | {count('HGMMA')} | {count('FFMA')} | {count('DFMA')} | {count('LDGSTS')} | {count('CALL')} |")


if __name__ == "__main__":
    main()
