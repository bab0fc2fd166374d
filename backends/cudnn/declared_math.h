// The arithmetic a cuDNN variant declares (docs/tolerance.md). Host code: no cuDNN call.
#pragma once

#include <string_view>

#include "backends/api/backend.h"
#include "backends/cudnn/algorithms.h"

namespace tconv::cudnn {

// The algorithm class of what a row's algorithm column names: a legacy algorithm
// ("BWD_DATA_ALGO_FFT_TILING", possibly with ", staged" after it) or a graph engine with
// cuDNN's numerical notes ("engine 5 (eng5_k2=1, ...; notes TENSOR_CORE, FFT)"): fft, winograd,
// direct (FWD_ALGO_DIRECT) or implicit GEMM (the rest).
AlgorithmClass algorithm_class(std::string_view algorithm_name);

// `ran` is the algorithm that ran ("" before a run). Heuristics, find and graph variants pick
// at run time, so the declaration is conservative where the choice cannot be known: f16/bf16
// on tensor cores (truncating accumulation) with the bias as a second rounding (the measured
// H200 rows are two roundings: gpu-runs/2026-12-04-h200). The class is the pinned
// algorithm's, else the one that ran, else implicit GEMM.
MathMode variant_math(const Variant& v, const Problem& p, Direction d, std::string_view ran);

}  // namespace tconv::cudnn
