// phase_simt128: PhaseFwdView / PhaseBwdDataView (mma_views.h) run by the simt128 kernel.
// CPU proof: phase_simt128_test.cpp emulates every block (simt128_emulate.h) against the oracle.
#include "backends/cuda/phase_simt128.h"

#include "backends/cuda/offsets_refusal.h"
#include "backends/cuda/simt128_kernel.h"

namespace tconv::cuda {

namespace {
using FwdSpec = simt128::PhaseSpec<mma::PhaseFwdView>;
using BwdSpec = simt128::PhaseSpec<mma::PhaseBwdDataView>;
}  // namespace

Status phase_simt128_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::fwd && d != Direction::bwd_data) return Status::Unsupported("phase_simt128: fwd and bwd_data only");
  if (t != DType::f32)
    return Status::Unsupported("phase_simt128: dtype " + std::string(to_string(t)) + " not supported (f32 only)");
  if (g.kh * g.kw * (g.cig() > g.cog() ? g.cig() : g.cog()) > (std::int64_t{1} << 30))  // the K walk counts in 32 bits
    return Status::Unsupported("phase_simt128: K (taps x channels per group) above 2^30");
  if (const std::string why = offsets_refusal(d, g); !why.empty()) return Status::Unsupported("phase_simt128: " + why);
  const std::string why = d == Direction::fwd ? mma::limits_refusal(simt128::grid_of(FwdSpec{mma::PhaseFwdView{g}}), g)
                                              : mma::limits_refusal(simt128::grid_of(BwdSpec{mma::PhaseBwdDataView{g}}), g);
  return why.empty() ? Status::Ok() : Status::Unsupported("phase_simt128: " + why);
}

Status launch_phase_simt128(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                            CUstream_st* stream) {
  if (Status r = phase_simt128_refuses(d, g, t); !r.ok()) return r;
  if (d == Direction::fwd)
    return simt128::launch_simt128(FwdSpec{mma::PhaseFwdView{g}}, static_cast<const float*>(ops.x),
                                   static_cast<const float*>(ops.w), static_cast<const float*>(ops.b),
                                   static_cast<float*>(ops.y), stream, "phase_simt128_fwd");
  return simt128::launch_simt128(BwdSpec{mma::PhaseBwdDataView{g}}, static_cast<const float*>(ops.dy),
                                 static_cast<const float*>(ops.w), nullptr, static_cast<float*>(ops.dx), stream,
                                 "phase_simt128_bwd_data");
}

}  // namespace tconv::cuda
