// Kernel family v3, the k == s fast path (non-overlapping windows: U-Net's
// Conv2DTranspose(k=2, s=2)). Every output pixel receives exactly one tap, so fwd is one GEMM
// per group, x [M = N*H_in*W_in, K = C_in/g] times w [K, C_out/g*kh*kw], whose epilogue writes
// each column (o, r, s) straight to y[.., o, ih*kh + r, iw*kw + s] (the pixel shuffle) with the
// bias fused; bwd_data is the transpose GEMM reading dy through the same shuffle. CPU
// reference of the index math: mma_views.h (KsFwdView, KsBwdDataView), checked against the
// oracle by k_equals_s_test.cpp; the kernel is mma_gemm.h.
#include "backends/cuda/k_equals_s.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/mma_gemm.h"

namespace tconv::cuda {

Status k_equals_s_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (Status r = mma::gemm_family_refusal("k_equals_s", d, t); !r.ok()) return r;
  if (g.kh != g.stride_h || g.kw != g.stride_w) return Status::Unsupported("k_equals_s: needs kernel == stride in both axes");
  if (g.dil_h != 1 || g.dil_w != 1) return Status::Unsupported("k_equals_s: needs dilation 1");
  if (g.crop_top != 0 || g.crop_left != 0 || g.h_out != g.h_in * g.kh || g.w_out != g.w_in * g.kw)
    return Status::Unsupported("k_equals_s: needs no crop (pad 0 on every side, H_out == H_in*kH, W_out == W_in*kW)");
  const std::string why = d == Direction::fwd ? mma::limits_refusal(mma::view_grid(mma::KsFwdView{g}), g)
                                              : mma::limits_refusal(mma::view_grid(mma::KsBwdDataView{g}), g);
  return why.empty() ? Status::Ok() : Status::Unsupported("k_equals_s: " + why);
}

Status launch_k_equals_s(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                         CUstream_st* stream) {
  if (Status r = k_equals_s_refuses(d, g, t); !r.ok()) return r;
  if (d == Direction::fwd)
    return mma::launch_gemm_for(mma::KsFwdView{g}, t, ops.x, ops.w, ops.b, ops.y, stream, "k_equals_s_fwd");
  return mma::launch_gemm_for(mma::KsBwdDataView{g}, t, ops.dy, ops.w, nullptr, ops.dx, stream, "k_equals_s_bwd_data");
}

}  // namespace tconv::cuda
