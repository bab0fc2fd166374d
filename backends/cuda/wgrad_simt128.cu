// wgrad_simt128: split-K weight gradient on the simt128 kernel (see wgrad_simt128.h).
// CPU proof: wgrad_simt128_test.cpp emulates both kernels (simt128_emulate.h) against the oracle.
#include "backends/cuda/wgrad_simt128.h"

#include <algorithm>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/offsets_refusal.h"
#include "backends/cuda/simt128_kernel.h"

namespace tconv::cuda {

namespace {

constexpr std::int64_t kMaxGridYZ = 65535;

__global__ void __launch_bounds__(256) wgrad_simt128_reduce_kernel(const float* ws, std::int64_t total,
                                                                   std::int64_t splits, float* dw) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{gridDim.x} * blockDim.x)
    dw[i] = wgrad_simt128_reduce(ws, total, splits, i);
}

}  // namespace

WgradPlan plan_wgrad_simt128(const ConvGeometry& g, std::size_t max_workspace_bytes) {
  using simt128::Cfg;
  WgradPlan pl;
  pl.m = g.cig();
  pl.ncol = g.cog() * g.kh * g.kw;
  pl.k = g.n * g.h_in * g.w_in;
  pl.row_tiles = (pl.m + Cfg::BM - 1) / Cfg::BM;
  pl.col_tiles = (pl.ncol + Cfg::BN - 1) / Cfg::BN;
  const std::int64_t k_steps = (pl.k + Cfg::BK - 1) / Cfg::BK;
  const std::int64_t tiles = pl.row_tiles * pl.col_tiles * g.groups;
  // Enough blocks to fill the GPU, at least kSimt128WgradMinSteps k-steps per split, within
  // the grid's z limit and the workspace budget (splits * C_in * ncol floats).
  std::int64_t splits = std::max<std::int64_t>(1, (kSimt128WgradTargetBlocks + tiles - 1) / std::max<std::int64_t>(1, tiles));
  splits = std::min(splits, std::max<std::int64_t>(1, k_steps / kSimt128WgradMinSteps));
  splits = std::min(splits, kMaxGridYZ);
  const std::int64_t per_split = g.c_in * pl.ncol * static_cast<std::int64_t>(sizeof(float));
  if (per_split > 0)
    splits = std::min(splits, std::max<std::int64_t>(1, static_cast<std::int64_t>(max_workspace_bytes) / per_split));
  const std::int64_t steps_per_split = (k_steps + splits - 1) / splits;
  pl.k_per_split = std::max<std::int64_t>(1, steps_per_split) * Cfg::BK;
  pl.splits = std::max<std::int64_t>(1, (pl.k + pl.k_per_split - 1) / pl.k_per_split);  // none empty
  return pl;
}

std::size_t wgrad_simt128_workspace_bytes(const ConvGeometry& g, const WgradPlan& pl) {
  if (pl.splits <= 1) return 0;
  return static_cast<std::size_t>(pl.splits * g.c_in * pl.ncol) * sizeof(float);
}

Status wgrad_simt128_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::bwd_weights) return Status::Unsupported("wgrad_simt128: runs bwd_weights only");
  if (t != DType::f32)
    return Status::Unsupported("wgrad_simt128: dtype " + std::string(to_string(t)) + " not supported (f32 only)");
  if (g.n * g.h_in * g.w_in > (std::int64_t{1} << 30))  // the K walk (k_cursor.h) counts in 32 bits
    return Status::Unsupported("wgrad_simt128: K = N x H_in x W_in above 2^30");
  if (const std::string why = offsets_refusal(d, g); !why.empty()) return Status::Unsupported("wgrad_simt128: " + why);
  const simt128::WgradSpec sp{g, 1, 1};
  const std::string why = mma::limits_refusal(simt128::grid_of(sp), g);
  return why.empty() ? Status::Ok() : Status::Unsupported("wgrad_simt128: " + why);
}

Status launch_wgrad_simt128(const ConvGeometry& g, DType t, const DeviceOperands& ops, const WgradPlan& pl,
                            void* workspace, CUstream_st* stream) {
  if (Status r = wgrad_simt128_refuses(Direction::bwd_weights, g, t); !r.ok()) return r;
  const simt128::WgradSpec sp{g, pl.splits, pl.k_per_split};
  float* dw = static_cast<float*>(ops.dw);
  float* out = pl.splits > 1 ? static_cast<float*>(workspace) : dw;
  if (Status s = simt128::launch_simt128(sp, static_cast<const float*>(ops.x), static_cast<const float*>(ops.dy),
                                         nullptr, out, stream, "wgrad_simt128");
      !s.ok())
    return s;
  if (pl.splits <= 1) return Status::Ok();
  const std::int64_t total = g.c_in * pl.ncol;
  const std::int64_t blocks = std::min<std::int64_t>((total + 255) / 256, 1 << 20);
  wgrad_simt128_reduce_kernel<<<static_cast<unsigned>(blocks), 256, 0, stream>>>(out, total, pl.splits, dw);
  TCONV_CU_CHECK_LAUNCH("wgrad_simt128_reduce");
  return Status::Ok();
}

}  // namespace tconv::cuda
