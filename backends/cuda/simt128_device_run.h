// Runs the simt128 families (or their baselines phase_gemm / bwd_weights_gemm) on the GPU for
// one f32 problem outside the dispatcher, for the device test (correctness, bitwise repeat)
// and tconv_simt128_bench (device-event timing) until the families are variants of the
// backend. Needs a GPU; answers no_device without one.
#pragma once

#include <vector>

#include "backends/api/backend.h"

namespace tconv::cuda {

enum class Simt128Kernel { simt128, baseline };

// p in the device formats (NCHW + IOHW or NHWC + IHWO), f32; d fwd, bwd_data or bwd_weights;
// ops holds the direction's inputs and its allocated output (output_of(ops, d)). Launches
// `reps` times, each timed with CUDA events around the family's kernels only (one entry of ms
// per launch), and downloads the last launch's output.
Status run_simt128_on_device(const Problem& p, Direction d, const Operands& ops, Simt128Kernel k, int reps,
                             std::vector<float>* ms);

}  // namespace tconv::cuda
