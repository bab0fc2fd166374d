// Integer outputs: exact comparison (any difference is a mismatch, counted per element) and
// the tolerance mode of a declared A-bit accumulator.
#include <gtest/gtest.h>

#include "conformance/compare.h"

namespace tconv {
namespace {

// A 1x1x1x4 i8 reference with acc_scale 2^-4, every element a sum of 10 terms with S = 4000.
Reference reference() {
  Reference r;
  r.dims = {1, 1, 1, 4};
  r.value = {-128, -3, 0, 127};
  r.abs_sum.assign(4, 4000);
  r.terms.assign(4, 10);
  r.integer = true;
  r.acc_scale = 0x1p-4;
  return r;
}

HostTensor output(std::vector<double> v) {
  HostTensor t(DType::i8, Layout::NCHW, {1, 1, 1, 4});
  for (std::size_t i = 0; i < v.size(); ++i) t.set(static_cast<std::int64_t>(i), v[i]);
  return t;
}

TEST(CompareInteger, BitExactPasses) {
  const Comparison c = compare_to_reference(reference(), output({-128, -3, 0, 127}), default_math(DType::i8));
  EXPECT_TRUE(c.passed());
  EXPECT_TRUE(c.integer);
  EXPECT_EQ(c.summary(), "4 integer elements bit-exact");
}

TEST(CompareInteger, AnyDifferenceIsAMismatch) {
  const Comparison c = compare_to_reference(reference(), output({-127, -3, 1, 127}), default_math(DType::i8));
  EXPECT_FALSE(c.passed());
  EXPECT_EQ(c.mismatches, 2);
  EXPECT_EQ(c.max_abs_err, 1);
  ASSERT_EQ(c.first.size(), 2u);
  EXPECT_EQ(c.first[0].index, (Dims{0, 0, 0, 0}));
  EXPECT_EQ(c.summary(),
            "2 of 4 integer elements differ (allowed 0 steps), first at [0,0,0,0]: got -127 want -128; max abs err 1");
  // A backend declaring float roundoffs gets no slack on integers: only acc_bits counts.
  MathMode loose{"f32", 0x1p-24, 0x1p-24, 0};
  EXPECT_EQ(compare_to_reference(reference(), output({-127, -3, 1, 127}), loose).mismatches, 2);
}

TEST(CompareInteger, UnwrittenElementIsCaught) {
  HostTensor out(DType::i8, Layout::NCHW, {1, 1, 1, 4});
  out.poison();
  EXPECT_EQ(compare_to_reference(reference(), out, default_math(DType::i8)).mismatches, 4);
}

TEST(CompareInteger, DeclaredAccumulatorBitsGiveATolerance) {
  MathMode m = default_math(DType::i8);
  // 24 bits: error 10 * 2^-23 * 4000 ~ 0.0048 accumulator units, * 2^-4: floor(..) + 1 = 1 step.
  m.acc_bits = 24;
  EXPECT_TRUE(compare_to_reference(reference(), output({-127, -2, 1, 126}), m).passed());
  EXPECT_EQ(compare_to_reference(reference(), output({-126, -3, 0, 127}), m).mismatches, 1);
  // 8 bits: 10 * 2^-7 * 4000 = 312.5 units, * 2^-4 = 19.5: 20 steps.
  m.acc_bits = 8;
  const Comparison c = compare_to_reference(reference(), output({-108, -23, 20, 107}), m);
  EXPECT_TRUE(c.passed()) << c.summary();
  EXPECT_EQ(compare_to_reference(reference(), output({-107, -3, 0, 127}), m).mismatches, 1);
}

TEST(CompareInteger, GoldenIntegerOutputIsExactToo) {
  const HostTensor expected = output({-128, -3, 0, 126});
  const Comparison c = compare_to_expected(reference(), expected, output({-128, -3, 0, 127}), default_math(DType::i8));
  EXPECT_EQ(c.mismatches, 1);
  EXPECT_TRUE(c.integer);
}

}  // namespace
}  // namespace tconv
