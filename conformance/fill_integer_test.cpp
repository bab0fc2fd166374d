// Integer fills: seeded and reproducible, within the dtype and around the zero points, and
// narrowed so that no exact accumulator can leave int32.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "conformance/fill.h"

namespace tconv {
namespace {

Problem quantized(DType t, std::int64_t c_in = 8, std::int64_t k = 3) {
  Problem p;
  p.c_in = c_in;
  p.c_out = 4;
  p.h_in = p.w_in = 6;
  p.kh = p.kw = k;
  p.dtype = t;
  p.quant.zp_x = 20;
  p.quant.zp_w = -5;
  return p;
}

std::pair<double, double> range(const HostTensor& t) {
  const auto v = t.logical_values();
  return {*std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

TEST(FillInteger, ReproducibleAndLayoutIndependent) {
  Problem p = quantized(DType::i8);
  const InputSet a = make_inputs(p, {FillKind::uniform, 7}), b = make_inputs(p, {FillKind::uniform, 7});
  EXPECT_EQ(a.x.logical_values(), b.x.logical_values());
  EXPECT_NE(a.x.logical_values(), make_inputs(p, {FillKind::uniform, 8}).x.logical_values());
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::HWOI;
  const InputSet c = make_inputs(p, {FillKind::uniform, 7});
  EXPECT_EQ(a.x.logical_values(), c.x.logical_values());
  EXPECT_EQ(a.w.logical_values(), c.w.logical_values());
  EXPECT_EQ(a.b.dtype(), DType::i32);
}

TEST(FillInteger, I8UsesTheWholeRangeAroundTheZeroPoint) {
  const InputSet in = make_inputs(quantized(DType::i8), {FillKind::uniform, 1});
  EXPECT_EQ(in.x.dtype(), DType::i8);
  // K = 72 terms needs no narrowing: 288 values spread over the whole of [-128, 127].
  for (const HostTensor* t : {&in.x, &in.w}) {
    const auto [lo, hi] = range(*t);
    EXPECT_GE(lo, -128);
    EXPECT_LT(lo, -110);
    EXPECT_LE(hi, 127);
    EXPECT_GT(hi, 110);
  }
}

TEST(FillInteger, I16IsNarrowedSoAccumulatorsFitInt32) {
  const Problem p = quantized(DType::i16, 64, 5);  // K = 1600 terms
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  const double r = std::floor(std::sqrt(0x1p30 / 1600));
  const auto [lo, hi] = range(in.x);
  EXPECT_GE(lo, 20 - r);
  EXPECT_LE(hi, 20 + r);
  const auto [blo, bhi] = range(in.b);
  const double worst = 1600 * r * r + std::max(-blo, bhi);
  EXPECT_LT(worst, 0x1p31);
}

TEST(FillInteger, IntegerKindGivesSmallValuesAroundTheZeroPoints) {
  const InputSet in = make_inputs(quantized(DType::i16), {FillKind::integer, 1});
  const auto [lo, hi] = range(in.x);
  EXPECT_EQ(lo, 16);
  EXPECT_EQ(hi, 24);
  const auto [wlo, whi] = range(in.w);
  EXPECT_EQ(wlo, -9);
  EXPECT_EQ(whi, -1);
}

}  // namespace
}  // namespace tconv
