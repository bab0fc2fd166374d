// Host emulator of the implicit-GEMM kernel (mma_gemm.h), for the CPU tests. It walks every
// block of the launch grid and, inside a block, runs the kernel's phases for all threads in
// turn: every thread's loads into a host "shared memory" (poisoned before each k-step, so an
// unfilled slot that is read shows up as NaN in the result), then every thread's (or warp's)
// compute, then the epilogue; the per-block index tables are filled the same way (rows once,
// columns every k-step, poisoned before). All indices come from the same mma_tile.h / mma_views.h
// functions the kernel calls; mma.sync is emulated per warp by assembling the 16x16 A and
// 16x8 B tiles from the 32 lanes' registers through the PTX fragment coordinates (mma_frag.h).
//
// One liberty, which cannot change a stored value: compute is skipped for accumulators (SIMT)
// or whole mma tiles whose (m, n) all lie outside the GEMM, since the epilogue never stores them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "backends/api/dtype.h"
#include "backends/api/problem.h"
#include "backends/cuda/mma_tile.h"
#include "backends/cuda/mma_views.h"

namespace tconv::cuda::mma {

// Storage conversions as the kernel's Elem<T> does them (round to nearest even).
inline float emu_load(DType t, const void* base, i64 off) {
  if (t == DType::f32) return static_cast<const float*>(base)[off];
  const std::uint16_t b = static_cast<const std::uint16_t*>(base)[off];
  return static_cast<float>(t == DType::f16 ? half_bits_to_double(b) : bf16_bits_to_double(b));
}
inline std::uint16_t emu_bits(DType t, const void* base, i64 off) {
  (void)t;
  return static_cast<const std::uint16_t*>(base)[off];
}
inline float emu_from_bits(DType t, std::uint16_t b) {
  return static_cast<float>(t == DType::f16 ? half_bits_to_double(b) : bf16_bits_to_double(b));
}
inline void emu_store(DType t, void* base, i64 off, float v) {
  if (t == DType::f32)
    static_cast<float*>(base)[off] = v;
  else
    static_cast<std::uint16_t*>(base)[off] = t == DType::f16 ? float_to_half_bits(v) : float_to_bf16_bits(v);
}

// mma.sync.m16n8k16 (f32 accumulate) of one warp: d[lane][i] += (A*B)[frag_c(lane, i)], A and B
// rebuilt from the lanes' registers. Products of f16/bf16 values are exact in f32; the sum is
// taken in double (exact for the integer data of the tests).
inline void emulate_mma_16816(DType t, float (&d)[32][4], const std::uint32_t (&a)[32][4],
                              const std::uint32_t (&b)[32][2]) {
  float A[16][16], B[16][8];
  for (int lane = 0; lane < 32; ++lane) {
    for (int i = 0; i < 8; ++i) {
      const RowCol f = frag_a(lane, i);
      A[f.row][f.col] = emu_from_bits(t, static_cast<std::uint16_t>(a[lane][i / 2] >> (16 * (i & 1))));
    }
    for (int i = 0; i < 4; ++i) {
      const RowCol f = frag_b(lane, i);
      B[f.row][f.col] = emu_from_bits(t, static_cast<std::uint16_t>(b[lane][i / 2] >> (16 * (i & 1))));
    }
  }
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i) {
      const RowCol f = frag_c(lane, i);
      double s = d[lane][i];
      for (int k = 0; k < 16; ++k) s += static_cast<double>(A[f.row][k]) * B[k][f.col];
      d[lane][i] = static_cast<float>(s);
    }
}

// Garbage in the index tables before they are filled, as uninitialised shared memory would
// hold: an entry read before it is written sends the access far out of range (ASan) or fails.
template <class Cfg>
void poison_cols(Tables<Cfg>& tab) {
  for (auto& c : tab.a_cols) c = {i64{1} << 60, 0, 0};
  for (auto& c : tab.b_cols) c = i64{1} << 60;
}
template <class Cfg>
void poison_tables(Tables<Cfg>& tab) {
  for (auto& r : tab.a_rows) r = {i64{1} << 60, 0, 0};
  for (auto& r : tab.c_rows) r = i64{1} << 60;
  for (auto& r : tab.b_rows) r = i64{1} << 60;
  for (auto& r : tab.c_cols) r = i64{1} << 60;
  poison_cols(tab);
}

