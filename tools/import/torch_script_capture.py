"""The transposed convolutions a TorchScript module runs, recorded from one call of its graph.

TorchScript runs outside Python, so forward hooks cannot see its layers (PyTorch refuses
register_forward_hook on a ScriptModule). Instead the module's inlined forward graph is copied
with every transposed-convolution node's inputs and output added to what it returns, and that
graph is run once on the sample input. Scripted modules call aten::conv_transpose1d/2d/3d;
traced ones aten::_convolution (or aten::convolution) with transposed=True. Nodes inside
control flow (if/loop blocks) cannot be returned from the graph and are listed as skipped."""

from __future__ import annotations

import torch

from torch_cases import RecordedCall

# Where each node kind keeps its arguments (after input, weight, bias).
_CONV_TRANSPOSE = ("aten::conv_transpose1d", "aten::conv_transpose2d", "aten::conv_transpose3d")
_CONVOLUTION = ("aten::_convolution", "aten::convolution")


def _layer_names(module) -> dict[int, tuple[str, object]]:
    """weight storage -> (the submodule's qualified name, the submodule), to name the calls."""
    names = {}
    for name, sub in module.named_modules():
        weight = getattr(sub, "weight", None)
        if isinstance(weight, torch.Tensor):
            names[weight.data_ptr()] = (name or "module", sub)
    return names


def _maybe_transposed(node) -> bool:
    """False only for a convolution node whose transposed flag is the constant False."""
    return node.kind() in _CONV_TRANSPOSE or node.inputsAt(6).toIValue() is not False


def _record(kind: str, values: list, names: dict, source: str, index: int) -> RecordedCall | None:
    if kind in _CONV_TRANSPOSE:
        x, w, b, stride, padding, output_padding, groups, dilation, y = values
    else:
        x, w, b, stride, padding, dilation, transposed, output_padding, groups = values[:9]
        y = values[-1]
        if not transposed:
            return None
    name, sub = names.get(w.data_ptr(), (f"conv_transpose{index}", None))
    declared = list(getattr(sub, "output_padding", output_padding)) if sub is not None else list(output_padding)
    return RecordedCall(name, x, w, b, y, list(stride), list(padding), declared, list(dilation), int(groups),
                        comments=[f"{source}: TorchScript node {kind}" + (f" of {name}" if sub is not None else "")])


def capture_script(module, inputs: list[torch.Tensor], source: str) -> tuple[list[RecordedCall], list[tuple[str, str]]]:
    graph = module.inlined_graph.copy()
    kinds = _CONV_TRANSPOSE + _CONVOLUTION
    top = [n for n in graph.nodes() if n.kind() in kinds]
    nested = [n for kind in kinds for n in graph.findAllNodes(kind)
              if n.owningBlock().owningNode() is not None and _maybe_transposed(n)]
    skipped = [(f"node_{n.kind().split('::')[1]}_{i}", "inside a TorchScript if/loop block: the graph cannot return its tensors")
               for i, n in enumerate(nested)]
    returned = [graph.outputs().__next__()]
    for n in top:
        returned += list(n.inputs()) + [n.output()]
    pack = graph.create("prim::TupleConstruct", returned)
    graph.appendNode(pack)
    pack.output().setType(torch._C.TupleType([v.type() for v in returned]))
    graph.eraseOutput(0)
    graph.registerOutput(pack.output())
    run = torch._C._create_function_from_graph("tconv_capture", graph)
    with torch.no_grad():
        values = list(run(module._c, *inputs))[1:]
    names = _layer_names(module)
    calls = []
    for i, n in enumerate(top):
        count = len(list(n.inputs())) + 1
        call = _record(n.kind(), values[:count], names, source, i)
        values = values[count:]
        if call is not None:
            calls.append(call)
    return calls, skipped
