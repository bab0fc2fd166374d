// Failures of cuDNN and CUDA calls as human Status values: the status name, the call, where,
// the descriptor values and the likely cause. Pure formatting (no cuDNN types) so every
// message is tested on the CPU; check.h turns library statuses into these.
#pragma once

#include <string>
#include <string_view>

#include "backends/api/status.h"
#include "backends/cudnn/cudnn_plan.h"

namespace tconv::cudnn {

struct Failure {
  std::string status_name;  // "CUDNN_STATUS_BAD_PARAM", "cudaErrorMemoryAllocation"
  std::string call;         // the call's source text
  std::string file;         // basename
  int line = 0;
  const ConvPlan* plan = nullptr;  // descriptor values, when the call used them
};

// StatusCode of a library status: not supported -> unsupported, allocation -> out_of_memory,
// no device / driver -> no_device, anything else -> error.
StatusCode status_code_for(std::string_view status_name);

// The most likely cause, in words: a descriptor inconsistency when the plan has one, else what
// the status usually means for a convolution.
std::string likely_cause(std::string_view status_name, const ConvPlan* plan);

// "<STATUS> from <call> at <file:line>: <likely cause>; descriptors: <values>"
Status failure_status(const Failure& f);

}  // namespace tconv::cudnn
