// Kernel family v2, stride-phase implicit GEMM: the stride_h*stride_w output phases are each a dense
// convolution with a sub-kernel, tiled through shared memory; f32 on CUDA cores, f16/bf16 on
// tensor cores (mma.sync, f32 accumulation). Directions: fwd, bwd_data.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_gemm_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_gemm(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

}  // namespace tconv::cuda
