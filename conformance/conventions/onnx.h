// ONNX ConvTranspose (opset 11+) as plain functions (docs/design.md section 2). X is NCHW, W is
// [C, M/group, kH, kW] = IOHW, B optional.
//
//   pads = [top, left, bottom, right] (>= 0); output_padding is added at the end:
//     crop_begin = pads_begin, crop_end = pads_end - output_padding
//   output_shape (or auto_pad SAME_*, which means output_shape = in * stride) generates pads:
//     total = s*(in-1) + output_padding + k_eff - output_shape
//     SAME_UPPER:          begin = floor(total/2), end = total - begin
//     NOTSET / SAME_LOWER: begin = total - floor(total/2), end = floor(total/2)
//   with FLOOR division: total can be negative (test_convtranspose_output_shape: in 3x3,
//   s=(3,2), output_shape (10,8): total -1, crops (0, -1): one extended row at the end).
//   auto_pad VALID: pads 0.
// The ONNX reference evaluator follows this; onnxruntime clamps a negative total at 0
// (SAME_UPPER with a negative total: begin 0 instead of -1) and rejects totals < 1 - stride.
#pragma once

#include <array>
#include <optional>

#include "conformance/conventions/convention.h"
#include "conformance/conventions/crop_math.h"
#include "conformance/conventions/equivalent.h"
#include "conformance/conventions/keras.h"

namespace tconv::conventions {

enum class OnnxAutoPad : std::uint8_t { notset, same_upper, same_lower, valid };

struct OnnxConvTranspose {
  std::array<std::int64_t, 4> input_shape{1, 1, 1, 1};          // X: N, C, H, W
  std::optional<std::array<std::int64_t, 4>> weight_shape;       // W: C, M/group, kH, kW
  std::optional<Pair> kernel_shape;
  Pair strides{1, 1}, dilations{1, 1}, output_padding{0, 0};
  std::array<std::int64_t, 4> pads{0, 0, 0, 0};                  // top, left, bottom, right
  OnnxAutoPad auto_pad = OnnxAutoPad::notset;
  std::optional<Pair> output_shape;                              // spatial
  std::int64_t group = 1;
  bool bias = true;
  DType dtype = DType::f32;
};

// The spec's split of a pad total into (begin, end) pads, floor division. `rule` (optional)
// gets the arithmetic with its numbers, here and below.
Crops onnx_pad_split(std::int64_t total, bool same_upper, std::string* rule = nullptr);
// One dimension's crops from the pads the spec generates for an output length.
Crops onnx_generated_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t output_padding,
                           std::int64_t output_length, bool same_upper, std::string* rule = nullptr);

Translation onnx_to_problem(const OnnxConvTranspose& node);
Equivalent onnx_equivalent(const Problem& p);

}  // namespace tconv::conventions
