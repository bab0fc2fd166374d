// Kernel family v2, the stride-phase implicit GEMM (docs/design.md section 1, sub-pixel
// decomposition). CPU reference of the index math: mma_views.h (PhaseFwdView,
// PhaseBwdDataView), checked against the oracle by phase_gemm_test.cpp through the host
// emulator; the kernel itself is mma_gemm.h.
//   fwd:      output phase (ph, pw) = outputs with (oh + crop_top) % stride_h == ph, ...; each
//             is a dense GEMM over only the taps that land on it (no inserted zeros).
//   bwd_data: a plain strided convolution of dy with w, one GEMM per group.
#include "backends/cuda/phase_gemm.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/mma_gemm.h"

namespace tconv::cuda {

Status phase_gemm_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (Status r = mma::gemm_family_refusal("phase_gemm", d, t); !r.ok()) return r;
  const std::string why = d == Direction::fwd ? mma::limits_refusal(mma::view_grid(mma::PhaseFwdView{g}), g)
                                              : mma::limits_refusal(mma::view_grid(mma::PhaseBwdDataView{g}), g);
  return why.empty() ? Status::Ok() : Status::Unsupported("phase_gemm: " + why);
}

Status launch_phase_gemm(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                         CUstream_st* stream) {
  if (Status r = phase_gemm_refuses(d, g, t); !r.ok()) return r;
  if (d == Direction::fwd)
    return mma::launch_gemm_for(mma::PhaseFwdView{g}, t, ops.x, ops.w, ops.b, ops.y, stream, "phase_gemm_fwd");
  return mma::launch_gemm_for(mma::PhaseBwdDataView{g}, t, ops.dy, ops.w, nullptr, ops.dx, stream, "phase_gemm_bwd_data");
}

}  // namespace tconv::cuda
