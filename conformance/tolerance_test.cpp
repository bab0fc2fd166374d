// The tolerance of issue 14: ulps, declared roundings, faithful vs correct rounding, the
// absolute floor and the norm-wise criterion of transform algorithms.
#include "conformance/tolerance.h"

#include <gtest/gtest.h>

#include <cmath>

#include "conformance/compare.h"
#include "conformance/compare_test_support.h"

namespace tconv {
namespace {

using testing::scalar;
using testing::scalar_reference;

MathMode declared_one_rounding(DType t) { return one_rounding_math(t, AlgorithmClass::direct); }

TEST(Tolerance, UlpOfFollowsTheBinadeAndTheSubnormalSpacing) {
  EXPECT_EQ(ulp_of(1.0, DType::f16), 0x1p-10);
  EXPECT_EQ(ulp_of(1.99, DType::f16), 0x1p-10);
  EXPECT_EQ(ulp_of(-0.139, DType::f16), 0x1p-13);
  EXPECT_EQ(ulp_of(0.0, DType::f16), 0x1p-24);
  EXPECT_EQ(ulp_of(1e-7, DType::f16), 0x1p-24);
  EXPECT_EQ(ulp_of(1.0, DType::bf16), 0x1p-7);
  EXPECT_EQ(ulp_of(1.0, DType::f32), 0x1p-23);
  EXPECT_EQ(ulp_of(3.0, DType::i8), 1);
}

TEST(Tolerance, MaxUlpIsTheErrorInUlpsOfTheOutputAtTheReference) {
  const double want = 0.139079489;  // the H200 f16 row of issue 14
  const Comparison c = compare_to_reference(scalar_reference(want, want, 2), scalar(DType::f16, 0.139160156),
                                            default_math(DType::f16));
  EXPECT_NEAR(c.max_ulp, (0.139160156 - want) / 0x1p-13, 1e-3);
  EXPECT_LT(c.max_ulp, 1.0);
}

TEST(Tolerance, UndeclaredRoundingIsHeldToFaithfulDeclaredToHalfAnUlp) {
  // 0.9 ulp off at 1.05: within one ulp (faithful), over half an ulp of 1.05.
  const double want = 1.05, got = round_to(want, DType::f16) + 0.9 * 0x1p-10;
  const HostTensor out = scalar(DType::f16, round_to(got, DType::f16));
  const double err = std::fabs(out.at({0, 0, 0, 0}) - want);
  ASSERT_GT(err, 0.5 * 0x1p-10);
  ASSERT_LT(err, 0x1p-10);
  const Reference ref = scalar_reference(want, want, 1);
  EXPECT_TRUE(compare_to_reference(ref, out, default_math(DType::f16)).passed());
  EXPECT_FALSE(compare_to_reference(ref, out, declared_one_rounding(DType::f16)).passed());
}

TEST(Tolerance, StrictRoundingDemandsCorrectRoundingWhereOneRoundingIsDeclared) {
  // 0.4 ulp above an f16 number near 1.9: the wrong neighbour is 0.6 ulp away, within
  // u_out*|ref| (0.95 ulp) but not within half an ulp.
  const double want = round_to(1.9, DType::f16) + 0.4 * 0x1p-10;
  const double nearest = round_to(want, DType::f16);
  const double other = nearest < want ? nearest + 0x1p-10 : nearest - 0x1p-10;
  const Reference ref = scalar_reference(want, want, 1);
  const MathMode m = declared_one_rounding(DType::f16);
  EXPECT_TRUE(compare_to_reference(ref, scalar(DType::f16, other), m).passed());
  EXPECT_FALSE(compare_to_reference(ref, scalar(DType::f16, other), m, {.strict_rounding = true}).passed());
  EXPECT_TRUE(compare_to_reference(ref, scalar(DType::f16, nearest), m, {.strict_rounding = true}).passed());
  // Without a claim of one rounding, strict changes nothing.
  EXPECT_TRUE(compare_to_reference(ref, scalar(DType::f16, other), default_math(DType::f16), {.strict_rounding = true})
                  .passed());
}

TEST(Tolerance, SeparateBiasPaysHalfAnUlpOfThePreBiasSum) {
  // As the bf16 row of issue 14: the pre-bias sum (about -1.3) is rounded to bf16 first (0.4 of
  // its ulp), then the bias (+1.28) cancels most of it: the result is off by many of its own ulps.
  const double pre_bias = -1.296875 - 0.4 * 0x1p-7, bias = 1.28125;
  const double want = pre_bias + bias;
  const double got = round_to(round_to(pre_bias, DType::bf16) + bias, DType::bf16);
  Reference ref = scalar_reference(want, std::fabs(pre_bias) + bias, 2);
  ref.pre_bias = {pre_bias};
  const HostTensor out = scalar(DType::bf16, got);
  MathMode m = declared_one_rounding(DType::bf16);
  EXPECT_FALSE(compare_to_reference(ref, out, m).passed());
  m.separate_bias = true;
  m.output_roundings = 2;
  const Comparison c = compare_to_reference(ref, out, m);
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_GT(c.max_ulp, 10.0);
}

TEST(Tolerance, AReferenceZeroGetsAFloorFromTheLargestSumNotFromTheSubnormals) {
  // Element 0 has no terms (reference exactly 0), element 1 a sum of magnitude 4.
  Reference ref;
  ref.dims = {1, 1, 1, 2};
  ref.value = {0.0, 3.0};
  ref.abs_sum = {0.0, 4.0};
  ref.terms = {0, 4};
  HostTensor out(DType::f32, Layout::NCHW, {1, 1, 1, 2});
  out.put({0, 0, 0, 0}, 1e-7);
  out.put({0, 0, 0, 1}, 3.0);
  const Comparison c = compare_to_reference(ref, out, declared_one_rounding(DType::f32));
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_LT(c.err_bound_ratio, 1.0);
  out.put({0, 0, 0, 0}, 1e-5);  // far above u_acc * max S = 2.4e-7
  EXPECT_FALSE(compare_to_reference(ref, out, declared_one_rounding(DType::f32)).passed());
}

TEST(Tolerance, TransformAlgorithmsPassNormWiseAndStillReportTheirWorstElements) {
  // 64 elements of magnitude ~1 with relative noise 1e-6, and one zero element with noise:
  // elementwise over bound, norm-wise well within.
  const std::int64_t count = 64;
  Reference ref;
  ref.dims = {1, 1, 8, 8};
  HostTensor out(DType::f32, Layout::NCHW, ref.dims);
  for (std::int64_t e = 0; e < count; ++e) {
    const double v = e == 0 ? 0.0 : 1.0 + 0.01 * static_cast<double>(e);
    ref.value.push_back(v);
    ref.abs_sum.push_back(e == 0 ? 0.0 : v);
    ref.terms.push_back(e == 0 ? 0 : 9);
    out.put({0, 0, e / 8, e % 8}, v + (e % 2 ? 1e-6 : -1e-6));
  }
  MathMode m = one_rounding_math(DType::f32, AlgorithmClass::winograd);
  m.winograd_tile = 4;
  const Comparison c = compare_to_reference(ref, out, m);
  EXPECT_TRUE(c.norm_wise());
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_GT(c.mismatches, 0);  // elementwise findings kept
  EXPECT_NE(c.summary().find("elementwise"), std::string::npos) << c.summary();
  EXPECT_NEAR(c.err_bound_ratio, c.l2_err / (*c.norm_threshold * c.l2_abs_sum), 1e-12);
  // The same output judged as a direct algorithm fails.
  EXPECT_FALSE(compare_to_reference(ref, out, declared_one_rounding(DType::f32)).passed());
  // Norm-wise errors beyond the threshold fail, and NaN always does.
  out.put({0, 0, 3, 3}, ref.value[27] + 0.5);
  EXPECT_FALSE(compare_to_reference(ref, out, m).passed());
  out.put({0, 0, 3, 3}, std::nan(""));
  EXPECT_FALSE(compare_to_reference(ref, out, m).passed());
}

TEST(Tolerance, NormWiseThresholdsFollowBenchdnnForWinogradAndLogNForFft) {
  MathMode wino = one_rounding_math(DType::f32, AlgorithmClass::winograd);
  EXPECT_NEAR(norm_wise_threshold(wino, DType::f32, 100), 2e-5, 1e-6);
  EXPECT_NEAR(norm_wise_threshold(wino, DType::f16, 100), 7e-3, 1e-3);
  MathMode fft = one_rounding_math(DType::f32, AlgorithmClass::fft);
  fft.fft_length = 256;
  const double t256 = norm_wise_threshold(fft, DType::f32, 0);
  fft.fft_length = 65536;
  EXPECT_NEAR(norm_wise_threshold(fft, DType::f32, 0) / t256, 2.0, 0.1);  // log2 N: 16 vs 8
  fft.fft_length = 0;  // derived from the plane
  EXPECT_EQ(norm_wise_threshold(fft, DType::f32, 256), t256);
}

TEST(Tolerance, TruncationAndSplitKWidenTheBound) {
  const Reference ref = scalar_reference(3.0, 64.0, 64);
  const MathMode plain = declared_one_rounding(DType::f32);
  MathMode truncating = plain, split = plain;
  truncating.truncating_acc = true;
  split.split_k = 4;
  split.u_split = 0x1p-11;
  const HostTensor out = scalar(DType::f32, 3.0 + 64.0 * 64 * 0x1p-24 * 1.5);
  EXPECT_FALSE(compare_to_reference(ref, out, plain).passed());
  EXPECT_TRUE(compare_to_reference(ref, out, truncating).passed());
  EXPECT_TRUE(compare_to_reference(ref, out, split).passed());
}

}  // namespace
}  // namespace tconv
