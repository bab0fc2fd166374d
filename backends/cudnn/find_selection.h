// The `find` variants: cuDNN benchmarks every legacy algorithm of the call
// (cudnnFindConvolution*Algorithm, which allocates its own scratch buffers and so never touches
// the run's operands) once per problem shape, and the fastest usable result runs from then on.
// "Usable" is the heuristic rule (conv_call.h): no conversion math, no TF32 for strict f32, the
// workspace within the limit. Determinism is NOT a criterion: the fastest wins and its
// determinism is reported (RunInfo::deterministic), so `find` may pick a nondeterministic
// algorithm where it is faster.
#pragma once

#include <cstddef>
#include <string>

#include "backends/cudnn/conv_call.h"

namespace tconv::cudnn {

// The cache key of one benchmark: descriptor values, math, workspace limit and device.
std::string find_cache_key(const ConvPlan& plan, bool tf32, std::size_t workspace_limit, int device);

// Looks the key up first; benchmarks (and caches) on a miss. Sets the convolution's math type.
Status find_fastest(DeviceContext& ctx, ConvDescriptors& d, bool tf32, std::size_t workspace_limit,
                    ChosenAlgorithm* out);

}  // namespace tconv::cudnn
