// The warp-specialised variant of phase_wgmma (phase_wgmma_ws.cu): the same tiles, layouts,
// accumulator map and epilogue (wg_tile.h), but one warpgroup only loads and two only
// multiply. The producer (warpgroup 0, 128 threads) copies each k-step's chunks with cp.async
// and arrives on the stage's "full" mbarrier when its copies land
// (cp.async.mbarrier.arrive.noinc); the consumers (warpgroups 1 and 2) wait on it, issue their
// wgmma, and arrive on the stage's "empty" mbarrier once the batch that read it has retired.
// The producer runs up to STAGES k-steps ahead of the multiply, and none of the address
// arithmetic of the loads sits between two wgmma batches.
//
// Pure integer maps, __host__ __device__: the kernel and its emulator
// (phase_wgmma_ws_emulator.h, which models the mbarriers) walk the ring with these.
#pragma once

#include "backends/cuda/wg_tile.h"

namespace tconv::cuda::wg {

struct WsCfg : WgCfg {
  // 6 stages of 32 KiB: the most that fit beside the C terms and the barriers in 227 KiB.
  static constexpr int STAGES = 6;
  static constexpr int LOAD_THREADS = 128;                              // warpgroup 0
  static constexpr int MMA_THREADS = WgCfg::THREADS;                    // warpgroups 1 and 2
  static constexpr int BLOCK_THREADS = LOAD_THREADS + MMA_THREADS;      // 384
  // The chunk maps (tc_tile.h's rk_chunk / kn_chunk) spread a k-step over THREADS threads: here
  // the producer's.
  static constexpr int THREADS = LOAD_THREADS;
  static constexpr int A_CHUNKS = BM * BK / CHUNK / THREADS, B_CHUNKS = BN * BK / CHUNK / THREADS;
  static constexpr int SMEM_BYTES = STAGES * STAGE_ELEMS * ELEM_BYTES + ALIGN_BYTES;
  // Arrivals that complete a phase: every producer thread once its copies of the k-step landed
  // (full); every consumer thread once its batch on the stage retired (empty).
  static constexpr int FULL_ARRIVALS = LOAD_THREADS, EMPTY_ARRIVALS = MMA_THREADS;
  static_assert(A_CHUNKS == 8 && B_CHUNKS == 8, "a producer thread copies 8 chunks of A and 8 of B per k-step");
  // Beside the static shared memory (two tiles' C terms and K walks, the mbarriers: under 8 KiB).
  static_assert(SMEM_BYTES + 8192 <= 227 * 1024, "fits an SM's shared memory");
};

// A position in the ring of stages: the stage, and the parity of the barrier phase that the
// position waits for (mbarrier.try_wait.parity passes once the phase of that parity completed).
struct RingPos {
  int stage;
  unsigned parity;
};

// The consumer's first k-step waits for phase 0 of its full barrier (the copies landed). The
// producer's first round waits on empty barriers that no consumer has released: it starts at
// parity 1, which a fresh barrier (in phase 0) reports as completed, so round 0 does not wait.
TCONV_HD constexpr RingPos ws_consumer_start() { return {0, 0u}; }
TCONV_HD constexpr RingPos ws_producer_start() { return {0, 1u}; }
// The next k-step's position, within a tile and across tiles: the next stage, and the other
// parity after a round of the ring.
TCONV_HD constexpr RingPos ring_next(RingPos p) {
  return p.stage + 1 == WsCfg::STAGES ? RingPos{0, p.parity ^ 1u} : RingPos{p.stage + 1, p.parity};
}

// The consumers release a stage once the wgmma batch that read it has retired: after
// wgmma.wait_group MMA_IN_FLIGHT at step kt, the batch of step kt - MMA_IN_FLIGHT.
inline constexpr int kWsReleaseLag = WsCfg::MMA_IN_FLIGHT;
// At the end of a tile of `steps` k-steps, after wgmma.wait_group 0: the stages its last
// batches read, which the loop has not released. Released before the epilogue, so the producer
// fills the next tile's first stages while the consumers store this one.
TCONV_HD constexpr i64 ws_tail_releases(i64 steps) { return steps < kWsReleaseLag ? steps : kWsReleaseLag; }

// The kernel is persistent (tc_tile.h's TileSchedule): each role walks the block's tiles on its
// own, the ring of stages running on across tiles. Per-tile data in shared memory (the K walk,
// written by the producer's thread 0; the C terms, by the consumers) has two buffers, tile i in
// buffer i % 2, and each role passes a named barrier of its own threads between writing a
// buffer and reading it: the write for tile i + 2 comes after the barrier of tile i + 1, which
// no thread of the role reaches before it is done with tile i. Barrier 0 is __syncthreads.
inline constexpr int kProducerBarrier = 1, kConsumerBarrier = 2;

}  // namespace tconv::cuda::wg
