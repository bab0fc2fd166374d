#!/usr/bin/env python3
"""Golden tensors from PyTorch: conv_transpose2d forward and autograd gradients (dx, dw, db).

Run with an interpreter that has torch (Debian: apt-get install python3-torch, then
/usr/bin/python3 tools/golden/gen_pytorch.py). Writes cases/golden/pytorch.yaml and
cases/golden/torch_*/; the seed makes the output the same bytes every time.
"""
import golden_common as gc

gc.single_thread_env()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def run_case(name, comment, gen, n, c_in, c_out, size, kernel, stride=(1, 1), padding=(0, 0),
             output_padding=(0, 0), dilation=(1, 1), groups=1, bias=True, channels_last=False,
             output_size=None, x=None, weight=None):
    """Computes y = conv_transpose2d and its gradients for a random dy; returns the Case."""
    x = gc.uniform(gen, (n, c_in) + tuple(size)) if x is None else x
    w = gc.uniform(gen, (c_in, c_out // groups) + tuple(kernel)) if weight is None else weight
    b = gc.uniform(gen, (c_out,)) if bias else None
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    xt = torch.tensor(x).to(memory_format=fmt).requires_grad_()
    wt = torch.tensor(w).requires_grad_()
    bt = torch.tensor(b).requires_grad_() if bias else None
    if output_size is not None:
        layer = torch.nn.ConvTranspose2d(c_in, c_out, tuple(kernel), stride=tuple(stride), padding=tuple(padding),
                                         groups=groups, bias=bias, dilation=tuple(dilation))
        with torch.no_grad():
            layer.weight.copy_(wt)
            if bias:
                layer.bias.copy_(bt)
        wt, bt = layer.weight, layer.bias  # the gradients land on the layer's parameters
        y = layer(xt, output_size=list(output_size))
    else:
        y = F.conv_transpose2d(xt, wt, bt, stride=tuple(stride), padding=tuple(padding),
                               output_padding=tuple(output_padding), groups=groups, dilation=tuple(dilation))
    dy = gc.uniform(gen, tuple(y.shape))
    y.backward(torch.tensor(dy).to(memory_format=fmt))

    def data(a):  # NCHW array -> the case's layout
        a = a.detach().numpy() if isinstance(a, torch.Tensor) else a
        return np.transpose(a, (0, 2, 3, 1)) if channels_last else a

    params = [("stride", gc.tuple_text(stride)), ("padding", gc.tuple_text(padding))]
    if output_size is not None:
        params.append(("output_size", gc.tuple_text(output_size)))
    else:
        params.append(("output_padding", gc.tuple_text(output_padding)))
    params += [("dilation", gc.tuple_text(dilation)), ("groups", str(groups))]
    if not bias:
        params.append(("bias", "false"))
    if channels_last:
        params.append(("layout", "NHWC"))
    case = gc.Case(name, comment, params)
    case.input("x", "x.npy", data(x))
    case.input("weight", "w.npy", w)
    if bias:
        case.input("bias", "b.npy", b)
    case.input("dy", "dy.npy", data(dy))
    case.output("y", "y.npy", data(y))
    case.output("dx", "dx.npy", data(xt.grad))
    case.output("dw", "dw.npy", wt.grad.numpy())
    if bias:
        case.output("db", "db.npy", bt.grad.numpy())
    return case


def keras_same_shift_inputs():
    """The inputs shared with the Keras case keras_same_k3_s2 (gen_keras.py builds the same
    arrays from the same seed): x NCHW and the kernel in PyTorch's IOHW order."""
    gen = gc.rng(3302)
    x_nhwc = gc.uniform(gen, (1, 4, 4, 2))
    kernel_hwoi = gc.uniform(gen, (3, 3, 3, 2))
    return np.transpose(x_nhwc, (0, 3, 1, 2)), np.transpose(kernel_hwoi, (3, 2, 0, 1))


def sampled_cases(count, seed):
    """A seeded random sample over every parameter, within PyTorch's rules."""
    gen = gc.rng(seed)
    cases = []
    while len(cases) < count:
        g = int(gen.choice([1, 2, 3]))
        c_in, c_out = g * int(gen.integers(1, 3)), g * int(gen.integers(1, 3))
        kernel = tuple(int(v) for v in gen.integers(1, 5, size=2))
        stride = tuple(int(v) for v in gen.integers(1, 4, size=2))
        dilation = tuple(int(v) for v in gen.integers(1, 4, size=2))
        padding = tuple(int(v) for v in gen.integers(0, 3, size=2))
        output_padding = tuple(int(gen.integers(0, max(s, d))) for s, d in zip(stride, dilation))
        size = tuple(int(v) for v in gen.integers(2, 6, size=2))
        out = [(i - 1) * s - 2 * p + d * (k - 1) + op + 1
               for i, s, p, d, k, op in zip(size, stride, padding, dilation, kernel, output_padding)]
        if min(out) < 1:
            continue
        cases.append(dict(n=int(gen.integers(1, 3)), c_in=c_in, c_out=c_out, size=size, kernel=kernel, stride=stride,
                          padding=padding, output_padding=output_padding, dilation=dilation, groups=g,
                          bias=bool(gen.integers(0, 2)), channels_last=bool(gen.integers(0, 2))))
    return cases


def main():
    gen = gc.rng(1300)
    cases = [
        run_case("torch_groups_dilation_output_padding",
                 "groups 2, dilation (1, 2), stride (2, 1), padding (1, 0), output_padding (1, 0)",
                 gen, 2, 4, 6, (4, 5), (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2), groups=2),
        run_case("torch_output_padding_below_dilation",
                 "output_padding 1 >= stride 1, allowed because it is below dilation 2 (Keras would refuse it)",
                 gen, 1, 3, 2, (4, 4), (3, 3), stride=(1, 1), padding=(1, 1), output_padding=(1, 1), dilation=(2, 2)),
        run_case("torch_channels_last_p1_op1",
                 "channels_last memory format; padding 1, output_padding 1: crops 1 at the top, 0 at the bottom",
                 gen, 2, 3, 4, (4, 5), (3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), channels_last=True),
        run_case("torch_output_size",
                 "ConvTranspose2d.forward(x, output_size) chooses output_padding = (1, 2)",
                 gen, 1, 2, 3, (3, 4), (3, 3), stride=(2, 3), padding=(1, 1), output_size=(6, 10)),
        run_case("torch_depthwise_no_bias",
                 "depthwise (groups = c_in = 3, depth multiplier 2), no bias, non-square kernel and stride",
                 gen, 2, 3, 6, (5, 3), (2, 4), stride=(3, 2), padding=(0, 1), groups=3, bias=False),
    ]
    x, w = keras_same_shift_inputs()
    cases.append(run_case(
        "torch_p1_op1_vs_keras_same",
        "the same x and kernel as keras/keras_same_k3_s2, in PyTorch's nearest terms: padding 1,\n"
        "output_padding 1 gives the same 8x8 size but crops 1 at the top instead of the bottom",
        gc.rng(3303), 1, 2, 3, (4, 4), (3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), bias=False,
        x=x, weight=w))
    # Samples whose outputs are mostly exact zeros check little (the runner calls them
    # MISTRUSTED): draw until 8 informative ones.
    samples = iter(sampled_cases(100, 1301))
    while sum(c.name.startswith("torch_sample_") for c in cases) < 8:
        name = f"torch_sample_{sum(c.name.startswith('torch_sample_') for c in cases)}"
        case = run_case(name, "seeded random sample (tools/golden/gen_pytorch.py, seed 1301)", gen, **next(samples))
        if case.zero_fraction <= 0.25:
            cases.append(case)
        else:
            case.discard()
    versions = f"torch {torch.__version__}, {gc.python_version()}"
    gc.write_suite("pytorch", "pytorch", "PyTorch conv_transpose2d with autograd gradients", versions, cases, "gen_pytorch.py")


if __name__ == "__main__":
    main()
