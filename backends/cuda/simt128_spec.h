// The GEMMs the simt128 kernel runs, as "specs": for grid part z (a stride phase, or a split
// of K) and group gi, the GEMM's M, its K range and N, and the separable offsets of A (M x K),
// B (K x N) and C (M x N). Both operands use the checked form of mma_views.h
// (offset = row.off + col.off when 0 <= row.y - col.y < lim_h and the same for x, else a zero),
// so one kernel serves the stride-phase views and the split-K weight gradient.
// Everything here is __host__ __device__.
#pragma once

#include <string>

#include "backends/cuda/mma_views.h"
#include "backends/cuda/simt128_tile.h"

namespace tconv::cuda::simt128 {

using i64 = mma::i64;
using mma::ATerm;
using mma::Part;

// What a block of part z works on: the part's M (p.m) and K range [k_begin, k_end).
struct Seg {
  Part p;
  i64 z, k_begin, k_end;
};

// fwd (PhaseFwdView) and bwd_data (PhaseBwdDataView) of phase_gemm, read through the checked
// form for B as well (terms {off, 0, 0} against limits 1 x 1: always inside unless a sentinel).
template <class View>
struct PhaseSpec {
  View v;
  TCONV_HD i64 parts() const { return v.parts(); }
  TCONV_HD i64 groups() const { return v.g.groups; }
  TCONV_HD i64 n_count() const { return v.n_count(); }
  TCONV_HD Seg seg(i64 z) const {
    const Part p = v.part(z);
    return {p, z, 0, p.k};
  }
  TCONV_HD ATerm a_row(const Seg& s, i64 gi, i64 m) const { return v.a_row(s.p, gi, m); }
  TCONV_HD ATerm a_col(const Seg& s, i64 gi, i64 k) const { return v.a_col(s.p, gi, k); }
  TCONV_HD i64 k_channels() const { return v.k_channels(); }  // K's digits (k_cursor.h)
  TCONV_HD i64 k_taps_w(const Seg& s) const { return v.k_taps_w(s.p); }
  TCONV_HD i64 a_lim_h() const { return v.a_lim_h(); }
  TCONV_HD i64 a_lim_w() const { return v.a_lim_w(); }
  TCONV_HD ATerm b_row(const Seg& s, i64 gi, i64 n) const { return {v.b_row(s.p, gi, n), 0, 0}; }
  TCONV_HD ATerm b_col(const Seg& s, i64 gi, i64 k) const { return {v.b_col(s.p, gi, k), 0, 0}; }
  TCONV_HD i64 b_lim_h() const { return 1; }
  TCONV_HD i64 b_lim_w() const { return 1; }
  TCONV_HD i64 c_row(const Seg& s, i64 gi, i64 m) const { return v.c_row(s.p, gi, m); }
  TCONV_HD i64 c_col(const Seg& s, i64 gi, i64 n) const { return v.c_col(s.p, gi, n); }
  TCONV_HD i64 bias_at(i64 gi, i64 n) const { return v.bias_at(gi, n); }
  TCONV_HD bool a_row_fastest() const { return v.a_row_fastest(); }
  TCONV_HD bool b_row_fastest() const { return v.b_row_fastest(); }
};

// bwd_weights, split-K: per group, dw[ci][n] = sum_k x[k][ci] * dy[k][n], k = (img, ih, iw)
// over N*H_in*W_in, n = (o, r, s) packed in the device filter's storage order (IOHW: s
// fastest; IHWO: o fastest), so a group's dw rows are [C_in/g][C_out/g*kh*kw] row-major in
// the device filter format. Part z = split z of K; C is the workspace [split][C_in][n] (or dw
// itself with one split), summed over splits in order by wgrad_simt128's reduction.
//   A(ci, k) = x[img, gi*cig + ci, ih, iw]
//   B(k, n)  = dy[img, gi*cog + o, ih*sH - crop_top + r*dH, iw*sW - crop_left + s*dW] (0 outside dy)
struct WgradSpec {
  ConvGeometry g;
  i64 splits, k_per_split;
  TCONV_HD i64 parts() const { return splits; }
  TCONV_HD i64 groups() const { return g.groups; }
  TCONV_HD i64 n_count() const { return g.cog() * g.kh * g.kw; }
  TCONV_HD i64 k_total() const { return g.n * g.h_in * g.w_in; }
  TCONV_HD Seg seg(i64 z) const {
    Seg s{};
    s.p.m = g.cig();
    s.p.k = k_total();
    s.z = z;
    s.k_begin = z * k_per_split;
    s.k_end = s.k_begin + k_per_split < s.p.k ? s.k_begin + k_per_split : s.p.k;
    return s;
  }
  TCONV_HD void unpack_n(i64 n, i64& o, i64& r, i64& s) const {
    const i64 taps = g.kh * g.kw, t = g.nhwc ? n / g.cog() : n % taps;
    o = g.nhwc ? n % g.cog() : n / taps;
    r = t / g.kw;
    s = t % g.kw;
  }
  TCONV_HD void unpack_k(i64 k, i64& img, i64& ih, i64& iw) const {
    iw = k % g.w_in;
    ih = (k / g.w_in) % g.h_in;
    img = k / (g.w_in * g.h_in);
  }
  TCONV_HD ATerm a_row(const Seg&, i64 gi, i64 m) const { return {g.x_index(0, gi * g.cig() + m, 0, 0), 0, 0}; }
  TCONV_HD ATerm a_col(const Seg&, i64, i64 k) const {
    i64 img, ih, iw;
    unpack_k(k, img, ih, iw);
    return {g.x_index(img, 0, ih, iw), 0, 0};
  }
  // K's digits (k_cursor.h): iw, then ih, then the image.
  TCONV_HD i64 k_channels() const { return g.w_in; }
  TCONV_HD i64 k_taps_w(const Seg&) const { return g.h_in; }
  TCONV_HD i64 a_lim_h() const { return 1; }
  TCONV_HD i64 a_lim_w() const { return 1; }
  // dy pixel (Y + r*dH, X + s*dW), Y = ih*sH - crop_top: row.y - col.y with row.y = r*dH, col.y = -Y.
  TCONV_HD ATerm b_row(const Seg&, i64 gi, i64 n) const {
    i64 o, r, s;
    unpack_n(n, o, r, s);
    return mma::aterm(g.y_index(0, gi * g.cog() + o, r * g.dil_h, s * g.dil_w), r * g.dil_h, s * g.dil_w);
  }
  TCONV_HD ATerm b_col(const Seg&, i64, i64 k) const {
    i64 img, ih, iw;
    unpack_k(k, img, ih, iw);
    const i64 y = ih * g.stride_h - g.crop_top, x = iw * g.stride_w - g.crop_left;
    return mma::aterm(g.y_index(img, 0, y, x), -y, -x);
  }
  TCONV_HD i64 b_lim_h() const { return g.h_out; }
  TCONV_HD i64 b_lim_w() const { return g.w_out; }
  TCONV_HD i64 c_row(const Seg& s, i64 gi, i64 m) const { return (s.z * g.c_in + gi * g.cig() + m) * n_count(); }
  TCONV_HD i64 c_col(const Seg&, i64, i64 n) const { return n; }
  TCONV_HD i64 bias_at(i64, i64) const { return -1; }
  // x is contiguous along ci with NHWC (rows), along iw with NCHW (k); dy along o with NHWC.
  TCONV_HD bool a_row_fastest() const { return g.nhwc; }
  TCONV_HD bool b_row_fastest() const { return g.nhwc; }
};

// Which block (bx, by, bz) is: part z, group gi, first tile row m0 and column n0.
struct Block {
  i64 z, gi, m0, n0;
};
TCONV_HD i64 n_tiles(i64 n_count) { return (n_count + Cfg::BN - 1) / Cfg::BN; }
TCONV_HD Block block_at(i64 n_count, i64 bx, i64 by, i64 bz) {
  const i64 nt = n_tiles(n_count);
  return {bz, by / nt, bx * Cfg::BM, (by % nt) * Cfg::BN};
}

// The launch grid: x = M tiles of the largest part, y = groups * N tiles, z = parts. Blocks
// past a smaller part's M return at once (phases differ by at most a row or column).
template <class Spec>
inline mma::Grid3 grid_of(const Spec& s) {
  i64 max_m = 0;
  for (i64 z = 0; z < s.parts(); ++z) max_m = s.seg(z).p.m > max_m ? s.seg(z).p.m : max_m;
  return {(max_m + Cfg::BM - 1) / Cfg::BM, s.groups() * n_tiles(s.n_count()), s.parts()};
}

// k-steps of a part.
TCONV_HD i64 k_steps(const Seg& s) { return s.k_end > s.k_begin ? (s.k_end - s.k_begin + Cfg::BK - 1) / Cfg::BK : 0; }

}  // namespace tconv::cuda::simt128
