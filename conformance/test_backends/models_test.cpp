// The test backends that model real implementations (rounding_models.h, transform_models.h):
// they PASS under their declared math, their arithmetic really differs from one correct
// rounding, and the exact fill makes the low-precision ones exact.
#include <gtest/gtest.h>

#include "conformance/compare.h"
#include "conformance/fill.h"
#include "conformance/test_backends/rounding_models.h"
#include "conformance/test_backends/transform_models.h"

namespace tconv {
namespace {

Problem problem(DType t, std::int64_t stride, std::int64_t kernel, std::int64_t groups = 1) {
  Problem p;
  p.n = 2, p.c_in = 8, p.c_out = 6, p.groups = groups, p.h_in = 5, p.w_in = 7;
  p.kh = p.kw = kernel;
  p.stride_h = p.stride_w = stride;
  p.crop_top = 1, p.crop_bottom = 0, p.crop_left = 2, p.crop_right = -1;
  p.dtype = t;
  p.bias = true;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::HWOI;
  return p;
}

struct Judged {
  Comparison declared, one_rounding;
};

Judged run(Backend& b, const Problem& p, Direction d, FillKind fill) {
  const InputSet in = make_inputs(p, {fill, 3});
  HostTensor out = make_output(p, d);
  RunContext ctx;
  EXPECT_TRUE(b.run(p, d, with_output(in.operands(), d, out), ctx).ok()) << b.name();
  const Reference ref = compute_reference(p, d, in.operands());
  return {compare_to_reference(ref, out, b.declared_math(p, d, {})),
          compare_to_reference(ref, out, one_rounding_math(p.dtype, AlgorithmClass::direct))};
}

TEST(RoundingModels, PassEveryDirectionUnderTheirDeclaredMath) {
  for (const std::string& name : testing::rounding_model_names()) {
    auto b = testing::make_rounding_model(name);
    for (DType t : {DType::f16, DType::bf16})
      for (Direction d : kAllDirections)
        for (FillKind fill : {FillKind::uniform, FillKind::normal}) {
          const Judged j = run(*b, problem(t, 2, 3, 2), d, fill);
          EXPECT_TRUE(j.declared.passed()) << name << " " << to_string(t) << " " << to_string(d) << ": "
                                           << j.declared.summary();
        }
  }
}

TEST(RoundingModels, SeparateBiasIsMoreThanOneCorrectRoundingAndIsDeclaredSo) {
  auto b = testing::make_rounding_model("test_f16_separate_bias");
  const Judged j = run(*b, problem(DType::bf16, 1, 3), Direction::fwd, FillKind::uniform);
  EXPECT_TRUE(j.declared.passed()) << j.declared.summary();
  EXPECT_FALSE(j.one_rounding.passed()) << "the model rounds like a single rounding: " << j.one_rounding.summary();
  EXPECT_NE(b->declared_math(problem(DType::f16, 1, 3), Direction::fwd, {}).output_roundings, 1);
}

TEST(RoundingModels, TheExactFillMakesTheirLowPrecisionResultsExact) {
  for (const std::string& name : testing::rounding_model_names()) {
    auto b = testing::make_rounding_model(name);
    for (DType t : {DType::f16, DType::bf16})
      for (Direction d : kAllDirections) {
        const Judged j = run(*b, problem(t, 2, 3), d, FillKind::exact);
        EXPECT_EQ(j.declared.max_abs_err, 0) << name << " " << to_string(t) << " " << to_string(d);
        EXPECT_TRUE(j.declared.passed());
      }
  }
}

TEST(TransformModels, WinogradPassesNormWiseOnStrideOne3x3AndRefusesTheRest) {
  for (const char* name : {"test_winograd_f2x2_3x3", "test_winograd_f4x4_3x3"}) {
    auto b = testing::make_transform_model(name);
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (std::int64_t groups : {1, 2}) {
        const Judged j = run(*b, problem(DType::f32, 1, 3, groups), d, FillKind::uniform);
        EXPECT_TRUE(j.declared.norm_wise());
        EXPECT_TRUE(j.declared.passed()) << name << " " << to_string(d) << ": " << j.declared.summary();
        EXPECT_GT(j.declared.max_abs_err, 0);  // a real transform, not the oracle
        EXPECT_LT(j.declared.rel_l2, 1e-5);
      }
    EXPECT_FALSE(b->check(problem(DType::f32, 2, 3), Direction::fwd).ok());
    EXPECT_FALSE(b->check(problem(DType::f32, 1, 2), Direction::fwd).ok());
    EXPECT_FALSE(b->check(problem(DType::f32, 1, 3), Direction::bwd_weights).ok());
  }
}

TEST(TransformModels, FftPassesNormWiseForAnyStrideAndKernel) {
  auto b = testing::make_transform_model("test_fft");
  for (Direction d : {Direction::fwd, Direction::bwd_data})
    for (std::int64_t stride : {1, 2, 3})
      for (std::int64_t kernel : {1, 2, 3, 5}) {
        const Judged j = run(*b, problem(DType::f32, stride, kernel, 2), d, FillKind::uniform);
        EXPECT_TRUE(j.declared.norm_wise());
        EXPECT_TRUE(j.declared.passed()) << to_string(d) << " s" << stride << " k" << kernel << ": "
                                         << j.declared.summary();
        EXPECT_LT(j.declared.rel_l2, 1e-5);
      }
  EXPECT_GT(b->declared_math(problem(DType::f32, 2, 3), Direction::bwd_data, {}).fft_length, 0);
}

}  // namespace
}  // namespace tconv
