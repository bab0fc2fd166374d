#include "conformance/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "backends/naive/naive_backend.h"
#include "conformance/compare_test_support.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The naive backend's output for a problem, and the oracle's reference for it.
struct NaiveRun {
  Reference ref;
  HostTensor out;
};

NaiveRun run_naive(const Problem& p, Direction d, FillKind fill) {
  const InputSet in = make_inputs(p, {fill, 7});
  NaiveRun r{compute_reference(p, d, in.operands()), make_output(p, d)};
  auto backend = naive_backend_factory().create("default").value_or(nullptr);
  RunContext ctx;
  EXPECT_TRUE(backend->run(p, d, with_output(in.operands(), d, r.out), ctx).ok());
  return r;
}

Problem small_problem(DType t = DType::f32, Layout layout = Layout::NCHW) {
  Problem p;
  p.n = 2, p.c_in = 4, p.c_out = 6, p.groups = 2, p.h_in = 4, p.w_in = 5, p.kh = 3, p.kw = 2;
  p.stride_h = 2, p.stride_w = 1, p.dil_w = 2, p.crop_top = 1, p.crop_bottom = 0, p.crop_left = 0, p.crop_right = 1;
  p.dtype = t;
  p.layout = layout;
  p.weight_layout = Layout::HWOI;
  return p;
}

using testing::scalar;
using testing::scalar_reference;

TEST(Compare, IntegerFillGivesBitExactF32ResultsInEveryDirection) {
  for (Direction d : kAllDirections) {
    const NaiveRun r = run_naive(small_problem(), d, FillKind::integer);
    const Comparison c = compare_to_reference(r.ref, r.out, default_math(DType::f32));
    EXPECT_TRUE(c.passed()) << c.summary();
    EXPECT_EQ(c.max_abs_err, 0) << to_string(d);
    EXPECT_EQ(c.err_bound_ratio, 0) << to_string(d);
  }
}

TEST(Compare, RandomFillOfTheNaiveBackendIsWellWithinBound) {
  for (DType t : kAllDTypes)
    for (Direction d : kAllDirections) {
      const NaiveRun r = run_naive(small_problem(t), d, FillKind::uniform);
      const Comparison c = compare_to_reference(r.ref, r.out, default_math(t));
      EXPECT_TRUE(c.passed()) << to_string(t) << " " << to_string(d) << ": " << c.summary();
      EXPECT_LT(c.err_bound_ratio, 1.0);
      EXPECT_EQ(c.elements, r.out.numel());
      EXPECT_FALSE(c.mistrusted()) << c.zero_fraction;
    }
}

TEST(Compare, PerturbationBeyondTheBoundIsCaughtAtItsLogicalCoordinates) {
  const Problem p = small_problem(DType::f32, Layout::NHWC);
  NaiveRun r = run_naive(p, Direction::fwd, FillKind::uniform);
  const Dims where{1, 4, 2, 3};
  const double original = r.out.at(where);

  // Learn the element's bound from a gross error first.
  r.out.put(where, original + 1.0);
  Comparison gross = compare_to_reference(r.ref, r.out, default_math(p.dtype));
  ASSERT_EQ(gross.mismatches, 1);
  const double bound = gross.first[0].bound;
  ASSERT_GT(bound, 0);

  r.out.put(where, original + 4 * bound);
  const Comparison c = compare_to_reference(r.ref, r.out, default_math(p.dtype));
  EXPECT_FALSE(c.passed());
  EXPECT_EQ(c.mismatches, 1);
  ASSERT_EQ(c.first.size(), 1u);
  EXPECT_EQ(c.first[0].index, where);
  EXPECT_GT(c.err_bound_ratio, 3.0);
  EXPECT_NE(c.summary().find("[1,4,2,3]"), std::string::npos) << c.summary();
  EXPECT_EQ(c.summary().find('\n'), std::string::npos);

  r.out.put(where, original + 0.25 * bound);
  EXPECT_TRUE(compare_to_reference(r.ref, r.out, default_math(p.dtype)).passed());
}

