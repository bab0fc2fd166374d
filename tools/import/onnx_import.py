#!/usr/bin/env python3
"""tconv's ONNX importer: every ConvTranspose node of ONNX models, with their test data, as a
tconv suite (a YAML file and .npy tensors) that `tconv run` takes as it is.

  tools/import/onnx_import.py --out DIR MODEL [MODEL ...]
      MODEL: a model.onnx, or its folder, in the layout of ONNX's backend tests: the
      test_data_set_*/input_*.pb and output_*.pb beside it give the inputs and the outputs.
  tools/import/onnx_import.py --out DIR --onnx-package
      the onnx package's own ConvTranspose node test cases
      (onnx.backend.test.case.node, made in memory) and its pytorch-converted
      test_ConvTranspose2d* models.

Each node and data set is one case in the `onnx` convention: the node's attributes as they
are; X, W, B and Y (from the data set where they are graph inputs, initializers or outputs,
else computed by onnx.reference). 1-D nodes become 2-D ones with height 1; nodes of other
ranks (3-D) are cases as they are, whose rows `tconv run` reports UNSUPPORTED with the
dimensionality (tconv's operator is 2-D). Needs `onnx` and numpy (tools/setup.sh installs
both)."""

from __future__ import annotations

import argparse
import glob
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_cases import node_case  # noqa: E402
from suite_writer import ImportedCase, safe_name, write_and_report  # noqa: E402

DataSet = tuple[list[np.ndarray], list[np.ndarray]]  # inputs, outputs, by position


def feed_names(model: onnx.ModelProto) -> list[str]:
    """The graph inputs a data set gives, in order (older models list initializers as inputs too)."""
    initialized = {i.name for i in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in initialized]


def read_pb(path: str) -> np.ndarray:
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def read_data_sets(model_dir: str) -> list[DataSet]:
    sets = []
    for d in sorted(glob.glob(os.path.join(model_dir, "test_data_set_*"))):
        inputs = [read_pb(p) for p in sorted(glob.glob(os.path.join(d, "input_*.pb")), key=_index)]
        outputs = [read_pb(p) for p in sorted(glob.glob(os.path.join(d, "output_*.pb")), key=_index)]
        sets.append((inputs, outputs))
    return sets


def _index(path: str) -> int:
    return int(os.path.basename(path).split("_")[1].split(".")[0])


def graph_values(model: onnx.ModelProto, data: DataSet, wanted: set[str]) -> tuple[dict[str, np.ndarray], set[str]]:
    """The tensors named `wanted`: from the initializers and the data set, the rest computed
    by onnx.reference. Also returns the names that were computed."""
    values = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    values.update(zip(feed_names(model), data[0]))
    values.update(zip([o.name for o in model.graph.output], data[1]))
    missing = sorted(n for n in wanted if n not in values)
    if missing:
        from onnx.reference import ReferenceEvaluator

        feeds = dict(zip(feed_names(model), data[0]))
        values.update(zip(missing, ReferenceEvaluator(model).run(missing, feeds)))
    return values, set(missing)


def model_cases(label: str, source: str, model: onnx.ModelProto, sets: list[DataSet],
                cases: list[ImportedCase], skipped: list[tuple[str, str]]) -> None:
    nodes = [(i, n) for i, n in enumerate(model.graph.node) if n.op_type == "ConvTranspose"]
    if not nodes:
        skipped.append((label, "no ConvTranspose node"))
    if not sets:
        skipped.append((label, "no test_data_set_* beside the model"))
        return
    for k, data in enumerate(sets):
        wanted = {name for _, n in nodes for name in list(n.input) + list(n.output) if name}
        values, computed = graph_values(model, data, wanted)
        for i, node in nodes:
            name = label + (f"_node{i}" if len(nodes) > 1 else "") + (f"_set{k}" if len(sets) > 1 else "")
            where = f"{source}: node {i}" + (f" ({node.name})" if node.name else "") + f", test_data_set_{k}"
            notes = [where] + ([f"computed by onnx.reference: {', '.join(sorted(computed & set(node.input) | computed & set(node.output)))}"]
                               if computed & (set(node.input) | set(node.output)) else [])
            case = node_case(name, node, values, notes)
            if isinstance(case, str):
                skipped.append((safe_name(name), case))
            else:
                cases.append(case)


def import_models(paths: list[str], cases: list[ImportedCase], skipped: list[tuple[str, str]]) -> None:
    for path in paths:
        model_path = os.path.join(path, "model.onnx") if os.path.isdir(path) else path
        if not os.path.isfile(model_path):
            sys.exit(f"onnx_import: {path}: no model.onnx there")
        model = onnx.load(model_path)
        model_dir = os.path.dirname(os.path.abspath(model_path))
        label = os.path.basename(model_dir) if os.path.basename(model_path) == "model.onnx" else os.path.splitext(os.path.basename(model_path))[0]
        model_cases(safe_name(label), model_path, model, read_data_sets(model_dir), cases, skipped)


def import_onnx_package(cases: list[ImportedCase], skipped: list[tuple[str, str]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # other operators' cases warn while they are made
        from onnx.backend.test.case.node import collect_testcases

        node_cases = collect_testcases("ConvTranspose")
    for c in node_cases:
        model_cases(c.name, f"onnx {onnx.__version__} onnx.backend.test.case.node.convtranspose {c.name}", c.model,
                    [(list(i), list(o)) for i, o in c.data_sets], cases, skipped)
    data = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "pytorch-converted")
    dirs = sorted(glob.glob(os.path.join(data, "test_ConvTranspose2d*")))
    if not dirs:
        skipped.append(("pytorch-converted", f"no test_ConvTranspose2d* models under {data}"))
    import_models(dirs, cases, skipped)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("models", nargs="*", help="model.onnx files or their folders")
    ap.add_argument("--onnx-package", action="store_true", help="import the onnx package's own ConvTranspose test cases")
    ap.add_argument("--out", required=True, help="folder for the suite YAML and its tensors")
    ap.add_argument("--suite", default="onnx_import", help="suite name (and YAML file name); default onnx_import")
    args = ap.parse_args()
    if not args.models and not args.onnx_package:
        ap.error("give models, --onnx-package, or both")
    cases: list[ImportedCase] = []
    skipped: list[tuple[str, str]] = []
    if args.onnx_package:
        import_onnx_package(cases, skipped)
    import_models(args.models, cases, skipped)
    what = "ConvTranspose nodes of " + ("the onnx " + onnx.__version__ + " package's tests" if args.onnx_package else "") + \
           (" and " if args.onnx_package and args.models else "") + ", ".join(args.models)
    return write_and_report(args.out, args.suite, what, cases, skipped)


if __name__ == "__main__":
    sys.exit(main())
