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

// Key specs for parameters with an [h, w] pair value (a scalar means h = w).
KeySpec pair_key(const char* name, std::int64_t min, std::optional<std::int64_t> default_value);

}  // namespace tconv::conventions
