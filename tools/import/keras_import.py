#!/usr/bin/env python3
"""tconv's Keras importer: every Conv2DTranspose layer of a Keras model, called on an input,
as a tconv suite (a YAML file and .npy tensors) that `tconv run` takes as it is.

  tools/import/keras_import.py --out DIR MODEL.keras [--input x.npy | --batch N --seed S]
      every Conv2DTranspose layer of the saved model (nested models included), with the
      input and output it sees when the model is called on x (x.npy, or random normal values
      of the model's input shape).
  tools/import/keras_import.py --out DIR LAYER.json --weights W.npz --input x.npy
      one layer from its get_config() JSON and its get_weights() (kernel, then bias) saved
      with np.savez, called on x.

Each layer is one case in the `keras` convention: its get_config() arguments as they are
(output_padding None is written null), x, the kernel as weight, the bias, and the layer's
output as expect.y. Runs on whatever Keras 3 backend is configured (KERAS_BACKEND; the ctest
uses jax). Needs keras and a backend (tools/setup.sh installs keras and jax)."""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_writer import ImportedCase, safe_name, write_and_report  # noqa: E402

# get_config() keys that are the layer's arguments in tconv's keras convention.
_ARGUMENTS = ("filters", "kernel_size", "strides", "padding", "output_padding", "dilation_rate", "data_format", "use_bias")
_DTYPES = {"float32": None, "float64": "f64", "float16": "f16", "bfloat16": "bf16"}


def transposed_layers(layer, keras) -> list:
    """Every Conv2DTranspose in the layer or model, nested models included, in order."""
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return [layer]
    found = []
    for inner in getattr(layer, "layers", []):
        found += transposed_layers(inner, keras)
    return found


def layer_case(layer, x: np.ndarray, y: np.ndarray, source: str) -> ImportedCase | str:
    config = layer.get_config()
    dtype = config.get("dtype")
    dtype = dtype.get("config", {}).get("name") if isinstance(dtype, dict) else (dtype or "float32")
    if dtype not in _DTYPES:
        return f"dtype {dtype}: tconv's golden tensors are float16, bfloat16, float32 or float64"
    params = {}
    for key in _ARGUMENTS:
        value = config.get(key)
        params[key] = list(value) if isinstance(value, tuple) else value
    if _DTYPES[dtype]:
        params["dtype"] = _DTYPES[dtype]
    weights = [np.asarray(w) for w in layer.get_weights()]
    save = np.float32 if dtype == "bfloat16" else None  # bf16 is exchanged as float32
    cast = (lambda a: a.astype(save)) if save else (lambda a: a)
    tensors = {"x": cast(x), "weight": cast(weights[0])}
    if config.get("use_bias") and len(weights) > 1:
        tensors["bias"] = cast(weights[1])
    return ImportedCase(layer.name, "keras", params, tensors, {"y": cast(y)}, [source])


def model_input(model, args) -> list[np.ndarray]:
    if args.input:
        return [np.load(args.input)]
    rng = np.random.default_rng(args.seed)
    out = []
    for t in model.inputs:
        shape = list(t.shape)[1:]
        if any(d is None for d in shape):
            sys.exit(f"keras_import: the model's input shape {t.shape} has unknown sizes: give --input x.npy")
        out.append(rng.standard_normal([args.batch] + shape).astype("float32"))
    return out


def call_recorded(model, layers: list, inputs: list[np.ndarray], keras) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Calls the model once and returns what each layer saw and made, by name. Each layer's
    activation is left out for the call (tconv's layer has none), so the output is the
    transposed convolution plus its bias."""
    seen: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    saved = [(layer, layer.call, layer.activation) for layer in layers]

    def recording(layer, call):
        def record(x, *args, **kwargs):
            y = call(x, *args, **kwargs)
            seen[layer.name] = (keras.ops.convert_to_numpy(x), keras.ops.convert_to_numpy(y))
            return y
        return record

    try:
        for layer, call, _ in saved:
            layer.call = recording(layer, call)
            layer.activation = keras.activations.linear
        model(inputs if len(inputs) > 1 else inputs[0])
    finally:
        for layer, call, activation in saved:
            layer.call = call
            layer.activation = activation
    return seen


def import_model(path: str, args, keras) -> tuple[list[ImportedCase], list[tuple[str, str]]]:
    model = keras.models.load_model(path)
    layers = transposed_layers(model, keras)
    if not layers:
        return [], [(safe_name(os.path.basename(path)), "no Conv2DTranspose layer")]
    seen = call_recorded(model, layers, model_input(model, args), keras)
    cases, skipped = [], []
    for layer in layers:
        if layer.name not in seen:
            skipped.append((layer.name, "not called when the model is called"))
            continue
        activation = keras.activations.serialize(layer.activation)
        activation = activation if isinstance(activation, str) else activation.get("config", {}).get("name", str(activation))
        source = f"{path}: layer {layer.name}, keras {keras.__version__} ({keras.backend.backend()} backend)" + \
                 ("" if activation == "linear" else f"; its activation {activation} left out")
        case = layer_case(layer, *seen[layer.name], source)
        if isinstance(case, str):
            skipped.append((layer.name, case))
        else:
            cases.append(case)
    return cases, skipped


def import_layer_config(path: str, args, keras) -> tuple[list[ImportedCase], list[tuple[str, str]]]:
    if not args.weights or not args.input:
        sys.exit("keras_import: a get_config() JSON needs --weights W.npz and --input x.npy")
    with open(path) as f:
        config = json.load(f)
    config = config.get("config", config)  # a serialized layer, or get_config() itself
    layer = keras.layers.Conv2DTranspose.from_config(config)
    x = np.load(args.input)
    layer.build(x.shape)
    saved = np.load(args.weights)
    layer.set_weights([saved[k] for k in saved.files])
    y = keras.ops.convert_to_numpy(layer(x))
    case = layer_case(layer, x, y, f"{path} with {args.weights}, keras {keras.__version__} ({keras.backend.backend()} backend)")
    return ([], [(layer.name, case)]) if isinstance(case, str) else ([case], [])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("model", help="a saved Keras model (.keras) or a layer's get_config() JSON")
    ap.add_argument("--out", required=True, help="folder for the suite YAML and its tensors")
    ap.add_argument("--input", help="the input to call the model or layer on (.npy)")
    ap.add_argument("--weights", help="for a JSON config: the layer's get_weights() saved with np.savez")
    ap.add_argument("--batch", type=int, default=2, help="batch of the random input (default 2)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random input (default 1)")
    ap.add_argument("--suite", default="keras_import", help="suite name (and YAML file name); default keras_import")
    args = ap.parse_args()
    import keras  # late: --help works without it

    importer = import_layer_config if args.model.endswith(".json") else import_model
    cases, skipped = importer(args.model, args, keras)
    return write_and_report(args.out, args.suite, f"Conv2DTranspose layers of {args.model}", cases, skipped)


if __name__ == "__main__":
    sys.exit(main())