TEST(Compare, AnUnwrittenElementIsCaught) {
  NaiveRun r = run_naive(small_problem(), Direction::bwd_data, FillKind::uniform);
  r.out.put({0, 3, 3, 4}, kNaN);  // as if the backend skipped the last pixel
  const Comparison c = compare_to_reference(r.ref, r.out, default_math(DType::f32));
  EXPECT_EQ(c.mismatches, 1);
  EXPECT_EQ(c.nan_count, 1);
  EXPECT_EQ(c.err_bound_ratio, kInf);
  ASSERT_FALSE(c.first.empty());
  EXPECT_EQ(c.first[0].index, (Dims{0, 3, 3, 4}));
  EXPECT_NE(c.summary().find("1 NaN"), std::string::npos) << c.summary();
}

TEST(Compare, ANeverWrittenOutputFailsEverywhereAndKeepsTenMismatches) {
  const Problem p = small_problem();
  const InputSet in = make_inputs(p, {FillKind::uniform, 3});
  const Reference ref = compute_reference(p, Direction::fwd, in.operands());
  const HostTensor poisoned = make_output(p, Direction::fwd);
  const Comparison c = compare_to_reference(ref, poisoned, default_math(p.dtype));
  EXPECT_EQ(c.mismatches, poisoned.numel());
  EXPECT_EQ(c.nan_count, poisoned.numel());
  EXPECT_EQ(c.first.size(), 10u);
  EXPECT_EQ(c.first[0].index, (Dims{0, 0, 0, 0}));
}

TEST(Compare, InfWhereTheReferenceIsFiniteFails) {
  const Comparison c = compare_to_reference(scalar_reference(2, 2, 1), scalar(DType::f32, kInf), default_math(DType::f32));
  EXPECT_EQ(c.mismatches, 1);
  EXPECT_EQ(c.inf_count, 1);
  EXPECT_EQ(c.err_bound_ratio, kInf);
}

TEST(Compare, NonFiniteValuesMatchOnlyThemselves) {
  const MathMode m = default_math(DType::f32);
  EXPECT_TRUE(compare_to_reference(scalar_reference(kInf, kInf, 1), scalar(DType::f32, kInf), m).passed());
  EXPECT_TRUE(compare_to_reference(scalar_reference(kNaN, kNaN, 1), scalar(DType::f32, kNaN), m).passed());
  EXPECT_FALSE(compare_to_reference(scalar_reference(kInf, kInf, 1), scalar(DType::f32, -kInf), m).passed());
  EXPECT_FALSE(compare_to_reference(scalar_reference(kNaN, kNaN, 1), scalar(DType::f32, 1.0), m).passed());
  // A finite sum beyond f16's range correctly rounds to Inf.
  EXPECT_TRUE(compare_to_reference(scalar_reference(70000, 70000, 2), scalar(DType::f16, 70000), default_math(DType::f16))
                  .passed());
}

TEST(Compare, F16OutputRoundingOfAnF32AccumulationStaysWithinBound) {
  // Emulate a backend that accumulates in f32, in its own order, and stores f16: a dot product
  // of 200 f16 products summed backwards in float.
  const int k = 200;
  const Problem dummy = small_problem(DType::f16);
  HostTensor av(DType::f16, Layout::NCHW, {1, 1, 1, k}), bv(DType::f16, Layout::NCHW, {1, 1, 1, k});
  fill_operand(av, Operand::x, dummy, {FillKind::uniform, 11});
  fill_operand(bv, Operand::dy, dummy, {FillKind::uniform, 12});
  double exact = 0, abs_sum = 0;
  float f32_sum = 0;
  for (int i = k - 1; i >= 0; --i) {
    const double t = av.at({0, 0, 0, i}) * bv.at({0, 0, 0, i});
    exact += t;
    abs_sum += std::fabs(t);
    f32_sum += static_cast<float>(t);  // products of f16 values are exact in f32
  }
  const Reference ref = scalar_reference(exact, abs_sum, k);
  const Comparison c = compare_to_reference(ref, scalar(DType::f16, f32_sum), default_math(DType::f16));
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_GT(c.err_bound_ratio, 0);  // the f16 store did round
}

