#!/usr/bin/env bash
# ctest keras_import: a Keras model made here (Conv2D, then Conv2DTranspose layers: same k3 s2,
# valid with output_padding and no bias, channels_first inside a nested model) and one layer
# given as get_config() JSON + weights, imported by keras_import.py, load and pass on naive and
# openmp (fwd against Keras's outputs, the other directions against the oracle).
# Exit 77 (skipped) without keras and jax. Usage: keras_import_test.sh TCONV OUT_DIR
export KERAS_BACKEND=jax
. "$(dirname "$0")/test_prelude.sh" keras_import_test "keras jax" "$@"
python3 - "$out" <<'PY'
import json, os, sys
import numpy as np
import keras
out = sys.argv[1]
keras.utils.set_random_seed(15)
inner = keras.Sequential([keras.Input((3, None, None)),
                          keras.layers.Conv2DTranspose(2, (2, 3), strides=(1, 2), dilation_rate=1, padding="same",
                                                       data_format="channels_first", name="up_channels_first")], name="inner")
x = keras.Input((6, 5, 4))
h = keras.layers.Conv2D(4, 3, padding="same", name="encode")(x)
h = keras.layers.Conv2DTranspose(5, 3, strides=2, padding="same", activation="relu", name="up_same_k3_s2")(h)
h = keras.layers.Conv2DTranspose(3, (2, 3), strides=(2, 1), padding="valid", output_padding=(1, 0), use_bias=False,
                                 name="up_valid_output_padding")(h)
h = keras.layers.Permute((3, 1, 2))(h)
h = inner(h)
model = keras.Model(x, h)
rng = np.random.default_rng(14)
for w in model.weights:  # random biases too: Keras starts them at zero
    w.assign(rng.standard_normal(tuple(w.shape)).astype("float32"))
model.save(os.path.join(out, "model.keras"))
# One layer as get_config() JSON, its get_weights() and an input.
layer = keras.layers.Conv2DTranspose(4, 2, strides=2, padding="same", name="unet_up")
xs = np.random.default_rng(15).standard_normal((2, 4, 4, 8)).astype("float32")
layer(xs)
layer.set_weights([np.random.default_rng(16).standard_normal(w.shape).astype("float32") for w in layer.get_weights()])
json.dump(layer.get_config(), open(os.path.join(out, "unet_up.json"), "w"))
np.savez(os.path.join(out, "unet_up.npz"), *layer.get_weights())
np.save(os.path.join(out, "unet_up_x.npy"), xs)
PY
python3 "$here/keras_import.py" --out "$out/model" "$out/model.keras"
python3 "$here/keras_import.py" --out "$out/layer" "$out/unet_up.json" --weights "$out/unet_up.npz" --input "$out/unet_up_x.npy"
grep -q "output_padding: null" "$out/model/keras_import.yaml" || { echo "FAIL: output_padding None is not written null"; exit 1; }
for name in up_same_k3_s2 up_valid_output_padding up_channels_first; do
  grep -q "^  - name: $name$" "$out/model/keras_import.yaml" || { echo "FAIL: layer $name was not imported"; exit 1; }
done
for suite in model layer; do
  "$tconv" run "$out/$suite/keras_import.yaml" --backends naive,openmp --out "$out/$suite/run"
  python3 "$here/expect_all_passed.py" "$out/$suite/run/results.csv" 4
done
