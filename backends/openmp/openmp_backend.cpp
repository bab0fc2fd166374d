#include "backends/openmp/openmp_backend.h"

#include <omp.h>

#include <cstdlib>
#include <new>
#include <optional>

#include "backends/openmp/directions.h"
#include "backends/openmp/f64acc.h"

namespace tconv {

namespace {

using openmp::GemmProvider;

class OpenMPBackend final : public Backend {
 public:
  OpenMPBackend(std::string variant, bool fast_paths, GemmProvider gemm, bool f64acc = false)
      : variant_(std::move(variant)), fast_paths_(fast_paths), gemm_(gemm), f64acc_(f64acc) {}

  std::string name() const override { return "openmp"; }
  std::string variant() const override { return variant_; }

  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes = {DType::f32, DType::f16, DType::bf16};
    if (f64acc_) c.dtypes.push_back(DType::f64);
    c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
    c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
    return c;  // all directions, groups, dilation, asymmetric and negative crops; deterministic
  }

  Status check(const Problem& p, Direction d) const override {
    if (p.dtype == DType::f64 && !f64acc_)
      return Status::Unsupported("dtype f64 not supported: openmp computes with f32 GEMMs (variant f64acc takes f64)");
    return check_capabilities(capabilities(), p, d);
  }

  // f16/bf16 are widened to f32 exactly; every product and sum is an f32 FMA in the GEMM (or
  // the scatter of its columns) and the f32 result is rounded once to the output type.
  // f64acc: every product and sum in f64 (f64acc.h).
  MathMode math(const Problem& p) const override {
    return f64acc_ ? openmp::f64acc_math(p) : one_rounding_math(p.dtype, AlgorithmClass::implicit_gemm);
  }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    if (Status s = check(p, d); !s.ok()) return s;
    openmp::Options o;
    o.fast_paths = fast_paths_;
    o.gemm = gemm_;
    o.threads = ctx.threads > 0 ? ctx.threads : omp_get_max_threads();
    o.workspace_limit = ctx.workspace_limit;
    if (const char* e = std::getenv("TCONV_OPENMP_CHUNK_PIXELS")) o.max_chunk_pixels = std::atoll(e);
    workspace_.start_counting();
    last_workspace_.reset();
    if (f64acc_) {
      Status s = Status::Ok();
      try {
        s = openmp::f64acc_run(p, d, ops, o.threads, workspace_, f64_operands_);
      } catch (const std::bad_alloc&) {
        return Status::Error(StatusCode::out_of_memory, "openmp:f64acc: allocation failed");
      }
      if (s.ok()) last_workspace_ = static_cast<std::int64_t>(workspace_.requested_bytes());
      return s;
    }
    Status s = Status::Error(StatusCode::invalid, "openmp: unknown direction");
    try {
      switch (d) {
        case Direction::fwd: s = openmp::forward(p, ops, o, workspace_); break;
        case Direction::bwd_data: s = openmp::backward_data(p, ops, o, workspace_); break;
        case Direction::bwd_weights: s = openmp::backward_weights(p, ops, o, workspace_); break;
        case Direction::bwd_bias: s = openmp::backward_bias(p, ops, o); break;
      }
    } catch (const std::bad_alloc&) {
      return Status::Error(StatusCode::out_of_memory, "openmp: workspace allocation failed");
    }
    if (s.ok()) last_workspace_ = static_cast<std::int64_t>(workspace_.requested_bytes());
    return s;
  }

  RunDetails last_run_details() const override { return {"", last_workspace_, std::nullopt}; }

 private:
  std::string variant_;
  bool fast_paths_;
  GemmProvider gemm_;
  bool f64acc_;
  openmp::Workspace workspace_;
  openmp::F64Operands f64_operands_;
  std::optional<std::int64_t> last_workspace_;
};

std::vector<std::string> variant_names() {
  std::vector<std::string> v{"default", "general", "f64acc"};
  const auto& providers = openmp::available_gemm_providers();
  for (std::size_t i = 1; i < providers.size(); ++i) v.emplace_back(openmp::to_string(providers[i]));
  return v;
}

}  // namespace

BackendFactory openmp_backend_factory() {
  const std::string gemm(openmp::to_string(openmp::default_gemm_provider()));
  return {"openmp", "im2col/col2im + " + gemm + " sgemm, OpenMP over images, groups and tiles",
          variant_names,
          [](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
            using Made = std::unique_ptr<Backend>;
            const GemmProvider best = openmp::default_gemm_provider();
            if (variant == "default") return Made(std::make_unique<OpenMPBackend>(variant, true, best));
            if (variant == "general") return Made(std::make_unique<OpenMPBackend>(variant, false, best));
            if (variant == "f64acc") return Made(std::make_unique<OpenMPBackend>(variant, false, best, true));
            for (GemmProvider g : openmp::available_gemm_providers())
              if (variant == openmp::to_string(g)) return Made(std::make_unique<OpenMPBackend>(variant, true, g));
            std::string error = "openmp has no variant '" + variant + "' (variants:";
            for (const auto& v : variant_names()) error += " " + v;
            return Status::Invalid(error + ")");
          }};
}

}  // namespace tconv
