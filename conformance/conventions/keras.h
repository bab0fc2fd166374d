// Keras 3 / tf.keras Conv2DTranspose (docs/design.md section 2) as plain functions: the layer's
// arguments -> the canonical problem, and back.
//
// Output length per dimension (k_eff = d*(k-1) + 1):
//   valid: (in-1)*s + max(k_eff, s)        output_padding None
//          (in-1)*s + k_eff + op           output_padding op
//   same:  in*s                            output_padding None
//          (in-1)*s + (k_eff % 2) + op     output_padding op
// Crops: valid crops nothing at the begin (begin 0, end = full - out, negative when the output
// is longer than the full result); same crops like the gradient of a SAME forward convolution:
// the smaller half of the total at the begin, the larger half at the END. That end-heavy split
// is what PyTorch's padding/output_padding cannot express (k=3, s=2, same: crops 0 and 1).
// Keras's own rejections: output_padding >= strides (any dimension), and strides > 1 together
// with dilation_rate > 1 (any dimensions). The kernel is (kH, kW, C_out, C_in) = HWOI; data are
// NHWC for channels_last, NCHW for channels_first. Keras has no groups.
#pragma once

#include <array>
#include <optional>

#include "conformance/conventions/convention.h"
#include "conformance/conventions/crop_math.h"
#include "conformance/conventions/equivalent.h"

namespace tconv::conventions {

using Pair = std::array<std::int64_t, 2>;

struct KerasConv2DTranspose {
  std::int64_t filters = 1;
  Pair kernel_size{1, 1}, strides{1, 1}, dilation_rate{1, 1};
  bool same = false;                    // padding: "same" (true) or "valid"
  std::optional<Pair> output_padding;   // None
  bool channels_last = true;            // data_format
  bool use_bias = true;
  std::array<std::int64_t, 4> input_shape{1, 1, 1, 1};  // with the batch, in data_format order
  DType dtype = DType::f32;
};

// One dimension: the output length Keras computes and the canonical crops that follow.
std::int64_t keras_output_length(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same,
                                 std::optional<std::int64_t> output_padding);
// `rule` (optional) gets the arithmetic with its numbers.
Crops keras_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same,
                  std::optional<std::int64_t> output_padding, std::string* rule = nullptr);

// The canonical problem; invalid_reason for what Keras itself refuses to build.
Translation keras_to_problem(const KerasConv2DTranspose& layer);

// The Keras layer that computes `p` exactly, or why none does and what to build instead.
Equivalent keras_equivalent(const Problem& p);

}  // namespace tconv::conventions
