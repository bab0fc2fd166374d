// `tconv explain`: one layer in one framework's terms -> the canonical problem, the same layer
// in every other framework (or why none is exact and what to build instead), the weight
// permutations between their layouts, and the cuDNN and oneDNN descriptor values.
#pragma once

#include <string>

#include "backends/api/result.h"

namespace tconv::conventions {

struct ExplainRequest {
  std::string from;         // a convention name: keras, pytorch, onnx, tf, canonical
  std::string params;       // param_text.h syntax
  std::string input_shape;  // optional "8,8,256" / "1,8,8,256": the framework's own input
                            // shape (keras/tf: data_format order; others N,C,H,W), batch optional
};

// The report, or a one-line error for bad input (unknown convention or key, bad value, ...).
Result<std::string> explain(const ExplainRequest& request);

}  // namespace tconv::conventions
