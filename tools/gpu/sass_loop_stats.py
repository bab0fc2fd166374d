#!/usr/bin/env python3
"""The main loop of every kernel in a CUDA object file, from its SASS: for each function, the
largest backward branch whose body holds tensor-core (HMMA, Hopper's HGMMA) or FMA (FFMA, f64's
DFMA) instructions, with its instruction count, HMMA / HGMMA / FFMA / DFMA / LDGSTS (cp.async)
counts and CALLs (on sm_90 mostly the
64-bit integer division routine: integer work the loop pays per k-step).

    sass_loop_stats.py OBJECT.o [--cuobjdump PATH]

Static counts of one pass of the loop body, not a profile; a GPU's profiler measures the rest.
cuobjdump: from PATH, /usr/local/cuda/bin, or PyPI's nvidia-cuda-cuobjdump wheel (nvidia/cu13/bin).
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


def loops(sass):
    for function in re.split(r"\n\s+Function : ", sass)[1:]:
        name = function.split("\n", 1)[0].strip()
        code = [(int(m.group(1), 16), m.group(2)) for m in
                re.finditer(r"/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;", function)]
        best = []
        for address, text in code:
            branch = re.search(r"\bBRA\b.*0x([0-9a-f]+)", text)
            if not branch or int(branch.group(1), 16) >= address:
                continue
            body = [t for a, t in code if int(branch.group(1), 16) <= a <= address]
            if any(op in t for t in body for op in ("HMMA", "HGMMA", "FFMA", "DFMA")) and len(body) > len(best):
                best = body
        yield name, best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("object")
    ap.add_argument("--cuobjdump", default=None)
    a = ap.parse_args()
    tool = a.cuobjdump or find_cuobjdump()
    if not tool:
        sys.exit("sass_loop_stats: no cuobjdump found (PATH, /usr/local/cuda/bin, nvidia/cu*/bin)")
    sass = subprocess.run([tool, "-sass", a.object], check=True, capture_output=True, text=True).stdout
    print("| kernel | loop instructions | HMMA | HGMMA | FFMA | DFMA | LDGSTS | CALL |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, body in loops(sass):
        count = lambda op: sum(1 for t in body if re.search(r"\b" + op + r"\b", t))
        print(f"| `{readable(name)}` | {len(body)} | {count('HMMA')} | {count('HGMMA')} | {count('FFMA')} | {count('DFMA')} | {count('LDGSTS')} | {count('CALL')} |")


if __name__ == "__main__":
    main()
