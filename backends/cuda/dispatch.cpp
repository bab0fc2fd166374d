#include "backends/cuda/dispatch.h"

#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/gather.h"
#include "backends/cuda/k_equals_s.h"
#include "backends/cuda/phase_gemm.h"

namespace tconv::cuda {

namespace {
constexpr Family kAllFamilies[] = {Family::gather, Family::phase_gemm, Family::k_equals_s, Family::bwd_weights_gemm};
}  // namespace

std::string_view family_name(Family f) {
  switch (f) {
    case Family::gather: return "gather";
    case Family::phase_gemm: return "phase_gemm";
    case Family::k_equals_s: return "k_equals_s";
    case Family::bwd_weights_gemm: return "bwd_weights_gemm";
  }
  return "?";
}

Status family_refuses(Family f, Direction d, const ConvGeometry& g, DType t) {
  switch (f) {
    case Family::gather: return gather_refuses(d, g, t);
    case Family::bwd_weights_gemm: return bwd_weights_gemm_refuses(d, g, t);
    case Family::phase_gemm: return phase_gemm_refuses(d, g, t);
    case Family::k_equals_s: return k_equals_s_refuses(d, g, t);
  }
  return Status::Unsupported("unknown kernel family");
}

std::vector<std::string> cuda_variant_names() {
  std::vector<std::string> v{"default"};
  for (Family f : kAllFamilies) v.emplace_back(family_name(f));
  return v;
}

Result<CudaVariant> parse_cuda_variant(const std::string& name) {
  if (name.empty() || name == "default") return CudaVariant{"default", std::nullopt};
  for (Family f : kAllFamilies)
    if (name == family_name(f)) return CudaVariant{name, f};
  std::string list;
  for (const std::string& v : cuda_variant_names()) list += (list.empty() ? "" : ", ") + v;
  return Status::Invalid("cuda has no variant '" + name + "' (variants: " + list + ")");
}

std::vector<Family> dispatch_order(Direction d) {
  switch (d) {
    case Direction::fwd:
    case Direction::bwd_data: return {Family::k_equals_s, Family::phase_gemm, Family::gather};
    case Direction::bwd_weights: return {Family::bwd_weights_gemm, Family::gather};
    case Direction::bwd_bias: return {Family::gather};
  }
  return {Family::gather};
}

Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t) {
  Choice c;
  if (v.family) {
    c.refusal = family_refuses(*v.family, d, g, t);
    if (c.refusal.ok()) c.family = v.family;
    return c;
  }
  for (Family f : dispatch_order(d)) {
    Status r = family_refuses(f, d, g, t);
    if (r.ok()) {
      c.family = f;
      return c;
    }
    c.skipped += (c.skipped.empty() ? "" : "; ") + r.message;
    c.refusal = std::move(r);
  }
  return c;
}

ConvGeometry make_geometry(const Problem& p) {
  ConvGeometry g{};
  g.n = p.n, g.c_in = p.c_in, g.c_out = p.c_out, g.groups = p.groups;
  g.h_in = p.h_in, g.w_in = p.w_in, g.kh = p.kh, g.kw = p.kw;
  g.stride_h = p.stride_h, g.stride_w = p.stride_w, g.dil_h = p.dil_h, g.dil_w = p.dil_w;
  g.crop_top = p.crop_top, g.crop_left = p.crop_left;
  g.h_out = p.h_out(), g.w_out = p.w_out();
  g.nhwc = p.layout == Layout::NHWC;
  return g;
}

Layout device_filter_layout(Layout data_layout) { return data_layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW; }

}  // namespace tconv::cuda
