// Host emulation of the gather kernels (gather.cu): the same per-thread functions, called for
// every thread index in turn, on host memory. DeviceOperands holds host pointers here.
// Used by the tests; the GPU runs exactly these functions, one index per thread.
#pragma once

#include "backends/cuda/gather.h"

namespace tconv::cuda {

template <class T, class Acc>
void emulate_gather(Direction d, const ConvGeometry& g, const DeviceOperands& ops) {
  const auto* x = static_cast<const T*>(ops.x);
  const auto* w = static_cast<const T*>(ops.w);
  const auto* dy = static_cast<const T*>(ops.dy);
  switch (d) {
    case Direction::fwd:
      for (std::int64_t i = 0; i < g.n * g.c_out * g.h_out * g.w_out; ++i)
        gather_fwd_thread<T, Acc>(g, i, x, w, static_cast<const T*>(ops.b), static_cast<T*>(ops.y));
      break;
    case Direction::bwd_data:
      for (std::int64_t i = 0; i < g.n * g.c_in * g.h_in * g.w_in; ++i)
        gather_bwd_data_thread<T, Acc>(g, i, dy, w, static_cast<T*>(ops.dx));
      break;
    case Direction::bwd_weights:
      for (std::int64_t i = 0; i < g.c_in * g.cog() * g.kh * g.kw; ++i)
        gather_bwd_weights_thread<T, Acc>(g, i, x, dy, static_cast<T*>(ops.dw));
      break;
    case Direction::bwd_bias:
      for (std::int64_t co = 0; co < g.c_out; ++co) {  // one block per channel
        Acc partials[kGatherThreads];
        for (int t = 0; t < kGatherThreads; ++t) partials[t] = bias_partial_thread<T, Acc>(g, co, t, kGatherThreads, dy);
        for (int half = kGatherThreads / 2; half > 0; half /= 2)  // __syncthreads() between levels
          for (int t = 0; t < kGatherThreads; ++t) bias_tree_step(partials, t, half);
        static_cast<T*>(ops.db)[co] = static_cast<T>(partials[0]);
      }
      break;
  }
}

}  // namespace tconv::cuda
