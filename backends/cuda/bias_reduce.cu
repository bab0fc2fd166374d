// Kernel family `bias_reduce` (bias_reduce.h): bwd_bias, split over every channel's elements,
// two passes, deterministic.
//
// CPU reference: the oracle; memory_bound_test.cpp emulates both passes block by block.
//
// Kernel versions:
//   v1  pass 1 one block per (split, channel or channel tile), vector loads where aligned,
//       partials summed in thread order; pass 2 one thread per channel.
#include "backends/cuda/bias_reduce.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/cuda_check.h"

namespace tconv::cuda {

namespace {

template <class T, class Acc>
__global__ void __launch_bounds__(kBiasThreads) bias_reduce_v1(ConvGeometry g, BiasPlan p, const T* dy, Acc* ws) {
  __shared__ Acc partials[kBiasThreads * kVec];
  const int t = threadIdx.x;
  const std::int64_t k = blockIdx.x, tile = blockIdx.y;
  if (!p.nhwc) {
    partials[t] = bias_nchw_partial<T, Acc>(g, p, tile, k, t, dy);
    __syncthreads();
    bias_nchw_block_sum(p, tile, k, t, partials, ws);
  } else {
    Acc acc[kVec];
    bias_nhwc_partial<T, Acc>(g, p, tile, k, t, dy, acc);
    for (int i = 0; i < kVec; ++i) partials[t * kVec + i] = acc[i];
    __syncthreads();
    bias_nhwc_block_sum(g, p, tile, k, t, partials, ws);
  }
}

template <class T, class Acc>
__global__ void __launch_bounds__(kBiasThreads) bias_finish_v1(ConvGeometry g, BiasPlan p, const Acc* ws, T* db) {
  const std::int64_t c = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x;
  if (c < g.c_out) bias_finish_thread<T, Acc>(p, c, ws, db);
}

template <class T, class Acc>
Status launch_typed(const ConvGeometry& g, const DeviceOperands& ops, void* workspace, cudaStream_t stream) {
  const BiasPlan p = plan_bias_reduce(g);
  auto* ws = static_cast<Acc*>(workspace);
  bias_reduce_v1<T, Acc><<<dim3(static_cast<unsigned>(p.splits), static_cast<unsigned>(p.tiles)), kBiasThreads, 0,
                           stream>>>(g, p, static_cast<const T*>(ops.dy), ws);
  TCONV_CU_CHECK_LAUNCH("bias_reduce_v1");
  const unsigned blocks = static_cast<unsigned>((g.c_out + kBiasThreads - 1) / kBiasThreads);
  bias_finish_v1<T, Acc><<<blocks, kBiasThreads, 0, stream>>>(g, p, ws, static_cast<T*>(ops.db));
  TCONV_CU_CHECK_LAUNCH("bias_finish_v1");
  return Status::Ok();
}

}  // namespace

// Grid limits: channel tiles on grid.y (NCHW: one per channel).
Status bias_reduce_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::bwd_bias) return Status::Unsupported("bias_reduce: runs bwd_bias only");
  if (t != DType::f32 && t != DType::f64 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("bias_reduce: f32, f64, f16 and bf16 only");
  if (plan_bias_reduce(g).tiles > 65535) return Status::Unsupported("bias_reduce: more than 65535 channel tiles");
  return Status::Ok();
}

std::size_t bias_reduce_workspace_bytes(const ConvGeometry& g, DType t) {
  const std::size_t acc = t == DType::f64 ? sizeof(double) : sizeof(float);
  return static_cast<std::size_t>(g.c_out * plan_bias_reduce(g).splits) * acc;
}

Status launch_bias_reduce(const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                          CUstream_st* stream) {
  if (Status s = bias_reduce_refuses(Direction::bwd_bias, g, t); !s.ok()) return s;
  switch (t) {
    case DType::f32: return launch_typed<float, float>(g, ops, workspace, stream);
    case DType::f64: return launch_typed<double, double>(g, ops, workspace, stream);
    case DType::f16: return launch_typed<__half, float>(g, ops, workspace, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16, float>(g, ops, workspace, stream);
    default: break;
  }
  return Status::Error(StatusCode::invalid, "bias_reduce: unknown dtype");
}

}  // namespace tconv::cuda
