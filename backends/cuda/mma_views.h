// The four implicit GEMMs of the fast kernel families, as index maps over ConvGeometry.
// A view says, for grid part z (a stride phase, or 0) and group gi, how big the GEMM is and
// where its A (M x K), B (K x N) and C (M x N) elements live in global memory (-1: a zero
// operand, i.e. a tap outside the input). The kernel (mma_gemm.h) and the host emulator
// (mma_emulator.h) are generic over views; everything here is __host__ __device__.
#pragma once

#include <cstdint>
#include <string>

#include "backends/cuda/geometry.h"

namespace tconv::cuda::mma {

using i64 = std::int64_t;

TCONV_HD i64 floor_mod(i64 a, i64 b) { return ((a % b) + b) % b; }
TCONV_HD i64 gcd_of(i64 a, i64 b) {
  while (b != 0) {
    const i64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// One stride phase along one axis: outputs o0, o0 + stride, ... (count of them) all satisfy
// (o + pad) == phase (mod stride), and receive exactly the taps t0, t0 + tstep, ... (nt of
// them), the t with t*dil == phase (mod stride).
struct AxisPhase {
  i64 o0, count, t0, tstep, nt;
};

TCONV_HD AxisPhase axis_phase(i64 phase, i64 pad, i64 stride, i64 dil, i64 taps, i64 out) {
  AxisPhase a{};
  a.o0 = floor_mod(phase - pad, stride);
  a.count = a.o0 < out ? (out - 1 - a.o0) / stride + 1 : 0;
  a.tstep = stride / gcd_of(stride, dil);  // solutions of t*dil == phase repeat with this period
  a.t0 = -1;
  for (i64 t = 0; t < a.tstep && t < taps; ++t)
    if ((t * dil) % stride == phase) {
      a.t0 = t;
      break;
    }
  a.nt = a.t0 < 0 ? 0 : (taps - 1 - a.t0) / a.tstep + 1;
  return a;
}

// What a view needs per grid part; phase views fill h/w, the others leave them empty.
struct Part {
  AxisPhase h, w;
  i64 m, k;  // GEMM M and K of this part
};

// The kernels never call a_at / b_at / c_at per element (they are the reference definitions):
// every offset is separable, offset(m, k) = row(m) + col(k), because ConvGeometry's index
// functions are linear in each coordinate. Rows are computed once per block and columns once
// per k-step into shared tables (mma_tile.h), so the inner loads do one add and one bounds
// check. For A the check is 0 <= row.y - col.y < lim_h (and x alike): the input (fwd) or dy
// (bwd_data) pixel the tap lands on. A sentinel row / column fails it (m >= M, k >= K).
// y and x are 32-bit: pixel coordinates stay below 2^28 (coordinate_refusal), so the bounds
// check is two int subtractions and two unsigned compares; the offset is 64-bit.
struct ATerm {
  i64 off;
  int y, x;
};
inline constexpr int kOutside = 1 << 29;  // beyond any coordinate; differences stay within int
TCONV_HD ATerm aterm(i64 off, i64 y, i64 x) { return {off, static_cast<int>(y), static_cast<int>(x)}; }
TCONV_HD ATerm a_row_outside() { return {0, -kOutside, -kOutside}; }
TCONV_HD ATerm a_col_outside() { return {0, kOutside, kOutside}; }
TCONV_HD i64 a_offset(const ATerm& row, const ATerm& col, i64 lim_h, i64 lim_w) {
  const unsigned y = static_cast<unsigned>(row.y - col.y), x = static_cast<unsigned>(row.x - col.x);
  return (y < static_cast<unsigned>(lim_h) && x < static_cast<unsigned>(lim_w)) ? row.off + col.off : -1;
}
// B and C terms are plain offsets; -1 marks n >= N or k >= K.
TCONV_HD i64 b_offset(i64 row, i64 col) { return (row < 0 || col < 0) ? -1 : row + col; }

// The same checks for a copy that zero-fills by predicate (cp.async's ignore-src): the offset
// (0 where outside, so the address stays inside the operand) and the predicate, with no -1
// sentinel to test again. The offset is 32-bit: the tile families refuse operands of 2^31
// elements or more (tile_refusal), so a chunk inside its operand has an offset below 2^31, and
// the low 32 bits of the row and column terms sum to it exactly (two's complement wraps).
struct ChunkSrc {
  std::uint32_t off;
  bool valid;
};
TCONV_HD std::uint32_t low32(i64 v) { return static_cast<std::uint32_t>(v); }
TCONV_HD ChunkSrc a_src(const ATerm& row, const ATerm& col, i64 lim_h, i64 lim_w) {
  const unsigned y = static_cast<unsigned>(row.y - col.y), x = static_cast<unsigned>(row.x - col.x);
  const bool valid = y < static_cast<unsigned>(lim_h) && x < static_cast<unsigned>(lim_w);
  return {valid ? low32(row.off) + low32(col.off) : 0u, valid};
}
// B terms below 2^31: their sign marks n >= N or k >= K in 32 bits too.
TCONV_HD ChunkSrc b_src(i64 row, i64 col) {
  const int r = static_cast<int>(row), c = static_cast<int>(col);
  const bool valid = r >= 0 && c >= 0;
  return {valid ? low32(row) + low32(col) : 0u, valid};
}

// ---- v2 fwd: one GEMM per (phase, group). M = N*rows*cols of the phase, N = C_out/g,
// K = taps of the phase * C_in/g (channel fastest).
struct PhaseFwdView {
  ConvGeometry g;
  TCONV_HD i64 parts() const { return g.stride_h * g.stride_w; }
  TCONV_HD i64 n_count() const { return g.cog(); }
  TCONV_HD Part part(i64 z) const {
    Part p{};
    p.h = axis_phase(z / g.stride_w, g.crop_top, g.stride_h, g.dil_h, g.kh, g.h_out);
    p.w = axis_phase(z % g.stride_w, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_out);
    p.m = g.n * p.h.count * p.w.count;
    p.k = p.h.nt * p.w.nt * g.cig();
    return p;
  }
  TCONV_HD void out_pixel(const Part& p, i64 m, i64& img, i64& oh, i64& ow) const {
    const i64 plane = p.h.count * p.w.count, rem = m % plane;
    img = m / plane;
    oh = p.h.o0 + (rem / p.w.count) * g.stride_h;
    ow = p.w.o0 + (rem % p.w.count) * g.stride_w;
  }
  TCONV_HD void tap(const Part& p, i64 k, i64& c, i64& r, i64& s) const {
    const i64 t = k / g.cig();
    c = k % g.cig();
    r = p.h.t0 + (t / p.w.nt) * p.h.tstep;
    s = p.w.t0 + (t % p.w.nt) * p.w.tstep;
  }
  TCONV_HD i64 a_at(const Part& p, i64 gi, i64 m, i64 k) const {
    i64 img, oh, ow, c, r, s;
    out_pixel(p, m, img, oh, ow);
    tap(p, k, c, r, s);
    // Exact divisions: the phase guarantees oh + crop_top == r*dil_h (mod stride_h).
    const i64 ih = (oh + g.crop_top - r * g.dil_h) / g.stride_h;
    const i64 iw = (ow + g.crop_left - s * g.dil_w) / g.stride_w;
    if (oh + g.crop_top - r * g.dil_h < 0 || ih >= g.h_in || ow + g.crop_left - s * g.dil_w < 0 || iw >= g.w_in)
      return -1;
    return g.x_index(img, gi * g.cig() + c, ih, iw);
  }
  TCONV_HD i64 b_at(const Part& p, i64 gi, i64 k, i64 n) const {
    i64 c, r, s;
    tap(p, k, c, r, s);
    return g.w_index(gi * g.cig() + c, n, r, s);
  }
  TCONV_HD i64 c_at(const Part& p, i64 gi, i64 m, i64 n) const {
    i64 img, oh, ow;
    out_pixel(p, m, img, oh, ow);
    return g.y_index(img, gi * g.cog() + n, oh, ow);
  }
  TCONV_HD i64 bias_at(i64 gi, i64 n) const { return gi * g.cog() + n; }
  // Separable form: the phase's output (j, i) reads input (j - dr, i - ds), with
  // dr = (r*dil_h - oh0 - crop_top) / stride_h exact (the phase guarantees divisibility).
  TCONV_HD ATerm a_row(const Part& p, i64, i64 m) const {
    const i64 plane = p.h.count * p.w.count, rem = m % plane, j = rem / p.w.count, i = rem % p.w.count;
    return aterm(g.x_index(m / plane, 0, j, i), j, i);
  }
  TCONV_HD ATerm a_col(const Part& p, i64 gi, i64 k) const {
    i64 c, r, s;
    tap(p, k, c, r, s);
    const i64 dr = (r * g.dil_h - p.h.o0 - g.crop_top) / g.stride_h;
    const i64 ds = (s * g.dil_w - p.w.o0 - g.crop_left) / g.stride_w;
    return aterm(g.x_index(0, gi * g.cig() + c, 0, 0) - g.x_index(0, 0, dr, ds), dr, ds);
  }
  TCONV_HD i64 a_lim_h() const { return g.h_in; }
  TCONV_HD i64 a_lim_w() const { return g.w_in; }
  // K's order (k_cursor.h): channel fastest, then the phase's taps, w fastest.
  TCONV_HD i64 k_channels() const { return g.cig(); }
  TCONV_HD i64 k_taps_w(const Part& p) const { return p.w.nt; }
  TCONV_HD i64 b_row(const Part&, i64, i64 n) const { return g.w_index(0, n, 0, 0); }
  TCONV_HD i64 b_col(const Part& p, i64 gi, i64 k) const {
    i64 c, r, s;
    tap(p, k, c, r, s);
    return g.w_index(gi * g.cig() + c, 0, r, s);
  }
  TCONV_HD i64 c_row(const Part& p, i64, i64 m) const {
    i64 img, oh, ow;
    out_pixel(p, m, img, oh, ow);
    return g.y_index(img, 0, oh, ow);
  }
  TCONV_HD i64 c_col(const Part&, i64 gi, i64 n) const { return g.y_index(0, gi * g.cog() + n, 0, 0); }
  // Global contiguity, for the load and store orientation (coalescing only, not correctness).
  TCONV_HD bool a_row_fastest() const { return !g.nhwc; }
  TCONV_HD bool b_row_fastest() const { return true; }
  TCONV_HD bool c_m_fastest() const { return !g.nhwc; }
};

// ---- v2 bwd_data: a strided direct convolution of dy. M = N*H_in*W_in, N = C_in/g,
// K = kh*kw*C_out/g (channel fastest); taps landing outside dy read zero.
struct PhaseBwdDataView {
  ConvGeometry g;
  TCONV_HD i64 parts() const { return 1; }
  TCONV_HD i64 n_count() const { return g.cig(); }
  TCONV_HD Part part(i64) const {
    Part p{};
    p.m = g.n * g.h_in * g.w_in;
    p.k = g.kh * g.kw * g.cog();
    return p;
  }
  TCONV_HD void in_pixel(i64 m, i64& img, i64& ih, i64& iw) const {
    iw = m % g.w_in;
    ih = (m / g.w_in) % g.h_in;
    img = m / (g.w_in * g.h_in);
  }
  // k = (r * kw + s) * C_out/g + o: the output channel fastest.
  TCONV_HD void tap(i64 k, i64& o, i64& r, i64& s) const {
    const i64 t = k / g.cog();
    o = k % g.cog();
    r = t / g.kw;
    s = t % g.kw;
  }
  TCONV_HD i64 a_at(const Part&, i64 gi, i64 m, i64 k) const {
    i64 img, ih, iw;
    in_pixel(m, img, ih, iw);
    const i64 o = k % g.cog(), t = k / g.cog();
    const i64 oh = g.out_h(ih, t / g.kw), ow = g.out_w(iw, t % g.kw);
    if (oh < 0 || oh >= g.h_out || ow < 0 || ow >= g.w_out) return -1;
    return g.y_index(img, gi * g.cog() + o, oh, ow);
  }
  TCONV_HD i64 b_at(const Part&, i64 gi, i64 k, i64 n) const {
    i64 o, r, s;
    tap(k, o, r, s);
    return g.w_index(gi * g.cig() + n, o, r, s);
  }
  TCONV_HD i64 c_at(const Part&, i64 gi, i64 m, i64 n) const {
    i64 img, ih, iw;
    in_pixel(m, img, ih, iw);
    return g.x_index(img, gi * g.cig() + n, ih, iw);
  }
  TCONV_HD i64 bias_at(i64, i64) const { return -1; }
  // Separable form: input pixel (ih, iw) and tap (r, s) read dy at (Y + r*dil_h, X + s*dil_w)
  // with Y = ih*stride_h - crop_top.
  TCONV_HD ATerm a_row(const Part&, i64, i64 m) const {
    i64 img, ih, iw;
    in_pixel(m, img, ih, iw);
    const i64 y = ih * g.stride_h - g.crop_top, x = iw * g.stride_w - g.crop_left;
    return aterm(g.y_index(img, 0, y, x), y, x);
  }
  TCONV_HD ATerm a_col(const Part&, i64 gi, i64 k) const {
    const i64 o = k % g.cog(), t = k / g.cog();
    const i64 dh = (t / g.kw) * g.dil_h, dw = (t % g.kw) * g.dil_w;
    return aterm(g.y_index(0, gi * g.cog() + o, dh, dw), -dh, -dw);
  }
  TCONV_HD i64 a_lim_h() const { return g.h_out; }
  TCONV_HD i64 a_lim_w() const { return g.w_out; }
  // K's order (k_cursor.h): channel fastest, then the kh x kw taps, w fastest.
  TCONV_HD i64 k_channels() const { return g.cog(); }
  TCONV_HD i64 k_taps_w(const Part&) const { return g.kw; }
  TCONV_HD i64 b_row(const Part&, i64 gi, i64 n) const { return g.w_index(gi * g.cig() + n, 0, 0, 0); }
  TCONV_HD i64 b_col(const Part&, i64, i64 k) const {
    i64 o, r, s;
    tap(k, o, r, s);
    return g.w_index(0, o, r, s);
  }
  TCONV_HD i64 c_row(const Part&, i64, i64 m) const {
    i64 img, ih, iw;
    in_pixel(m, img, ih, iw);
    return g.x_index(img, 0, ih, iw);
  }
  TCONV_HD i64 c_col(const Part&, i64 gi, i64 n) const { return g.x_index(0, gi * g.cig() + n, 0, 0); }
  TCONV_HD bool a_row_fastest() const { return !g.nhwc; }
  TCONV_HD bool b_row_fastest() const { return false; }
  TCONV_HD bool c_m_fastest() const { return !g.nhwc; }
};

// ---- v3 (k == s, no crop): (o, r, s) packed into one GEMM index in the order the weights
// are stored (IHWO: o fastest; IOHW: s fastest), so a weight row is one contiguous run.
TCONV_HD void ks_unpack(const ConvGeometry& g, i64 j, i64& o, i64& r, i64& s) {
  const i64 taps = g.kh * g.kw;
  const i64 t = g.nhwc ? j / g.cog() : j % taps;
  o = g.nhwc ? j % g.cog() : j / taps;
  r = t / g.kw;
  s = t % g.kw;
}

// fwd: y[n, o, ih*kh + r, iw*kw + s] = b[o] + sum_c x[n, c, ih, iw] * w[c, o, r, s]: one GEMM
// per group, M = N*H_in*W_in, N = C_out/g*kh*kw, K = C_in/g; the pixel shuffle is c_at.
struct KsFwdView {
  ConvGeometry g;
  TCONV_HD i64 parts() const { return 1; }
  TCONV_HD i64 n_count() const { return g.cog() * g.kh * g.kw; }
  TCONV_HD Part part(i64) const {
    Part p{};
    p.m = g.n * g.h_in * g.w_in;
    p.k = g.cig();
    return p;
  }
  TCONV_HD i64 a_at(const Part&, i64 gi, i64 m, i64 k) const {
    return g.x_index(m / (g.h_in * g.w_in), gi * g.cig() + k, (m / g.w_in) % g.h_in, m % g.w_in);
  }
  TCONV_HD i64 b_at(const Part&, i64 gi, i64 k, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, n, o, r, s);
    return g.w_index(gi * g.cig() + k, o, r, s);
  }
  TCONV_HD i64 c_at(const Part&, i64 gi, i64 m, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, n, o, r, s);
    const i64 ih = (m / g.w_in) % g.h_in, iw = m % g.w_in;
    return g.y_index(m / (g.h_in * g.w_in), gi * g.cog() + o, ih * g.kh + r, iw * g.kw + s);
  }
  TCONV_HD i64 bias_at(i64 gi, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, n, o, r, s);
    return gi * g.cog() + o;
  }
  // Separable form; no bounds (every tap lands inside x and y).
  TCONV_HD ATerm a_row(const Part&, i64, i64 m) const {
    return {g.x_index(m / (g.h_in * g.w_in), 0, (m / g.w_in) % g.h_in, m % g.w_in), 0, 0};
  }
  TCONV_HD ATerm a_col(const Part&, i64 gi, i64 k) const { return {g.x_index(0, gi * g.cig() + k, 0, 0), 0, 0}; }
  TCONV_HD i64 a_lim_h() const { return 1; }
  TCONV_HD i64 a_lim_w() const { return 1; }
  // K (k_cursor.h): the input channel alone.
  TCONV_HD i64 k_channels() const { return g.cig(); }
  TCONV_HD i64 k_taps_w(const Part&) const { return 1; }
  TCONV_HD i64 b_row(const Part&, i64, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, n, o, r, s);
    return g.w_index(0, o, r, s);
  }
  TCONV_HD i64 b_col(const Part&, i64 gi, i64 k) const { return g.w_index(gi * g.cig() + k, 0, 0, 0); }
  TCONV_HD i64 c_row(const Part&, i64, i64 m) const {
    const i64 ih = (m / g.w_in) % g.h_in, iw = m % g.w_in;
    return g.y_index(m / (g.h_in * g.w_in), 0, ih * g.kh, iw * g.kw);
  }
  TCONV_HD i64 c_col(const Part&, i64 gi, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, n, o, r, s);
    return g.y_index(0, gi * g.cog() + o, r, s);
  }
  TCONV_HD bool a_row_fastest() const { return !g.nhwc; }
  TCONV_HD bool b_row_fastest() const { return true; }
  TCONV_HD bool c_m_fastest() const { return !g.nhwc; }
};

