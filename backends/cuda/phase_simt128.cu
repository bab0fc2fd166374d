// phase_simt128: PhaseFwdView / PhaseBwdDataView (mma_views.h) run by the simt128 kernel, B
// read from the filter packed into the workspace where the device filter scatters B's rows
// (simt128_packed_filter.h). CPU proof: phase_simt128_test.cpp emulates every block
// (simt128_emulate.h), packing included, against the oracle.
#include "backends/cuda/phase_simt128.h"

#include "backends/cuda/grid_stride.h"
#include "backends/cuda/offsets_refusal.h"
#include "backends/cuda/simt128_kernel.h"
#include "backends/cuda/simt128_packed_filter.h"

namespace tconv::cuda {

namespace {
using FwdSpec = simt128::PhaseSpec<mma::PhaseFwdView>;
using BwdSpec = simt128::PhaseSpec<mma::PhaseBwdDataView>;

__global__ void pack_filter_kernel(simt128::PackedFilter pf, const float* w, float* packed) {
  for_each_grid_index(pf.elements(), [&](std::int64_t j) { packed[j] = pf.packed_value(w, j); });
}

// The view's GEMM, B from the device filter w or, with room in the workspace, packed first.
template <class View>
Status launch_view(const View& v, const float* in, const float* w, const float* bias, float* out, void* workspace,
                   std::size_t workspace_bytes, cudaStream_t stream, const char* kernel) {
  const simt128::PackedPhaseSpec<View> packed = simt128::packed_spec(v);
  const simt128::PackedFilter pf = packed.filter();
  const std::int64_t elements = simt128::packed_filter_elements(pf.fwd, v.g);
  if (elements == 0 || workspace == nullptr || workspace_bytes < static_cast<std::size_t>(elements) * sizeof(float))
    return simt128::launch_simt128(simt128::PhaseSpec<View>{v}, in, w, bias, out, stream, kernel);
  constexpr int threads = 256;
  pack_filter_kernel<<<grid_blocks(elements, threads), threads, 0, stream>>>(pf, w, static_cast<float*>(workspace));
  if (const cudaError_t err = cudaGetLastError(); err != cudaSuccess)
    return Status::Error(StatusCode::error, std::string(kernel) + ": filter packing launch failed: " + cudaGetErrorName(err));
  return simt128::launch_simt128(packed, in, static_cast<const float*>(workspace), bias, out, stream, kernel);
}
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

std::size_t phase_simt128_workspace_bytes(Direction d, const ConvGeometry& g, std::size_t limit) {
  if (d != Direction::fwd && d != Direction::bwd_data) return 0;
  const std::size_t bytes = static_cast<std::size_t>(simt128::packed_filter_elements(d == Direction::fwd, g)) * sizeof(float);
  return bytes <= limit ? bytes : 0;
}

Status launch_phase_simt128(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                            std::size_t workspace_bytes, CUstream_st* stream) {
  if (Status r = phase_simt128_refuses(d, g, t); !r.ok()) return r;
  if (d == Direction::fwd)
    return launch_view(mma::PhaseFwdView{g}, static_cast<const float*>(ops.x), static_cast<const float*>(ops.w),
                       static_cast<const float*>(ops.b), static_cast<float*>(ops.y), workspace, workspace_bytes, stream,
                       "phase_simt128_fwd");
  return launch_view(mma::PhaseBwdDataView{g}, static_cast<const float*>(ops.dy), static_cast<const float*>(ops.w), nullptr,
                     static_cast<float*>(ops.dx), workspace, workspace_bytes, stream, "phase_simt128_bwd_data");
}

}  // namespace tconv::cuda
