// The abstract conformance suite over every cudnn variant. Without a GPU every case skips with
// query_devices()'s reason (the backend's check() says yes there and run() would answer
// no_device, so the factory below puts the reason into check()).
#include "backends/cudnn/cudnn_backend.h"
#include "backends/cudnn/device_context.h"
#include "backends/testing/backend_conformance.h"

namespace tconv::cudnn {
namespace {

class SkipWithoutGpu final : public Backend {
 public:
  explicit SkipWithoutGpu(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return inner_->name(); }
  std::string variant() const override { return inner_->variant(); }
  Capabilities capabilities() const override { return inner_->capabilities(); }
  Support check(const Problem& p, Direction d) const override {
    if (!no_gpu_reason().empty()) return Support::no(no_gpu_reason());
    return inner_->check(p, d);
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    return inner_->run(p, d, ops, ctx);
  }
  MathMode math(const Problem& p) const override { return inner_->math(p); }
  std::optional<double> last_device_time_ms() const override { return inner_->last_device_time_ms(); }

 private:
  std::unique_ptr<Backend> inner_;
};

BackendFactory gpu_test_factory() {
  BackendFactory f = cudnn_backend_factory();
  auto create = f.create;
  f.create = [create](const std::string& v, std::string* error) -> std::unique_ptr<Backend> {
    std::unique_ptr<Backend> b = create(v, error);
    return b ? std::make_unique<SkipWithoutGpu>(std::move(b)) : nullptr;
  };
  return f;
}

}  // namespace
}  // namespace tconv::cudnn

TCONV_BACKEND_CONFORMANCE(Cudnn, tconv::cudnn::gpu_test_factory());
