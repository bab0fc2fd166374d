// Kernel family `depthwise_wgrad`: bwd_weights for few channels per group (C_in/g <= 4 and
// C_out/g <= 4, depthwise included). There are few weights (C_in * C_out/g * kh * kw) and each
// sums over all of N*H_in*W_in: gather runs one thread per weight (2,304 threads for a 256-channel
// k3 depthwise layer) and the GEMM pads C_in/g = 1 to a 32-row tile. Here each weight's sum is
// cut into splits of input rows (n, ih), fixed by the problem (never the device), so that about
// kWgradSplitThreads threads run; pass 1 thread (weight e, split k) sums its rows in (n, ih, iw)
// order into ws[e * splits + k], pass 2 adds each weight's splits in order. No atomics:
// deterministic, bitwise, for a given problem.
#pragma once

#include "backends/cuda/gather.h"
#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

inline constexpr int kDepthwiseWgradThreads = 256;
inline constexpr std::int64_t kWgradSplitThreads = std::int64_t{1} << 17;  // fixed, not queried
inline constexpr std::int64_t kWgradMinRowsPerSplit = 2;

Status depthwise_wgrad_refuses(Direction d, const ConvGeometry& g, DType t);
std::size_t depthwise_wgrad_workspace_bytes(const ConvGeometry& g, DType t);
Status launch_depthwise_wgrad(const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                              CUstream_st* stream);

struct WgradSplitPlan {
  std::int64_t weights = 0;  // C_in * C_out/g * kh * kw
  std::int64_t rows = 0;     // N * H_in
  std::int64_t splits = 1, rows_per_split = 1;
  TCONV_HD std::int64_t threads() const { return weights * splits; }
};

TCONV_HD WgradSplitPlan plan_depthwise_wgrad(const ConvGeometry& g) {
  WgradSplitPlan p;
  p.weights = g.c_in * g.cog() * g.kh * g.kw;
  p.rows = g.n * g.h_in;
  std::int64_t splits = (kWgradSplitThreads + p.weights - 1) / p.weights;
  const std::int64_t most = (p.rows + kWgradMinRowsPerSplit - 1) / kWgradMinRowsPerSplit;
  if (splits > most) splits = most;
  if (splits < 1) splits = 1;
  p.rows_per_split = (p.rows + splits - 1) / splits;
  p.splits = (p.rows + p.rows_per_split - 1) / p.rows_per_split;  // no empty split
  return p;
}

// Pass 1, thread i: weight e = i % weights (the device filter's flat offset), split k = i / weights.
template <class T, class Acc>
TCONV_HD void depthwise_wgrad_partial_thread(const ConvGeometry& g, const WgradSplitPlan& p, std::int64_t i,
                                             const T* x, const T* dy, Acc* ws) {
  const std::int64_t e = i % p.weights, k = i / p.weights;
  const Coord f = decode_filter(g, e);
  const std::int64_t ci = f.n, co = (ci / g.cig()) * g.cog() + f.c;
  // The input rows / columns whose tap (f.h, f.w) lands inside dy (as gather's bwd_weights).
  const Span hs = span_in_range(g.out_h(0, f.h), g.stride_h, g.h_out, g.h_in);
  const Span wspan = span_in_range(g.out_w(0, f.w), g.stride_w, g.w_out, g.w_in);
  const std::int64_t first = k * p.rows_per_split;
  const std::int64_t end = first + p.rows_per_split < p.rows ? first + p.rows_per_split : p.rows;
  // Along a row, iw + 1 moves x by one pixel and dy by stride_w pixels (as gather's bwd_weights).
  const std::int64_t xs = g.x_stride_w(), ys = g.y_stride_w() * g.stride_w;
  Acc acc = 0;
  std::int64_t n = first / g.h_in, ih = first % g.h_in;  // then walked: no division per row
  for (std::int64_t row = first; row < end; ++row) {
    if (ih >= hs.lo && ih <= hs.hi && wspan.lo <= wspan.hi) {
      const T* xp = x + g.x_index(n, ci, ih, wspan.lo);
      const T* dyp = dy + g.y_index(n, co, g.out_h(ih, f.h), g.out_w(wspan.lo, f.w));
      for (std::int64_t iw = wspan.lo; iw <= wspan.hi; ++iw, xp += xs, dyp += ys)
        acc += static_cast<Acc>(*xp) * static_cast<Acc>(*dyp);
    }
    if (++ih == g.h_in) ih = 0, ++n;
  }
  ws[e * p.splits + k] = acc;
}

// Pass 2, thread e: dw[e] = its splits in order.
template <class T, class Acc>
TCONV_HD void depthwise_wgrad_finish_thread(const WgradSplitPlan& p, std::int64_t e, const Acc* ws, T* dw) {
  Acc acc = 0;
  for (std::int64_t k = 0; k < p.splits; ++k) acc += ws[e * p.splits + k];
  dw[e] = static_cast<T>(acc);
}

}  // namespace tconv::cuda
