// Kernel family `depthwise`: few channels per group (C_in/g <= 4 and C_out/g <= 4, depthwise
// included), fwd and bwd_data. Memory-bound: each thread writes a run of kVec (4) consecutive
// elements along the output's contiguous axis (W with NCHW, C with NHWC) with one vector store
// where the run is whole and aligned, so each output element is written once and each input
// element is read by the few threads whose taps reach it. With NHWC and one channel per group
// in and out, the four channels of a run share their taps and the input is read with vector
// loads as well. The tap sets (taps.h) are computed once per run, not per element.
//
// Per element the sum is gather's (taps in order, then the group's channels), whatever path
// (vector or scalar) a run takes: deterministic by construction, no atomics.
//
// The per-thread work is the __host__ __device__ functions below; depthwise.cu's kernels call
// them, depthwise_test.cpp calls them for every thread index on the CPU against the oracle.
#pragma once

#include <string>

#include "backends/cuda/gather.h"
#include "backends/cuda/kernel_api.h"
#include "backends/cuda/vector_access.h"

namespace tconv::cuda {

inline constexpr std::int64_t kDepthwiseMaxPerGroup = 4;
inline constexpr int kDepthwiseVec = kVec;
inline constexpr int kDepthwiseThreads = 256;

Status depthwise_refuses(Direction d, const ConvGeometry& g, DType t);
// The channel rule shared with depthwise_wgrad: ok, or "<family>: needs at most 4 channels ...".
Status few_channels_per_group_refuses(const std::string& family, const ConvGeometry& g);
Status launch_depthwise(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

// Thread v's run: `count` elements of one row of the contiguous axis, from flat `offset`.
struct Run {
  std::int64_t offset;
  int count;
  Coord first;
};

// Threads over a data tensor [n, c, h, w]: every row of the contiguous axis cut into runs of kVec.
TCONV_HD std::int64_t run_threads(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, bool nhwc) {
  const std::int64_t len = nhwc ? c : w, rows = n * h * (nhwc ? w : c);
  return rows * ((len + kVec - 1) / kVec);
}

TCONV_HD Run run_of(std::int64_t v, std::int64_t c, std::int64_t h, std::int64_t w, bool nhwc) {
  const std::int64_t len = nhwc ? c : w, chunks = (len + kVec - 1) / kVec;
  const std::int64_t e0 = (v % chunks) * kVec;
  Run r;
  r.offset = (v / chunks) * len + e0;
  r.count = static_cast<int>(len - e0 < kVec ? len - e0 : kVec);
  r.first = decode_data(r.offset, c, h, w, nhwc);
  return r;
}

// NHWC with one channel per group in and out: the run's four channels share every tap and read
// four consecutive aligned channels of the source tensor (`src_channels` wide).
TCONV_HD bool run_reads_vectors(const ConvGeometry& g, const Run& run, std::int64_t src_channels) {
  return g.nhwc && g.cig() == 1 && g.cog() == 1 && run.count == kVec && run.first.c % kVec == 0 &&
         src_channels % kVec == 0;
}

// fwd, thread v: a run of y.
template <class T, class Acc>
TCONV_HD void depthwise_fwd_thread(const ConvGeometry& g, std::int64_t v, const T* x, const T* w, const T* b, T* y) {
  const Run run = run_of(v, g.c_out, g.h_out, g.w_out, g.nhwc);
  const Coord o = run.first;
  const TapRange th = landing_taps(o.h, g.crop_top, g.stride_h, g.dil_h, g.kh, g.h_in);
  Acc acc[kVec] = {0, 0, 0, 0};
  // One element (channel co) over the taps of its row and of its column (tw).
  auto element = [&](std::int64_t co, const TapRange& tw) {
    const std::int64_t og = co % g.cog(), ci0 = (co / g.cog()) * g.cig();
    Acc sum = 0;
    for (std::int64_t a = 0; a < th.count; ++a) {
      const std::int64_t r = th.first + a * th.step, ih = th.in_first - a * th.in_step;
      for (std::int64_t k = 0; k < tw.count; ++k) {
        const std::int64_t s = tw.first + k * tw.step, iw = tw.in_first - k * tw.in_step;
        for (std::int64_t ci = ci0; ci < ci0 + g.cig(); ++ci)
          sum += static_cast<Acc>(x[g.x_index(o.n, ci, ih, iw)]) * static_cast<Acc>(w[g.w_index(ci, og, r, s)]);
      }
    }
    return sum;
  };
  if (g.nhwc) {  // the run is channels of one pixel: one set of taps
    const TapRange tw = landing_taps(o.w, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_in);
    if (run_reads_vectors(g, run, g.c_in)) {
      for (std::int64_t a = 0; a < th.count; ++a) {
        const std::int64_t r = th.first + a * th.step, ih = th.in_first - a * th.in_step;
        for (std::int64_t k = 0; k < tw.count; ++k) {
          const std::int64_t s = tw.first + k * tw.step, iw = tw.in_first - k * tw.in_step;
          T xv[kVec];
          load4(x, g.x_index(o.n, o.c, ih, iw), xv);
          for (int e = 0; e < kVec; ++e)
            acc[e] += static_cast<Acc>(xv[e]) * static_cast<Acc>(w[g.w_index(o.c + e, 0, r, s)]);
        }
      }
    } else {
      for (int e = 0; e < kVec; ++e)  // constant bounds and indices: acc stays in registers
        if (e < run.count) acc[e] = element(o.c + e, tw);
    }
  } else {  // the run is columns of one row: the row's taps once, each column's own
    for (int e = 0; e < kVec; ++e)
      if (e < run.count) acc[e] = element(o.c, landing_taps(o.w + e, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_in));
  }
  T out[kVec];
  for (int e = 0; e < kVec; ++e) {
    const std::int64_t co = g.nhwc ? o.c + e : o.c;
    if (b != nullptr && e < run.count) acc[e] += static_cast<Acc>(b[co]);
    out[e] = static_cast<T>(acc[e]);
  }
  store_run(y, run.offset, run.count, out);
}

// bwd_data, thread v: a run of dx, each element a plain convolution of dy over the taps whose
// output pixel lies inside dy (rows shared by the run).
template <class T, class Acc>
TCONV_HD void depthwise_bwd_data_thread(const ConvGeometry& g, std::int64_t v, const T* dy, const T* w, T* dx) {
  const Run run = run_of(v, g.c_in, g.h_in, g.w_in, g.nhwc);
  const Coord x = run.first;
  const Span rs = span_in_range(g.out_h(x.h, 0), g.dil_h, g.h_out, g.kh);
  Acc acc[kVec] = {0, 0, 0, 0};
  auto element = [&](std::int64_t c, std::int64_t iw) {
    const std::int64_t co0 = (c / g.cig()) * g.cog();
    Acc sum = 0;
    const Span ss = span_in_range(g.out_w(iw, 0), g.dil_w, g.w_out, g.kw);
    for (std::int64_t r = rs.lo; r <= rs.hi; ++r)
      for (std::int64_t s = ss.lo; s <= ss.hi; ++s) {
        const std::int64_t oh = g.out_h(x.h, r), ow = g.out_w(iw, s);
        for (std::int64_t o = 0; o < g.cog(); ++o)
          sum += static_cast<Acc>(dy[g.y_index(x.n, co0 + o, oh, ow)]) * static_cast<Acc>(w[g.w_index(c, o, r, s)]);
      }
    return sum;
  };
  if (run_reads_vectors(g, run, g.c_out)) {
    const Span ss = span_in_range(g.out_w(x.w, 0), g.dil_w, g.w_out, g.kw);
    for (std::int64_t r = rs.lo; r <= rs.hi; ++r)
      for (std::int64_t s = ss.lo; s <= ss.hi; ++s) {
        T dv[kVec];
        load4(dy, g.y_index(x.n, x.c, g.out_h(x.h, r), g.out_w(x.w, s)), dv);
        for (int e = 0; e < kVec; ++e)
          acc[e] += static_cast<Acc>(dv[e]) * static_cast<Acc>(w[g.w_index(x.c + e, 0, r, s)]);
      }
  } else {
    for (int e = 0; e < kVec; ++e)
      if (e < run.count) acc[e] = element(g.nhwc ? x.c + e : x.c, g.nhwc ? x.w : x.w + e);
  }
  T out[kVec];
  for (int e = 0; e < kVec; ++e) out[e] = static_cast<T>(acc[e]);
  store_run(dx, run.offset, run.count, out);
}

}  // namespace tconv::cuda
