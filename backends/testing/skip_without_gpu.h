// Wraps a device backend's factory for the abstract conformance suite: while `no_gpu_reason()`
// is non-empty every check() answers it, so each case skips with the reason (a device backend's
// own check() says yes without a GPU and its run() would answer no_device).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "backends/api/backend.h"
#include "backends/api/registry.h"

namespace tconv::test_support {

class SkipWithoutGpu final : public Backend {
 public:
  SkipWithoutGpu(std::unique_ptr<Backend> inner, std::function<std::string()> no_gpu_reason)
      : inner_(std::move(inner)), no_gpu_reason_(std::move(no_gpu_reason)) {}
  std::string name() const override { return inner_->name(); }
  std::string variant() const override { return inner_->variant(); }
  Capabilities capabilities() const override { return inner_->capabilities(); }
  Status check(const Problem& p, Direction d) const override {
    if (std::string why = no_gpu_reason_(); !why.empty()) return Status::Unsupported(why);
    return inner_->check(p, d);
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    return inner_->run(p, d, ops, ctx);
  }
  // Everything else is the inner backend's: the kit reads what ran (declared_math of
  // last_run_details), as the runner does, so a wrapper that dropped it would judge a cuDNN
  // FFT or Winograd result by the default bound.
  MathMode math(const Problem& p) const override { return inner_->math(p); }
  MathMode declared_math(const Problem& p, Direction d, const RunDetails& ran) const override {
    return inner_->declared_math(p, d, ran);
  }
  std::optional<double> last_device_time_ms() const override { return inner_->last_device_time_ms(); }
  std::optional<double> last_staging_time_ms() const override { return inner_->last_staging_time_ms(); }
  RunDetails last_run_details() const override { return inner_->last_run_details(); }
  std::string explain_choice(const Problem& p, Direction d) const override { return inner_->explain_choice(p, d); }

 private:
  std::unique_ptr<Backend> inner_;
  std::function<std::string()> no_gpu_reason_;
};

inline BackendFactory skip_without_gpu(BackendFactory f, std::function<std::string()> no_gpu_reason) {
  auto create = f.create;
  f.create = [create, no_gpu_reason](const std::string& v) -> Result<std::unique_ptr<Backend>> {
    Result<std::unique_ptr<Backend>> b = create(v);
    if (!b.ok()) return b;
    return std::unique_ptr<Backend>(std::make_unique<SkipWithoutGpu>(std::move(b).value(), no_gpu_reason));
  };
  return f;
}

}  // namespace tconv::test_support
