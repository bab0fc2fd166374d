// The committed golden tensors (cases/golden/, made by tools/golden/ from the real frameworks):
// every case loads, and the oracle, given the case's translation into the canonical problem,
// reproduces every framework output. A wrong convention rule (a crop on the wrong side, a
// kernel read in the wrong order) fails here with the framework and the case named.
#include <gtest/gtest.h>

#include <map>

#include "backends/api/npy.h"
#include "conformance/compare.h"
#include "conformance/fill.h"
#include "conformance/conventions/keras.h"
#include "conformance/conventions/onnx.h"
#include "conformance/conventions/param_text.h"
#include "conformance/conventions/pytorch_equivalent.h"
#include "conformance/conventions/tf.h"
#include "conformance/suite.h"

namespace tconv {
namespace {

std::string golden_suite_path() { return std::string(TCONV_SOURCE_DIR) + "/cases/golden.yaml"; }

const Suite& golden_suite() {
  static const Suite suite = [] {
    auto s = load_suite(golden_suite_path());
    EXPECT_TRUE(s.ok()) << s.error();
    return s.ok() ? *s : Suite{};
  }();
  return suite;
}

HostTensor load(const std::string& path, const Problem& p, Layout layout, const Dims& dims) {
  auto t = load_npy_tensor(path, p.dtype, layout, dims, p.groups);
  EXPECT_TRUE(t.ok()) << t.error();
  return t.ok() ? std::move(t).value() : HostTensor();
}

InputSet golden_inputs(const Case& c) {
  const Problem& p = c.problem;
  InputSet in = make_inputs(p, FillSpec{FillKind::uniform, 1});
  in.x = load(c.golden.x, p, p.layout, p.x_dims());
  in.w = load(c.golden.weight, p, p.weight_layout, p.w_dims());
  if (p.bias) in.b = load(c.golden.bias, p, Layout::X, p.b_dims());
  if (!c.golden.dy.empty()) in.dy = load(c.golden.dy, p, p.layout, p.y_dims());
  return in;
}

// The framework's expected output of direction d, if the case has one.
const std::string& expected_file(const Case& c, Direction d) {
  switch (d) {
    case Direction::fwd: return c.golden.y;
    case Direction::bwd_data: return c.golden.dx;
    case Direction::bwd_weights: return c.golden.dw;
    case Direction::bwd_bias: return c.golden.db;
  }
  return c.golden.y;
}

TEST(Golden, EveryFrameworkAndEveryCaseLoads) {
  const Suite& s = golden_suite();
  std::map<std::string, int> per_framework;
  for (const Case& c : s.cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(c.invalid_reason.empty()) << c.invalid_reason;
    EXPECT_EQ(c.fill.kind, FillKind::golden);
    EXPECT_FALSE(c.golden.x.empty());
    EXPECT_FALSE(c.golden.weight.empty());
    EXPECT_FALSE(c.golden.y.empty());
    ++per_framework[c.origin.at("convention")];
    // The tensors have the shapes the translated problem says, in its layouts.
    const Problem& p = c.problem;
    golden_inputs(c);
    for (Direction d : kAllDirections)
      if (const std::string& f = expected_file(c, d); !f.empty()) {
        const HostTensor shape = make_output(p, d);
        load(f, p, shape.layout(), shape.dims());
      }
  }
  EXPECT_GE(per_framework["pytorch"], 10);
  EXPECT_GE(per_framework["keras"], 8);
  EXPECT_GE(per_framework["tf"], 4);
  EXPECT_GE(per_framework["onnx"], 12);
}

TEST(Golden, TheOracleReproducesEveryFrameworkOutput) {
  int compared = 0;
  for (const Case& c : golden_suite().cases) {
    const InputSet in = golden_inputs(c);
    for (Direction d : kAllDirections) {
      const std::string& f = expected_file(c, d);
      if (f.empty()) continue;
      SCOPED_TRACE(c.name + " " + std::string(to_string(d)) + " (" + c.origin.at("convention") + ")");
      const HostTensor shape = make_output(c.problem, d);
      const HostTensor expected = load(f, c.problem, shape.layout(), shape.dims());
      const Comparison cmp = compare_to_reference(compute_reference(c.problem, d, in.operands()), expected, default_math(DType::f32));
      EXPECT_TRUE(cmp.passed()) << cmp.summary();
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

// Each golden case, written in its framework's terms, translates to a problem whose reverse
// translation is exact in that framework and reads back as the same problem.
TEST(Golden, EveryCaseRoundTripsThroughItsFramework) {
  using namespace conventions;
  const std::map<std::string, Equivalent (*)(const Problem&)> reverse = {
      {"pytorch", &pytorch_equivalent}, {"keras", &keras_equivalent}, {"tf", &tf_equivalent}, {"onnx", &onnx_equivalent}};
  for (const Case& c : golden_suite().cases) {
    const std::string& name = c.origin.at("convention");
    SCOPED_TRACE(c.name);
    const Equivalent e = reverse.at(name)(c.problem);
    ASSERT_TRUE(e.exact) << e.reason;
    auto params = parse_param_text(*find_convention(name), e.params);
    ASSERT_TRUE(params.ok()) << params.error();
    const Translation back = find_convention(name)->translate(*params);
    EXPECT_TRUE(back.invalid_reason.empty()) << back.invalid_reason;
    EXPECT_EQ(back.problem, c.problem) << e.params;
  }
}

const Case& find_case(const std::string& name) {
  for (const Case& c : golden_suite().cases)
    if (c.name == name) return c;
  ADD_FAILURE() << "no golden case " << name;
  static const Case none;
  return none;
}

// Keras same k=3 s=2 and PyTorch padding=1, output_padding=1 on the same x and kernel: the
// same size, one pixel apart (Keras crops the bottom/right, PyTorch the top/left).
TEST(Golden, KerasSameAndPytorchP1Op1AreOnePixelApart) {
  const Case& keras = find_case("keras/keras_same_k3_s2");
  const Case& torch = find_case("pytorch/torch_p1_op1_vs_keras_same");
  ASSERT_EQ(keras.problem.h_out(), torch.problem.h_out());
  const HostTensor yk = load(keras.golden.y, keras.problem, keras.problem.layout, keras.problem.y_dims());
  const HostTensor yt = load(torch.golden.y, torch.problem, torch.problem.layout, torch.problem.y_dims());
  const Dims d = keras.problem.y_dims();
  double same_place = 0, shifted = 0;
  for (std::int64_t co = 0; co < d[1]; ++co)
    for (std::int64_t h = 0; h + 1 < d[2]; ++h)
      for (std::int64_t w = 0; w + 1 < d[3]; ++w) {
        shifted = std::max(shifted, std::abs(yk.at({0, co, h + 1, w + 1}) - yt.at({0, co, h, w})));
        same_place = std::max(same_place, std::abs(yk.at({0, co, h, w}) - yt.at({0, co, h, w})));
      }
  EXPECT_LT(shifted, 1e-5);     // keras[h + 1] == torch[h]
  EXPECT_GT(same_place, 1e-2);  // and they do differ where a naive port compares them
}

// A Keras kernel (kH, kW, C_out, C_in) read as cuDNN's KRSC without the (3, 0, 1, 2) permutation:
// with every dimension 3 the shapes agree, and only a random kernel shows the values are wrong.
TEST(Golden, KerasKernelCopiedAsKrscIsWrong) {
  const Case& c = find_case("keras/keras_kernel_permutation_trap");
  Problem as_is = c.problem;
  ASSERT_EQ(as_is.weight_layout, Layout::HWOI);
  as_is.weight_layout = Layout::IHWO;  // the same bytes, declared KRSC
  InputSet in = golden_inputs(c);
  auto raw = read_npy(c.golden.weight);
  ASSERT_TRUE(raw.ok()) << raw.error();
  HostTensor krsc(as_is.dtype, Layout::IHWO, as_is.w_dims(), 1);
  ASSERT_EQ(static_cast<std::size_t>(krsc.numel()), raw->values.size());
  for (std::int64_t i = 0; i < krsc.numel(); ++i) krsc.set(i, raw->values[static_cast<std::size_t>(i)]);
  in.w = std::move(krsc);
  const HostTensor expected = load(c.golden.y, c.problem, c.problem.layout, c.problem.y_dims());
  const Comparison wrong = compare_to_reference(compute_reference(as_is, Direction::fwd, in.operands()), expected, default_math(DType::f32));
  EXPECT_FALSE(wrong.passed());
  EXPECT_GT(wrong.mismatches, wrong.elements / 2);
}

}  // namespace
}  // namespace tconv
