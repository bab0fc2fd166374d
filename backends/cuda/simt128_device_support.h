// Test and bench support (not part of the backend library: it uses conformance/fill.h):
// runs the simt128 families (or their baselines phase_gemm / bwd_weights_gemm) on the GPU for
// one f32 problem outside the dispatcher, for the device test (correctness, bitwise repeat)
// and tconv_simt128_bench (device-event timing) until the families are variants of the
// backend. Needs a GPU; answers no_device without one.
#pragma once

#include <vector>

#include "backends/api/problem.h"
#include "backends/api/status.h"
#include "backends/api/tensor.h"
#include "conformance/fill.h"

namespace tconv::cuda {

enum class Simt128Kernel { simt128, baseline };

// p in the device formats (NCHW + IOHW or NHWC + IHWO), f32; d fwd, bwd_data or bwd_weights.
// Launches `reps` times (each timed with CUDA events around the family's kernels only) and
// downloads the last output into *out (allocated here). ms gets one entry per launch.
Status run_simt128_on_device(const Problem& p, Direction d, const InputSet& in, Simt128Kernel k, int reps,
                             HostTensor* out, std::vector<float>* ms);

}  // namespace tconv::cuda
