// One context per CUDA device (a stream, a library handle), created on first use and kept
// for the process: destroying it during static destruction races the CUDA runtime's own
// shutdown. A failed creation is not cached, so a later call retries (e.g. after memory was
// freed). Shared by the cuda and cudnn backends' device_context().
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include <cuda_runtime.h>

#include "backends/api/status.h"
#include "backends/cuda/device_info.h"

namespace tconv::cuda {

// create(device, Context*) -> Status builds a context; device_error(cudaError_t) -> Status
// words a failing cudaGetDevice in the caller's style. Without a GPU: nullptr and no_device.
template <class Context, class Create, class DeviceError>
Context* per_device_context(Status* status, Create create, DeviceError device_error) {
  if (!no_gpu_reason().empty()) {
    *status = Status::Error(StatusCode::no_device, no_gpu_reason());
    return nullptr;
  }
  int device = 0;
  if (const cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) {
    *status = device_error(e);
    return nullptr;
  }
  static std::mutex registry_mutex;
  static std::map<int, std::unique_ptr<Context>> contexts;
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto it = contexts.find(device);
  if (it == contexts.end()) {
    auto c = std::make_unique<Context>();
    if (Status s = create(device, c.get()); !s.ok()) {
      *status = s;
      return nullptr;
    }
    it = contexts.emplace(device, std::move(c)).first;
  }
  *status = Status::Ok();
  return it->second.get();
}

}  // namespace tconv::cuda
