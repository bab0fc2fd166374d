// Host emulation of the memory-bound families (depthwise.cu, small_cout.cu): the same
// per-thread functions, called for every thread index in turn, on host memory.
#pragma once

#include "backends/cuda/depthwise.h"
#include "backends/cuda/small_cout.h"

namespace tconv::cuda {

template <class T, class Acc>
void emulate_depthwise(Direction d, const ConvGeometry& g, const DeviceOperands& ops) {
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

template <class T, class Acc>
void emulate_small_cout(const ConvGeometry& g, const DeviceOperands& ops) {
  for (std::int64_t p = 0; p < g.n * g.h_out * g.w_out; ++p)
    small_cout_fwd_thread<T, Acc>(g, p, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w),
                                  static_cast<const T*>(ops.b), static_cast<T*>(ops.y));
}

}  // namespace tconv::cuda
