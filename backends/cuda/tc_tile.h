// The tiling of the phase_tc family (phase_tc.cu): 128 x 128 x 32 block tiles, 8 warps, a
// 4-stage (f16/bf16) or 3-stage (tf32) cp.async pipeline of 16-byte chunks, ldmatrix (f16/bf16)
// or 32-bit (tf32) fragment loads, and a grouped grid that runs every stride phase of a
// problem in one launch. Pure integer maps, __host__ __device__: the kernel and the host
// emulator (phase_tc_emulator.h) call exactly these, so the CPU tests check the arithmetic
// that runs.
#pragma once

#include <cstdint>

#include "backends/cuda/k_cursor.h"
#include "backends/cuda/mma_frag.h"
#include "backends/cuda/mma_tile.h"
#include "backends/cuda/mma_views.h"

// Full unrolling on the device, so per-thread arrays (accumulators, row terms) stay in
// registers when these helpers index them; nothing on the host.
#if defined(__CUDA_ARCH__)
#define TCONV_TC_UNROLL _Pragma("unroll")
#else
#define TCONV_TC_UNROLL
#endif

namespace tconv::cuda::tc {

using mma::i64;
using mma::Idx2;

// EB: bytes per element in shared memory (2: f16/bf16, 4: f32 data for the tf32 variant).
template <int EB>
struct TcCfg {
  static constexpr int ELEM_BYTES = EB;
  static constexpr int BM = 128, BN = 128, BK = 32, STAGES = EB == 2 ? 4 : 3;
  static constexpr int MMA_IN_FLIGHT = 0;  // mma.sync: done when it returns
  static constexpr int WARPS_M = 2, WARPS_N = 4, THREADS = 32 * WARPS_M * WARPS_N;
  static constexpr int WM = BM / WARPS_M, WN = BN / WARPS_N;  // 64 x 32 per warp
  static constexpr int MT = WM / 16, NT = WN / 8;              // 4 x 4 mma tiles per warp
  static constexpr int CHUNK = 16 / EB;                        // elements per 16-byte cp.async
  // [row][k] tiles (A; B when it is contiguous along k): rows of BK + CHUNK elements (80 or 144
  // bytes), so the 8 rows one ldmatrix phase reads (f16) start in 8 distinct 4-bank groups and
  // the tf32 fragment reads (row g, column t) hit 32 distinct banks. [k][n] tile (B when it is
  // contiguous along n): rows of BN + 8 elements (272 or 544 bytes), the same properties.
  static constexpr int LDK = BK + CHUNK, LDN = BN + 8;
  static constexpr int A_ELEMS = BM * LDK;
  static constexpr int B_ELEMS = BN * LDK > BK * LDN ? BN * LDK : BK * LDN;
  static constexpr int STAGE_ELEMS = A_ELEMS + B_ELEMS;
  static constexpr int SMEM_BYTES = STAGES * STAGE_ELEMS * EB;
  static constexpr int A_CHUNKS = BM * BK / CHUNK / THREADS, B_CHUNKS = BN * BK / CHUNK / THREADS;  // per thread
  // Element offsets inside one stage's [row][k] and [k][n] tiles (padded rows).
  TCONV_HD static constexpr int rk(int row, int k) { return row * LDK + k; }
  TCONV_HD static constexpr int kn(int k, int n) { return k * LDN + n; }
  static_assert(THREADS == 256 && NT % 2 == 0 && THREADS % (BK / CHUNK) == 0 && THREADS % (BN / CHUNK) == 0);
  static_assert((LDK * EB) % 16 == 0 && (LDN * EB) % 16 == 0 && (A_ELEMS * EB) % 16 == 0 && (STAGE_ELEMS * EB) % 16 == 0,
                "cp.async and ldmatrix need 16-byte aligned rows");
};
using TcTile = TcCfg<2>;    // f16 / bf16
using TcTf32 = TcCfg<4>;    // f32 data, tf32 tensor cores
static_assert(TcTile::A_CHUNKS == 2 && TcTf32::A_CHUNKS == 4 && TcTf32::BM == TcTile::BM && TcTf32::BN == TcTile::BN &&
              TcTf32::WM == TcTile::WM && TcTf32::WN == TcTile::WN, "one block and warp geometry for both");

// Chunk i of thread tid in a [row][k] tile: 8 consecutive k of one row. A thread keeps its k
// chunk (tid % 4) for every i, so one column term per k-step serves all its chunks.
template <class Cfg = TcTile>
TCONV_HD Idx2 rk_chunk(int tid, int i) {
  const int e = tid + i * Cfg::THREADS, per_row = Cfg::BK / Cfg::CHUNK;
  return {e / per_row, (e % per_row) * Cfg::CHUNK};
}
// Chunk i of thread tid in the [k][n] tile: CHUNK consecutive n of one k (row = n of the chunk's
// first element). A thread's chunks share their k (THREADS / BK threads per k row, each taking
// every (THREADS / BK)-th chunk of it), so one column term per k-step serves them all.
template <class Cfg = TcTile>
TCONV_HD Idx2 kn_chunk(int tid, int i) {
  constexpr int per_k_threads = Cfg::THREADS / Cfg::BK;
  static_assert(Cfg::THREADS % Cfg::BK == 0 && per_k_threads * Cfg::B_CHUNKS * Cfg::CHUNK == Cfg::BN,
                "the threads of a k row cover its BN columns");
  return {((tid % per_k_threads) + per_k_threads * i) * Cfg::CHUNK, tid / per_k_threads};
}

// Element offsets inside one stage's tile: the configuration's layout (padded rows here,
// wgmma's swizzled layouts in wg_tile.h).
template <class Cfg = TcTile>
TCONV_HD int smem_rk(int row, int k) { return Cfg::rk(row, k); }
template <class Cfg = TcTile>
TCONV_HD int smem_kn(int k, int n) { return Cfg::kn(k, n); }
template <class Cfg = TcTile>
TCONV_HD int stage_a(int stage) { return stage * Cfg::STAGE_ELEMS; }
template <class Cfg = TcTile>
TCONV_HD int stage_b(int stage) { return stage * Cfg::STAGE_ELEMS + Cfg::A_ELEMS; }

// Warp w owns the 64 x 32 sub-tile at (warp_m0, warp_n0).
TCONV_HD int warp_m0(int warp) { return (warp / TcTile::WARPS_N) * TcTile::WM; }
TCONV_HD int warp_n0(int warp) { return (warp % TcTile::WARPS_N) * TcTile::WN; }

// ldmatrix.x4: lane l gives the address of row l % 8 of 8x8 matrix l / 8; matrix j lands in
// register j of every lane. The tile-local element each lane points at:
// A (m16 x k16 at m-tile mt, k16 step ks; [m][k]): matrices (m0-7,k0-7) (m8-15,k0-7)
// (m0-7,k8-15) (m8-15,k8-15) = registers a0..a3 of mma.m16n8k16.
TCONV_HD Idx2 ldsm_a(int warp, int mt, int ks, int lane) {
  return {warp_m0(warp) + mt * 16 + (lane % 8) + ((lane / 8) & 1) * 8, ks * 16 + (lane / 16) * 8};
}
// B for n-tiles 2*np, 2*np + 1, [n][k] storage, plain ldmatrix: matrices (n0-7,k0-7)
// (n0-7,k8-15) (n8-15,k0-7) (n8-15,k8-15) = b0, b1 of n-tile 2np, then b0, b1 of 2np + 1.
TCONV_HD Idx2 ldsm_b_rk(int warp, int np, int ks, int lane) {
  return {warp_n0(warp) + np * 16 + (lane % 8) + (lane / 16) * 8, ks * 16 + ((lane / 8) & 1) * 8};
}
// The same registers from [k][n] storage with ldmatrix.trans: the matrices are (k0-7,n0-7)
// (k8-15,n0-7) (k0-7,n8-15) (k8-15,n8-15), each row a k; returned as (row = n, k).
TCONV_HD Idx2 ldsm_b_kn(int warp, int np, int ks, int lane) {
  return {warp_n0(warp) + np * 16 + (lane / 16) * 8, ks * 16 + (lane % 8) + ((lane / 8) & 1) * 8};
}

// mma.m16n8k8 with .tf32 inputs (PTX ISA, "Matrix Fragments for mma.m16n8k8"): A (16 x 8)
// a0 (g, t), a1 (g + 8, t), a2 (g, t + 4), a3 (g + 8, t + 4); B (8 x 8) b0 (k = t, n = g),
// b1 (k = t + 4, n = g); C/D as m16n8k16 (frag_c). g = lane / 4, t = lane % 4. No ldmatrix
// (it moves 16-bit elements): each register is one 32-bit shared load.
TCONV_HD mma::RowCol frag_a_tf32(int lane, int i) { return {(lane >> 2) + (i & 1) * 8, (lane & 3) + (i >> 1) * 4}; }
TCONV_HD mma::RowCol frag_b_tf32(int lane, int i) { return {(lane & 3) + i * 4, lane >> 2}; }  // (k, n)
// Register i of lane's A fragment for m-tile mt at k8 step ks (tile-local (m, k)), and of its
// B fragment for n-tile nt (tile-local (n, k)).
TCONV_HD Idx2 tf32_a_elem(int warp, int mt, int ks, int lane, int i) {
  const mma::RowCol f = frag_a_tf32(lane, i);
  return {warp_m0(warp) + mt * 16 + f.row, ks * 8 + f.col};
}
TCONV_HD Idx2 tf32_b_elem(int warp, int nt, int ks, int lane, int i) {
  const mma::RowCol f = frag_b_tf32(lane, i);
  return {warp_n0(warp) + nt * 8 + f.col, ks * 8 + f.row};
}
// f32 -> tf32 as cvt.rna.tf32.f32 defines it: round to nearest, ties away from zero, to 10
// mantissa bits (the low 13 bits become zero); Inf and NaN pass unchanged. The kernel calls
// this very function, so the emulated rounding is the device's.
TCONV_HD std::uint32_t tf32_round_bits(std::uint32_t f) {
  if ((f & 0x7F800000u) == 0x7F800000u) return f;
  return (f + 0x1000u) & 0xFFFFE000u;
}

// Accumulator pair h (elements 2h, 2h + 1: adjacent n) of lane for mma tile (mt, nt):
// tile-local (m, n of the first).
TCONV_HD Idx2 c_pair(int warp, int mt, int nt, int lane, int h) {
  const mma::RowCol f = mma::frag_c(lane, 2 * h);
  return {warp_m0(warp) + mt * 16 + f.row, warp_n0(warp) + nt * 8 + f.col};
}

// ---- the pipeline's stage order (identical in the kernel and the emulator)
// A configuration keeps MMA_IN_FLIGHT k-steps of multiply-accumulate running past their step
// (0: mma.sync is done when it returns; phase_wgmma keeps one wgmma batch in flight), and
// loads kLookahead = STAGES - 1 - MMA_IN_FLIGHT k-steps ahead.
// Prologue: k-steps 0 .. kLookahead - 1 are issued, one commit group each (empty past the end).
// Step kt: wait until at most kLookahead - 1 groups are pending (k-step kt has landed),
// barrier (every warp has retired step kt - 1 - MMA_IN_FLIGHT, whose stage is the one refilled
// next), issue k-step kt + kLookahead into that stage, commit, then compute on stage_of(kt).
template <class Cfg = TcTile>
TCONV_HD int stage_of(i64 kt) { return static_cast<int>(kt % Cfg::STAGES); }
template <class Cfg = TcTile>
inline constexpr int kLookahead = Cfg::STAGES - 1 - Cfg::MMA_IN_FLIGHT;
template <class Cfg = TcTile>
inline constexpr int kWaitDepth = kLookahead<Cfg> - 1;
template <class Cfg = TcTile>
TCONV_HD i64 refill_step(i64 kt) { return kt + kLookahead<Cfg>; }

// ---- the grouped grid: x runs over every stride phase's M tiles in phase order (no idle
// blocks for short phases) and, inside each M tile, over the N tiles (x = m tile * N tiles +
// n tile): the blocks that read one A tile are launched together, so its reads after the first
// can hit L2 instead of coming back from DRAM once per N tile. y runs over the groups.
struct TcBlock {
  mma::Part part;
  i64 z, gi, m0, n0;
};
TCONV_HD i64 tiles_of(i64 count, i64 tile) { return (count + tile - 1) / tile; }

template <class View>
TCONV_HD TcBlock tc_block(const View& v, i64 bx, i64 by) {
  const i64 n_tiles = tiles_of(v.n_count(), TcTile::BN);
  TcBlock b{};
  b.gi = by;
  b.n0 = (bx % n_tiles) * TcTile::BN;
  i64 rest = bx / n_tiles;
  for (i64 z = 0; z < v.parts(); ++z) {
    b.part = v.part(z);
    const i64 t = tiles_of(b.part.m, TcTile::BM);
    if (rest < t) {
      b.z = z;
      b.m0 = rest * TcTile::BM;
      return b;
    }
    rest -= t;
  }
  b.z = -1;  // beyond the grid (never launched)
  return b;
}

template <class View>
inline mma::Grid3 tc_grid(const View& v) {
  i64 m_tiles = 0;
  for (i64 z = 0; z < v.parts(); ++z) m_tiles += tiles_of(v.part(z).m, TcTile::BM);
  return {m_tiles * tiles_of(v.n_count(), TcTile::BN), v.g.groups, 1};
}

// The same tiles for a persistent grid (phase_wgmma_ws): tile t = by * x + bx of the grouped
// grid, and block b of B takes tiles b, b + B, b + 2B, ... So the tiles in flight at any moment
// are consecutive, in the grouped grid's order, as when each tile has a block of its own.
struct TileSchedule {
  i64 tiles, x;  // tc_grid's x * y, and its x
};
template <class View>
inline TileSchedule tile_schedule(const View& v) {
  const mma::Grid3 g3 = tc_grid(v);
  return {g3.x * g3.y, g3.x};
}
template <class View>
TCONV_HD TcBlock scheduled_tile(const View& v, const TileSchedule& s, i64 t) {
  return tc_block(v, t % s.x, t / s.x);
}
// Blocks of a persistent launch: one per resident slot (SMs x blocks per SM), never more than tiles.
TCONV_HD i64 persistent_blocks(i64 tiles, i64 slots) { return tiles < slots ? tiles : slots; }

// ---- one thread's global addresses
// Row terms, computed once per block: the thread's A rows and B rows (its n rows for [n][k]
// B; the first n of each of its chunks for [k][n] B), and where each chunk lands in a stage
// (so the loop adds the stage's offset only).
template <class Cfg = TcTile>
struct ThreadRows {
  mma::ATerm a[Cfg::A_CHUNKS];
  i64 b[Cfg::B_CHUNKS];
  int a_so[Cfg::A_CHUNKS], b_so[Cfg::B_CHUNKS];  // the chunks' element offsets inside stage 0
};
template <bool BKN, class Cfg = TcTile, class View>
TCONV_HD ThreadRows<Cfg> thread_rows(const View& v, const TcBlock& blk, int tid) {
  ThreadRows<Cfg> r{};
  const i64 N = v.n_count();
  TCONV_TC_UNROLL
  for (int i = 0; i < Cfg::A_CHUNKS; ++i) {
    const Idx2 e = rk_chunk<Cfg>(tid, i);
    const i64 m = blk.m0 + e.row;
    r.a[i] = m < blk.part.m ? v.a_row(blk.part, blk.gi, m) : mma::a_row_outside();
    r.a_so[i] = stage_a<Cfg>(0) + smem_rk<Cfg>(e.row, e.k);
  }
  TCONV_TC_UNROLL
  for (int i = 0; i < Cfg::B_CHUNKS; ++i) {
    const Idx2 e = BKN ? kn_chunk<Cfg>(tid, i) : rk_chunk<Cfg>(tid, i);
    const i64 n = blk.n0 + e.row;
    r.b[i] = n < N ? v.b_row(blk.part, blk.gi, n) : -1;
    r.b_so[i] = stage_b<Cfg>(0) + (BKN ? smem_kn<Cfg>(e.k, e.row) : smem_rk<Cfg>(e.row, e.k));
  }
  return r;
}

// The thread's positions on K (k_cursor.h): the k of its A chunks (one for all of them, and
// for a [row][k] B tile its B chunks too), and for a [k][n] B tile the k of its B chunks (one
// for all of them too).
template <bool BKN, class Cfg = TcTile>
struct ThreadK {
  mma::KCursor a, b;
};
template <bool BKN, class Cfg = TcTile>
TCONV_HD ThreadK<BKN, Cfg> thread_k(const mma::KAffine& f, int tid) {
  ThreadK<BKN, Cfg> q{};
  q.a = mma::k_cursor(f, rk_chunk<Cfg>(tid, 0).k);
  q.b = BKN ? mma::k_cursor(f, kn_chunk<Cfg>(tid, 0).k) : q.a;
  return q;
}

// Every 16-byte chunk a thread copies for the next k-step into `stage` (its rows and K walk
// from thread_rows / thread_k; k-steps are issued in order, one call each, and the call moves
// `at` on by BK): emit(smem element offset, ChunkSrc, is_b), the ChunkSrc holding the global
// element offset of the chunk's first element and whether it lies inside the operand (else 16
// zero bytes from offset 0). The chunk's elements are consecutive in global memory
// (tile_refusal guarantees it; a test checks).
template <bool BKN, class Cfg = TcTile, class View, class Emit>
TCONV_HD void for_each_chunk(const mma::KAffine& f, const View& v, const ThreadRows<Cfg>& rows, ThreadK<BKN, Cfg>& at,
                             int stage, Emit&& emit) {
  const int base = stage_a<Cfg>(stage);  // the stage's first element; rows.*_so count from it
  {
    const mma::ATerm col = mma::k_a(f, at.a);
    TCONV_TC_UNROLL
    for (int i = 0; i < Cfg::A_CHUNKS; ++i)
      emit(base + rows.a_so[i], mma::a_src(rows.a[i], col, v.a_lim_h(), v.a_lim_w()), false);
  }
  if constexpr (BKN) {
    const i64 col = mma::k_b(f, at.b);
    TCONV_TC_UNROLL
    for (int i = 0; i < Cfg::B_CHUNKS; ++i) emit(base + rows.b_so[i], mma::b_src(rows.b[i], col), true);
    mma::k_advance(f, at.b);
  } else {
    const i64 col = mma::k_b(f, at.a);
    TCONV_TC_UNROLL
    for (int i = 0; i < Cfg::B_CHUNKS; ++i) emit(base + rows.b_so[i], mma::b_src(rows.b[i], col), true);
  }
  mma::k_advance(f, at.a);
}

// The epilogue's share of one lane: emit(global offset of the pair's first element, mt, nt, h,
// GEMM m, GEMM n) for every accumulator pair inside the GEMM. c_rows / c_cols: the block's C
// row and column terms (filled into shared memory by fill_c_terms).
template <class Emit>
TCONV_HD void for_each_c_pair(const TcBlock& blk, i64 n_count, const i64* c_rows, const i64* c_cols, int warp,
                              int lane, Emit&& emit) {
  TCONV_TC_UNROLL
  for (int mt = 0; mt < TcTile::MT; ++mt)
    TCONV_TC_UNROLL
    for (int nt = 0; nt < TcTile::NT; ++nt)
      TCONV_TC_UNROLL
      for (int h = 0; h < 2; ++h) {
        const Idx2 e = c_pair(warp, mt, nt, lane, h);
        const i64 m = blk.m0 + e.row, n = blk.n0 + e.k;
        if (m >= blk.part.m || n >= n_count) continue;
        emit(c_rows[e.row] + c_cols[e.k], mt, nt, h, m, n);
      }
}

// Thread t's share of the block's C terms: row t (t < BM), column t - BM (BM <= t < BM + BN).
template <class View>
TCONV_HD void fill_c_terms(const View& v, const TcBlock& blk, int t, i64* c_rows, i64* c_cols) {
  static_assert(TcTile::BM + TcTile::BN <= TcTile::THREADS, "one term per thread");
  if (t < TcTile::BM) {
    const i64 m = blk.m0 + t;
    c_rows[t] = m < blk.part.m ? v.c_row(blk.part, blk.gi, m) : -1;
  } else if (t < TcTile::BM + TcTile::BN) {
    const i64 n = blk.n0 + (t - TcTile::BM);
    c_cols[t - TcTile::BM] = n < v.n_count() ? v.c_col(blk.part, blk.gi, n) : -1;
  }
}

}  // namespace tconv::cuda::tc
