// The custom CUDA backend `cuda` (issue 8): hand-written kernels for every direction. Variants:
// `default` (the dispatcher, dispatch.h) and one per kernel family, so that reports show them
// side by side. Without a GPU, check() answers from the host rules and run() reports no_device.
#pragma once

#include <optional>

#include "backends/api/registry.h"
#include "backends/cuda/dispatch.h"

namespace tconv::cuda {

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(CudaVariant v) : variant_(std::move(v)) {}

  std::string name() const override { return "cuda"; }
  std::string variant() const override { return variant_.name; }
  Capabilities capabilities() const override;
  // Capabilities first, then the family's own refusal (for default: only when no family accepts).
  Status check(const Problem& p, Direction d) const override;
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override;
  std::optional<double> last_device_time_ms() const override { return last_ms_; }
  // Per kernel family (the one that ran, else the one the variant would choose): gather sums
  // directly; phase_gemm and k_equals_s are implicit GEMMs, on tensor cores (truncating
  // accumulation) for f16/bf16; bwd_weights_gemm sums split-K partials kept in f32.
  MathMode declared_math(const Problem& p, Direction d, const RunDetails& ran) const override;
  MathMode math(const Problem& p) const override { return declared_math(p, Direction::fwd, {}); }

  // The family the last successful run used (the dispatcher's choice for `default`) and the
  // split-K workspace.
  RunDetails last_run_details() const override { return details_; }
  std::string explain_choice(const Problem& p, Direction d) const override;

 private:
  CudaVariant variant_;
  std::optional<double> last_ms_;
  RunDetails details_;
};

// Capabilities of a variant: every layout and weight layout; f64 where gather runs; the
// directions the family implements.
Capabilities cuda_capabilities(const CudaVariant& v);

BackendFactory cuda_backend_factory();

}  // namespace tconv::cuda

namespace tconv {
using cuda::cuda_backend_factory;
}  // namespace tconv
