// Host emulation of the bwd_weights implicit GEMM (bwd_weights_gemm.cu): every block of the
// grid runs its phases in kernel order, each phase for all kWgradThreads threads before the
// next (what __syncthreads() guarantees on the GPU), on host "shared memory"; then the split
// reduction kernel, one index at a time. DeviceOperands holds host pointers here.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

#include "backends/cuda/bwd_weights_gemm.h"

namespace tconv::cuda {

template <class T, class Acc>
void emulate_bwd_weights_gemm(const ConvGeometry& g, const WgradPlan& pl, const DeviceOperands& ops) {
  const auto* x = static_cast<const T*>(ops.x);
  const auto* dy = static_cast<const T*>(ops.dy);
  std::vector<Acc> ws(static_cast<std::size_t>(pl.splits * g.groups * pl.m * pl.ncol),
                     std::numeric_limits<Acc>::quiet_NaN());  // poisoned: every slot read must be written
  std::vector<Acc> As(kWgradBK * kWgradBM), Bs(kWgradBK * kWgradBN), acc(4 * kWgradThreads);
  for (std::int64_t z = 0; z < pl.splits * g.groups; ++z)
    for (std::int64_t by = 0; by < pl.row_tiles; ++by)
      for (std::int64_t bx = 0; bx < pl.col_tiles; ++bx) {
        const std::int64_t group = z % g.groups, split = z / g.groups;
        const std::int64_t row0 = by * kWgradBM, col0 = bx * kWgradBN, k_end = wgrad_split_end(pl, split);
        std::fill(acc.begin(), acc.end(), Acc(0));
        const std::int64_t k_begin = wgrad_split_begin(pl, split);
        std::vector<WgradWalk> walks(kWgradThreads);
        for (int t = 0; t < kWgradThreads; ++t) walks[t] = wgrad_walk(g, pl, group, col0, k_begin, k_end, t);
        for (std::int64_t k0 = k_begin; k0 < k_end; k0 += kWgradBK) {
          // Stale or never-written shared slots would turn the result into NaN.
          std::fill(As.begin(), As.end(), std::numeric_limits<Acc>::quiet_NaN());
          std::fill(Bs.begin(), Bs.end(), std::numeric_limits<Acc>::quiet_NaN());
          for (int t = 0; t < kWgradThreads; ++t)
            wgrad_load_tiles<T, Acc>(g, pl, x, dy, group, row0, walks[t], t, As.data(), Bs.data());
          for (int t = 0; t < kWgradThreads; ++t) wgrad_fma_slice<Acc>(t, As.data(), Bs.data(), &acc[4 * t]);
        }
        for (int t = 0; t < kWgradThreads; ++t)
          wgrad_store_partial<Acc>(pl, g.groups, split, group, row0, col0, t, &acc[4 * t], ws.data());
      }
  for (std::int64_t i = 0; i < g.c_in * g.cog() * g.kh * g.kw; ++i)
    wgrad_reduce_thread<T, Acc>(g, pl, i, ws.data(), static_cast<T*>(ops.dw));
}

}  // namespace tconv::cuda
