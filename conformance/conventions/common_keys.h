// Keys shared by the conventions that describe the problem directly (canonical, pytorch):
// sizes, kernel, stride, dilation, groups, dtype, layouts and bias. Framework conventions
// with their own names (keras: filters, kernel_size, ...) declare their own keys instead.
#pragma once

#include <vector>

#include "conformance/conventions/convention.h"

namespace tconv::conventions {

// n, c_in, c_out, input, kernel, stride, dilation, groups (an integer or `depthwise`),
// dtype, layout, weight_layout, bias.
std::vector<KeySpec> shared_problem_keys();

// Fills those fields of `p`. `groups: depthwise` means groups = c_in (c_out stays as given,
// so c_out / c_in is the depth multiplier and validate() rejects a c_out that is not a
// multiple of c_in).
void apply_shared_problem_keys(const ParamSet& params, Problem& p);

// The sizes the golden tensors give under the shared keys: x and dy / y in `layout`, the
// weight in `weight_layout` (C_out / groups stored), bias [C_out].
std::optional<TensorSizes> shared_tensor_sizes(std::string_view tensor, const ParamSet& params);
// A 4-D tensor whose shape is the 4-integer key `key` (input_shape: [N, H, W, C]).
std::vector<TensorDim> whole_shape(const char* key);

// Every dtype name a case may write: the float ones, then i8 and i16.
std::vector<std::string> dtype_names();

// zp_x, zp_w, zp_y, multiplier, shift, rounding: part of every convention's keys.
std::vector<KeySpec> quant_keys();

// The requantization of integer dtypes (problem.h Quant): zp_x, zp_w, zp_y, multiplier,
// shift, rounding. Applied only when the dtype is i8 / i16 (a sweep over dtypes may carry
// them to its float cases, which ignore them). Returns a failure naming the key whose value
// is out of range for the case's dtype, or an empty Translation error.
Translation apply_quant_keys(const ParamSet& params, Problem& p);

// Key specs for parameters with an [h, w] pair value (a scalar means h = w).
KeySpec pair_key(const char* name, std::int64_t min, std::optional<std::int64_t> default_value);

}  // namespace tconv::conventions
