"""One recorded call of a PyTorch transposed convolution -> one tconv case in the `pytorch`
convention (conformance/conventions/pytorch.cpp): the layer's own arguments (stride, padding,
output_padding, dilation, groups), x / weight / bias as they were at the call, y as the layer
made it and, by autograd on the same arguments, dx / dw / db for a seeded random dy. Sizes are
left to the tensors (cases/README.md, "golden"). A 1-D layer is the 2-D one with height 1
(a leading 1 or 0 in every argument, a height axis of 1 in every tensor): the same arithmetic.
Other ranks and non-zero padding modes are skipped with the reason."""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
import torch.nn.functional as F

from suite_writer import ImportedCase

# torch dtypes tconv's golden loader takes; bfloat16 is exchanged as float32 .npy (numpy has none).
_DTYPES = {torch.float32: "f32", torch.float64: "f64", torch.float16: "f16", torch.bfloat16: "bf16"}
_FUNCTIONS = {1: F.conv_transpose1d, 2: F.conv_transpose2d}


@dataclasses.dataclass
class RecordedCall:
    name: str
    x: torch.Tensor
    weight: torch.Tensor
    bias: torch.Tensor | None
    y: torch.Tensor
    stride: list[int]
    padding: list[int]
    output_padding: list[int]          # as the layer declares it; output_size may have chosen another
    dilation: list[int]
    groups: int
    padding_mode: str = "zeros"
    comments: list[str] = dataclasses.field(default_factory=list)

    @property
    def rank(self) -> int:
        return self.weight.dim() - 2


def _effective_output_padding(c: RecordedCall) -> list[int]:
    """The output_padding the call used: the output's size beyond the smallest the arguments make
    (it differs from the layer's own when forward was given output_size)."""
    k = c.weight.shape[2:]
    return [int(c.y.shape[2 + i]) - ((int(c.x.shape[2 + i]) - 1) * c.stride[i] - 2 * c.padding[i] + c.dilation[i] * (int(k[i]) - 1) + 1)
            for i in range(c.rank)]


def _numpy(t: torch.Tensor) -> np.ndarray:
    t = t.detach().cpu()
    return (t.float() if t.dtype == torch.bfloat16 else t).numpy()


def _gradients(c: RecordedCall, op: list[int], gen: np.random.Generator) -> tuple[dict, dict] | str:
    """PyTorch's own y for the recorded x, weight, bias and arguments, and its autograd dx, dw, db
    for a random dy; the reason when the recomputed y is not the layer's (a forward that is not
    conv_transpose's) or autograd fails."""
    x = c.x.detach().clone().requires_grad_()
    w = c.weight.detach().clone().requires_grad_()
    b = c.bias.detach().clone().requires_grad_() if c.bias is not None else None
    try:
        with torch.enable_grad():
            y = _FUNCTIONS[c.rank](x, w, b, stride=c.stride, padding=c.padding, output_padding=op,
                                   groups=c.groups, dilation=c.dilation)
            tolerance = max(1e-3, 16 * torch.finfo(y.dtype).eps) * (1 + float(c.y.abs().max()))
            if y.shape != c.y.shape or float((y.detach().double() - c.y.double()).abs().max()) > tolerance:
                return "the layer's output is not conv_transpose of its input and parameters (a forward of its own?)"
            dy = torch.from_numpy(gen.standard_normal(tuple(y.shape))).to(y.dtype)
            y.backward(dy)
    except RuntimeError as e:
        return f"autograd failed: {str(e).splitlines()[0]}"
    tensors = {"dy": dy}
    expect = {"dx": x.grad, "dw": w.grad}
    if b is not None:
        expect["db"] = b.grad
    return tensors, expect


def _lift_1d(params: dict[str, object], arrays: dict[str, torch.Tensor]) -> None:
    """1-D -> 2-D with height 1, in place."""
    for key, lead in (("stride", 1), ("padding", 0), ("output_padding", 0), ("dilation", 1), ("output_size", 1)):
        if key in params:
            params[key] = [lead] + list(params[key])
    for key, a in arrays.items():
        if a.dim() == 3:  # x, weight, y, dy and their gradients: [.., .., L] -> [.., .., 1, L]
            arrays[key] = a.unsqueeze(2)


def call_case(c: RecordedCall, gen: np.random.Generator, gradients: bool) -> ImportedCase | str:
    """The case, or the reason the call is skipped."""
    if c.rank not in (1, 2):
        return f"{c.rank}-D transposed convolution (x has shape {list(c.x.shape)}): tconv's problem is 2-D"
    if c.padding_mode != "zeros":
        return f"padding_mode '{c.padding_mode}' is not supported: tconv's problem pads with zeros only " \
               f"(and PyTorch's own ConvTranspose{c.rank}d accepts only 'zeros')"
    if c.x.dtype not in _DTYPES:
        return f"dtype {c.x.dtype}: tconv's golden tensors are float16, bfloat16, float32 or float64"
    op = _effective_output_padding(c)
    params: dict[str, object] = {"stride": list(c.stride), "padding": list(c.padding)}
    comments = list(c.comments)
    if op != list(c.output_padding):
        params["output_size"] = [int(s) for s in c.y.shape[2:]]
        comments.append(f"called with output_size: output_padding {op} instead of the layer's {list(c.output_padding)}")
    else:
        params["output_padding"] = op
    params["dilation"] = list(c.dilation)
    params["groups"] = c.groups
    if c.bias is None:
        params["bias"] = False
    if _DTYPES[c.x.dtype] != "f32":
        params["dtype"] = _DTYPES[c.x.dtype]
    arrays = {"x": c.x, "weight": c.weight}
    if c.bias is not None:
        arrays["bias"] = c.bias
    expect_keys = ["y"]
    arrays["y"] = c.y
    if gradients:
        grads = _gradients(c, op, gen)
        if isinstance(grads, str) and grads.startswith("the layer's output"):
            return grads
        if isinstance(grads, str):
            comments.append(f"fwd only: {grads}")
        else:
            arrays.update(grads[0])
            arrays.update(grads[1])
            expect_keys += list(grads[1])
            comments.append("dx, dw" + (", db" if "db" in grads[1] else "") + " by PyTorch's autograd for a random dy")
    if c.rank == 1:
        _lift_1d(params, arrays)
        comments.append("1-D layer, as 2-D with height 1")
    tensors = {k: _numpy(a) for k, a in arrays.items() if k not in expect_keys}
    expect = {k: _numpy(arrays[k]) for k in expect_keys}
    return ImportedCase(c.name, "pytorch", params, tensors, expect, comments)
