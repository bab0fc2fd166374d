#include "conformance/test_backends/rounding_models.h"

#include <cmath>
#include <functional>

#include "conformance/test_backends/term_lists.h"

namespace tconv::testing {

namespace {

constexpr int kSplits = 4;

// a + b in f32 rounded toward zero: the double sum of two floats is exact here (test data).
float add_truncating(float a, float b) {
  const double exact = static_cast<double>(a) + static_cast<double>(b);
  float r = static_cast<float>(exact);
  if (std::fabs(static_cast<double>(r)) > std::fabs(exact)) r = std::nextafter(r, 0.0f);
  return r;
}

float sum_f32(const std::vector<Term>& terms, std::size_t begin, std::size_t end, bool truncating) {
  float acc = 0;
  for (std::size_t k = begin; k < end; ++k) {
    const float product = static_cast<float>(terms[k].a) * static_cast<float>(terms[k].b);
    acc = truncating ? add_truncating(acc, product) : acc + product;
  }
  return acc;
}

// The value before the final store (HostTensor::put rounds it to the output type) of one
// element, given its terms and its bias (0 where none).
using ElementModel = std::function<double(const std::vector<Term>&, double bias, DType out)>;

class RoundingModel final : public Backend {
 public:
  RoundingModel(std::string name, std::vector<DType> dtypes, ElementModel model,
                std::function<MathMode(const Problem&, Direction)> math)
      : name_(std::move(name)), dtypes_(std::move(dtypes)), model_(std::move(model)), math_(std::move(math)) {}

  std::string name() const override { return name_; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes = dtypes_;
    c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
    c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
    return c;
  }
  MathMode math(const Problem& p) const override { return math_(p, Direction::fwd); }
  MathMode declared_math(const Problem& p, Direction d, const RunDetails&) const override { return math_(p, d); }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const std::vector<std::vector<Term>> terms = term_lists(p, d, ops);
    const std::vector<double> bias =
        d == Direction::fwd && p.bias ? ops.b->logical_values() : std::vector<double>{};
    HostTensor& out = *output_of(ops, d);
    std::size_t e = 0;
    for_each_index(out.dims(), [&](const Dims& i) {
      out.put(i, model_(terms[e], bias.empty() ? 0.0 : bias[static_cast<std::size_t>(i[1])], p.dtype));
      ++e;
    });
    return Status::Ok();
  }

 private:
  std::string name_;
  std::vector<DType> dtypes_;
  ElementModel model_;
  std::function<MathMode(const Problem&, Direction)> math_;
};

std::unique_ptr<Backend> separate_bias() {
  return std::make_unique<RoundingModel>(
      "test_f16_separate_bias", std::vector<DType>{DType::f16, DType::bf16},
      [](const std::vector<Term>& t, double bias, DType out) {
        const double pre_bias = round_to(sum_f32(t, 0, t.size(), false), out);  // first rounding
        return static_cast<double>(static_cast<float>(pre_bias) + static_cast<float>(bias));
      },
      [](const Problem& p, Direction d) {
        MathMode m = one_rounding_math(p.dtype, AlgorithmClass::direct);
        if (d == Direction::fwd && p.bias) {
          m.separate_bias = true;
          m.output_roundings = 2;
        }
        return m;
      });
}

std::unique_ptr<Backend> tc_truncate() {
  return std::make_unique<RoundingModel>(
      "test_tc_truncate", std::vector<DType>{DType::f16, DType::bf16},
      [](const std::vector<Term>& t, double bias, DType) {
        return static_cast<double>(add_truncating(sum_f32(t, 0, t.size(), true), static_cast<float>(bias)));
      },
      [](const Problem& p, Direction) {
        MathMode m = one_rounding_math(p.dtype, AlgorithmClass::implicit_gemm);
        m.truncating_acc = true;
        return m;
      });
}

// Partials are kept in f32 for f32 data, in the output type for f16/bf16 (the harsher case).
DType partial_type(DType out) { return out == DType::f32 ? DType::f32 : out; }

std::unique_ptr<Backend> split_k() {
  return std::make_unique<RoundingModel>(
      "test_split_k", std::vector<DType>{DType::f32, DType::f16, DType::bf16},
      [](const std::vector<Term>& t, double bias, DType out) {
        const std::size_t slice = (t.size() + kSplits - 1) / kSplits;
        float total = 0;
        for (std::size_t begin = 0; begin < t.size(); begin += slice) {
          const double partial = round_to(sum_f32(t, begin, std::min(t.size(), begin + slice), false), partial_type(out));
          total += static_cast<float>(partial);
        }
        return static_cast<double>(total + static_cast<float>(bias));
      },
      [](const Problem& p, Direction) {
        MathMode m = one_rounding_math(p.dtype, AlgorithmClass::implicit_gemm);
        m.split_k = kSplits;
        m.u_split = unit_roundoff(partial_type(p.dtype));
        return m;
      });
}

}  // namespace

std::unique_ptr<Backend> make_rounding_model(const std::string& name) {
  if (name == "test_f16_separate_bias") return separate_bias();
  if (name == "test_tc_truncate") return tc_truncate();
  if (name == "test_split_k") return split_k();
  return nullptr;
}

const std::vector<std::string>& rounding_model_names() {
  static const std::vector<std::string> names = {"test_f16_separate_bias", "test_tc_truncate", "test_split_k"};
  return names;
}

}  // namespace tconv::testing
