// Kernel family v5b, phase_wgmma_ws (phase_wgmma_ws.h): phase_wgmma with its loads and its
// multiplies in different warpgroups (wg_ws.h), persistent. Warpgroup 0 walks K and issues
// every cp.async of a k-step; warpgroups 1 and 2 wait on the stage's full barrier and issue
// wgmma; each role walks the block's tiles on its own, the ring running on across them. The
// barriers are CUTLASS's (cutlass/arch/barrier.h); the ring positions and the release rule are
// wg_ws.h's, which phase_wgmma_ws_emulator.h runs on the CPU against a model of the mbarriers.
// Built for sm_90a only.
#include "backends/cuda/phase_wgmma_ws.h"

#include <cutlass/arch/barrier.h>

#include "backends/cuda/tc_launch.h"
#include "backends/cuda/wg_kernel.cuh"
#include "backends/cuda/wg_ws.h"

namespace tconv::cuda {
namespace wg {
namespace {

using Barrier = cutlass::arch::ClusterBarrier;

__device__ __forceinline__ void named_barrier_sync(int id, int threads) {
  asm volatile("bar.sync %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

template <class T, bool BKN, class View>
__global__ void __launch_bounds__(WsCfg::BLOCK_THREADS, 1)
    phase_wgmma_ws_kernel(View v, tc::TileSchedule sched, const T* A, const T* B, const T* bias, T* C) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using Cu = WgCute<typename CuteOf<T>::type, BKN>;
  using CT = typename CuteOf<T>::type;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  // The stages start on a swizzle atom (1 KiB): the swizzle is a function of the address.
  auto* smem = reinterpret_cast<std::uint16_t*>((reinterpret_cast<std::uintptr_t>(smem_raw) + WsCfg::ALIGN_BYTES - 1) &
                                                ~std::uintptr_t{WsCfg::ALIGN_BYTES - 1});
  // Two buffers of each per-tile table (wg_ws.h): tile i of the block uses buffer i % 2.
  __shared__ i64 c_rows[2][WsCfg::BM], c_cols[2][WsCfg::BN];
  __shared__ mma::KAffine kaff[2];
  __shared__ std::uint64_t full[WsCfg::STAGES], empty[WsCfg::STAGES];  // mbarriers
  const int tid = threadIdx.x;
  if (tid == 0) {
    for (int s = 0; s < WsCfg::STAGES; ++s) {
      Barrier::init(&full[s], WsCfg::FULL_ARRIVALS);
      Barrier::init(&empty[s], WsCfg::EMPTY_ARRIVALS);
    }
    cutlass::arch::fence_barrier_init();
  }
  __syncthreads();  // the barriers are initialised; no block-wide barrier follows
  if (tid < WsCfg::LOAD_THREADS) {
    // The producer: each tile's k-steps, in order, into the stage of its ring position once the
    // consumers freed it.
    RingPos w = ws_producer_start();
    int buf = 0;
    for (i64 t = blockIdx.x; t < sched.tiles; t += gridDim.x, buf ^= 1) {
      const tc::TcBlock blk = tc::scheduled_tile(v, sched, t);
      if (tid == 0) kaff[buf] = mma::k_affine(v, blk.part, blk.gi, WsCfg::BK);
      named_barrier_sync(kProducerBarrier, WsCfg::LOAD_THREADS);
      const mma::KAffine& f = kaff[buf];
      const tc::ThreadRows<WsCfg> rows = tc::thread_rows<BKN, WsCfg>(v, blk, tid);
      tc::ThreadK<BKN, WsCfg> at = tc::thread_k<BKN, WsCfg>(f, tid);
      const i64 steps = tc::tiles_of(blk.part.k, WsCfg::BK);
      for (i64 kt = 0; kt < steps; ++kt) {
        Barrier::wait(&empty[w.stage], w.parity);
        tc::for_each_chunk<BKN, WsCfg>(f, v, rows, at, w.stage, [&](int so, mma::ChunkSrc src, bool is_b) {
          tc::cp_async16(smem + so, (is_b ? B : A) + src.off, src.valid);
        });
        // One arrival on the full barrier once this thread's copies of the k-step have landed.
        cutlass::arch::cpasync_barrier_arrive_noinc(&full[w.stage]);
        w = ring_next(w);
      }
    }
    tc::cp_async_wait<0>();  // no copy outlives its thread
    return;
  }
  // The consumers: warpgroups 1 and 2 multiply rows 0-63 and 64-127 of each tile.
  const int mma_tid = tid - WsCfg::LOAD_THREADS;
  typename Cu::TiledMma tiled_mma;
  auto thr = tiled_mma.get_thread_slice(mma_tid);
  cute::Tensor acc = cute::partition_fragment_C(tiled_mma, cute::Shape<typename Cu::BM, typename Cu::BN>{});
  tiled_mma.accumulate_ = cute::GMMA::ScaleOut::One;  // onto the cleared accumulators of each tile
  RingPos r = ws_consumer_start(), released = r;
  auto* stages = reinterpret_cast<CT*>(smem);
  int buf = 0;
  for (i64 t = blockIdx.x; t < sched.tiles; t += gridDim.x, buf ^= 1) {
    const tc::TcBlock blk = tc::scheduled_tile(v, sched, t);
    tc::fill_c_terms(v, blk, mma_tid, c_rows[buf], c_cols[buf]);  // 256 threads: one term each
    cute::clear(acc);
    const i64 steps = tc::tiles_of(blk.part.k, WsCfg::BK);
    for (i64 kt = 0; kt < steps; ++kt) {
      Barrier::wait(&full[r.stage], r.parity);
      // cp.async wrote through the generic proxy; wgmma reads through the async one. The writers
      // cannot fence after copies they do not wait for, so the reader fences after it observed them.
      cutlass::arch::fence_view_async_shared();
      wg_multiply_stage<Cu, WsCfg>(tiled_mma, thr, stages, r.stage, acc);
      if (kt >= kWsReleaseLag) {  // the batch of step kt - kWsReleaseLag retired: its stage is free
        Barrier::arrive(&empty[released.stage]);
        released = ring_next(released);
      }
      r = ring_next(r);
    }
    cute::warpgroup_wait<0>();
    cute::warpgroup_fence_operand(acc);
    for (i64 i = 0; i < ws_tail_releases(steps); ++i) {  // every batch retired: the last stages are free
      Barrier::arrive(&empty[released.stage]);
      released = ring_next(released);
    }
    named_barrier_sync(kConsumerBarrier, WsCfg::MMA_THREADS);  // both warpgroups' C terms are written
    wg_epilogue(v, blk, c_rows[buf], c_cols[buf], mma_tid, acc, bias, C);
  }
#endif
}

}  // namespace
}  // namespace wg

Status phase_wgmma_ws_refuses(Direction d, const ConvGeometry& g, DType t) {
  return wg::wgmma_refusal("phase_wgmma_ws", d, g, t);
}

namespace {

Status launch_ws(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream,
                 std::int64_t max_blocks) {
  if (Status r = phase_wgmma_ws_refuses(d, g, t); !r.ok()) return r;
  return wg::launch_wgmma("phase_wgmma_ws", d, g, t, ops,
                          [&](const auto& v, auto bkn, auto type, const void* A, const void* B, const void* bias,
                              void* C, const char* name) {
                            using T = decltype(type);
                            using View = std::decay_t<decltype(v)>;
                            return tc::launch_persistent_tile_kernel<
                                &wg::phase_wgmma_ws_kernel<T, decltype(bkn)::value, View>>(
                                v, wg::WsCfg::BLOCK_THREADS, wg::WsCfg::SMEM_BYTES, max_blocks, stream, name,
                                static_cast<const T*>(A), static_cast<const T*>(B), static_cast<const T*>(bias),
                                static_cast<T*>(C));
                          });
}

}  // namespace

Status launch_phase_wgmma_ws(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                             CUstream_st* stream) {
  return launch_ws(d, g, t, ops, stream, 0);
}

Status launch_phase_wgmma_ws_on_grid(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                                     CUstream_st* stream, std::int64_t max_blocks) {
  return launch_ws(d, g, t, ops, stream, max_blocks);
}

}  // namespace tconv::cuda
