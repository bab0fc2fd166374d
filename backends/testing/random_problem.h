// Random valid problems spanning every parameter, for property tests (oracle proofs, backend
// sweeps). Deterministic for a given generator state.
#pragma once

#include <random>

#include "backends/api/problem.h"

namespace tconv::crosscheck {

struct RandomProblemLimits {
  std::int64_t max_n = 3, max_channels_per_group = 3, max_groups = 3, max_spatial = 6, max_kernel = 5;
  std::int64_t max_stride = 4, max_dilation = 3;
};

// Stride 1..4, dilation 1..3, kernels 1..5 (often non-square), groups incl. depthwise, crops
// symmetric / asymmetric / negative / output_padding-like (end = begin - op, op < max(s, d)),
// bias on/off, both data layouts, every weight layout. dtype is left to the caller (f32).
Problem random_problem(std::mt19937_64& rng, const RandomProblemLimits& limits = {});

}  // namespace tconv::crosscheck
