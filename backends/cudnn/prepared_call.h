// One convolution call ready to run, whichever API and selection made it: the legacy API
// with heuristics, a pinned algorithm or cudnnFind, or the graph API (cudnn-frontend) with an
// execution plan. device_run.cpp stages, times and runs it the same way for every variant.
// Graph calls are cached per problem shape and variant (plans are built once per shape, never
// in a timed region; autotune times once per shape).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/conv_call.h"
#include "backends/cudnn/device_context.h"

namespace tconv::cudnn {

// How the transposed fwd's bias is added.
enum class BiasForm : std::uint8_t {
  prefill,    // legacy API: y prefilled with b, beta = 1
  separate,   // graph: the convolution, then y += b (as PyTorch does)
  fused,      // graph: a pointwise add inside the graph (one rounding)
};

struct PreparedCall {
  std::string name;  // "BWD_DATA_ALGO_1", "engine 28 (eng28_k2=4_k3=0, heuristics A + fallback #2)"
  std::size_t workspace = 0;
  bool deterministic = true;
  BiasForm bias = BiasForm::prefill;
  // output = conv(inputs) [+ bias for the fused graph] [+ beta * output for the legacy API].
  std::function<Status(DeviceContext&, const ConvPointers&, double beta, void* bias)> execute;
};

// The plan must outlive the call (legacy descriptors keep a pointer to it for messages).
Status prepare_call(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t workspace_limit,
                    PreparedCall* out);

}  // namespace tconv::cudnn
