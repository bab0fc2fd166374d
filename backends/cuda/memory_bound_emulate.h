// Host emulation of the memory-bound families (depthwise.cu, small_cout.cu, ...): the same
// per-thread functions, called for every thread index in turn, on host memory.
#pragma once

#include <vector>

#include "backends/cuda/bias_reduce.h"
#include "backends/cuda/depthwise.h"
#include "backends/cuda/depthwise_lines.h"
#include "backends/cuda/depthwise_wgrad.h"
#include "backends/cuda/small_cout.h"
#include "backends/cuda/small_cout_lines.h"

namespace tconv::cuda {

template <class T, class Acc>
void emulate_depthwise_v1(Direction d, const ConvGeometry& g, const DeviceOperands& ops) {
  const auto* w = static_cast<const T*>(ops.w);
  if (d == Direction::fwd) {
    for (std::int64_t v = 0; v < run_threads(g.n, g.c_out, g.h_out, g.w_out, g.nhwc); ++v)
      depthwise_fwd_thread<T, Acc>(g, v, static_cast<const T*>(ops.x), w, static_cast<const T*>(ops.b),
                                   static_cast<T*>(ops.y));
  } else {
    for (std::int64_t v = 0; v < run_threads(g.n, g.c_in, g.h_in, g.w_in, g.nhwc); ++v)
      depthwise_bwd_data_thread<T, Acc>(g, v, static_cast<const T*>(ops.dy), w, static_cast<T*>(ops.dx));
  }
}

// A line-table kernel, block by block: every thread fills its table entries (the table
// poisoned first), then every thread runs: run(block, thread, table). `blocks` and `threads`
// are the plan's; small grids make threads walk many rows and carry through every digit.
template <class Run>
void emulate_line_blocks(const TapTable& tt, bool fwd, std::int64_t blocks, int threads, Run&& run) {
  std::vector<LineTaps> table(static_cast<std::size_t>(tt.h_lines + tt.w_lines));
  for (std::int64_t b = 0; b < blocks; ++b) {
    table.assign(table.size(), LineTaps{-1 << 20, 1 << 20, -1 << 20});
    for (int t = 0; t < threads; ++t) fill_tap_table(tt, fwd, t, threads, table.data());
    for (int t = 0; t < threads; ++t) run(b, t, table.data());
  }
}

// depthwise v2; `max_blocks` stands for the device's cap.
template <class T, class Acc>
void emulate_depthwise_lines(Direction d, const ConvGeometry& g, const DeviceOperands& ops, std::int64_t max_blocks,
                             int threads = kLinesThreads) {
  const LinesPlan p = plan_depthwise_lines(d, g, max_blocks, threads);
  const bool fwd = d == Direction::fwd;
  const auto* src = static_cast<const T*>(fwd ? ops.x : ops.dy);
  const auto* w = static_cast<const T*>(ops.w);
  const auto* bias = static_cast<const T*>(fwd ? ops.b : nullptr);
  auto* dst = static_cast<T*>(fwd ? ops.y : ops.dx);
  emulate_line_blocks(p.table, fwd, p.blocks, p.threads, [&](std::int64_t b, int t, const LineTaps* table) {
    if (p.nhwc)
      lines_thread<T, Acc, true>(p, table, b, t, src, w, bias, dst);
    else
      lines_thread<T, Acc, false>(p, table, b, t, src, w, bias, dst);
  });
}

// As launch_depthwise chooses: v2 where its table fits (an H200's block cap), else v1.
template <class T, class Acc>
void emulate_depthwise(Direction d, const ConvGeometry& g, const DeviceOperands& ops) {
  if (lines_fit(d, g))
    emulate_depthwise_lines<T, Acc>(d, g, ops, kH200Sms * kLinesBlocksPerSm);
  else
    emulate_depthwise_v1<T, Acc>(d, g, ops);
}

template <class T, class Acc>
void emulate_small_cout_v1(const ConvGeometry& g, const DeviceOperands& ops) {
  for (std::int64_t p = 0; p < g.n * g.h_out * g.w_out; ++p)
    small_cout_fwd_thread<T, Acc>(g, p, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w),
                                  static_cast<const T*>(ops.b), static_cast<T*>(ops.y));
}

