// The tiling of the phase_wgmma family (phase_wgmma.cu): Hopper's warpgroup MMA (wgmma) on the
// stride-phase implicit GEMM of phase_tc. Same grouped grid, 128 x 128 block tiles, the same
// producer (tc_tile.h's for_each_chunk: 16-byte cp.async with zero fill, the K walk), but
// k-steps of 64 and shared-memory tiles in the 128-byte-swizzled layouts wgmma reads through its
// matrix descriptors; two warpgroups each multiply 64 rows by the 128 columns.
//
// Pure integer maps, __host__ __device__. The layouts are CuTe's (GMMA::Layout_K_SW128_Atom and
// Layout_MN_SW128_Atom tiled over a stage), which the kernel hands to wgmma; phase_wgmma_test.cpp
// checks these formulas against CuTe's own layouts and accumulator partition at every coordinate,
// so the emulator (phase_wgmma_emulator.h) reads shared memory exactly where wgmma will.
#pragma once

#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::wg {

using mma::i64;
using mma::Idx2;

struct WgCfg {
  static constexpr int ELEM_BYTES = 2;  // f16 / bf16
  static constexpr int BM = 128, BN = 128, BK = 64, STAGES = 5;
  static constexpr int MMA_IN_FLIGHT = 1;  // one wgmma batch runs on while the next k-step loads
  static constexpr int THREADS = 256, WARPGROUPS = 2, WG_ROWS = BM / WARPGROUPS;  // 64 rows per warpgroup
  static constexpr int CHUNK = 8;                                                 // elements per 16-byte cp.async
  static constexpr int A_ELEMS = BM * BK, B_ELEMS = BN * BK;
  static constexpr int STAGE_ELEMS = A_ELEMS + B_ELEMS;
  static constexpr int ALIGN_BYTES = 1024;  // a swizzle atom: the stages start at multiples of it
  static constexpr int SMEM_BYTES = STAGES * STAGE_ELEMS * ELEM_BYTES + ALIGN_BYTES;  // + slack to align the base
  static constexpr int A_CHUNKS = BM * BK / CHUNK / THREADS, B_CHUNKS = BN * BK / CHUNK / THREADS;
  static constexpr int ACC = BN / 2;  // f32 accumulators per thread: 64 x 128 over 128 threads
  // K-major, 128-byte swizzle: row r's 64 k (128 bytes) at r*64, its 16-byte chunk k/8 stored
  // as chunk (k/8) ^ (r % 8). A is [m][k]; B is [n][k] when it is contiguous along k (bwd_data).
  TCONV_HD static constexpr int rk(int row, int k) { return row * BK + ((((k >> 3) ^ row) & 7) << 3) + (k & 7); }
  // MN-major, 128-byte swizzle (B contiguous along n, fwd's IHWO filter): atoms of 64 n x 8 k,
  // n fastest; atoms along n, then along k; inside an atom the 16-byte chunk (n % 64) / 8 of k
  // row k % 8 stored as chunk ((n % 64) / 8) ^ (k % 8).
  TCONV_HD static constexpr int kn(int k, int n) {
    const int inside = (n & 63) + ((k & 7) << 6);
    return (n >> 6) * 512 + (k >> 3) * 1024 + (inside ^ (((inside >> 6) & 7) << 3));
  }
  static_assert(THREADS == 256 && A_CHUNKS == 4 && B_CHUNKS == 4 && BM == tc::TcTile::BM && BN == tc::TcTile::BN,
                "the grouped grid and C terms of tc_tile.h assume 128 x 128 tiles and 256 threads");
  static_assert((STAGE_ELEMS * ELEM_BYTES) % ALIGN_BYTES == 0 && (A_ELEMS * ELEM_BYTES) % ALIGN_BYTES == 0,
                "every stage's A and B tile starts on a swizzle atom");
};

// Accumulator pair h (registers 2h, 2h + 1 of the 64) of thread tid: tile-local (m, n of the
// first; the second is n + 1). wgmma's m64nNk16 D layout: warp w of the warpgroup holds rows
// 16w .. 16w + 15; register i lies in column block i / 4, row + 8 for (i / 2) odd, column + 1
// for i odd.
TCONV_HD Idx2 wg_c_pair(int tid, int h) {
  const int wg = tid / 128, w = (tid / 32) % 4, lane = tid % 32, i = 2 * h;
  return {wg * WgCfg::WG_ROWS + 16 * w + lane / 4 + 8 * ((i / 2) % 2), 8 * (i / 4) + 2 * (lane % 4)};
}

// The epilogue's share of thread tid: emit(global offset of the pair's first element, pair h,
// GEMM m, GEMM n) for every accumulator pair inside the GEMM (c_rows / c_cols as tc_tile.h's).
template <class Emit>
TCONV_HD void for_each_wg_pair(const tc::TcBlock& blk, i64 n_count, const i64* c_rows, const i64* c_cols, int tid,
                               Emit&& emit) {
  TCONV_TC_UNROLL
  for (int h = 0; h < WgCfg::ACC / 2; ++h) {
    const Idx2 e = wg_c_pair(tid, h);
    const i64 m = blk.m0 + e.row, n = blk.n0 + e.k;
    if (m >= blk.part.m || n >= n_count) continue;
    emit(c_rows[e.row] + c_cols[e.k], h, m, n);
  }
}

}  // namespace tconv::cuda::wg
