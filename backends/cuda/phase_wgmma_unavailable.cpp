// phase_wgmma and phase_wgmma_ws in a build without CuTe's headers (TCONV_WITH_CUTLASS=OFF):
// the families exist and refuse every problem, naming what the build lacks.
#include "backends/cuda/phase_wgmma.h"
#include "backends/cuda/phase_wgmma_ws.h"

#include <string>

namespace tconv::cuda {

namespace {
Status unavailable(const char* family) {
  return Status::Unsupported(std::string(family) + ": built without CUTLASS/CuTe (tools/setup.sh installs the pip package "
                             "nvidia-cutlass; or set CUTLASS_INCLUDE_DIR)");
}
}  // namespace

bool phase_wgmma_built() { return false; }
Status phase_wgmma_refuses(Direction, const ConvGeometry&, DType) { return unavailable("phase_wgmma"); }
Status launch_phase_wgmma(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*) {
  return unavailable("phase_wgmma");
}
Status phase_wgmma_ws_refuses(Direction, const ConvGeometry&, DType) { return unavailable("phase_wgmma_ws"); }
Status launch_phase_wgmma_ws(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*) {
  return unavailable("phase_wgmma_ws");
}
Status launch_phase_wgmma_ws_on_grid(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*,
                                     std::int64_t) {
  return unavailable("phase_wgmma_ws");
}

}  // namespace tconv::cuda
