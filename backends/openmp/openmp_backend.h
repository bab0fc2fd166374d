// The OpenMP im2col/col2im + GEMM backend (README.md): every direction, dtype f32/f16/bf16
// (f32 arithmetic), NCHW and NHWC natively, every weight layout, every crop, dilation and
// group count. Variants: "default" (fast paths on, fastest GEMM), "general" (fast paths off,
// to check them against the general path), "f64acc" (f64 products and sums, also dtype f64:
// a fast reference, f64acc.h), and one per other GEMM provider compiled in.
#pragma once

#include "backends/api/registry.h"

namespace tconv {

BackendFactory openmp_backend_factory();

}  // namespace tconv
