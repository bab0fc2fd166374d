// One direction on the GPU: upload, staging copies (timed on their own), the cuDNN call with
// its bias (timed with CUDA events), download. Host-side filter permutation for weight
// layouts cuDNN cannot read.
#pragma once

#include <optional>
#include <string>

#include "backends/api/backend.h"
#include "backends/cudnn/algorithms.h"

namespace tconv::cudnn {

// What the last run used, for reports and messages.
struct RunInfo {
  std::string algorithm;        // "BWD_DATA_ALGO_1", or "bias reduction kernel"
  std::size_t workspace = 0;    // bytes
  bool deterministic = true;
  bool staged = false;
  bool pre_post_padded = false;      // the graph's pre and post padding differ (an asymmetric crop)
  std::optional<double> staging_ms;  // device time of the staging copy, where one was needed
};

Status run_on_device(const Problem& p, Direction d, const Operands& ops, const Variant& variant,
                     std::size_t workspace_limit, RunInfo* info, double* device_ms);

// On a machine with a GPU: does the variant's pinned algorithm or graph engine implement this
// problem (cuDNN answers NOT_SUPPORTED otherwise, with its reason)? yes without a GPU, and for
// default / find (they choose in run() and say there why nothing fits).
Status device_support(const Problem& p, Direction d, const Variant& variant);

}  // namespace tconv::cudnn
