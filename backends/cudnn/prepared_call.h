// One convolution call ready to run, whichever API and selection made it: the legacy API
// with heuristics, a pinned algorithm or cudnnFind, or the graph API with an engine config.
// device_run.cpp stages, times and runs it the same way for every variant.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/conv_call.h"
#include "backends/cudnn/device_context.h"

namespace tconv::cudnn {

struct PreparedCall {
  std::string name;  // "BWD_DATA_ALGO_1", "engine 12 (heuristics A #0)"
  std::size_t workspace = 0;
  bool deterministic = true;
  // output = conv(inputs) + beta * output; the graph API has beta in its graph (the same value).
  std::function<Status(DeviceContext&, const ConvPointers&, double beta)> execute;
};

// The plan must outlive the call (descriptors keep a pointer to it for messages).
Status prepare_call(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t workspace_limit,
                    PreparedCall* out);

}  // namespace tconv::cudnn
