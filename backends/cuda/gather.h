// Kernel family v1, direct gather: every direction, every parameter, every dtype. One thread per
// output element (fwd: y, bwd_data: dx, bwd_weights: dw), each summing in a fixed order over
// only the terms that exist: fwd visits only the taps that land on a real input pixel for its
// stride phase (taps.h), so no inserted zero is multiplied and nothing is accumulated
// atomically. bwd_bias: one block per channel, fixed-order partial sums and a fixed tree.
//
// The per-thread work is the __host__ __device__ functions below, taking the thread's flat
// index explicitly: gather.cu's kernels call them on the GPU, gather_test.cpp calls the very
// same functions for every index on the CPU and compares with the oracle.
#pragma once

#include "backends/cuda/kernel_api.h"
#include "backends/cuda/taps.h"

namespace tconv::cuda {

Status gather_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_gather(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

// Threads per block of every gather kernel; the bias tree reduction relies on a power of two.
inline constexpr int kGatherThreads = 256;

struct Coord {
  std::int64_t n, c, h, w;
};

// Logical coordinates of flat offset `i` of a data tensor [n, c, h, w] stored NCHW or NHWC.
TCONV_HD Coord decode_data(std::int64_t i, std::int64_t c, std::int64_t h, std::int64_t w, bool nhwc) {
  Coord k;
  if (nhwc) {
    k.c = i % c, i /= c;
    k.w = i % w, i /= w;
    k.h = i % h, k.n = i / h;
  } else {
    k.w = i % w, i /= w;
    k.h = i % h, i /= h;
    k.c = i % c, k.n = i / c;
  }
  return k;
}

// Logical (ci, o, r, s) of flat offset `i` of the device filter (IOHW, or IHWO with NHWC);
// returned as {n = ci, c = o, h = r, w = s}.
TCONV_HD Coord decode_filter(const ConvGeometry& g, std::int64_t i) {
  Coord k;
  if (g.nhwc) {
    k.c = i % g.cog(), i /= g.cog();
    k.w = i % g.kw, i /= g.kw;
    k.h = i % g.kh, k.n = i / g.kh;
  } else {
    k.w = i % g.kw, i /= g.kw;
    k.h = i % g.kh, i /= g.kh;
    k.c = i % g.cog(), k.n = i / g.cog();
  }
  return k;
}

// fwd, thread `i` = y's flat offset (writes coalesce): y = b + sum over the landing taps.
template <class T, class Acc>
TCONV_HD void gather_fwd_thread(const ConvGeometry& g, std::int64_t i, const T* x, const T* w, const T* b, T* y) {
  const Coord o = decode_data(i, g.c_out, g.h_out, g.w_out, g.nhwc);
  const std::int64_t cig = g.cig(), og = o.c % g.cog(), ci0 = (o.c / g.cog()) * cig;
  const TapRange th = landing_taps(o.h, g.crop_top, g.stride_h, g.dil_h, g.kh, g.h_in);
  const TapRange tw = landing_taps(o.w, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_in);
  const std::int64_t xs = g.x_stride_c(), ws = g.w_stride_ci();
  Acc acc = 0;
  for (std::int64_t a = 0; a < th.count; ++a) {
    const std::int64_t r = th.first + a * th.step, ih = th.in_first - a * th.in_step;
    for (std::int64_t e = 0; e < tw.count; ++e) {
      const std::int64_t s = tw.first + e * tw.step, iw = tw.in_first - e * tw.in_step;
      const T* xp = x + g.x_index(o.n, ci0, ih, iw);
      const T* wp = w + g.w_index(ci0, og, r, s);
      for (std::int64_t c = 0; c < cig; ++c, xp += xs, wp += ws) acc += static_cast<Acc>(*xp) * static_cast<Acc>(*wp);
    }
  }
  if (b != nullptr) acc += static_cast<Acc>(b[o.c]);
  y[i] = static_cast<T>(acc);
}

// bwd_data, thread `i` = dx's flat offset: a plain convolution of dy, over the taps whose
// output pixel lies inside dy.
template <class T, class Acc>
TCONV_HD void gather_bwd_data_thread(const ConvGeometry& g, std::int64_t i, const T* dy, const T* w, T* dx) {
  const Coord x = decode_data(i, g.c_in, g.h_in, g.w_in, g.nhwc);
  const std::int64_t cog = g.cog(), co0 = (x.c / g.cig()) * cog;
  const Span rs = span_in_range(g.out_h(x.h, 0), g.dil_h, g.h_out, g.kh);
  const Span ss = span_in_range(g.out_w(x.w, 0), g.dil_w, g.w_out, g.kw);
  const std::int64_t ys = g.y_stride_c(), ws = g.w_stride_o();
  Acc acc = 0;
  for (std::int64_t r = rs.lo; r <= rs.hi; ++r)
    for (std::int64_t s = ss.lo; s <= ss.hi; ++s) {
      const T* dyp = dy + g.y_index(x.n, co0, g.out_h(x.h, r), g.out_w(x.w, s));
      const T* wp = w + g.w_index(x.c, 0, r, s);
      for (std::int64_t o = 0; o < cog; ++o, dyp += ys, wp += ws) acc += static_cast<Acc>(*dyp) * static_cast<Acc>(*wp);
    }
  dx[i] = static_cast<T>(acc);
}

// bwd_weights, thread `i` = dw's flat offset in the device filter format: sum over n and the
// input pixels whose tap (r, s) lands inside dy.
template <class T, class Acc>
TCONV_HD void gather_bwd_weights_thread(const ConvGeometry& g, std::int64_t i, const T* x, const T* dy, T* dw) {
  const Coord f = decode_filter(g, i);
  const std::int64_t ci = f.n, co = (ci / g.cig()) * g.cog() + f.c;
  // oh = ih*stride + (r*dil - pad): the input rows whose output row exists.
  const Span hs = span_in_range(g.out_h(0, f.h), g.stride_h, g.h_out, g.h_in);
  const Span ws = span_in_range(g.out_w(0, f.w), g.stride_w, g.w_out, g.w_in);
  // Along a row, iw + 1 moves x by one pixel and dy by stride_w pixels.
  const std::int64_t xs = g.x_stride_w(), ys = g.y_stride_w() * g.stride_w;
  Acc acc = 0;
  for (std::int64_t n = 0; n < g.n && ws.lo <= ws.hi; ++n)
    for (std::int64_t ih = hs.lo; ih <= hs.hi; ++ih) {
      const T* xp = x + g.x_index(n, ci, ih, ws.lo);
      const T* dyp = dy + g.y_index(n, co, g.out_h(ih, f.h), g.out_w(ws.lo, f.w));
      for (std::int64_t iw = ws.lo; iw <= ws.hi; ++iw, xp += xs, dyp += ys) acc += static_cast<Acc>(*xp) * static_cast<Acc>(*dyp);
    }
  dw[i] = static_cast<T>(acc);
}

// bwd_bias, block `co`, thread `t` of `threads`: the partial sum over the elements
// t, t + threads, ... of the channel's N*H_out*W_out (a fixed assignment and order).
template <class T, class Acc>
TCONV_HD Acc bias_partial_thread(const ConvGeometry& g, std::int64_t co, int t, int threads, const T* dy) {
  const std::int64_t hw = g.h_out * g.w_out, total = g.n * hw;
  Acc acc = 0;
  for (std::int64_t e = t; e < total; e += threads) {
    const std::int64_t n = e / hw, p = e % hw;
    acc += static_cast<Acc>(dy[g.y_index(n, co, p / g.w_out, p % g.w_out)]);
  }
  return acc;
}

// One step of the fixed reduction tree over shared partials: thread t < half adds its partner.
template <class Acc>
TCONV_HD void bias_tree_step(Acc* partials, int t, int half) {
  if (t < half) partials[t] += partials[t + half];
}

}  // namespace tconv::cuda
