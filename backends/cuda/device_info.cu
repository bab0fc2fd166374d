#include "backends/cuda/device_info.h"

#include <cuda_runtime.h>

namespace tconv::cuda {

DeviceReport query_devices() {
  DeviceReport r;
  cudaRuntimeGetVersion(&r.runtime_version);
  cudaDriverGetVersion(&r.driver_version);
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    r.why_none = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
    cudaGetLastError();  // clear the sticky-free error so later calls start clean
    return r;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    r.gpus.push_back({i, prop.name, prop.major, prop.minor,
                      static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0)});
  }
  if (r.gpus.empty()) r.why_none = "no CUDA device found";
  return r;
}

const std::string& no_gpu_reason() {
  static const std::string reason = [] {
    const DeviceReport r = query_devices();
    return r.gpus.empty() ? "no GPU: " + (r.why_none.empty() ? std::string("no CUDA device found") : r.why_none)
                          : std::string();
  }();
  return reason;
}

namespace {
__global__ void iota_kernel(int* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = 3 * i + 1;
}
}  // namespace

Status device_smoke_test() {
  constexpr int n = 1000;
  int* d = nullptr;
  if (cudaError_t e = cudaMalloc(&d, n * sizeof(int)); e != cudaSuccess)
    return Status::Error(StatusCode::error, std::string("cudaMalloc: ") + cudaGetErrorString(e));
  iota_kernel<<<(n + 255) / 256, 256>>>(d, n);
  int host[n];
  const cudaError_t e = cudaMemcpy(host, d, sizeof(host), cudaMemcpyDeviceToHost);
  cudaFree(d);
  if (e != cudaSuccess) return Status::Error(StatusCode::error, std::string("kernel or copy: ") + cudaGetErrorString(e));
  for (int i = 0; i < n; ++i)
    if (host[i] != 3 * i + 1) return Status::Error(StatusCode::error, "kernel wrote wrong values");
  return Status::Ok();
}

}  // namespace tconv::cuda
