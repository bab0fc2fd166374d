// Kernel family v1, direct gather (llm.c dev/cuda style: reference, numbered kernels, launcher).
//
// CPU reference: the oracle (backends/naive/oracle.h) computes the same sums with f64 loops;
// gather_test.cpp runs every thread function of gather.h on the CPU against it.
//
// Kernel versions:
//   v1  one thread per output element (grid-stride), fixed-order sum over the existing terms;
//       bias: one block per channel, strided partials and a fixed shared-memory tree.
#include "backends/cuda/gather.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/grid_stride.h"

namespace tconv::cuda {

namespace {

// ---- kernel version 1 ----------------------------------------------------------------------

template <class T, class Acc>
__global__ void __launch_bounds__(kGatherThreads)
    gather_fwd_v1(ConvGeometry g, std::int64_t total, const T* x, const T* w, const T* b, T* y) {
  for_each_grid_index(total, [&](std::int64_t i) { gather_fwd_thread<T, Acc>(g, i, x, w, b, y); });
}

template <class T, class Acc>
__global__ void __launch_bounds__(kGatherThreads)
    gather_bwd_data_v1(ConvGeometry g, std::int64_t total, const T* dy, const T* w, T* dx) {
  for_each_grid_index(total, [&](std::int64_t i) { gather_bwd_data_thread<T, Acc>(g, i, dy, w, dx); });
}

template <class T, class Acc>
__global__ void __launch_bounds__(kGatherThreads)
    gather_bwd_weights_v1(ConvGeometry g, std::int64_t total, const T* x, const T* dy, T* dw) {
  for_each_grid_index(total, [&](std::int64_t i) { gather_bwd_weights_thread<T, Acc>(g, i, x, dy, dw); });
}

// One block per output channel (grid-stride over channels).
template <class T, class Acc>
__global__ void __launch_bounds__(kGatherThreads) gather_bwd_bias_v1(ConvGeometry g, const T* dy, T* db) {
  __shared__ Acc partials[kGatherThreads];
  const int t = threadIdx.x;
  for (std::int64_t co = blockIdx.x; co < g.c_out; co += gridDim.x) {
    partials[t] = bias_partial_thread<T, Acc>(g, co, t, kGatherThreads, dy);
    __syncthreads();
    for (int half = kGatherThreads / 2; half > 0; half /= 2) {
      bias_tree_step(partials, t, half);
      __syncthreads();
    }
    if (t == 0) db[co] = static_cast<T>(partials[0]);
    __syncthreads();  // partials[0] is read before the next channel overwrites it
  }
}

// ---- launcher ------------------------------------------------------------------------------

template <class T, class Acc>
Status launch_typed(Direction d, const ConvGeometry& g, const DeviceOperands& ops, cudaStream_t stream) {
  const std::int64_t nx = g.n * g.c_in * g.h_in * g.w_in, ny = g.n * g.c_out * g.h_out * g.w_out;
  const std::int64_t nw = g.c_in * g.cog() * g.kh * g.kw;
  switch (d) {
    case Direction::fwd:
      gather_fwd_v1<T, Acc><<<grid_blocks(ny, kGatherThreads), kGatherThreads, 0, stream>>>(
          g, ny, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w), static_cast<const T*>(ops.b),
          static_cast<T*>(ops.y));
      TCONV_CU_CHECK_LAUNCH("gather_fwd_v1");
      return Status::Ok();
    case Direction::bwd_data:
      gather_bwd_data_v1<T, Acc><<<grid_blocks(nx, kGatherThreads), kGatherThreads, 0, stream>>>(
          g, nx, static_cast<const T*>(ops.dy), static_cast<const T*>(ops.w), static_cast<T*>(ops.dx));
      TCONV_CU_CHECK_LAUNCH("gather_bwd_data_v1");
      return Status::Ok();
    case Direction::bwd_weights:
      gather_bwd_weights_v1<T, Acc><<<grid_blocks(nw, kGatherThreads), kGatherThreads, 0, stream>>>(
          g, nw, static_cast<const T*>(ops.x), static_cast<const T*>(ops.dy), static_cast<T*>(ops.dw));
      TCONV_CU_CHECK_LAUNCH("gather_bwd_weights_v1");
      return Status::Ok();
    case Direction::bwd_bias: {
      const unsigned blocks = static_cast<unsigned>(g.c_out < 65535 ? g.c_out : 65535);
      gather_bwd_bias_v1<T, Acc><<<blocks, kGatherThreads, 0, stream>>>(g, static_cast<const T*>(ops.dy),
                                                                         static_cast<T*>(ops.db));
      TCONV_CU_CHECK_LAUNCH("gather_bwd_bias_v1");
      return Status::Ok();
    }
  }
  return Status::Error(StatusCode::invalid, "gather: unknown direction");
}

}  // namespace

// Every valid problem in the float types.
Status gather_refuses(Direction, const ConvGeometry&, DType t) {
  if (t != DType::f32 && t != DType::f64 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("gather: f32, f64, f16 and bf16 only");
  return Status::Ok();
}

Status launch_gather(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  switch (t) {
    case DType::f32: return launch_typed<float, float>(d, g, ops, stream);
    case DType::f64: return launch_typed<double, double>(d, g, ops, stream);
    case DType::f16: return launch_typed<__half, float>(d, g, ops, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16, float>(d, g, ops, stream);
  }
  return Status::Error(StatusCode::invalid, "gather: unknown dtype");
}

}  // namespace tconv::cuda