// bwd_data: the transpose GEMM, dy read through the same shuffle. M = N*H_in*W_in,
// N = C_in/g, K = C_out/g*kh*kw.
struct KsBwdDataView {
  ConvGeometry g;
  TCONV_HD i64 parts() const { return 1; }
  TCONV_HD i64 n_count() const { return g.cig(); }
  TCONV_HD Part part(i64) const {
    Part p{};
    p.m = g.n * g.h_in * g.w_in;
    p.k = g.cog() * g.kh * g.kw;
    return p;
  }
  TCONV_HD i64 a_at(const Part&, i64 gi, i64 m, i64 k) const {
    i64 o, r, s;
    ks_unpack(g, k, o, r, s);
    const i64 ih = (m / g.w_in) % g.h_in, iw = m % g.w_in;
    return g.y_index(m / (g.h_in * g.w_in), gi * g.cog() + o, ih * g.kh + r, iw * g.kw + s);
  }
  TCONV_HD i64 b_at(const Part&, i64 gi, i64 k, i64 n) const {
    i64 o, r, s;
    ks_unpack(g, k, o, r, s);
    return g.w_index(gi * g.cig() + n, o, r, s);
  }
  TCONV_HD i64 c_at(const Part&, i64 gi, i64 m, i64 n) const {
    return g.x_index(m / (g.h_in * g.w_in), gi * g.cig() + n, (m / g.w_in) % g.h_in, m % g.w_in);
  }
  TCONV_HD i64 bias_at(i64, i64) const { return -1; }
  // Separable form; no bounds.
  TCONV_HD ATerm a_row(const Part&, i64, i64 m) const {
    const i64 ih = (m / g.w_in) % g.h_in, iw = m % g.w_in;
    return {g.y_index(m / (g.h_in * g.w_in), 0, ih * g.kh, iw * g.kw), 0, 0};
  }
  TCONV_HD ATerm a_col(const Part&, i64 gi, i64 k) const {
    i64 o, r, s;
    ks_unpack(g, k, o, r, s);
    return {g.y_index(0, gi * g.cog() + o, r, s), 0, 0};
  }
  TCONV_HD i64 a_lim_h() const { return 1; }
  TCONV_HD i64 a_lim_w() const { return 1; }
  // K's digits (k_cursor.h), ks_unpack's order: IHWO (o, then s, then r), IOHW (s, r, then o).
  TCONV_HD i64 k_channels() const { return g.nhwc ? g.cog() : g.kw; }
  TCONV_HD i64 k_taps_w(const Part&) const { return g.nhwc ? g.kw : g.kh; }
  TCONV_HD i64 b_row(const Part&, i64 gi, i64 n) const { return g.w_index(gi * g.cig() + n, 0, 0, 0); }
  TCONV_HD i64 b_col(const Part&, i64, i64 k) const {
    i64 o, r, s;
    ks_unpack(g, k, o, r, s);
    return g.w_index(0, o, r, s);
  }
  TCONV_HD i64 c_row(const Part&, i64, i64 m) const {
    return g.x_index(m / (g.h_in * g.w_in), 0, (m / g.w_in) % g.h_in, m % g.w_in);
  }
  TCONV_HD i64 c_col(const Part&, i64 gi, i64 n) const { return g.x_index(0, gi * g.cig() + n, 0, 0); }
  TCONV_HD bool a_row_fastest() const { return !g.nhwc; }
  TCONV_HD bool b_row_fastest() const { return false; }
  TCONV_HD bool c_m_fastest() const { return !g.nhwc; }
};

