// What every kernel family of the custom CUDA backend offers the backend (cuda_backend.cpp):
// a host-side test of whether it handles a problem, and a launcher. One family per file
// (gather.cu, phase_gemm.cu, k_equals_s.cu, ...); the dispatcher picks one per problem and
// every family is also a variant of its own.
#pragma once

#include <string>

#include "backends/api/problem.h"
#include "backends/api/status.h"
#include "backends/cuda/geometry.h"

// cudaStream_t without pulling the CUDA headers into every host file.
struct CUstream_st;

namespace tconv::cuda {

// Device pointers of one call; exactly the operands of the direction are set (as Operands).
// Layouts follow ConvGeometry: data NCHW/NHWC, weights IOHW (NCHW) or IHWO (NHWC).
struct DeviceOperands {
  const void* x = nullptr;
  const void* w = nullptr;
  const void* b = nullptr;
  const void* dy = nullptr;
  void* y = nullptr;
  void* dx = nullptr;
  void* dw = nullptr;
  void* db = nullptr;
};

// Every launcher has this shape; it launches on `stream` and returns without synchronizing.
// A launch error becomes a Status naming the kernel and the CUDA error.
//   Status launch_<family>(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*);
//   Status <family>_refuses(Direction, const ConvGeometry&, DType);
// The latter is the family's answer: ok when it runs the problem, else StatusCode::unsupported
// with the reason (shown in UNSUPPORTED rows), e.g. "k_equals_s: needs kernel == stride and no crop".

}  // namespace tconv::cuda
