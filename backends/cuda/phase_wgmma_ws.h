// Kernel family v5b, phase_wgmma_ws: phase_wgmma (phase_wgmma.h) warp-specialised. The same
// problems, tiles, shared-memory layouts, wgmma and epilogue; one producer warpgroup issues
// every cp.async of a k-step into a ring of 6 stages and signals each stage's mbarrier as its
// copies land, while two consumer warpgroups only wait, multiply and release (wg_ws.h). f16 and
// bf16, NHWC, fwd and bwd_data, compute capability 9.0; built only with CuTe's headers
// (TCONV_WITH_CUTLASS), otherwise it refuses every problem (phase_wgmma_unavailable.cpp). CPU
// proof: phase_wgmma_ws_emulator.h.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_wgmma_ws_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_wgmma_ws(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                             CUstream_st* stream);

}  // namespace tconv::cuda
