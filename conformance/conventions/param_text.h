// The parameter syntax of `tconv explain`: one layer in a convention's own terms, as
// space-separated key=value pairs whose keys are the convention's YAML keys:
//   "filters=128 kernel_size=2 strides=2 padding=same"
// A value is an integer, a word, or a list: "2,1", "(2, 1)" and "[2, 1]" are the same pair;
// nested lists are written in brackets: padding=[[0,0],[1,2],[0,1],[0,0]].
#pragma once

#include <string_view>

#include "backends/api/result.h"
#include "conformance/conventions/convention.h"

namespace tconv::conventions {

// Each value checked against the convention's key specs; unknown keys get a "did you mean".
Result<ParamSet> parse_param_text(const Convention& convention, std::string_view text);
// The same for any key list; `what` names it in errors ("unknown cudnn parameter 'x'").
Result<ParamSet> parse_param_text(std::string_view what, const std::vector<KeySpec>& keys, std::string_view text);

// The tokens of a parameter string, split on spaces outside brackets: "a=1 b=(2, 3)" -> 2.
std::vector<std::string> split_params(std::string_view text);

}  // namespace tconv::conventions
