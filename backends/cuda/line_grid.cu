#include "backends/cuda/line_grid.h"

#include "backends/cuda/sm_count.h"

namespace tconv::cuda {

std::int64_t lines_max_blocks() { return current_device_sms() * kLinesBlocksPerSm; }

}  // namespace tconv::cuda
