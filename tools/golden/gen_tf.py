#!/usr/bin/env python3
"""Golden tensors from tf.nn.conv2d_transpose: forward for a given output_shape and padding
(SAME, VALID, explicit), gradients dx and dw through tf.GradientTape (the op has no bias).

Run in the virtual environment of tools/golden/setup_env.sh. Writes cases/golden/tf.yaml and
cases/golden/tf_*/ (x and y NHWC, filters (kH, kW, C_out, C_in)).
"""
import os

import golden_common as gc

gc.single_thread_env()
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # its CPU kernels support dilation; TF's own do not
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


def padding_text(padding):
    return padding if isinstance(padding, str) else "[" + ", ".join(gc.tuple_text(p) for p in padding) + "]"


def run_case(name, comment, gen, input_shape, filters_shape, output_shape, strides, padding, dilations=(1, 1)):
    x = gc.uniform(gen, input_shape)
    filters = gc.uniform(gen, filters_shape)
    xv, fv = tf.Variable(x), tf.Variable(filters)
    with tf.GradientTape() as tape:
        y = tf.nn.conv2d_transpose(xv, fv, output_shape, strides=list(strides), padding=padding, dilations=list(dilations))
        dy = gc.uniform(gen, tuple(y.shape))
        loss = tf.reduce_sum(y * dy)
    dx, dw = tape.gradient(loss, [xv, fv])
    params = [("input_shape", gc.tuple_text(input_shape)), ("filters_shape", gc.tuple_text(filters_shape)),
              ("output_shape", gc.tuple_text(output_shape)), ("strides", gc.tuple_text(strides)),
              ("padding", padding_text(padding)), ("dilations", gc.tuple_text(dilations))]
    case = gc.Case(name, comment, params)
    case.input("x", "x.npy", x)
    case.input("weight", "w.npy", filters)
    case.input("dy", "dy.npy", dy)
    case.output("y", "y.npy", y.numpy())
    case.output("dx", "dx.npy", dx.numpy())
    case.output("dw", "dw.npy", dw.numpy())
    return case


def main():
    gen = gc.rng(4300)
    cases = [
        run_case("tf_same_odd_total", "SAME, output (6, 5) of the full 7x7: totals 1 and 2 -> crops (0, 1) and (1, 1)",
                 gen, (1, 3, 3, 2), (3, 3, 4, 2), (1, 6, 5, 4), (2, 2), "SAME"),
        run_case("tf_valid_extended", "VALID, output 8x8 of the full 7x7: one row and column that get no input",
                 gen, (2, 3, 3, 2), (3, 3, 3, 2), (2, 8, 8, 3), (2, 2), "VALID"),
        run_case("tf_explicit_padding", "explicit [[0, 0], [1, 2], [0, 1], [0, 0]], output (5, 7): crops (1, 1) and (0, 0)",
                 gen, (1, 3, 3, 2), (3, 3, 4, 2), (1, 5, 7, 4), (2, 2), [[0, 0], [1, 2], [0, 1], [0, 0]]),
        run_case("tf_dilations", "dilations 2 with strides 1, SAME: k_eff 5, crops (2, 2)",
                 gen, (1, 4, 5, 3), (3, 3, 2, 3), (1, 4, 5, 2), (1, 1), "SAME", dilations=(2, 2)),
        run_case("tf_same_large_stride", "SAME, kernel 3 < stride 4 in height: a negative total extends the end",
                 gen, (1, 3, 2, 2), (3, 3, 2, 2), (1, 12, 2, 2), (4, 1), "SAME"),
    ]
    versions = f"tensorflow {tf.__version__}, {gc.python_version()}"
    gc.write_suite("tf", "tf", "tf.nn.conv2d_transpose with tf.GradientTape gradients", versions, cases, "gen_tf.py")


if __name__ == "__main__":
    main()
