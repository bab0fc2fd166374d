// Kernel family phase_simt128: the stride-phase implicit GEMM of phase_gemm (same views,
// mma_views.h) on the f32 CUDA-core kernel of simt128_kernel.h (128 x 128 tiles, 8 x 8 per
// thread, 3-stage cp.async). f32 only; fwd (bias fused) and bwd_data. Variant name
// `phase_simt128`.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_simt128_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_simt128(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

}  // namespace tconv::cuda
