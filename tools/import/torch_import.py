#!/usr/bin/env python3
"""tconv's PyTorch importer: every ConvTranspose2d (and ConvTranspose1d) call of a module, run on
a sample input, as a tconv suite (a YAML file and .npy tensors) that `tconv run` takes as it is.

  tools/import/torch_import.py --out DIR SOURCE (--input x.npy | --input-shape N,C,H,W) ...
      SOURCE: path/to/file.py:NAME or package.module:NAME, where NAME is an nn.Module or a
      callable that returns one (--weights STATE.pt: a state_dict to load into it); or a file
      written by torch.save(module) (unpickled: only files you trust; the module's classes must
      be importable, PYTHONPATH) or by torch.jit.save (TorchScript, scripted or traced).
      --input (or --input-shape, random normal values in the dtype of the module's
      parameters) once per argument of the module's forward.

The module is put in eval mode and called once. Forward hooks record what every ConvTranspose2d
(LazyConvTranspose2d included: it has become one by the time the hook runs) sees and makes; a
TorchScript module's graph is run with its transposed-convolution nodes' tensors added to its
outputs instead (hooks cannot see inside TorchScript). Each call is one case in the `pytorch`
convention: stride, padding, output_padding (output_size when the call chose it), dilation,
groups, bias false without one; x, weight, bias and y as recorded; dy random (--seed) and dx,
dw, db from PyTorch's autograd on the same arguments (--forward-only: y alone; the other
directions are then checked against the oracle only). Sizes come from the tensors. A 1-D layer
becomes the 2-D one with height 1; 3-D layers and padding_mode other than 'zeros' are listed as
skipped with the reason. Needs torch (tools/setup.sh installs it)."""

from __future__ import annotations

import argparse
import collections
import importlib
import importlib.util
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_writer import ImportedCase, write_and_report  # noqa: E402


def load_module(source: str, weights: str | None, torch):
    """(module, is TorchScript) from a file.py:NAME / package.module:NAME spec or a saved file."""
    if not os.path.isfile(source):
        if ":" not in source:
            sys.exit(f"torch_import: {source}: no such file, and not a file.py:NAME or package.module:NAME spec")
        target, name = source.rsplit(":", 1)
        if target.endswith(".py"):
            if not os.path.isfile(target):
                sys.exit(f"torch_import: {target}: no such file")
            sys.path.insert(0, os.path.dirname(os.path.abspath(target)))  # its own imports of siblings
            spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(target))[0], target)
            code = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(code)
        else:
            code = importlib.import_module(target)
        if not hasattr(code, name):
            sys.exit(f"torch_import: {target} has no {name}")
        made = getattr(code, name)
        module = made if isinstance(made, torch.nn.Module) else made()
        if not isinstance(module, torch.nn.Module):
            sys.exit(f"torch_import: {source} gave a {type(module).__name__}, not an nn.Module")
        if weights:
            module.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        return module, False
    if weights:
        sys.exit("torch_import: --weights goes with a file.py:NAME or package.module:NAME spec")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit is deprecated in favour of torch.export
        try:
            return torch.jit.load(source, map_location="cpu"), True
        except RuntimeError:
            pass  # not TorchScript: a pickled module
    saved = torch.load(source, map_location="cpu", weights_only=False)
    if isinstance(saved, dict):
        sys.exit(f"torch_import: {source} holds a state_dict, not a module: give the module as file.py:NAME "
                 f"with --weights {source}")
    if not isinstance(saved, torch.nn.Module):
        sys.exit(f"torch_import: {source} holds a {type(saved).__name__}, not an nn.Module")
    return saved, False


def sample_inputs(module, args, torch) -> list:
    if args.input:
        return [torch.from_numpy(np.load(p)) for p in args.input]
    if not args.input_shape:
        sys.exit("torch_import: give the sample input: --input x.npy or --input-shape N,C,H,W (once per forward argument)")
    floats = [p.dtype for p in module.parameters() if p.dtype.is_floating_point]
    dtype = floats[0] if floats else torch.float32
    rng = np.random.default_rng(args.seed)
    shapes = [[int(v) for v in s.replace("x", ",").split(",")] for s in args.input_shape]
    return [torch.from_numpy(rng.standard_normal(shape)).to(dtype) for shape in shapes]


