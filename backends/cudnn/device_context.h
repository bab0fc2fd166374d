// One cuDNN handle and one CUDA stream per device, created on first use and kept for the
// process (never destroyed: tearing them down during static destruction races the CUDA
// runtime's own shutdown). run() holds the context's mutex for its whole call.
#pragma once

#include <mutex>
#include <string>

#include <cuda_runtime.h>
#include <cudnn.h>

#include "backends/api/status.h"
#include "backends/cuda/device_info.h"

namespace tconv::cudnn {

struct DeviceContext {
  int device = 0;
  cudnnHandle_t handle = nullptr;
  cudaStream_t stream = nullptr;
  std::mutex mutex;
};

using cuda::no_gpu_reason;  // "" with a usable GPU, else why not

// The context of the current device, or nullptr with *status set (no_device when there is no
// GPU, the cuDNN status otherwise).
DeviceContext* device_context(Status* status);

}  // namespace tconv::cudnn
