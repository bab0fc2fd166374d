"""Writes a tconv suite: one YAML file plus the cases' tensors as .npy files beside it, in
the form `tconv run` takes as it is (cases/README.md, "golden cases"). Shared by the importers:
each gives its cases as ImportedCase values in its framework's convention and layouts."""

from __future__ import annotations

import dataclasses
import json
import os
import re

import numpy as np


@dataclasses.dataclass
class ImportedCase:
    name: str
    convention: str                       # keras, onnx, pytorch, tf
    params: dict[str, object]             # the framework's own arguments (ints, lists, words)
    tensors: dict[str, np.ndarray]        # x, weight, bias, dy
    expect: dict[str, np.ndarray]         # y, dx, dw, db
    comments: list[str] = dataclasses.field(default_factory=list)


def safe_name(text: str) -> str:
    """A case / folder name: letters, digits and _ only."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "case"


def _yaml_value(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_yaml_value(x) for x in v) + "]"
    return str(v)


def write_suite(out_dir: str, suite: str, description: str, cases: list[ImportedCase],
                skipped: list[tuple[str, str]]) -> str:
    """Writes out_dir/<suite>.yaml and out_dir/<case>/*.npy; returns the YAML's path. Skipped
    cases (name, reason) are listed as comments: the suite format has no row for a problem
    tconv cannot express."""
    os.makedirs(out_dir, exist_ok=True)
    lines = [f"# Imported by tools/import/: {description}", "# Do not edit: re-run the importer."]
    for name, reason in skipped:
        lines.append(f"# skipped {name}: {reason}")
    lines += [f"suite: {suite}", f"description: {json.dumps(description)}", "cases:"]
    seen: set[str] = set()
    for c in cases:
        name = safe_name(c.name)
        while name in seen:
            name += "_"
        seen.add(name)
        os.makedirs(os.path.join(out_dir, name), exist_ok=True)
        lines += [f"  # {text}" for text in c.comments]
        lines.append(f"  - name: {name}")
        lines.append(f"    convention: {c.convention}")
        for key, value in c.params.items():
            lines.append(f"    {key}: {_yaml_value(value)}")
        for key, array in c.tensors.items():
            lines.append(f"    {key}: {name}/{key}.npy")
            np.save(os.path.join(out_dir, name, f"{key}.npy"), np.ascontiguousarray(array))
        if c.expect:
            lines.append("    expect:")
            for key, array in c.expect.items():
                lines.append(f"      {key}: {name}/{key}.npy")
                np.save(os.path.join(out_dir, name, f"{key}.npy"), np.ascontiguousarray(array))
    path = os.path.join(out_dir, f"{suite}.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def write_and_report(out_dir: str, suite: str, description: str, cases: list[ImportedCase],
                     skipped: list[tuple[str, str]]) -> int:
    """write_suite, then what was written and skipped on stdout; the importer's exit status."""
    path = write_suite(out_dir, safe_name(suite), description, cases, skipped)
    print(f"{path}: {len(cases)} cases")
    for name, reason in skipped:
        print(f"skipped {name}: {reason}")
    return 0 if cases else 1
