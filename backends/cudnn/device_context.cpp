#include "backends/cudnn/device_context.h"

#include <map>
#include <memory>

#include "backends/cuda/device_info.h"
#include "backends/cudnn/check.h"

namespace tconv::cudnn {

const std::string& no_gpu_reason() {
  static const std::string reason = [] {
    const cuda::DeviceReport r = cuda::query_devices();
    return r.gpus.empty() ? "no GPU: " + (r.why_none.empty() ? std::string("no CUDA device found") : r.why_none)
                          : std::string();
  }();
  return reason;
}

namespace {

Status create_context(int device, DeviceContext* c) {
  c->device = device;
  TCONV_CUDA_CHECK(cudaSetDevice(device));
  TCONV_CUDA_CHECK(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
  TCONV_CUDNN_CHECK(cudnnCreate(&c->handle), nullptr);
  TCONV_CUDNN_CHECK(cudnnSetStream(c->handle, c->stream), nullptr);
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
    *status = cuda_failure(e, "cudaGetDevice(&device)", __FILE__, __LINE__);
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
      return nullptr;  // not cached: a later call retries (e.g. after freeing memory)
    }
    it = contexts.emplace(device, std::move(c)).first;
  }
  *status = Status::Ok();
  return it->second.get();
}

}  // namespace tconv::cudnn
