#include "backends/cuda/device_context.h"

#include <map>
#include <memory>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/device_info.h"

namespace tconv::cuda {

const std::string& no_gpu_reason() {
  static const std::string reason = [] {
    const DeviceReport r = query_devices();
    return r.gpus.empty() ? "no GPU: " + (r.why_none.empty() ? std::string("no CUDA device found") : r.why_none)
                          : std::string();
  }();
  return reason;
}

namespace {

Status create_context(int device, DeviceContext* c) {
  c->device = device;
  TCONV_CU_CHECK(cudaSetDevice(device));
  TCONV_CU_CHECK(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
  return Status::Ok();
}

}  // namespace

DeviceContext* device_context(Status* status) {
  if (!no_gpu_reason().empty()) {
    *status = Status::Error(StatusCode::no_device, no_gpu_reason());
    return nullptr;
  }
  int device = 0;
  if (const cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) {
    *status = cuda_error(e, "cudaGetDevice(&device)", __FILE__, __LINE__);
    return nullptr;
  }
  static std::mutex registry_mutex;
  static std::map<int, std::unique_ptr<DeviceContext>> contexts;
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto it = contexts.find(device);
  if (it == contexts.end()) {
    auto c = std::make_unique<DeviceContext>();
    if (Status s = create_context(device, c.get()); !s.ok()) {
      *status = s;
      return nullptr;  // not cached: a later call retries
    }
    it = contexts.emplace(device, std::move(c)).first;
  }
  *status = Status::Ok();
  return it->second.get();
}

}  // namespace tconv::cuda