template <class View>
void emulate_simt_block(const View& v, const BlockPos& bp, const void* A, const void* B, const void* bias, void* C) {
  using S = SimtTile;
  const Part p = v.part(bp.z);
  const i64 N = v.n_count();
  const bool a_rf = v.a_row_fastest(), b_rf = v.b_row_fastest(), c_mf = v.c_m_fastest();
  std::vector<float> As(S::BK * S::BM), Bs(S::BK * S::BN);
  std::vector<float> acc(static_cast<std::size_t>(S::THREADS) * S::TM * S::TN, 0.f);
  Tables<S> tab;
  poison_tables(tab);
  for (int tid = 0; tid < S::THREADS; ++tid) fill_rows(tab, v, p, bp, tid);
  const KAffine kaff = k_affine(v, p, bp.gi, S::BK);
  std::vector<ColumnFill<S>> walk(S::THREADS);
  for (int tid = 0; tid < S::THREADS; ++tid) walk[tid].start(kaff, tid);
  auto in_range = [&](int tid, int i, int j) {
    return bp.m0 + simt_m(tid, i, c_mf) < p.m && bp.n0 + simt_n(tid, j, c_mf) < N;
  };
  for (i64 k0 = 0; k0 < p.k; k0 += S::BK) {
    std::fill(As.begin(), As.end(), std::numeric_limits<float>::quiet_NaN());
    std::fill(Bs.begin(), Bs.end(), std::numeric_limits<float>::quiet_NaN());
    poison_cols(tab);
    for (int tid = 0; tid < S::THREADS; ++tid) walk[tid].fill(tab, kaff, tid);
    // __syncthreads()
    for (int tid = 0; tid < S::THREADS; ++tid) {
      for (int i = 0; i < S::BM * S::BK / S::THREADS; ++i) {
        const Idx2 e = load_slot<S::BM, S::BK, S::THREADS>(tid, i, a_rf);
        const i64 off = a_elem(tab, v, e);
        As[simt_smem(e.row, e.k, S::BM)] = off >= 0 ? emu_load(DType::f32, A, off) : 0.f;
      }
      for (int i = 0; i < S::BN * S::BK / S::THREADS; ++i) {
        const Idx2 e = load_slot<S::BN, S::BK, S::THREADS>(tid, i, b_rf);
        const i64 off = b_elem(tab, e);
        Bs[simt_smem(e.row, e.k, S::BN)] = off >= 0 ? emu_load(DType::f32, B, off) : 0.f;
      }
    }
    // __syncthreads()
    for (int tid = 0; tid < S::THREADS; ++tid)
      for (int i = 0; i < S::TM; ++i)
        for (int j = 0; j < S::TN; ++j) {
          if (!in_range(tid, i, j)) continue;
          float& c = acc[(static_cast<std::size_t>(tid) * S::TM + i) * S::TN + j];
          for (int k = 0; k < S::BK; ++k)
            c = std::fma(As[simt_smem(simt_m(tid, i, c_mf), k, S::BM)], Bs[simt_smem(simt_n(tid, j, c_mf), k, S::BN)], c);
        }
  }
  for (int tid = 0; tid < S::THREADS; ++tid)
    for (int i = 0; i < S::TM; ++i)
      for (int j = 0; j < S::TN; ++j) {
        const int ml = simt_m(tid, i, c_mf), nl = simt_n(tid, j, c_mf);
        const i64 m = bp.m0 + ml, n = bp.n0 + nl;
        if (m >= p.m || n >= N) continue;
        const i64 bi = bias ? v.bias_at(bp.gi, n) : -1;
        const float out = acc[(static_cast<std::size_t>(tid) * S::TM + i) * S::TN + j] +
                          (bi >= 0 ? emu_load(DType::f32, bias, bi) : 0.f);
        emu_store(DType::f32, C, c_elem(tab, ml, nl), out);
      }
}

