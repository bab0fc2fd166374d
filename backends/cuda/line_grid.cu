#include "backends/cuda/line_grid.h"

#include <cuda_runtime.h>

namespace tconv::cuda {

std::int64_t lines_max_blocks() {
  int device = 0, sms = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || sms <= 0)
    return kH200Sms * kLinesBlocksPerSm;
  return std::int64_t{sms} * kLinesBlocksPerSm;
}

}  // namespace tconv::cuda
