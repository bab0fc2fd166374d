// bwd_weights implicit GEMM with deterministic split-K (see bwd_weights_gemm.h).
//
// CPU reference: the oracle; bwd_weights_gemm_test.cpp runs this kernel's phases for every
// thread of every block on the CPU (bwd_weights_gemm_emulate.h) against it.
//
// Kernel versions:
//   v1  32x32 tile, 16-deep K slices through shared memory, 2x2 per thread, split-K partials
//       into a workspace; reduce_v1 sums the splits of each weight in split order.
#include "backends/cuda/bwd_weights_gemm.h"

#include <algorithm>

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/cuda_check.h"

namespace tconv::cuda {

namespace {

constexpr std::int64_t kMaxGridYZ = 65535;

template <class T, class Acc>
__global__ void __launch_bounds__(kWgradThreads)
    bwd_weights_gemm_v1(ConvGeometry g, WgradPlan pl, const T* x, const T* dy, Acc* ws) {
  __shared__ Acc As[kWgradBK * kWgradBM];
  __shared__ Acc Bs[kWgradBK * kWgradBN];
  const int tid = threadIdx.x;
  const std::int64_t group = blockIdx.z % g.groups, split = blockIdx.z / g.groups;
  const std::int64_t row0 = std::int64_t{blockIdx.y} * kWgradBM, col0 = std::int64_t{blockIdx.x} * kWgradBN;
  const std::int64_t k_end = wgrad_split_end(pl, split);
  Acc acc[4] = {0, 0, 0, 0};
  const std::int64_t k_begin = wgrad_split_begin(pl, split);
  WgradWalk walk = wgrad_walk(g, pl, group, col0, k_begin, k_end, tid);
  for (std::int64_t k0 = k_begin; k0 < k_end; k0 += kWgradBK) {
    wgrad_load_tiles<T, Acc>(g, pl, x, dy, group, row0, walk, tid, As, Bs);
    __syncthreads();
    wgrad_fma_slice<Acc>(tid, As, Bs, acc);
    __syncthreads();
  }
  wgrad_store_partial<Acc>(pl, g.groups, split, group, row0, col0, tid, acc, ws);
}

template <class T, class Acc>
__global__ void __launch_bounds__(kWgradThreads)
    bwd_weights_reduce_v1(ConvGeometry g, WgradPlan pl, std::int64_t total, const Acc* ws, T* dw) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{gridDim.x} * blockDim.x)
    wgrad_reduce_thread<T, Acc>(g, pl, i, ws, dw);
}

template <class T>
Status launch_typed(const ConvGeometry& g, const DeviceOperands& ops, const WgradPlan& pl, void* workspace,
                    cudaStream_t stream) {
  using Acc = float;
  const dim3 grid(static_cast<unsigned>(pl.col_tiles), static_cast<unsigned>(pl.row_tiles),
                  static_cast<unsigned>(pl.splits * g.groups));
  bwd_weights_gemm_v1<T, Acc><<<grid, kWgradThreads, 0, stream>>>(
      g, pl, static_cast<const T*>(ops.x), static_cast<const T*>(ops.dy), static_cast<Acc*>(workspace));
  TCONV_CU_CHECK_LAUNCH("bwd_weights_gemm_v1");
  const std::int64_t total = g.c_in * g.cog() * g.kh * g.kw;
  const std::int64_t blocks = std::min<std::int64_t>((total + kWgradThreads - 1) / kWgradThreads, 1 << 20);
  bwd_weights_reduce_v1<T, Acc><<<static_cast<unsigned>(blocks), kWgradThreads, 0, stream>>>(
      g, pl, total, static_cast<const Acc*>(workspace), static_cast<T*>(ops.dw));
  TCONV_CU_CHECK_LAUNCH("bwd_weights_reduce_v1");
  return Status::Ok();
}

}  // namespace

WgradPlan plan_bwd_weights_gemm(const ConvGeometry& g, std::size_t max_workspace_bytes) {
  WgradPlan pl;
  pl.m = g.cig();
  pl.ncol = g.cog() * g.kh * g.kw;
  pl.k = g.n * g.h_in * g.w_in;
  pl.row_tiles = (pl.m + kWgradBM - 1) / kWgradBM;
  pl.col_tiles = (pl.ncol + kWgradBN - 1) / kWgradBN;
  const std::int64_t k_tiles = (pl.k + kWgradBK - 1) / kWgradBK;
  const std::int64_t tiles = pl.row_tiles * pl.col_tiles * g.groups;
  // Enough blocks to fill the GPU, but at least 4 K slices per split (the reduction stays
  // cheap), within the grid's z limit and the workspace budget.
  std::int64_t splits = std::max<std::int64_t>(1, (kWgradTargetBlocks + tiles - 1) / tiles);
  splits = std::min(splits, std::max<std::int64_t>(1, k_tiles / 4));
  splits = std::min(splits, std::max<std::int64_t>(1, kMaxGridYZ / g.groups));
  const std::int64_t per_split = g.groups * pl.m * pl.ncol * static_cast<std::int64_t>(sizeof(float));
  splits = std::min(splits, std::max<std::int64_t>(1, static_cast<std::int64_t>(max_workspace_bytes) / per_split));
  const std::int64_t tiles_per_split = (k_tiles + splits - 1) / splits;
  pl.k_per_split = std::max<std::int64_t>(1, tiles_per_split) * kWgradBK;
  pl.splits = std::max<std::int64_t>(1, (pl.k + pl.k_per_split - 1) / pl.k_per_split);  // none empty
  return pl;
}

std::size_t bwd_weights_gemm_workspace_bytes(const ConvGeometry& g, const WgradPlan& pl) {
  return static_cast<std::size_t>(pl.splits * g.groups * pl.m * pl.ncol) * sizeof(float);
}

Status bwd_weights_gemm_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::bwd_weights) return Status::Unsupported("bwd_weights_gemm: runs bwd_weights only");
  if (t == DType::f64) return Status::Unsupported("bwd_weights_gemm: f64 runs on the gather kernels (this GEMM accumulates in f32)");
  if (t != DType::f32 && t != DType::f16 && t != DType::bf16) return Status::Unsupported("bwd_weights_gemm: f32, f16 and bf16 only");
  if (g.groups > kMaxGridYZ) return Status::Unsupported("bwd_weights_gemm: more than 65535 groups (the grid's z limit)");
  if ((g.cig() + kWgradBM - 1) / kWgradBM > kMaxGridYZ) return Status::Unsupported("bwd_weights_gemm: C_in/groups over 65535 tiles");
  if (g.n * g.h_in * g.w_in > (std::int64_t{1} << 30))  // the loads' K walk (k_cursor.h) counts in 32 bits
    return Status::Unsupported("bwd_weights_gemm: K = N x H_in x W_in above 2^30");
  return Status::Ok();
}

Status launch_bwd_weights_gemm(const ConvGeometry& g, DType t, const DeviceOperands& ops, const WgradPlan& plan,
                               void* workspace, CUstream_st* stream) {
  switch (t) {
    case DType::f32: return launch_typed<float>(g, ops, plan, workspace, stream);
    case DType::f16: return launch_typed<__half>(g, ops, plan, workspace, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16>(g, ops, plan, workspace, stream);
    case DType::f64: break;
  }
  return bwd_weights_gemm_refuses(Direction::bwd_weights, g, t);
}

}  // namespace tconv::cuda
