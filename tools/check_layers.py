#!/usr/bin/env python3
"""Checks that every #include "..." of the tree points down the layers, and draws them.

The layers, bottom up (docs/design.md, "Architecture"):
  backends     backends/: the operator interface (api/), the oracle and every backend
  conformance  conformance/: fills, tolerance, suites and conventions, runner, results
  reports      reports/: report.html and the run-to-run comparison, built from results
  program      tools/: the tconv program (tools/tconv/) and the tools built beside it
A file may include its own layer and the layers below it. Tests are no layer: a test
(foo_test.cpp, a test's helpers, backends/testing/) may include any file, and nothing but a
test may include a test's file.

  tools/check_layers.py [ROOT]             exit 1 and one line per upward include
  tools/check_layers.py [ROOT] --dot FILE  also write the folder graph as Graphviz
  tools/check_layers.py [ROOT] --text      also print the folder graph as text
  tools/check_layers.py [ROOT] --svg FILE  also draw the layers as SVG (docs/layers.svg)
"""
import argparse
import collections
import os
import re
import sys

LAYERS = ["backends", "conformance", "reports", "program"]
TOP_FOLDER_LAYER = {"backends": "backends", "conformance": "conformance", "reports": "reports", "tools": "program"}
SOURCE = re.compile(r"\.(h|hpp|c|cc|cpp|cu|cuh)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
TEST_NAME = re.compile(r"(_test\.\w+|_test_support\.h|^test_support\.h|^test_helpers\.h|^test_main\.cpp|_fixture\.cpp)$")
TEST_FOLDERS = ("backends/testing/",)


def is_test(path):
    return bool(TEST_NAME.search(os.path.basename(path))) or path.startswith(TEST_FOLDERS)


def layer_of(path):
    """The layer of a repository path, None outside the layers (cmake/, build trees)."""
    return TOP_FOLDER_LAYER.get(path.split("/", 1)[0])


def room_of(path):
    """The folder a file is drawn in: the top folder and its first subfolder."""
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def source_files(root):
    for folder in TOP_FOLDER_LAYER:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "build")))
            for name in sorted(filenames):
                if SOURCE.search(name):
                    full = os.path.join(dirpath, name)
                    yield os.path.relpath(full, root).replace(os.sep, "/"), full


def includes(full):
    with open(full, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1)


def check(root):
    """(violations, edges): upward includes as text, and include counts between rooms."""
    violations, edges = [], collections.Counter()
    for path, full in source_files(root):
        source_layer, source_is_test = layer_of(path), is_test(path)
        for number, target in includes(full):
            target_layer = layer_of(target)
            if target_layer is None:
                continue  # a header of the same folder or a system-like path
            if not source_is_test:
                edges[(room_of(path), room_of(target))] += 1
                if is_test(target):
                    violations.append(f"{path}:{number}: includes the test file {target}")
                elif LAYERS.index(target_layer) > LAYERS.index(source_layer):
                    violations.append(f"{path}:{number}: includes {target}: {source_layer} -> {target_layer}, an arrow up")
    return violations, edges


def rooms_by_layer(edges):
    rooms = collections.defaultdict(set)
    for a, b in edges:
        for r in (a, b):
            rooms[layer_of(r + "/")].add(r)
    return rooms


def dot(edges):
    lines = ["// The include graph of tconv by folder: tools/check_layers.py --dot FILE",
             "digraph layers {", "  rankdir=BT; node [shape=box, fontname=monospace];"]
    rooms = rooms_by_layer(edges)
    for layer in LAYERS:
        lines.append(f'  subgraph "cluster_{layer}" {{ label="{layer}";')
        lines += [f'    "{r}";' for r in sorted(rooms.get(layer, ()))]
        lines.append("  }")
    for (a, b), n in sorted(edges.items()):
        if a != b:
            lines.append(f'  "{a}" -> "{b}" [label="{n}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(edges):
    """The layers as bands, top layer on top, a box per folder and a line per include edge
    between folders (grey down, blue within a layer, red up); no Graphviz needed."""
    rooms = rooms_by_layer(edges)
    box_w, box_h, gap, band_h, label_w = 150, 26, 12, 110, 110
    widest = max(len(rooms.get(layer, ())) for layer in LAYERS)
    width, height = label_w + widest * (box_w + gap) + gap + 40, len(LAYERS) * band_h + 20
    bands, boxes, lines, where = [], [], [], {}
    for row, layer in enumerate(reversed(LAYERS)):
        top = 10 + row * band_h
        bands.append(f'<rect x="0" y="{top}" width="{width}" height="{band_h - 10}" fill="{"#f2f2f2" if row % 2 else "#fafafa"}"/>')
        bands.append(f'<text x="8" y="{top + 20}" font-weight="bold">{layer}</text>')
        for i, r in enumerate(sorted(rooms.get(layer, ()))):
            # Boxes alternate between two rows so that lines within a layer stay visible.
            x, y = label_w + gap + i * (box_w + gap) + (row % 2) * 20, top + 35 + (i % 2) * 30
            where[r] = (x + box_w / 2, y, y + box_h)
            boxes.append(f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" fill="white" stroke="#333"/>')
            boxes.append(f'<text x="{x + box_w / 2}" y="{y + 17}" text-anchor="middle">{r}</text>')
    for (a, b), n in sorted(edges.items()):
        if a == b or a not in where or b not in where:
            continue
        down = LAYERS.index(layer_of(b + "/")) - LAYERS.index(layer_of(a + "/"))
        colour = "#999" if down < 0 else "#48c" if down == 0 else "#d00"
        (xa, a_top, a_bottom), (xb, b_top, b_bottom) = where[a], where[b]
        y1, y2 = (a_top, b_bottom) if down > 0 else (a_bottom, b_top)
        lines.append(f'<line x1="{xa}" y1="{y1}" x2="{xb}" y2="{y2}" stroke="{colour}" stroke-opacity="0.55" '
                     f'marker-end="url(#head)"><title>{a} includes {b} ({n})</title></line>')
    head = ('<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
            'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>')
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
        "<!-- The include graph of tconv by folder, drawn by tools/check_layers.py (option svg) -->",
        head, *bands, *lines, *boxes, "</svg>"]) + "\n"


def text(edges):
    rooms, out = rooms_by_layer(edges), []
    for layer in reversed(LAYERS):
        out.append(f"{layer}:")
        for r in sorted(rooms.get(layer, ())):
            targets = sorted(b for (a, b) in edges if a == r and b != r)
            out.append(f"  {r}" + (" -> " + ", ".join(targets) if targets else ""))
    return "\n".join(out) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--dot", metavar="FILE", help="write the folder include graph as Graphviz")
    parser.add_argument("--text", action="store_true", help="print the folder include graph")
    parser.add_argument("--svg", metavar="FILE", help="draw the layers and the folder include graph as SVG")
    args = parser.parse_args(argv)
    violations, edges = check(args.root)
    if args.dot:
        with open(args.dot, "w", encoding="utf-8") as f:
            f.write(dot(edges))
    if args.svg:
        with open(args.svg, "w", encoding="utf-8") as f:
            f.write(svg(edges))
    if args.text:
        sys.stdout.write(text(edges))
    for v in violations:
        print(v)
    print(f"check_layers: {sum(edges.values())} includes between layered files, {len(violations)} pointing up")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