// Both tile configurations (mma_tile.h) cover 64 x 64 of C per block.
inline constexpr i64 kTileM = 64, kTileN = 64;

// The launch grid of a view: x = M tiles of the widest part, y = group * N tiles, z = part.
struct Grid3 {
  i64 x, y, z;
};
template <class View>
inline Grid3 view_grid(const View& v) {
  i64 max_m = 0;
  for (i64 z = 0; z < v.parts(); ++z) max_m = v.part(z).m > max_m ? v.part(z).m : max_m;
  return {(max_m + kTileM - 1) / kTileM, v.g.groups * ((v.n_count() + kTileN - 1) / kTileN), v.parts()};
}

// Empty when the grid fits CUDA's limits (x < 2^31, y and z <= 65535), else why not.
// ATerm keeps pixel coordinates in 32 bits: every output line, every input line times its
// stride plus the crop, every tap's reach below 2^28 (real layers are far below).
inline std::string coordinate_refusal(const ConvGeometry& g) {
  auto magnitude = [](i64 v) { return v < 0 ? -v : v; };
  const i64 reach[] = {g.h_out,
                       g.w_out,
                       g.h_in * g.stride_h + magnitude(g.crop_top),
                       g.w_in * g.stride_w + magnitude(g.crop_left),
                       g.kh * g.dil_h + magnitude(g.crop_top),
                       g.kw * g.dil_w + magnitude(g.crop_left)};
  for (i64 r : reach)
    if (r >= (i64{1} << 28)) return "spatial coordinates reach " + std::to_string(r) + " (the tile index math keeps them below 2^28)";
  return {};
}

inline std::string grid_refusal(const Grid3& g3) {
  if (g3.x <= 2147483647 && g3.y <= 65535 && g3.z <= 65535) return {};
  return "grid too large (M tiles " + std::to_string(g3.x) + ", groups*N tiles " + std::to_string(g3.y) +
         ", stride phases " + std::to_string(g3.z) + ")";
}

// Both limits of the GEMM families: their grid, and ATerm's pixel coordinates.
inline std::string limits_refusal(const Grid3& g3, const ConvGeometry& g) {
  const std::string grid = grid_refusal(g3);
  return grid.empty() ? coordinate_refusal(g) : grid;
}

// Which block (bx, by, bz) is: part z, group gi, first tile row m0 and column n0.
struct BlockPos {
  i64 z, gi, m0, n0;
};
template <class View>
TCONV_HD BlockPos block_pos(const View& v, i64 bx, i64 by, i64 bz) {
  const i64 n_tiles = (v.n_count() + kTileN - 1) / kTileN;
  return {bz, by / n_tiles, bx * kTileM, (by % n_tiles) * kTileN};
}

}  // namespace tconv::cuda::mma
