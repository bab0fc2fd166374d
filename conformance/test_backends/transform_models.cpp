#include "conformance/test_backends/transform_models.h"

#include "conformance/test_backends/correlation_form.h"
#include "conformance/test_backends/fft_correlation.h"
#include "conformance/test_backends/winograd.h"

namespace tconv::testing {

namespace {

class TransformModel final : public Backend {
 public:
  TransformModel(std::string name, int winograd_tile) : name_(std::move(name)), tile_(winograd_tile) {}

  std::string name() const override { return name_; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes = {DType::f32};
    c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
    c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
    c.directions = {Direction::fwd, Direction::bwd_data};
    return c;
  }
  Status check(const Problem& p, Direction d) const override {
    if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return s;
    if (tile_ == 0) return Status::Ok();
    if (p.kh != 3 || p.kw != 3) return Status::Unsupported("Winograd F(m x m, 3 x 3) needs a 3x3 kernel");
    if (p.stride_h != 1 || p.stride_w != 1) return Status::Unsupported("Winograd here runs stride 1 only");
    if (p.dil_h != 1 || p.dil_w != 1) return Status::Unsupported("Winograd here runs dilation 1 only");
    return Status::Ok();
  }
  MathMode math(const Problem& p) const override { return declared_math(p, Direction::fwd, {}); }
  MathMode declared_math(const Problem& p, Direction d, const RunDetails&) const override {
    MathMode m = one_rounding_math(p.dtype, tile_ ? AlgorithmClass::winograd : AlgorithmClass::fft);
    m.winograd_tile = tile_;
    if (!tile_ && validate(p).ok() && (d == Direction::fwd || d == Direction::bwd_data))
      m.fft_length = fft_points(correlation_shape(p, d));
    return m;
  }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    if (Status s = check(p, d); !s.ok()) return s;
    const CorrelationForm f = correlation_form(p, d, ops);
    store_correlation(f, tile_ ? winograd_correlation(f, tile_) : fft_correlation(f), p, d, ops);
    return Status::Ok();
  }

 private:
  std::string name_;
  int tile_;  // 0: FFT
};

}  // namespace

std::unique_ptr<Backend> make_transform_model(const std::string& name) {
  if (name == "test_winograd_f2x2_3x3") return std::make_unique<TransformModel>(name, 2);
  if (name == "test_winograd_f4x4_3x3") return std::make_unique<TransformModel>(name, 4);
  if (name == "test_fft") return std::make_unique<TransformModel>(name, 0);
  return nullptr;
}

const std::vector<std::string>& transform_model_names() {
  static const std::vector<std::string> names = {"test_winograd_f2x2_3x3", "test_winograd_f4x4_3x3", "test_fft"};
  return names;
}

}  // namespace tconv::testing
