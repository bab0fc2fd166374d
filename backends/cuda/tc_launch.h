// Launching a tile family's kernel (phase_tc, phase_wgmma) on its grouped grid (tc_grid) with
// its dynamic shared memory; a launch error becomes a Status naming the kernel. nvcc only.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "backends/api/status.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::tc {

// Kernel: the __global__ function (a template argument, so the shared-memory attribute is set
// once per kernel, and no host call but the launch sits between the caller's timing events).
template <auto Kernel, class View, class... Args>
Status launch_tile_kernel(const View& v, int threads, int smem_bytes, cudaStream_t stream, const char* name,
                          Args... args) {
  const mma::Grid3 g3 = tc_grid(v);
  if (g3.x == 0 || g3.y == 0) return Status::Ok();
  static const cudaError_t attr = cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes);
  cudaError_t err = attr;
  if (err == cudaSuccess) {
    Kernel<<<dim3(static_cast<unsigned>(g3.x), static_cast<unsigned>(g3.y)), threads, smem_bytes, stream>>>(v, args...);
    err = cudaGetLastError();
  }
  if (err != cudaSuccess)
    return Status::Error(StatusCode::error, std::string(name) + ": launch failed: " + cudaGetErrorName(err) + " (" +
                                                cudaGetErrorString(err) + ")");
  return Status::Ok();
}

}  // namespace tconv::cuda::tc
