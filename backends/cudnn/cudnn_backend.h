// The cuDNN backend (legacy convolution API): every direction, every algorithm as a variant
// (algorithms.h), NCHW / NHWC, f32 / tf32 / f16 / bf16 / f64, every valid problem through
// staging (cudnn_plan.h). README.md describes the mapping and what was validated where.
#pragma once

#include <optional>

#include "backends/api/registry.h"
#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/device_run.h"

namespace tconv::cudnn {

class CudnnBackend final : public Backend {
 public:
  explicit CudnnBackend(Variant v) : variant_(std::move(v)) {}

  std::string name() const override { return "cudnn"; }
  std::string variant() const override { return variant_.name; }
  Capabilities capabilities() const override;
  // Host rules first (no GPU needed); with a GPU, a pinned algorithm is asked whether it
  // implements the problem. Without a GPU the answer is yes and run() reports no_device.
  Status check(const Problem& p, Direction d) const override;
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override;
  MathMode math(const Problem& p) const override;
  // declared_math.h: the variant's math, or that of the algorithm that ran (FFT, Winograd).
  MathMode declared_math(const Problem& p, Direction d, const RunDetails& ran) const override;
  // The cuDNN call with its bias; the staging copy (a crop cuDNN cannot express) apart.
  std::optional<double> last_device_time_ms() const override { return last_ms_; }
  std::optional<double> last_staging_time_ms() const override { return info_.staging_ms; }

  // The algorithm (", staged" when a staging copy was needed, ", pre/post padding" when the
  // graph padded the ends apart), workspace and determinism of the last successful run: the
  // result row's algorithm, workspace_bytes, deterministic.
  RunDetails last_run_details() const override;

  // What the variant would run (graph_explain.h): for graph variants the engine configs in the
  // order tried, each with the engine=K variant that pins it.
  std::string explain_choice(const Problem& p, Direction d) const override;

 private:
  Variant variant_;
  std::optional<double> last_ms_;
  RunInfo info_;
};

// The host-side part of check(): validity, capabilities, the variant's direction and dtype,
// cuDNN's 32-bit descriptor limits.
Status host_check(const Variant& v, const Capabilities& caps, const Problem& p, Direction d);

BackendFactory cudnn_backend_factory();

}  // namespace tconv::cudnn

namespace tconv {
using cudnn::cudnn_backend_factory;
}  // namespace tconv
