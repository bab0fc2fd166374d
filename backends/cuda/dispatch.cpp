#include "backends/cuda/dispatch.h"

#include <cmath>
#include <cstdio>

#include "backends/cuda/bias_reduce.h"
#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/depthwise.h"
#include "backends/cuda/depthwise_wgrad.h"
#include "backends/cuda/device_info.h"
#include "backends/cuda/gather.h"
#include "backends/cuda/k_equals_s.h"
#include "backends/cuda/phase_gemm.h"
#include "backends/cuda/phase_simt128.h"
#include "backends/cuda/phase_tc.h"
#include "backends/cuda/phase_wgmma.h"
#include "backends/cuda/phase_wgmma_ws.h"
#include "backends/cuda/small_cout.h"
#include "backends/cuda/wgrad_simt128.h"

namespace tconv::cuda {

const std::vector<Family>& all_families() {
  static const std::vector<Family> f{Family::gather,          Family::phase_gemm, Family::k_equals_s,
                                     Family::bwd_weights_gemm, Family::depthwise,  Family::small_cout,
                                     Family::bias_reduce,     Family::depthwise_wgrad, Family::phase_tc,
                                     Family::phase_tc_tf32,   Family::phase_simt128, Family::wgrad_simt128,
                                     Family::phase_wgmma,     Family::phase_wgmma_ws};
  return f;
}

bool chosen_by_default(Family f) {
  return f != Family::phase_tc_tf32 && f != Family::phase_wgmma && f != Family::phase_wgmma_ws;
}

std::vector<Direction> family_directions(Family f) {
  switch (f) {
    case Family::gather: return {std::begin(kAllDirections), std::end(kAllDirections)};
    case Family::phase_gemm:
    case Family::k_equals_s:
    case Family::depthwise:
    case Family::phase_tc:
    case Family::phase_tc_tf32:
    case Family::phase_wgmma:
    case Family::phase_wgmma_ws:
    case Family::phase_simt128: return {Direction::fwd, Direction::bwd_data};
    case Family::wgrad_simt128: return {Direction::bwd_weights};
    case Family::bwd_weights_gemm: return {Direction::bwd_weights};
    case Family::small_cout: return {Direction::fwd};
    case Family::bias_reduce: return {Direction::bwd_bias};
    case Family::depthwise_wgrad: return {Direction::bwd_weights};
  }
  return {};
}

std::string_view family_name(Family f) {
  switch (f) {
    case Family::gather: return "gather";
    case Family::phase_gemm: return "phase_gemm";
    case Family::k_equals_s: return "k_equals_s";
    case Family::bwd_weights_gemm: return "bwd_weights_gemm";
    case Family::depthwise: return "depthwise";
    case Family::small_cout: return "small_cout";
    case Family::bias_reduce: return "bias_reduce";
    case Family::depthwise_wgrad: return "depthwise_wgrad";
    case Family::phase_tc: return "phase_tc";
    case Family::phase_tc_tf32: return "phase_tc+tf32";
    case Family::phase_simt128: return "phase_simt128";
    case Family::wgrad_simt128: return "wgrad_simt128";
    case Family::phase_wgmma: return "phase_wgmma";
    case Family::phase_wgmma_ws: return "phase_wgmma_ws";
  }
  return "?";
}

Status family_refuses(Family f, Direction d, const ConvGeometry& g, DType t) {
  switch (f) {
    case Family::gather: return gather_refuses(d, g, t);
    case Family::bwd_weights_gemm: return bwd_weights_gemm_refuses(d, g, t);
    case Family::phase_gemm: return phase_gemm_refuses(d, g, t);
    case Family::k_equals_s: return k_equals_s_refuses(d, g, t);
    case Family::depthwise: return depthwise_refuses(d, g, t);
    case Family::small_cout: return small_cout_refuses(d, g, t);
    case Family::bias_reduce: return bias_reduce_refuses(d, g, t);
    case Family::depthwise_wgrad: return depthwise_wgrad_refuses(d, g, t);
    case Family::phase_tc: return phase_tc_refuses(d, g, t);
    case Family::phase_tc_tf32: return phase_tc_tf32_refuses(d, g, t);
    case Family::phase_simt128: return phase_simt128_refuses(d, g, t);
    case Family::wgrad_simt128: return wgrad_simt128_refuses(d, g, t);
    case Family::phase_wgmma: return phase_wgmma_refuses(d, g, t);
    case Family::phase_wgmma_ws: return phase_wgmma_ws_refuses(d, g, t);
  }
  return Status::Unsupported("unknown kernel family");
}

std::vector<std::string> cuda_variant_names() {
  std::vector<std::string> v{"default"};
  for (Family f : all_families()) v.emplace_back(family_name(f));
  return v;
}

Result<CudaVariant> parse_cuda_variant(const std::string& name) {
  if (name.empty() || name == "default") return CudaVariant{"default", std::nullopt};
  for (Family f : all_families())
    if (name == family_name(f)) return CudaVariant{name, f};
  std::string list;
  for (const std::string& v : cuda_variant_names()) list += (list.empty() ? "" : ", ") + v;
  return Status::Invalid("cuda has no variant '" + name + "' (variants: " + list + ")");
}

Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t, const Calibration& cal) {
  Choice c;
  if (v.family) {
    c.refusal = family_refuses(*v.family, d, g, t);
    if (c.refusal.ok()) c.family = v.family;
    return c;
  }
  double best = 0;
  for (Family f : all_families()) {
    Candidate k{f, chosen_by_default(f) ? family_refuses(f, d, g, t)
                                        : Status::Unsupported(std::string(family_name(f)) +
                                                              ": declares TF32 math, run only when asked for by name")};
    if (!k.refusal.ok()) {
      c.skipped += (c.skipped.empty() ? "" : "; ") + k.refusal.message;
      c.refusal = k.refusal;
    } else {
      k.coefficients = cal.find(family_name(f), d, t);
      // A family the table does not cover is never predicted to win (a test keeps tables complete).
      k.predicted_ms = k.coefficients ? predict_ms(*k.coefficients, family_work(f, d, g, t), cal.copy_gbps.value,
                                                   cal.resident_threads.value)
                                      : INFINITY;
      if (!c.family || k.predicted_ms < best) c.family = f, best = k.predicted_ms;
    }
    c.candidates.push_back(std::move(k));
  }
  if (c.family) c.refusal = Status::Ok();
  return c;
}

