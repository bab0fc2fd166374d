// Kernel family v5, phase_wgmma (phase_wgmma.h): phase_tc's stride-phase implicit GEMM on
// Hopper's warpgroup MMA. The producer, the K walk, the grouped grid and the C terms are
// tc_tile.h's; the stage layouts and the accumulator map are wg_tile.h's; the wgmma
// descriptors come from CuTe (wg_cute.h) over those same layouts. phase_wgmma_emulator.h runs
// every block on the CPU against the oracle. Built for sm_90a only (wgmma is not in sm_90).
#include "backends/cuda/phase_wgmma.h"

#include <cutlass/arch/barrier.h>

#include "backends/cuda/tc_launch.h"
#include "backends/cuda/wg_kernel.cuh"

namespace tconv::cuda {
namespace wg {
namespace {

template <class T, bool BKN, class View>
__global__ void __launch_bounds__(WgCfg::THREADS) phase_wgmma_kernel(View v, const T* A, const T* B, const T* bias, T* C) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using Cu = WgCute<typename CuteOf<T>::type, BKN>;
  using CT = typename CuteOf<T>::type;
  using tc::TcBlock;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  // The stages start on a swizzle atom (1 KiB): the swizzle is a function of the address.
  auto* smem = reinterpret_cast<std::uint16_t*>((reinterpret_cast<std::uintptr_t>(smem_raw) + WgCfg::ALIGN_BYTES - 1) &
                                                ~std::uintptr_t{WgCfg::ALIGN_BYTES - 1});
  __shared__ i64 c_rows[WgCfg::BM], c_cols[WgCfg::BN];
  __shared__ mma::KAffine kaff;
  const TcBlock blk = tc::tc_block(v, blockIdx.x, blockIdx.y);
  const int tid = threadIdx.x;
  tc::fill_c_terms(v, blk, tid, c_rows, c_cols);
  const tc::ThreadRows<WgCfg> rows = tc::thread_rows<BKN, WgCfg>(v, blk, tid);
  if (tid == 0) kaff = mma::k_affine(v, blk.part, blk.gi, WgCfg::BK);
  __syncthreads();
  tc::ThreadK<BKN, WgCfg> at = tc::thread_k<BKN, WgCfg>(kaff, tid);
  const i64 steps = tc::tiles_of(blk.part.k, WgCfg::BK);
  auto issue = [&](i64 kt) {
    tc::for_each_chunk<BKN, WgCfg>(kaff, v, rows, at, tc::stage_of<WgCfg>(kt),
                                   [&](int so, mma::ChunkSrc src, bool is_b) {
                                     tc::cp_async16(smem + so, (is_b ? B : A) + src.off, src.valid);
                                   });
  };
  typename Cu::TiledMma tiled_mma;
  auto thr = tiled_mma.get_thread_slice(tid);
  cute::Tensor acc = cute::partition_fragment_C(tiled_mma, cute::Shape<typename Cu::BM, typename Cu::BN>{});
  cute::clear(acc);
  tiled_mma.accumulate_ = cute::GMMA::ScaleOut::One;
#pragma unroll
  for (int s = 0; s < tc::kLookahead<WgCfg>; ++s) {
    if (s < steps) issue(s);
    tc::cp_async_commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    tc::cp_async_wait<tc::kWaitDepth<WgCfg>>();
    cutlass::arch::fence_view_async_shared();  // cp.async wrote through the generic proxy; wgmma reads through the async one
    __syncthreads();  // step kt landed for every thread; every warpgroup retired step kt - 2 (waited below)
    if (tc::refill_step<WgCfg>(kt) < steps) issue(tc::refill_step<WgCfg>(kt));
    tc::cp_async_commit();
    // Step kt's batch runs on; kt - 1's stage is free after the next barrier.
    wg_multiply_stage<Cu, WgCfg>(tiled_mma, thr, reinterpret_cast<CT*>(smem), tc::stage_of<WgCfg>(kt), acc);
  }
  cute::warpgroup_wait<0>();
  cute::warpgroup_fence_operand(acc);
  tc::cp_async_wait<0>();
  __syncthreads();  // the C terms are visible (also when the phase has no k-step)
  wg_epilogue(v, blk, c_rows, c_cols, tid, acc, bias, C);
#endif
}

}  // namespace
}  // namespace wg

bool phase_wgmma_built() { return true; }

Status phase_wgmma_refuses(Direction d, const ConvGeometry& g, DType t) {
  return wg::wgmma_refusal("phase_wgmma", d, g, t);
}

Status launch_phase_wgmma(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status r = phase_wgmma_refuses(d, g, t); !r.ok()) return r;
  return wg::launch_wgmma("phase_wgmma", d, g, t, ops,
                          [&](const auto& v, auto bkn, auto type, const void* A, const void* B, const void* bias,
                              void* C, const char* name) {
                            using T = decltype(type);
                            using View = std::decay_t<decltype(v)>;
                            return tc::launch_tile_kernel<&wg::phase_wgmma_kernel<T, decltype(bkn)::value, View>>(
                                v, wg::WgCfg::THREADS, wg::WgCfg::SMEM_BYTES, stream, name, static_cast<const T*>(A),
                                static_cast<const T*>(B), static_cast<const T*>(bias), static_cast<T*>(C));
                          });
}

}  // namespace tconv::cuda