def hooked_calls(module, inputs: list, source: str, torch):
    """Calls the module once with forward hooks on its transposed convolutions; the calls they saw."""
    from torch_cases import RecordedCall

    kinds = (torch.nn.ConvTranspose1d, torch.nn.ConvTranspose2d, torch.nn.ConvTranspose3d)
    layers = [(name or "module", m) for name, m in module.named_modules() if isinstance(m, kinds)]
    classes = {name: type(m).__name__ for name, m in layers}  # before a lazy layer becomes a ConvTranspose2d
    calls: list[RecordedCall] = []

    def hook(name):
        def record(layer, args, kwargs, output):
            x = args[0] if args else kwargs["input"]
            copy = lambda t: None if t is None else t.detach().clone()  # noqa: E731
            calls.append(RecordedCall(name, copy(x), copy(layer.weight), copy(layer.bias), copy(output), list(layer.stride),
                                      list(layer.padding), list(layer.output_padding), list(layer.dilation), int(layer.groups),
                                      layer.padding_mode, [f"{source}: {name}, {classes[name]}"]))
        return record

    handles = [m.register_forward_hook(hook(name), with_kwargs=True) for name, m in layers]
    refused = [f"layer {name} has padding_mode '{m.padding_mode}'" for name, m in layers if m.padding_mode != "zeros"]
    try:
        with torch.no_grad():
            module(*inputs)
    except Exception as e:  # noqa: BLE001 - any failure of the user's forward ends the import
        why = f" ({', '.join(refused)}: not supported, tconv's problem pads with zeros only)" if refused else ""
        sys.exit(f"torch_import: the module's forward failed: {type(e).__name__}: {e}{why}")
    finally:
        for h in handles:
            h.remove()
    called = {c.name for c in calls}
    return calls, [(name, "not called when the module is called") for name, _ in layers if name not in called]


def numbered(calls: list) -> list:
    """A layer called more than once gives one case per call: name_call0, name_call1, ..."""
    counts = collections.Counter(c.name for c in calls)
    seen: collections.Counter = collections.Counter()
    for c in calls:
        if counts[c.name] > 1:
            seen[c.name] += 1
            c.comments.append(f"call {seen[c.name] - 1} of {counts[c.name]}")
            c.name = f"{c.name}_call{seen[c.name] - 1}"
    return calls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("source", help="file.py:NAME, package.module:NAME, or a torch.save / torch.jit.save file")
    ap.add_argument("--out", required=True, help="folder for the suite YAML and its tensors")
    ap.add_argument("--input", action="append", help="a forward argument (.npy); once per argument")
    ap.add_argument("--input-shape", action="append", help="N,C,H,W of a random forward argument; once per argument")
    ap.add_argument("--weights", help="with file.py:NAME: a state_dict saved with torch.save to load into the module")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random input and dy (default 1)")
    ap.add_argument("--forward-only", action="store_true", help="y only: no dy, dx, dw, db from autograd")
    ap.add_argument("--suite", default="torch_import", help="suite name (and YAML file name); default torch_import")
    args = ap.parse_args()
    if args.input and args.input_shape:
        ap.error("give --input or --input-shape, not both")
    import torch  # late: --help works without it
    from torch_cases import call_case
    from torch_script_capture import capture_script

    module, scripted = load_module(args.source, args.weights, torch)
    module.eval()
    inputs = sample_inputs(module, args, torch)
    source = f"{args.source}, torch {torch.__version__}"
    calls, skipped = capture_script(module, inputs, source) if scripted else hooked_calls(module, inputs, source, torch)
    if not calls and not skipped:
        skipped.append((os.path.basename(args.source), "no transposed convolution is called"))
    gen = np.random.default_rng(args.seed + 1)  # dy: not the input's draws
    cases: list[ImportedCase] = []
    for call in numbered(calls):
        case = call_case(call, gen, not args.forward_only)
        if isinstance(case, str):
            skipped.append((call.name, case))
        else:
            cases.append(case)
    return write_and_report(args.out, args.suite, f"ConvTranspose layers of {args.source}", cases, skipped)


if __name__ == "__main__":
    sys.exit(main())
