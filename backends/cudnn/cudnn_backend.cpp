#include "backends/cudnn/cudnn_backend.h"

#include "backends/cudnn/cudnn_info.h"
#include "backends/cudnn/declared_math.h"
#include "backends/cudnn/graph_explain.h"
#include "backends/cudnn/graph_selection.h"

namespace tconv::cudnn {

Capabilities CudnnBackend::capabilities() const {
  Capabilities c;
  c.dtypes = variant_.tf32 ? std::vector<DType>{DType::f32} : std::vector<DType>(std::begin(kAllDTypes), std::end(kAllDTypes));
  c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
  // HWOI and OIHW_FLIPPED are permuted on the host into KCRS / KRSC.
  c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
  if (variant_.algo != nullptr) c.directions = {direction_served_by(variant_.algo->op)};
  c.max_elements = kMaxDescriptorElements;
  c.on_device = true;
  // legacy_find and autotune take the fastest whatever its determinism; a pinned engine is
  // whatever it is; the other graph variants skip nondeterministic engines.
  c.deterministic = variant_.algo ? variant_.algo->deterministic
                                  : !variant_.find && variant_.graph != GraphSelection::engine &&
                                        variant_.graph != GraphSelection::autotune;
  return c;
}

Status host_check(const Variant& v, const Capabilities& caps, const Problem& p, Direction d) {
  // Integer problems are refused for their dtype by every variant (no quantized path here).
  if (is_integer(p.dtype)) return check_capabilities(caps, p, d);
  if (v.algo != nullptr && direction_served_by(v.algo->op) != d)
    return Status::Unsupported("variant algo=" + std::string(v.algo->name) + " is a " + cudnn_call_name(v.algo->op) +
                               " algorithm: it runs the transposed " + std::string(to_string(direction_served_by(v.algo->op))) +
                               " only");
  if (v.tf32 && p.dtype != DType::f32) return Status::Unsupported("TF32 math applies to f32 data only");
  if (Status s = check_capabilities(caps, p, d); !s.ok()) return s;
  // Legacy descriptors take int sizes; the staging buffer is the largest tensor cuDNN sees.
  const ConvPlan pl = make_plan(p, d, padding_form(v));
  const std::int64_t staging = pl.large.n * pl.large.c * pl.large.h * pl.large.w;
  if (staging > kMaxDescriptorElements)
    return Status::Unsupported("the staging buffer has " + std::to_string(staging) +
                               " elements, over the 2^31-1 that cuDNN's legacy 4-d descriptors address");
  // Graph variants: cuDNN validates the operation graph on the CPU (no GPU needed).
  if (d != Direction::bwd_bias)
    if (std::string why = graph_host_refusal(pl, v); !why.empty()) return Status::Unsupported(why);
  return Status::Ok();
}

Status CudnnBackend::check(const Problem& p, Direction d) const {
  if (Status s = host_check(variant_, capabilities(), p, d); !s.ok()) return s;
  return device_support(p, d, variant_);
}

Status CudnnBackend::run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) {
  last_ms_.reset();
  info_ = {};
  if (Status s = check_operands(p, d, ops); !s.ok()) return s;
  if (Status s = host_check(variant_, capabilities(), p, d); !s.ok()) return s;
  RunInfo info;
  double ms = 0;
  Status s = run_on_device(p, d, ops, variant_, ctx.workspace_limit, &info, &ms);
  if (!s.ok()) return s;
  info_ = info;
  last_ms_ = ms;
  return s;
}

RunDetails CudnnBackend::last_run_details() const {
  if (!last_ms_) return {};
  return {info_.algorithm + (info_.staged ? ", staged" : "") + (info_.pre_post_padded ? ", pre/post padding" : ""),
          static_cast<std::int64_t>(info_.workspace),
          info_.deterministic};
}

std::string CudnnBackend::explain_choice(const Problem& p, Direction d) const {
  if (Status s = host_check(variant_, capabilities(), p, d); !s.ok()) return "refused: " + s.message;
  return explain_variant(p, d, variant_, RunContext{}.workspace_limit);
}

MathMode CudnnBackend::math(const Problem& p) const { return variant_math(variant_, p, Direction::fwd, ""); }

MathMode CudnnBackend::declared_math(const Problem& p, Direction d, const RunDetails& ran) const {
  return variant_math(variant_, p, d, ran.algorithm);
}

BackendFactory cudnn_backend_factory() {
  return {"cudnn",
          "NVIDIA cuDNN " + version_string() +
              ": fwd = backward-data, bwd_data = forward, bwd_weights = backward-filter; graph API through "
              "cudnn-frontend (default, autotune, heur_b, fallback, engine=K[,KNOB=v]; +fused_bias, +pre_post), legacy API "
              "(legacy, legacy_find, one algo= variant per algorithm); +tf32 allows TF32",
          [] { return variant_names(); },
          [](const std::string& name) -> Result<std::unique_ptr<Backend>> {
            std::string error;
            std::optional<Variant> v = parse_variant(name, &error);
            if (!v) return Status::Invalid(std::move(error));
            return std::unique_ptr<Backend>(std::make_unique<CudnnBackend>(std::move(*v)));
          }};
}

}  // namespace tconv::cudnn
