// One CUDA stream per device for the custom CUDA backend, created on first use and kept for the
// process (destroying it during static destruction races the runtime's own shutdown).
// run() holds the context's mutex for its whole call.
#pragma once

#include <mutex>
#include <string>

#include "backends/api/status.h"
#include "backends/cuda/device_info.h"  // no_gpu_reason()

struct CUstream_st;

namespace tconv::cuda {

struct DeviceContext {
  int device = 0;
  CUstream_st* stream = nullptr;
  std::mutex mutex;
};

// The current device's context, or nullptr with *status set (no_device without a GPU).
DeviceContext* device_context(Status* status);

}  // namespace tconv::cuda
