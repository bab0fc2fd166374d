// Launching a tile family's kernel with its dynamic shared memory: on its grouped grid
// (tc_grid: phase_tc, phase_wgmma), or on a persistent grid over the same tiles
// (tile_schedule: phase_wgmma_ws). A launch error becomes a Status naming the kernel. nvcc only.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "backends/api/status.h"
#include "backends/cuda/sm_count.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::tc {

inline Status launch_status(cudaError_t err, const char* name) {
  if (err == cudaSuccess) return Status::Ok();
  return Status::Error(StatusCode::error, std::string(name) + ": launch failed: " + cudaGetErrorName(err) + " (" +
                                              cudaGetErrorString(err) + ")");
}

// Kernel: the __global__ function (a template argument, so the shared-memory attribute is set
// once per kernel, and no host call but the launch sits between the caller's timing events).
template <auto Kernel, class View, class... Args>
Status launch_tile_kernel(const View& v, int threads, int smem_bytes, cudaStream_t stream, const char* name,
                          Args... args) {
  const mma::Grid3 g3 = tc_grid(v);
  if (g3.x == 0 || g3.y == 0) return Status::Ok();
  static const cudaError_t attr = cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes);
  if (attr != cudaSuccess) return launch_status(attr, name);
  Kernel<<<dim3(static_cast<unsigned>(g3.x), static_cast<unsigned>(g3.y)), threads, smem_bytes, stream>>>(v, args...);
  return launch_status(cudaGetLastError(), name);
}

// Kernel(view, TileSchedule, args...) on a 1-d grid of persistent_blocks(tiles, slots) blocks,
// slots = the device's SMs x the blocks of Kernel an SM holds (asked once per kernel), or
// max_blocks where that is positive (a benchmark's one block per tile, a test's few blocks).
template <auto Kernel, class View, class... Args>
Status launch_persistent_tile_kernel(const View& v, int threads, int smem_bytes, i64 max_blocks, cudaStream_t stream,
                                     const char* name, Args... args) {
  const TileSchedule sched = tile_schedule(v);
  if (sched.tiles == 0) return Status::Ok();
  static const cudaError_t attr = cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes);
  if (attr != cudaSuccess) return launch_status(attr, name);
  static const int per_sm = [&] {
    int n = 0;
    return cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, Kernel, threads, smem_bytes) == cudaSuccess && n > 0 ? n : 1;
  }();
  const i64 blocks = persistent_blocks(sched.tiles, max_blocks > 0 ? max_blocks : current_device_sms() * per_sm);
  if (blocks > 0x7fffffff) return Status::Unsupported(std::string(name) + ": more than 2^31 - 1 tiles");
  Kernel<<<static_cast<unsigned>(blocks), threads, smem_bytes, stream>>>(v, sched, args...);
  return launch_status(cudaGetLastError(), name);
}

}  // namespace tconv::cuda::tc