TEST(Compare, F16SubnormalOutputsAreJudgedOnTheirAbsoluteSpacing) {
  // 1.4e-7 lies between f16 subnormals (spacing 2^-24): the correctly rounded store errs by up
  // to 2^-25, far more than u_out * |ref|; the floor accepts it.
  const MathMode m = default_math(DType::f16);
  const double tiny = 1.4e-7;
  EXPECT_TRUE(compare_to_reference(scalar_reference(tiny, tiny, 1), scalar(DType::f16, tiny), m).passed());
  // One subnormal step off is wrong.
  const double on_grid = 2 * 0x1p-24;
  const Comparison c = compare_to_reference(scalar_reference(on_grid, on_grid, 1), scalar(DType::f16, on_grid + 0x1p-24), m);
  EXPECT_FALSE(c.passed()) << c.summary();
}

TEST(Compare, Tf32MathWidensTheBound) {
  // 64 terms of magnitude 1 each; the backend is off by 1e-4 relative to S.
  const Reference ref = scalar_reference(3.0, 64.0, 64);
  const HostTensor out = scalar(DType::f32, 3.0 + 64.0 * 1e-4);
  EXPECT_FALSE(compare_to_reference(ref, out, default_math(DType::f32)).passed());
  const Comparison tf32 = compare_to_reference(ref, out, tf32_math());
  EXPECT_TRUE(tf32.passed()) << tf32.summary();
  EXPECT_GT(tf32.err_bound_ratio, 0.01);
}

TEST(Compare, ZeroErrorHasRatioZeroAndAnyValueWhereNothingWasSummedIsWrong) {
  const MathMode exact{"exact", 0, 0};
  const Comparison same = compare_to_reference(scalar_reference(0, 0, 0), scalar(DType::f64, 0), exact);
  EXPECT_TRUE(same.passed());
  EXPECT_EQ(same.err_bound_ratio, 0);
  EXPECT_EQ(same.zero_fraction, 1.0);
  EXPECT_TRUE(same.mistrusted());
  // An element with no terms (negative crop, no bias) must be exactly 0.
  EXPECT_FALSE(compare_to_reference(scalar_reference(0, 0, 0), scalar(DType::f32, 1e-30), exact).passed());
}

TEST(Compare, ShapeMismatchFailsWithAClearSummary) {
  const NaiveRun r = run_naive(small_problem(), Direction::fwd, FillKind::uniform);
  const HostTensor wrong(DType::f32, Layout::NCHW, {1, 1, 2, 2});
  const Comparison c = compare_to_reference(r.ref, wrong, default_math(DType::f32));
  EXPECT_FALSE(c.passed());
  EXPECT_NE(c.summary().find("shape"), std::string::npos) << c.summary();
}

TEST(CompareToExpected, AFrameworkF32ResultAndTheOracleBothMatchWithinTheJointBound) {
  const Problem p = small_problem();
  const NaiveRun r = run_naive(p, Direction::fwd, FillKind::normal);
  // The "framework": each sum off by half the f32 accumulation bound, then stored in f32.
  HostTensor expected(DType::f32, Layout::NCHW, r.ref.dims);
  std::size_t e = 0;
  for_each_index(r.ref.dims, [&](const Dims& i) {
    const float framework = static_cast<float>(r.ref.value[e] + r.ref.terms[e] * 0x1p-25 * r.ref.abs_sum[e]);
    expected.put(i, framework);
    ++e;
  });
  const Comparison c = compare_to_expected(r.ref, expected, r.out, default_math(p.dtype));
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_GT(c.err_bound_ratio, 0.1);

  expected.put({1, 5, 2, 1}, expected.at({1, 5, 2, 1}) + 0.01);
  const Comparison bad = compare_to_expected(r.ref, expected, r.out, default_math(p.dtype));
  EXPECT_EQ(bad.mismatches, 1);
  ASSERT_FALSE(bad.first.empty());
  EXPECT_EQ(bad.first[0].index, (Dims{1, 5, 2, 1}));
  EXPECT_EQ(bad.first[0].expected, expected.at({1, 5, 2, 1}));
}

TEST(CompareToExpected, WrongShapeOfTheExpectedTensorFails) {
  const NaiveRun r = run_naive(small_problem(), Direction::bwd_bias, FillKind::uniform);
  const HostTensor expected(DType::f32, Layout::X, {5, 1, 1, 1});
  EXPECT_FALSE(compare_to_expected(r.ref, expected, r.out, default_math(DType::f32)).passed());
}

}  // namespace
}  // namespace tconv
