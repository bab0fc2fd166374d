// The launch shape of the one-thread-per-item kernels (gather, depthwise, small_cout): a
// grid-stride loop over `total` items and the block count that covers them (capped: the loop
// takes the rest).
#pragma once

#include <cstdint>

namespace tconv::cuda {

inline unsigned grid_blocks(std::int64_t total, int threads) {
  const std::int64_t b = (total + threads - 1) / threads, cap = std::int64_t{1} << 20;
  return static_cast<unsigned>(b < cap ? (b > 0 ? b : 1) : cap);
}

#if defined(__CUDACC__)
// f(i) for i = this thread's global index, then every grid size further, below total.
template <class F>
__device__ __forceinline__ void for_each_grid_index(std::int64_t total, F&& f) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{gridDim.x} * blockDim.x)
    f(i);
}
#endif

}  // namespace tconv::cuda
