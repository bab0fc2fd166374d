// phase_wgmma in a build without CuTe's headers (TCONV_WITH_CUTLASS=OFF): the family exists and
// refuses every problem, naming what the build lacks.
#include "backends/cuda/phase_wgmma.h"

namespace tconv::cuda {

namespace {
Status unavailable() {
  return Status::Unsupported("phase_wgmma: built without CUTLASS/CuTe (tools/setup.sh installs the pip package "
                             "nvidia-cutlass; or set CUTLASS_INCLUDE_DIR)");
}
}  // namespace

bool phase_wgmma_built() { return false; }
Status phase_wgmma_refuses(Direction, const ConvGeometry&, DType) { return unavailable(); }
Status launch_phase_wgmma(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*) {
  return unavailable();
}

}  // namespace tconv::cuda
