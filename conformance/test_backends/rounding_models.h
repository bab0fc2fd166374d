// Test backends that round the way real low-precision kernels do, and must PASS (issue 14):
//   test_f16_separate_bias  f16/bf16: f32 accumulation, the pre-bias sum rounded to the output
//                           type, then the bias added and rounded again (PyTorch, cuDNN)
//   test_tc_truncate        f16/bf16: exact products summed in f32 with truncation (round
//                           toward zero), as tensor cores accumulate; one rounding at the end
//   test_split_k            split-K: the reduction cut into 4 slices, each slice's f32 sum
//                           rounded to f32 (f32 data) or to the output type (f16/bf16), then
//                           the partials summed in f32
// Each declares its math like the real kernel it models.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/api/backend.h"

namespace tconv::testing {

std::unique_ptr<Backend> make_rounding_model(const std::string& name);
const std::vector<std::string>& rounding_model_names();

}  // namespace tconv::testing
