"""Shared helpers of the golden-tensor generators: seeded inputs, .npy output, YAML cases.

Every generator writes cases/golden/<case>/*.npy and one suite cases/golden/<framework>.yaml,
and records its framework versions in cases/golden/VERSIONS.txt. Running a generator twice
gives the same bytes: inputs come from a seeded NumPy generator, the frameworks run on the
CPU with one thread, and the YAML is written in a fixed order.
"""
import os
import pathlib
import platform
import shutil

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = REPO / "cases" / "golden"


def rng(seed):
    return np.random.default_rng(seed)


def uniform(gen, shape):
    """Random f32 values in [-1, 1): a random tensor, never a constant one (a constant kernel
    hides a wrong layout permutation)."""
    return gen.uniform(-1.0, 1.0, size=shape).astype(np.float32)


class Case:
    """One golden case: tensors saved under cases/golden/<name>/, YAML lines for the suite."""

    def __init__(self, name, comment, params):
        self.name = name
        self.comment = comment
        self.params = params  # ordered (key, YAML value text) in the framework's own terms
        self.files = {}       # YAML key -> file name
        self.expect = {}
        self.zero_fraction = 0.0  # the largest share of exact zeros in an expected output
        self.directory = GOLDEN / name
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)

    def _save(self, file_name, array):
        array = np.ascontiguousarray(np.asarray(array, dtype=np.float32))
        np.save(self.directory / file_name, array, allow_pickle=False)
        return f"{self.name}/{file_name}"

    def input(self, key, file_name, array):
        self.files[key] = self._save(file_name, array)

    def output(self, key, file_name, array):
        array = np.asarray(array)
        self.zero_fraction = max(self.zero_fraction, float(np.mean(array == 0)))
        self.expect[key] = self._save(file_name, array)

    def discard(self):
        shutil.rmtree(self.directory)

    def yaml(self, convention):
        lines = [f"  # {line}" for line in self.comment.split("\n")]
        lines.append(f"  - name: {self.name}")
        lines.append(f"    convention: {convention}")
        for key, value in self.params:
            lines.append(f"    {key}: {value}")
        for key in ("x", "weight", "bias", "dy"):
            if key in self.files:
                lines.append(f"    {key}: {self.files[key]}")
        if self.expect:
            parts = [f"{k}: {self.expect[k]}" for k in ("y", "dx", "dw", "db") if k in self.expect]
            lines.append("    expect:")
            for part in parts:
                lines.append(f"      {part}")
        return "\n".join(lines)


def write_suite(framework, convention, description, versions, cases, header):
    text = [f"# Golden tensors from {description}, made by tools/golden/{header}.",
            "# Do not edit: regenerate with tools/golden/generate.sh (see tools/golden/README.md).",
            f"suite: {framework}",
            f"description: {description}; {versions}",
            "cases:"]
    for case in cases:
        text.append(case.yaml(convention))
    (GOLDEN / f"{framework}.yaml").write_text("\n".join(text) + "\n")
    record_versions(framework, versions)


def record_versions(framework, versions):
    """Replaces this framework's line in VERSIONS.txt, keeping the others."""
    path = GOLDEN / "VERSIONS.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    head = "# Framework versions that produced the golden tensors (written by tools/golden/)."
    lines = [l for l in lines if l and not l.startswith(f"{framework}:") and l != head]
    lines.append(f"{framework}: {versions}")
    path.write_text("\n".join([head] + sorted(lines)) + "\n")


def python_version():
    return f"python {platform.python_version()}, numpy {np.__version__}"


def single_thread_env():
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"


def tuple_text(values):
    return "[" + ", ".join(str(int(v)) for v in values) + "]"
