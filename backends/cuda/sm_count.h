// The current device's SM count, for grids sized by the device (the line-table kernels, the
// persistent phase_wgmma_ws): asked once per device, since launches sit between a caller's
// timing events. An H200's / H100's 132 when the query fails. Header-only: both CUDA
// libraries (tconv_cuda, tconv_cuda_wgmma) use it, and inline keeps one cache per process.
#pragma once

#include <cuda_runtime.h>

#include <array>
#include <atomic>
#include <cstdint>

#include "backends/cuda/line_grid.h"

namespace tconv::cuda {

inline constexpr std::int64_t kFallbackSms = kH200Sms;

inline std::int64_t current_device_sms() {
  static std::array<std::atomic<int>, 64> sms_of{};
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess || device < 0 || device >= static_cast<int>(sms_of.size()))
    return kFallbackSms;
  int sms = sms_of[device].load(std::memory_order_relaxed);
  if (sms == 0) {
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms <= 0)
      return kFallbackSms;
    sms_of[device].store(sms, std::memory_order_relaxed);
  }
  return sms;
}

}  // namespace tconv::cuda
