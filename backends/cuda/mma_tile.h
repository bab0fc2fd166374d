// The tiling of the implicit-GEMM kernels (phase_gemm.cu, k_equals_s.cu): which tile element
// each thread moves into shared memory, where it sits there, and which accumulator each thread
// (or mma lane) owns. Pure integer maps, __host__ __device__: the kernels and the host emulator
// (mma_emulator.h) call exactly these, so the CPU tests check the arithmetic that runs.
#pragma once

#include <cstdint>

#include "backends/cuda/geometry.h"
#include "backends/cuda/k_cursor.h"
#include "backends/cuda/mma_frag.h"
#include "backends/cuda/mma_views.h"

namespace tconv::cuda::mma {

struct Idx2 {
  int row, k;  // a (row, k) element of a ROWS x BK operand tile (A: row = m, B: row = n)
};

// f32 on CUDA cores: 64x64 block tile, 16-deep k-steps, 256 threads, 4x4 accumulators each.
struct SimtTile {
  static constexpr int BM = 64, BN = 64, BK = 16, THREADS = 256, TM = 4, TN = 4;
  static constexpr int LANES_FAST = 16;  // threads along the fast accumulator axis
};
static_assert(SimtTile::BM == kTileM && SimtTile::BN == kTileN && SimtTile::LANES_FAST * SimtTile::TM == SimtTile::BM &&
              SimtTile::THREADS / SimtTile::LANES_FAST * SimtTile::TN == SimtTile::BN);

// f16/bf16 on tensor cores: 64x64 block tile, 32-deep k-steps (two k16 mma steps), 4 warps in
// 2x2, each warp 32x32 = 2 (m16) x 4 (n8) mma tiles.
struct MmaTile {
  static constexpr int BM = 64, BN = 64, BK = 32, THREADS = 128, WM = 32, WN = 32;
  static constexpr int MT = WM / 16, NT = WN / 8;
  // Shared rows are BK + 8 halves (80 bytes = 20 banks): the 8 groupIDs x 4 threadIDs of a
  // fragment load then hit 32 distinct banks.
  static constexpr int LD = BK + 8;
};
static_assert(MmaTile::BM == kTileM && MmaTile::BN == kTileN && MmaTile::THREADS == 32 * 4 &&
              2 * MmaTile::WM == MmaTile::BM && 2 * MmaTile::WN == MmaTile::BN);

// Load slot i (0 <= i < ROWS*BK/THREADS) of thread tid. row_fastest: consecutive threads take
// consecutive rows (the operand is contiguous along rows in global memory), else consecutive k.
template <int ROWS, int BK, int THREADS>
TCONV_HD Idx2 load_slot(int tid, int i, bool row_fastest) {
  const int e = tid + i * THREADS;
  return row_fastest ? Idx2{e % ROWS, e / ROWS} : Idx2{e / BK, e % BK};
}

// Shared-memory offsets. SIMT: k-major ([BK][ROWS]) so a k-step reads a contiguous row of m
// (or n). MMA: row-major with padded rows ([ROWS][LD]) so a lane's two adjacent k sit in one word.
TCONV_HD int simt_smem(int row, int k, int rows) { return k * rows + row; }
TCONV_HD int mma_smem(int row, int k) { return row * MmaTile::LD + k; }

// SIMT accumulator (i, j) of thread tid: tile-local m and n. The 16 threads of a half-warp
// run along m when the output is contiguous along m (NCHW), else along n, so the epilogue's
// stores coalesce; shared reads are then conflict-free on that axis and broadcast on the other.
TCONV_HD int simt_m(int tid, int i, bool c_m_fastest) {
  const int fast = tid % SimtTile::LANES_FAST, slow = tid / SimtTile::LANES_FAST;
  return (c_m_fastest ? fast : slow) + SimtTile::LANES_FAST * i;
}
TCONV_HD int simt_n(int tid, int j, bool c_m_fastest) {
  const int fast = tid % SimtTile::LANES_FAST, slow = tid / SimtTile::LANES_FAST;
  return (c_m_fastest ? slow : fast) + SimtTile::LANES_FAST * j;
}

// MMA: warp w owns the 32x32 sub-tile at (warp_m0, warp_n0).
TCONV_HD int warp_m0(int warp) { return (warp >> 1) * MmaTile::WM; }
TCONV_HD int warp_n0(int warp) { return (warp & 1) * MmaTile::WN; }

// Element i of lane's A fragment for m-tile mt at k16 step ks: tile-local (m, k).
TCONV_HD Idx2 mma_a_elem(int warp, int mt, int ks, int lane, int i) {
  const RowCol f = frag_a(lane, i);
  return {warp_m0(warp) + mt * 16 + f.row, ks * 16 + f.col};
}
// Element i of lane's B fragment for n-tile nt at k16 step ks: tile-local (n, k).
TCONV_HD Idx2 mma_b_elem(int warp, int nt, int ks, int lane, int i) {
  const RowCol f = frag_b(lane, i);
  return {warp_n0(warp) + nt * 8 + f.col, ks * 16 + f.row};
}
// Accumulator i of lane for mma tile (mt, nt): tile-local (m, n) in (row, k).
TCONV_HD Idx2 mma_c_elem(int warp, int mt, int nt, int lane, int i) {
  const RowCol f = frag_c(lane, i);
  return {warp_m0(warp) + mt * 16 + f.row, warp_n0(warp) + nt * 8 + f.col};
}

// Per-block index tables (the separable offsets of mma_views.h), in shared memory on the
// device: rows filled once per block, columns once per k-step, both by the first threads.
template <class Cfg>
struct Tables {
  ATerm a_rows[Cfg::BM];
  i64 c_rows[Cfg::BM];
  i64 b_rows[Cfg::BN];
  i64 c_cols[Cfg::BN];
  ATerm a_cols[Cfg::BK];
  i64 b_cols[Cfg::BK];
};

// Thread t's share of the row tables of block bp (rows t, t + THREADS, ...).
template <class Cfg, class View>
TCONV_HD void fill_rows(Tables<Cfg>& tab, const View& v, const Part& p, const BlockPos& bp, int t) {
  const i64 N = v.n_count();
  for (int r = t; r < Cfg::BM; r += Cfg::THREADS) {
    const i64 m = bp.m0 + r;
    tab.a_rows[r] = m < p.m ? v.a_row(p, bp.gi, m) : a_row_outside();
    tab.c_rows[r] = m < p.m ? v.c_row(p, bp.gi, m) : -1;
  }
  for (int r = t; r < Cfg::BN; r += Cfg::THREADS) {
    const i64 n = bp.n0 + r;
    tab.b_rows[r] = n < N ? v.b_row(p, bp.gi, n) : -1;
    tab.c_cols[r] = n < N ? v.c_col(p, bp.gi, n) : -1;
  }
}

// One thread's share of the column tables, k-step after k-step: entry t (threads t < BK) from
// the thread's K walk (k_cursor.h; every view of these kernels orders K as three digits with
// affine column terms). start() once per block, then fill() once per k-step, in order.
template <class Cfg>
struct ColumnFill {
  static_assert(Cfg::THREADS >= Cfg::BK, "one column entry per thread at most");
  KCursor at;
  TCONV_HD void start(const KAffine& f, int t) { at = k_cursor(f, t); }
  TCONV_HD void fill(Tables<Cfg>& tab, const KAffine& f, int t) {
    if (t >= Cfg::BK) return;
    tab.a_cols[t] = k_a(f, at);
    tab.b_cols[t] = k_b(f, at);
    k_advance(f, at);
  }
};

// Global offset of tile element e of A / B (-1: a zero), and of C element (ml, nl) (valid
// only when m < M and n < N, which the epilogue checks).
template <class Cfg, class View>
TCONV_HD i64 a_elem(const Tables<Cfg>& tab, const View& v, Idx2 e) {
  return a_offset(tab.a_rows[e.row], tab.a_cols[e.k], v.a_lim_h(), v.a_lim_w());
}
template <class Cfg>
TCONV_HD i64 b_elem(const Tables<Cfg>& tab, Idx2 e) {
  return b_offset(tab.b_rows[e.row], tab.b_cols[e.k]);
}
template <class Cfg>
TCONV_HD i64 c_elem(const Tables<Cfg>& tab, int ml, int nl) {
  return tab.c_rows[ml] + tab.c_cols[nl];
}

// Register r (0..3) of lane's A fragment / register r (0..1) of its B fragment, packed from
// the shared tile as mma.sync expects: element 2r in the low half, 2r + 1 in the high half.
TCONV_HD std::uint32_t a_reg(const std::uint16_t* As, int warp, int mt, int ks, int lane, int r) {
  const Idx2 lo = mma_a_elem(warp, mt, ks, lane, 2 * r), hi = mma_a_elem(warp, mt, ks, lane, 2 * r + 1);
  return As[mma_smem(lo.row, lo.k)] | (std::uint32_t{As[mma_smem(hi.row, hi.k)]} << 16);
}
TCONV_HD std::uint32_t b_reg(const std::uint16_t* Bs, int warp, int nt, int ks, int lane, int r) {
  const Idx2 lo = mma_b_elem(warp, nt, ks, lane, 2 * r), hi = mma_b_elem(warp, nt, ks, lane, 2 * r + 1);
  return Bs[mma_smem(lo.row, lo.k)] | (std::uint32_t{Bs[mma_smem(hi.row, hi.k)]} << 16);
}

}  // namespace tconv::cuda::mma
