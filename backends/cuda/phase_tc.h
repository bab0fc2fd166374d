// Kernel family v4, phase_tc: the stride-phase implicit GEMM (the views of phase_gemm) on
// tensor cores, built for throughput: 128 x 128 x 32 block tiles over 8 warps, a 4-stage
// cp.async pipeline of 16-byte chunks, ldmatrix fragment loads, mma.sync m16n8k16 with f32
// accumulation, every stride phase of a problem in one launch (a grouped grid), bias and the
// output conversion fused into the epilogue. f16 and bf16, NHWC, channels per group multiples
// of 8. Directions: fwd, bwd_data.
// phase_tc_tf32 (the `+tf32` variant, declared math, never the default for f32): the same
// kernel for f32 data, operands rounded to tf32 (cvt.rna semantics) and multiplied by
// mma.sync m16n8k8 .tf32 with f32 accumulation; 3 stages, channels per group multiples of 4.
// Tiling and pipeline order: tc_tile.h; CPU proof: phase_tc_emulator.h and phase_tc_test.cpp.
#pragma once

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_tc_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_tc(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);
Status phase_tc_tf32_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_tc_tf32(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

}  // namespace tconv::cuda
