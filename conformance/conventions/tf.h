// tf.nn.conv2d_transpose(input, filters, output_shape, strides, padding, data_format,
// dilations) as plain functions (docs/design.md section 2). filters are (kH, kW, C_out, C_in) =
// HWOI; data NHWC (default) or NCHW. TF has no bias here and no groups.
//
// The output shape is given; TF checks that a forward convolution of that size with the same
// padding gives back the input size ("Size of out_backprop doesn't match computed"), so each
// padding accepts `stride` output lengths per dimension:
//   SAME     crops of the gradient of a SAME convolution (larger half at the end; a
//            negative total extends the end)        out in [(in-1)*s + 1, in*s]
//   VALID    begin 0, end = full - out               out in [full, full + s - 1]
//   explicit [[0, 0], [top, bottom], [left, right], [0, 0]] (>= 0): begin = top,
//            end = full - top - out                  out in [full - top - bottom, ... + s - 1]
// where full = (in-1)*s + d*(k-1) + 1.
#pragma once

#include <array>

#include "conformance/conventions/convention.h"
#include "conformance/conventions/crop_math.h"
#include "conformance/conventions/equivalent.h"
#include "conformance/conventions/keras.h"

namespace tconv::conventions {

enum class TfPadding : std::uint8_t { same, valid, explicit_ };

struct TfConv2DTranspose {
  std::array<std::int64_t, 4> input_shape{1, 1, 1, 1};    // data_format order
  std::array<std::int64_t, 4> filters_shape{1, 1, 1, 1};  // (kH, kW, C_out, C_in)
  std::array<std::int64_t, 4> output_shape{1, 1, 1, 1};   // data_format order
  Pair strides{1, 1}, dilations{1, 1};
  TfPadding padding = TfPadding::same;
  std::array<std::int64_t, 4> explicit_paddings{0, 0, 0, 0};  // top, bottom, left, right
  bool nhwc = true;
  DType dtype = DType::f32;
};

// The output lengths TF accepts for one dimension: [first, first + s - 1].
std::int64_t tf_first_output_length(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, TfPadding padding,
                                    std::int64_t pad_begin, std::int64_t pad_end);
// `rule` (optional) gets the arithmetic with its numbers.
Crops tf_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t out, TfPadding padding,
               std::int64_t pad_begin, std::string* rule = nullptr);

Translation tf_to_problem(const TfConv2DTranspose& op);
Equivalent tf_equivalent(const Problem& p);

}  // namespace tconv::conventions
