// Kernel family phase_simt128: the stride-phase implicit GEMM of phase_gemm (same views,
// mma_views.h) on the f32 CUDA-core kernel of simt128_kernel.h (128 x 128 tiles, 8 x 8 per
// thread, 3-stage cp.async). f32 only; fwd (bias fused) and bwd_data. Variant name
// `phase_simt128`.
#pragma once

#include <cstddef>

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_simt128_refuses(Direction d, const ConvGeometry& g, DType t);
// The workspace the launch packs the filter into (simt128_packed_filter.h): where packing
// applies and fits `limit`, its bytes; else 0, and the kernel reads the device filter as is.
std::size_t phase_simt128_workspace_bytes(Direction d, const ConvGeometry& g, std::size_t limit);
// Packs when `workspace_bytes` holds phase_simt128_workspace_bytes(d, g, limit) > 0.
Status launch_phase_simt128(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                            std::size_t workspace_bytes, CUstream_st* stream);

}  // namespace tconv::cuda
