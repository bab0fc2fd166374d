#!/usr/bin/env python3
"""Golden tensors from Keras 3 Conv2DTranspose (TensorFlow backend): forward with set weights
and the gradients dx, dw, db through tf.GradientTape.

Run in the virtual environment of tools/golden/setup_env.sh. Writes cases/golden/keras.yaml and
cases/golden/keras_*/ (x NHWC or NCHW by data_format, kernel (kH, kW, C_out, C_in)).
"""
import os

import golden_common as gc

gc.single_thread_env()
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # its CPU kernels support dilation; TF's own do not
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


def run_case(name, comment, gen, input_shape, filters, kernel_size, strides=(1, 1), padding="valid",
             output_padding=None, dilation_rate=(1, 1), data_format="channels_last", use_bias=True, x=None, kernel=None):
    channels_last = data_format == "channels_last"
    c_in = input_shape[3] if channels_last else input_shape[1]
    x = gc.uniform(gen, input_shape) if x is None else x
    kernel = gc.uniform(gen, tuple(kernel_size) + (filters, c_in)) if kernel is None else kernel
    bias = gc.uniform(gen, (filters,)) if use_bias else None
    layer = keras.layers.Conv2DTranspose(filters, tuple(kernel_size), strides=tuple(strides), padding=padding,
                                         output_padding=output_padding, dilation_rate=tuple(dilation_rate),
                                         data_format=data_format, use_bias=use_bias)
    layer.build(tuple(input_shape))
    layer.set_weights([kernel, bias] if use_bias else [kernel])
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = layer(xv)
        dy = gc.uniform(gen, tuple(y.shape))
        loss = tf.reduce_sum(y * dy)
    grads = tape.gradient(loss, [xv] + layer.trainable_weights)

    params = [("input_shape", gc.tuple_text(input_shape)), ("filters", str(filters)),
              ("kernel_size", gc.tuple_text(kernel_size)), ("strides", gc.tuple_text(strides)),
              ("padding", padding),
              ("output_padding", "None" if output_padding is None else gc.tuple_text(output_padding)),
              ("dilation_rate", gc.tuple_text(dilation_rate)), ("data_format", data_format),
              ("use_bias", "true" if use_bias else "false")]
    case = gc.Case(name, comment, params)
    case.input("x", "x.npy", x)
    case.input("weight", "w.npy", kernel)
    if use_bias:
        case.input("bias", "b.npy", bias)
    case.input("dy", "dy.npy", dy)
    case.output("y", "y.npy", y.numpy())
    case.output("dx", "dx.npy", grads[0].numpy())
    case.output("dw", "dw.npy", grads[1].numpy())
    if use_bias:
        case.output("db", "db.npy", grads[2].numpy())
    return case


def main():
    gen = gc.rng(2300)
    shift = gc.rng(3302)  # the inputs gen_pytorch.py's torch_p1_op1_vs_keras_same shares
    x_shift = gc.uniform(shift, (1, 4, 4, 2))
    kernel_shift = gc.uniform(shift, (3, 3, 3, 2))
    cases = [
        run_case("keras_same_k3_s2",
                 "the classic port bug: padding same, k 3, s 2 crops 0 at the top and 1 at the bottom\n"
                 "(PyTorch padding 1, output_padding 1 crops the other way: pytorch/torch_p1_op1_vs_keras_same)",
                 gen, (1, 4, 4, 2), 3, (3, 3), strides=(2, 2), padding="same", use_bias=False, x=x_shift, kernel=kernel_shift),
        run_case("keras_unet_up",
                 "the U-Net decoder layer Conv2DTranspose(filters, (2, 2), strides=(2, 2), padding='same'), reduced",
                 gen, (2, 4, 4, 8), 4, (2, 2), strides=(2, 2), padding="same"),
        run_case("keras_kernel_permutation_trap",
                 "a random kernel (3, 3, 3, 3): every axis order has the same shape, so only the values\n"
                 "tell a kernel copied into KRSC as-is from one permuted with (3, 0, 1, 2)",
                 gen, (1, 4, 3, 3), 3, (3, 3), strides=(2, 2), padding="valid"),
        run_case("keras_valid_kernel_below_stride",
                 "valid with kernel 2 < stride 3: the output is (in-1)*s + s, one bias-only row at the end",
                 gen, (1, 3, 4, 2), 2, (2, 2), strides=(3, 3), padding="valid"),
        run_case("keras_same_output_padding",
                 "same with output_padding (1, 2): (in-1)*s + k_eff % 2 + op, non-square",
                 gen, (1, 3, 3, 2), 3, (4, 4), strides=(3, 3), padding="same", output_padding=(1, 2)),
        run_case("keras_valid_output_padding",
                 "valid with output_padding 1: one bias-only row and column at the end",
                 gen, (2, 3, 4, 3), 2, (3, 3), strides=(2, 2), padding="valid", output_padding=(1, 1)),
        run_case("keras_dilation_same",
                 "dilation_rate 2 with strides 1 (Keras refuses dilation with strides > 1), same: crops (2, 2)",
                 gen, (1, 5, 4, 2), 3, (3, 3), strides=(1, 1), padding="same", dilation_rate=(2, 2)),
        run_case("keras_channels_first",
                 "channels_first (x NCHW, the kernel is still (kH, kW, C_out, C_in)), kernel (3, 2), strides (2, 1)",
                 gen, (1, 2, 3, 4), 3, (3, 2), strides=(2, 1), padding="same", data_format="channels_first"),
        run_case("keras_no_bias_nonsquare",
                 "use_bias False, kernel (2, 3), strides (2, 3), valid",
                 gen, (2, 3, 3, 2), 4, (2, 3), strides=(2, 3), padding="valid", use_bias=False),
    ]
    versions = f"keras {keras.__version__} (backend {keras.backend.backend()}), tensorflow {tf.__version__}, {gc.python_version()}"
    gc.write_suite("keras", "keras", "Keras 3 Conv2DTranspose with tf.GradientTape gradients", versions, cases, "gen_keras.py")


if __name__ == "__main__":
    main()
