// Kernel family wgrad_simt128: bwd_weights as a split-K implicit GEMM on the f32 CUDA-core
// kernel of simt128_kernel.h (WgradSpec, simt128_spec.h), beside bwd_weights_gemm (32 x 32
// tiles). Each split of K = N*H_in*W_in writes its partial dw into a workspace; a second
// kernel sums the splits of each weight in split order (no float atomics). The plan depends
// only on the problem and the workspace limit, so results repeat bitwise. f32 only. Variant
// name `wgrad_simt128` (the plan is a WgradPlan, so device_run's workspace handling carries
// over).
#pragma once

#include <cstddef>

#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

inline constexpr std::int64_t kSimt128WgradTargetBlocks = 264;  // two per SM of a 132-SM H100: fixed, not queried
inline constexpr std::int64_t kSimt128WgradMinSteps = 16;       // k-steps (of 8) per split at least

// m = C_in/g, ncol = C_out/g*kh*kw, k = N*H_in*W_in; splits and k_per_split (a multiple of 8);
// row_tiles / col_tiles of 128.
WgradPlan plan_wgrad_simt128(const ConvGeometry& g, std::size_t max_workspace_bytes);
// 0 with one split (the GEMM then writes dw directly).
std::size_t wgrad_simt128_workspace_bytes(const ConvGeometry& g, const WgradPlan& plan);

Status wgrad_simt128_refuses(Direction d, const ConvGeometry& g, DType t);
// ops.x, ops.dy in, ops.dw out (device filter format).
Status launch_wgrad_simt128(const ConvGeometry& g, DType t, const DeviceOperands& ops, const WgradPlan& plan,
                            void* workspace, CUstream_st* stream);

// Reduction thread i (dw's flat offset in the device filter format): splits summed in order.
TCONV_HD float wgrad_simt128_reduce(const float* ws, std::int64_t total, std::int64_t splits, std::int64_t i) {
  float sum = ws[i];
  for (std::int64_t z = 1; z < splits; ++z) sum += ws[z * total + i];
  return sum;
}

}  // namespace tconv::cuda