// small_cout v2, as emulate_depthwise_lines.
template <class T, class Acc>
void emulate_small_cout_lines(const ConvGeometry& g, const DeviceOperands& ops, std::int64_t max_blocks,
                              int threads = kLinesThreads) {
  const SmallCoutPlan p = plan_small_cout_lines(g, max_blocks, threads);
  emulate_line_blocks(p.table, true, p.blocks, p.threads, [&](std::int64_t b, int t, const LineTaps* table) {
    small_cout_lines_thread<T, Acc>(p, table, b, t, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w),
                                    static_cast<const T*>(ops.b), static_cast<T*>(ops.y));
  });
}

// As launch_small_cout chooses: v2 where its table fits (an H200's block cap), else v1.
template <class T, class Acc>
void emulate_small_cout(const ConvGeometry& g, const DeviceOperands& ops) {
  if (small_cout_lines_fit(g))
    emulate_small_cout_lines<T, Acc>(g, ops, kH200Sms * kLinesBlocksPerSm);
  else
    emulate_small_cout_v1<T, Acc>(g, ops);
}

// Both passes of depthwise_wgrad (the workspace poisoned first).
template <class T, class Acc>
void emulate_depthwise_wgrad(const ConvGeometry& g, const DeviceOperands& ops) {
  const WgradSplitPlan p = plan_depthwise_wgrad(g);
  std::vector<Acc> ws(static_cast<std::size_t>(p.threads()), static_cast<Acc>(NAN));
  for (std::int64_t i = 0; i < p.threads(); ++i)
    depthwise_wgrad_partial_thread<T, Acc>(g, p, i, static_cast<const T*>(ops.x), static_cast<const T*>(ops.dy),
                                           ws.data());
  for (std::int64_t e = 0; e < p.weights; ++e)
    depthwise_wgrad_finish_thread<T, Acc>(p, e, ws.data(), static_cast<T*>(ops.dw));
}

// Both passes of bias_reduce, block by block; in a block every thread's partial first (shared
// memory poisoned before), then the block sum (the __syncthreads() between them).
template <class T, class Acc>
void emulate_bias_reduce(const ConvGeometry& g, const DeviceOperands& ops) {
  const BiasPlan p = plan_bias_reduce(g);
  const auto* dy = static_cast<const T*>(ops.dy);
  std::vector<Acc> ws(static_cast<std::size_t>(g.c_out * p.splits), static_cast<Acc>(NAN));
  std::vector<Acc> partials(kBiasThreads * kVec);
  for (std::int64_t tile = 0; tile < p.tiles; ++tile)
    for (std::int64_t k = 0; k < p.splits; ++k) {
      partials.assign(partials.size(), static_cast<Acc>(NAN));
      for (int t = 0; t < kBiasThreads; ++t) {
        if (!p.nhwc) {
          partials[t] = bias_nchw_partial<T, Acc>(g, p, tile, k, t, dy);
        } else {
          Acc acc[kVec];
          bias_nhwc_partial<T, Acc>(g, p, tile, k, t, dy, acc);
          for (int i = 0; i < kVec; ++i) partials[t * kVec + i] = acc[i];
        }
      }
      for (int t = 0; t < kBiasThreads; ++t) {
        if (!p.nhwc)
          bias_nchw_block_sum(p, tile, k, t, partials.data(), ws.data());
        else
          bias_nhwc_block_sum(g, p, tile, k, t, partials.data(), ws.data());
      }
    }
  for (std::int64_t c = 0; c < g.c_out; ++c) bias_finish_thread<T, Acc>(p, c, ws.data(), static_cast<T*>(ops.db));
}

}  // namespace tconv::cuda
