// One block of the simt128 kernel, phase by phase, as __host__ __device__ functions of the
// thread index: the kernel (simt128_kernel.h) runs them between barriers and cp.async waits,
// the host emulator (simt128_emulate.h) runs each for all 256 threads in the same order.
#pragma once

#include <cmath>
#include <cstdint>

#include "backends/cuda/k_cursor.h"
#include "backends/cuda/simt128_spec.h"

namespace tconv::cuda::simt128 {

// Fully unrolled on the device (the accumulators must stay in registers), plain loops on the host.
#if defined(__CUDA_ARCH__)
#define TCONV_SIMT128_UNROLL _Pragma("unroll")
#else
#define TCONV_SIMT128_UNROLL
#endif

// Pipeline stage arithmetic shared by the kernel and the emulator: the slot step kt + 2 uses
// when step kt uses `slot` (the one step kt - 1 just freed), and the slot of step kt + 1.
TCONV_HD int stage_two_ahead(int slot) { return slot == 0 ? Cfg::STAGES - 1 : slot - 1; }
TCONV_HD int stage_next(int slot) { return slot == Cfg::STAGES - 1 ? 0 : slot + 1; }
static_assert(Cfg::STAGES == 3, "stage_two_ahead assumes 3 stages");

// Per-block index tables, in shared memory on the device: row terms and C offsets once per
// block; column terms per k-step, one slot per pipeline stage (a stage's loads are issued two
// steps after its table is filled).
struct Tables {
  ATerm a_rows[Cfg::BM], b_rows[Cfg::BN];
  i64 c_rows[Cfg::BM], c_cols[Cfg::BN];
  ATerm a_cols[Cfg::STAGES][Cfg::BK], b_cols[Cfg::STAGES][Cfg::BK];
};

// Threads 0..127 fill the M-side rows, 128..255 the N side (-1 / sentinels past the GEMM).
static_assert(Cfg::THREADS == Cfg::BM + Cfg::BN, "one row-table entry per thread");
template <class Spec>
TCONV_HD void fill_rows(Tables& tab, const Spec& sp, const Seg& s, const Block& b, int tid) {
  if (tid < Cfg::BM) {
    const i64 m = b.m0 + tid;
    const bool in = m < s.p.m;
    tab.a_rows[tid] = in ? sp.a_row(s, b.gi, m) : mma::a_row_outside();
    tab.c_rows[tid] = in ? sp.c_row(s, b.gi, m) : -1;
  } else {
    const int r = tid - Cfg::BM;
    const i64 n = b.n0 + r;
    const bool in = n < sp.n_count();
    tab.b_rows[r] = in ? sp.b_row(s, b.gi, n) : mma::a_row_outside();
    tab.c_cols[r] = in ? sp.c_col(s, b.gi, n) : -1;
  }
}

// The column terms: warps 0-1 fill the 8 A terms of a k-step, warps 2-3 the 8 B terms, 4 lanes
// each on one path. Warps w and w + 4 share a scheduler (warp w on sub-partition w % 4), so
// each scheduler issues one warp's term arithmetic per k-step, and no warp runs two divergent
// paths. Each of these 16 threads walks its entry's k along the segment (k_cursor.h): the
// block's coefficients once (seg_k_affine), then adds per k-step, no divisions. The walks
// live in shared memory (walks[column_walk(tid)], one per thread: no register is held
// through the main loop for them).
TCONV_HD int column_entry(int tid) {
  const int lane = tid & 31, w = tid >> 5;
  return w >= 4 || lane >= 4 ? -1 : (w & 1) * 4 + lane;
}
inline constexpr int kColumnWalks = 16;
TCONV_HD int column_walk(int tid) {
  const int entry = column_entry(tid);
  return entry < 0 ? -1 : (tid < 64 ? 0 : 8) + entry;
}
template <class Spec>
TCONV_HD mma::KAffine seg_k_affine(const Spec& sp, const Seg& s, i64 gi) {
  return mma::k_affine_from([&](i64 k) { return sp.a_col(s, gi, k); }, [&](i64 k) { return sp.b_col(s, gi, k); },
                            s.p.k, s.k_end, sp.k_channels(), sp.k_taps_w(s), Cfg::BK);
}
// Where thread tid's walk starts: its entry of the segment's first k-step.
TCONV_HD mma::KCursor column_start(const mma::KAffine& f, const Seg& s, int tid) {
  const int entry = column_entry(tid);
  return mma::k_cursor(f, static_cast<int>(s.k_begin) + (entry < 0 ? 0 : entry));
}
TCONV_HD void start_walks(mma::KCursor* walks, const mma::KAffine& f, const Seg& s, int tid) {
  if (const int w = column_walk(tid); w >= 0) walks[w] = column_start(f, s, tid);
}
// The next k-step's column terms into table slot `slot` (k-steps filled in order, one call each).
TCONV_HD void fill_cols(Tables& tab, int slot, const mma::KAffine& f, mma::KCursor* walks, int tid) {
  const int w = column_walk(tid);
  if (w < 0) return;
  mma::KCursor& at = walks[w];
  const int entry = column_entry(tid);
  if (tid < 64)
    tab.a_cols[slot][entry] = mma::k_a(f, at);
  else
    tab.b_cols[slot][entry] = mma::k_b_term(f, at);
  mma::k_advance(f, at);
}

// A thread's quad rows, classified once per block: for a row-fastest quad, whether rows
// row0..row0+3 are {off + e, y, x + e*dx} with dx 0 or 1 (then a k-step needs one column term
// and one bounds check). Returns dx, or -1 when not (or for a k-fastest quad). One register:
// the row term itself is re-read from the shared table each k-step (register pressure).
TCONV_HD int row_quad_step(const ATerm* rows, const Quad& q) {
  if (q.dr == 0) return -1;
  const ATerm& r0 = rows[q.row0];
  const i64 dx = rows[q.row0 + 1].x - r0.x;
  bool ok = dx == 0 || dx == 1;
  for (int e = 1; e < 4; ++e) {
    const ATerm& t = rows[q.row0 + e];
    ok = ok && t.off == r0.off + e && t.y == r0.y && t.x == r0.x + e * dx;
  }
  return ok ? static_cast<int>(dx) : -1;
}

// The copies of one quad for one k-step: vec = one 16-byte copy of src[0..3] (all inside, global
// offset and base 16-byte aligned, shared destination contiguous); else four 4-byte copies,
// each zero-filling where !src[e].valid (cp.async's ignore-src; its offset then 0). Offsets
// are 32-bit (mma_views.h's ChunkSrc: the low 32 bits of row and column terms, exact for an
// element inside an operand below 2^31 elements, which the simt128 families require).
// `dx`: row_quad_step's answer.
struct QuadCopy {
  int dst[4];
  mma::ChunkSrc src[4];
  bool vec;
};
TCONV_HD QuadCopy quad_copy(const ATerm* rows, const ATerm* cols, i64 lim_h, i64 lim_w, const Quad& q, int dx,
                            bool base_aligned16) {
  QuadCopy c{};
  for (int e = 0; e < 4; ++e) c.dst[e] = smem_at(q.row0 + e * q.dr, q.k0 + e * q.dk);
  c.vec = false;
  const ATerm r0 = rows[q.row0];
  if (q.dr == 1) {
    const ATerm col = cols[q.k0];
    if (dx >= 0) {  // rows {off + e, y, x + e*dx}: one column term, one row check
      const int y = r0.y - col.y, x = r0.x - col.x;
      const std::uint32_t off = mma::low32(r0.off) + mma::low32(col.off);
      const bool y_in = static_cast<unsigned>(y) < static_cast<unsigned>(lim_h);
      if (base_aligned16 && y_in && x >= 0 && x + 3 * dx < lim_w && (off & 3u) == 0) {
        c.vec = true;
        for (int e = 0; e < 4; ++e) c.src[e] = {off + static_cast<std::uint32_t>(e), true};
        return c;
      }
      for (int e = 0; e < 4; ++e) {
        const bool valid = y_in && static_cast<unsigned>(x + e * dx) < static_cast<unsigned>(lim_w);
        c.src[e] = {valid ? off + static_cast<std::uint32_t>(e) : 0u, valid};
      }
    } else {
      for (int e = 0; e < 4; ++e) c.src[e] = mma::a_src(rows[q.row0 + e], col, lim_h, lim_w);
    }
  } else {
    for (int e = 0; e < 4; ++e) c.src[e] = mma::a_src(r0, cols[q.k0 + e], lim_h, lim_w);
  }
  return c;
}

// 4 floats from 16-byte-aligned shared memory (one LDS.128 on the device).
TCONV_HD void load4(const float* p, float* v) {
#if defined(__CUDA_ARCH__)
  const float4 t = *reinterpret_cast<const float4*>(p);
  v[0] = t.x, v[1] = t.y, v[2] = t.z, v[3] = t.w;
#else
  v[0] = p[0], v[1] = p[1], v[2] = p[2], v[3] = p[3];
#endif
}

// One k-step of thread tid: k = 0..BK-1 in order, each a rank-1 update of the 8 x 8
// accumulators with fmaf (the order is fixed, so the result is too).
TCONV_HD void compute_step(const float* As, const float* Bs, int tid, float (&acc)[Cfg::TM][Cfg::TN]) {
TCONV_SIMT128_UNROLL
  for (int k = 0; k < Cfg::BK; ++k) {
    float a[Cfg::TM], b[Cfg::TN];
    load4(As + smem_at(acc_m(tid, 0), k), a);
    load4(As + smem_at(acc_m(tid, 4), k), a + 4);
    load4(Bs + smem_at(acc_n(tid, 0), k), b);
    load4(Bs + smem_at(acc_n(tid, 4), k), b + 4);
TCONV_SIMT128_UNROLL
    for (int i = 0; i < Cfg::TM; ++i)
TCONV_SIMT128_UNROLL
      for (int j = 0; j < Cfg::TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
  }
}

// 4 floats to global memory at p (16-byte aligned: one STG.128 on the device).
TCONV_HD void store4(float* p, float v0, float v1, float v2, float v3) {
#if defined(__CUDA_ARCH__)
  *reinterpret_cast<float4*>(p) = make_float4(v0, v1, v2, v3);
#else
  p[0] = v0, p[1] = v1, p[2] = v2, p[3] = v3;
#endif
}

// Whether 4 offsets o, o+1, o+2, o+3 starting at first (a C row or column quad) are all valid
// and consecutive.
TCONV_HD bool consecutive4(const i64* t, int first) {
  return t[first] >= 0 && t[first + 1] == t[first] + 1 && t[first + 2] == t[first] + 2 && t[first + 3] == t[first] + 3;
}

// Epilogue of thread tid: accumulators + bias (f32), rounded once (f32: stored as is). Per
// 4 x 4 block: 16-byte stores along m when the 4 rows are consecutive in C (NCHW, stride 1),
// else along n when the 4 columns are (NHWC, the weight gradient), else element stores;
// `c_aligned16`: C's base is 16-byte aligned. Bounds: m < M and n < N.
template <class Spec>
TCONV_HD void epilogue(const Tables& tab, const Spec& sp, const Seg& s, const Block& b, int tid,
                       const float (&acc)[Cfg::TM][Cfg::TN], const float* bias, float* C, bool c_aligned16) {
  const i64 N = sp.n_count();
  float bv[Cfg::TN];
  TCONV_SIMT128_UNROLL
  for (int j = 0; j < Cfg::TN; ++j) {
    const i64 n = b.n0 + acc_n(tid, j);
    const i64 bi = (bias != nullptr && n < N) ? sp.bias_at(b.gi, n) : -1;
    bv[j] = bi >= 0 ? bias[bi] : 0.f;
  }
  TCONV_SIMT128_UNROLL
  for (int hi = 0; hi < 2; ++hi)
    TCONV_SIMT128_UNROLL
    for (int hj = 0; hj < 2; ++hj) {
      const int m4 = acc_m(tid, 4 * hi), n4 = acc_n(tid, 4 * hj);
      const bool m_run = c_aligned16 && consecutive4(tab.c_rows, m4);
      const bool n_run = c_aligned16 && consecutive4(tab.c_cols, n4);
      TCONV_SIMT128_UNROLL
      for (int q = 0; q < 4; ++q) {
        const int i0 = 4 * hi, j0 = 4 * hj;
        if (m_run && tab.c_cols[n4 + q] >= 0 && ((tab.c_rows[m4] + tab.c_cols[n4 + q]) & 3) == 0) {
          const float bq = bv[j0 + q];
          store4(C + tab.c_rows[m4] + tab.c_cols[n4 + q], acc[i0][j0 + q] + bq, acc[i0 + 1][j0 + q] + bq,
                 acc[i0 + 2][j0 + q] + bq, acc[i0 + 3][j0 + q] + bq);
        } else if (!m_run && n_run && tab.c_rows[m4 + q] >= 0 && ((tab.c_rows[m4 + q] + tab.c_cols[n4]) & 3) == 0) {
          store4(C + tab.c_rows[m4 + q] + tab.c_cols[n4], acc[i0 + q][j0] + bv[j0], acc[i0 + q][j0 + 1] + bv[j0 + 1],
                 acc[i0 + q][j0 + 2] + bv[j0 + 2], acc[i0 + q][j0 + 3] + bv[j0 + 3]);
        } else if (m_run) {  // element stores of column q (register indices stay compile-time)
          TCONV_SIMT128_UNROLL
          for (int e = 0; e < 4; ++e) {
            const int ml = acc_m(tid, i0 + e), nl = acc_n(tid, j0 + q);
            if (b.m0 + ml < s.p.m && b.n0 + nl < N) C[tab.c_rows[ml] + tab.c_cols[nl]] = acc[i0 + e][j0 + q] + bv[j0 + q];
          }
        } else {  // element stores of row q
          TCONV_SIMT128_UNROLL
          for (int e = 0; e < 4; ++e) {
            const int ml = acc_m(tid, i0 + q), nl = acc_n(tid, j0 + e);
            if (b.m0 + ml < s.p.m && b.n0 + nl < N) C[tab.c_rows[ml] + tab.c_cols[nl]] = acc[i0 + q][j0 + e] + bv[j0 + e];
          }
        }
      }
    }
}

}  // namespace tconv::cuda::simt128