template <class View>
void emulate_mma_block(const View& v, DType t, const BlockPos& bp, const void* A, const void* B, const void* bias,
                       void* C) {
  using S = MmaTile;
  const Part p = v.part(bp.z);
  const i64 N = v.n_count();
  const bool a_rf = v.a_row_fastest(), b_rf = v.b_row_fastest();
  const std::uint16_t poison = t == DType::f16 ? 0x7E00 : 0x7FC0;  // quiet NaN of the type
  std::vector<std::uint16_t> As(S::BM * S::LD), Bs(S::BN * S::LD);
  float acc[S::THREADS / 32][S::MT][S::NT][32][4] = {};  // [warp][mt][nt][lane][i]
  Tables<S> tab;
  poison_tables(tab);
  for (int tid = 0; tid < S::THREADS; ++tid) fill_rows(tab, v, p, bp, tid);
  const KAffine kaff = k_affine(v, p, bp.gi, S::BK);
  std::vector<ColumnFill<S>> walk(S::THREADS);
  for (int tid = 0; tid < S::THREADS; ++tid) walk[tid].start(kaff, tid);
  for (i64 k0 = 0; k0 < p.k; k0 += S::BK) {
    std::fill(As.begin(), As.end(), poison);
    std::fill(Bs.begin(), Bs.end(), poison);
    poison_cols(tab);
    for (int tid = 0; tid < S::THREADS; ++tid) walk[tid].fill(tab, kaff, tid);
    // __syncthreads()
    for (int tid = 0; tid < S::THREADS; ++tid) {
      for (int i = 0; i < S::BM * S::BK / S::THREADS; ++i) {
        const Idx2 e = load_slot<S::BM, S::BK, S::THREADS>(tid, i, a_rf);
        const i64 off = a_elem(tab, v, e);
        As[mma_smem(e.row, e.k)] = off >= 0 ? emu_bits(t, A, off) : 0;
      }
      for (int i = 0; i < S::BN * S::BK / S::THREADS; ++i) {
        const Idx2 e = load_slot<S::BN, S::BK, S::THREADS>(tid, i, b_rf);
        const i64 off = b_elem(tab, e);
        Bs[mma_smem(e.row, e.k)] = off >= 0 ? emu_bits(t, B, off) : 0;
      }
    }
    // __syncthreads()
    for (int warp = 0; warp < S::THREADS / 32; ++warp)
      for (int ks = 0; ks < S::BK / 16; ++ks)
        for (int mt = 0; mt < S::MT; ++mt)
          for (int nt = 0; nt < S::NT; ++nt) {
            if (bp.m0 + warp_m0(warp) + mt * 16 >= p.m || bp.n0 + warp_n0(warp) + nt * 8 >= N) continue;
            std::uint32_t a[32][4], b[32][2];
            for (int lane = 0; lane < 32; ++lane) {
              for (int r = 0; r < 4; ++r) a[lane][r] = a_reg(As.data(), warp, mt, ks, lane, r);
              for (int r = 0; r < 2; ++r) b[lane][r] = b_reg(Bs.data(), warp, nt, ks, lane, r);
            }
            emulate_mma_16816(t, acc[warp][mt][nt], a, b);
          }
  }
  for (int warp = 0; warp < S::THREADS / 32; ++warp)
    for (int lane = 0; lane < 32; ++lane)
      for (int mt = 0; mt < S::MT; ++mt)
        for (int nt = 0; nt < S::NT; ++nt)
          for (int i = 0; i < 4; ++i) {
            const Idx2 e = mma_c_elem(warp, mt, nt, lane, i);
            const i64 m = bp.m0 + e.row, n = bp.n0 + e.k;
            if (m >= p.m || n >= N) continue;
            const i64 bi = bias ? v.bias_at(bp.gi, n) : -1;
            const float out = acc[warp][mt][nt][lane][i] + (bi >= 0 ? emu_load(t, bias, bi) : 0.f);
            emu_store(t, C, c_elem(tab, e.row, e.k), out);
          }
}

// Runs the whole launch of gemm_kernel<T, View> (T from t: f32 -> SIMT, f16/bf16 -> mma).
template <class View>
void emulate_gemm(const View& v, DType t, const void* A, const void* B, const void* bias, void* C) {
  const Grid3 g3 = view_grid(v);
  for (i64 bz = 0; bz < g3.z; ++bz)
    for (i64 by = 0; by < g3.y; ++by)
      for (i64 bx = 0; bx < g3.x; ++bx) {
        const BlockPos bp = block_pos(v, bx, by, bz);
        if (bp.m0 >= v.part(bp.z).m) continue;  // the kernel's early return
        if (t == DType::f32)
          emulate_simt_block(v, bp, A, B, bias, C);
        else
          emulate_mma_block(v, t, bp, A, B, bias, C);
      }
}

// The whole of launch_phase_gemm / launch_k_equals_s on host buffers in the device formats
// (data NCHW/NHWC, weights IOHW/IHWO): fwd reads (x, w, bias or null) and writes y;
// bwd_data reads (dy, w) and writes dx. The caller checks the family's refusal first.
inline void emulate_phase_gemm(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                               const void* bias, void* out) {
  if (d == Direction::fwd)
    emulate_gemm(PhaseFwdView{g}, t, in, w, bias, out);
  else
    emulate_gemm(PhaseBwdDataView{g}, t, in, w, nullptr, out);
}
inline void emulate_k_equals_s(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                               const void* bias, void* out) {
  if (d == Direction::fwd)
    emulate_gemm(KsFwdView{g}, t, in, w, bias, out);
  else
    emulate_gemm(KsBwdDataView{g}, t, in, w, nullptr, out);
}

}  // namespace tconv::cuda::mma
