// Kernel family v3, the k == s fast path (non-overlapping windows, the U-Net Conv2DTranspose(k=2, s=2)): one
// GEMM with a pixel-shuffle epilogue and fused bias. Directions: fwd, bwd_data.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status k_equals_s_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_k_equals_s(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

}  // namespace tconv::cuda