const ActiveCalibration& active_calibration() {
  static const ActiveCalibration a = [] {
    ActiveCalibration r{};
    const DeviceReport devices = query_devices();
    if (!devices.gpus.empty()) r.device = devices.gpus.front().name;
    r.table = &calibration_for(r.device, &r.exact);
    return r;
  }();
  return a;
}

Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t) {
  return choose_family(v, d, g, t, *active_calibration().table);
}

std::string describe_choice(const Choice& c, const ActiveCalibration& cal) {
  std::string out = "calibration: " + cal.table->gpu + " table";
  if (!cal.exact)
    out += cal.device.empty() ? " (no GPU here: the predictions are those for an " + cal.table->gpu + ")"
                              : " (no table for " + cal.device + ": using " + cal.table->gpu + "'s)";
  out += "\n";
  char line[160];
  const Candidate* won = nullptr;
  double runner_up = INFINITY;
  for (const Candidate& k : c.candidates) {
    if (c.family == k.family) won = &k;
    if (k.refusal.ok() && c.family != k.family) runner_up = std::min(runner_up, k.predicted_ms);
  }
  for (const Candidate& k : c.candidates) {
    const std::string name(family_name(k.family));
    if (!k.refusal.ok()) {
      out += "  " + name + std::string(18 - std::min<std::size_t>(name.size(), 17), ' ') + "refuses: " +
             k.refusal.message + "\n";
      continue;
    }
    std::snprintf(line, sizeof line, "  %-17s predicted %10.4f ms%s  ", name.c_str(), k.predicted_ms,
                  c.family == k.family ? " <- chosen" : "          ");
    out += line;
    if (k.coefficients == nullptr)
      out += "no calibration row";
    else if (k.coefficients->fit_rows > 0)
      out += "fitted to " + std::to_string(k.coefficients->fit_rows) + " rows measured on an " + cal.table->gpu;
    else
      out += k.coefficients->source;
    out += "\n";
  }
  if (won != nullptr) {
    if (std::isfinite(runner_up))
      std::snprintf(line, sizeof line, "why: %s has the least predicted time (%.2fx faster than the next)\n",
                    std::string(family_name(won->family)).c_str(), runner_up / won->predicted_ms);
    else
      std::snprintf(line, sizeof line, "why: %s is the only family that runs this problem\n",
                    std::string(family_name(won->family)).c_str());
    out += line;
  }
  return out;
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
