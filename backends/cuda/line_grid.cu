#include "backends/cuda/line_grid.h"

#include <cuda_runtime.h>

#include <array>
#include <atomic>

namespace tconv::cuda {

std::int64_t lines_max_blocks() {
  // Asked once per device: launches sit between a caller's timing events.
  static std::array<std::atomic<int>, 64> sms_of{};
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess || device < 0 || device >= static_cast<int>(sms_of.size()))
    return kH200Sms * kLinesBlocksPerSm;
  int sms = sms_of[device].load(std::memory_order_relaxed);
  if (sms == 0) {
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms <= 0)
      return kH200Sms * kLinesBlocksPerSm;
    sms_of[device].store(sms, std::memory_order_relaxed);
  }
  return std::int64_t{sms} * kLinesBlocksPerSm;
}

}  // namespace tconv::cuda
