// Kernel family v5, phase_wgmma: phase_tc's stride-phase implicit GEMM (same grouped grid over
// every stride phase, same 128 x 128 block tiles, same cp.async producer and K walk) with
// Hopper's warpgroup MMA as the main loop: k-steps of 64 in 5 stages of 128-byte-swizzled
// shared memory, two warpgroups each issuing wgmma m64n128k16 from shared-memory descriptors
// (CuTe), f32 accumulation, bias and the output conversion fused into the epilogue. f16 and
// bf16, NHWC, channels per group multiples of 8; fwd and bwd_data; compute capability 9.0 (the
// refusal names any other device; without a device it refuses nothing, for the emulation).
// Built only with CuTe's headers (TCONV_WITH_CUTLASS); otherwise phase_wgmma_unavailable.cpp
// refuses every problem with the reason. Tiling: wg_tile.h; CPU proof: phase_wgmma_emulator.h.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

// Whether this build has the kernel (TCONV_WITH_CUTLASS), whatever the machine.
bool phase_wgmma_built();
Status phase_wgmma_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_wgmma(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

}  // namespace tconv::cuda
