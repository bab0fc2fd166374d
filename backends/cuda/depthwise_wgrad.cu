// Kernel family `depthwise_wgrad` (depthwise_wgrad.h): bwd_weights for few channels per group,
// split over input rows, two deterministic passes.
//
// CPU reference: the oracle; memory_bound_test.cpp emulates both passes.
//
// Kernel versions:
//   v1  pass 1 one thread per (weight, split), pass 2 one thread per weight.
#include "backends/cuda/depthwise_wgrad.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <string>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/depthwise.h"
#include "backends/cuda/grid_stride.h"

namespace tconv::cuda {

namespace {

template <class T, class Acc>
__global__ void __launch_bounds__(kDepthwiseWgradThreads)
    depthwise_wgrad_v1(ConvGeometry g, WgradSplitPlan p, const T* x, const T* dy, Acc* ws) {
  for_each_grid_index(p.threads(), [&](std::int64_t i) { depthwise_wgrad_partial_thread<T, Acc>(g, p, i, x, dy, ws); });
}

template <class T, class Acc>
__global__ void __launch_bounds__(kDepthwiseWgradThreads)
    depthwise_wgrad_finish_v1(WgradSplitPlan p, const Acc* ws, T* dw) {
  for_each_grid_index(p.weights, [&](std::int64_t e) { depthwise_wgrad_finish_thread<T, Acc>(p, e, ws, dw); });
}

template <class T, class Acc>
Status launch_typed(const ConvGeometry& g, const DeviceOperands& ops, void* workspace, cudaStream_t stream) {
  const WgradSplitPlan p = plan_depthwise_wgrad(g);
  auto* ws = static_cast<Acc*>(workspace);
  depthwise_wgrad_v1<T, Acc><<<grid_blocks(p.threads(), kDepthwiseWgradThreads), kDepthwiseWgradThreads, 0, stream>>>(
      g, p, static_cast<const T*>(ops.x), static_cast<const T*>(ops.dy), ws);
  TCONV_CU_CHECK_LAUNCH("depthwise_wgrad_v1");
  depthwise_wgrad_finish_v1<T, Acc><<<grid_blocks(p.weights, kDepthwiseWgradThreads), kDepthwiseWgradThreads, 0,
                                      stream>>>(p, ws, static_cast<T*>(ops.dw));
  TCONV_CU_CHECK_LAUNCH("depthwise_wgrad_finish_v1");
  return Status::Ok();
}

}  // namespace

Status depthwise_wgrad_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::bwd_weights) return Status::Unsupported("depthwise_wgrad: runs bwd_weights only");
  if (t != DType::f32 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("depthwise_wgrad: f32, f16 and bf16 only");
  return few_channels_per_group_refuses("depthwise_wgrad", g);
}

// Partials in f32 (the accumulator of every dtype this family runs).
std::size_t depthwise_wgrad_workspace_bytes(const ConvGeometry& g, DType) {
  return static_cast<std::size_t>(plan_depthwise_wgrad(g).threads()) * sizeof(float);
}

Status launch_depthwise_wgrad(const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                              CUstream_st* stream) {
  if (Status s = depthwise_wgrad_refuses(Direction::bwd_weights, g, t); !s.ok()) return s;
  switch (t) {
    case DType::f32: return launch_typed<float, float>(g, ops, workspace, stream);
    case DType::f16: return launch_typed<__half, float>(g, ops, workspace, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16, float>(g, ops, workspace, stream);
    default: break;
  }
  return Status::Error(StatusCode::invalid, "depthwise_wgrad: unknown dtype");
}

}  // namespace tconv::cuda
