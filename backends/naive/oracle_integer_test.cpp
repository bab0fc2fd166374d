// The oracle's integer path on a hand-computed example: zero points, int32 bias, every
// rounding mode, saturation, and the same values in every layout.
#include <gtest/gtest.h>

#include "backends/naive/oracle.h"

namespace tconv {
namespace {

// x = [3, -1] (1x1x1x2), w = [2, 5] (1x1x1x2), stride 1: with zp_x = zp_w = 1 the centred
// values are x' = [2, -2], w' = [1, 4], so the accumulators are
//   y0 = 2*1 = 2,  y1 = 2*4 + (-2)*1 = 6,  y2 = (-2)*4 = -8,  plus b = 1: [3, 7, -7].
struct Example {
  Problem p;
  HostTensor x, w, b;
  explicit Example(Quant q, DType t = DType::i8, Layout layout = Layout::NCHW, Layout wl = Layout::IOHW) {
    p.h_in = 1;
    p.w_in = 2;
    p.kh = 1;
    p.kw = 2;
    p.dtype = t;
    p.layout = layout;
    p.weight_layout = wl;
    p.quant = q;
    x = HostTensor(t, layout, p.x_dims());
    w = HostTensor(t, wl, p.w_dims());
    b = HostTensor(DType::i32, Layout::X, p.b_dims());
    x.put({0, 0, 0, 0}, 3);
    x.put({0, 0, 0, 1}, -1);
    w.put({0, 0, 0, 0}, 2);
    w.put({0, 0, 0, 1}, 5);
    b.put({0, 0, 0, 0}, 1);
  }
  Reference run() const {
    Operands ops;
    ops.x = &x;
    ops.w = &w;
    ops.b = &b;
    return compute_reference(p, Direction::fwd, ops);
  }
};

Quant quant(Rounding r, std::int64_t zp_y = 10, std::int64_t mult = 1, std::int64_t shift = 1) {
  return Quant{1, 1, zp_y, mult, shift, r};
}

TEST(OracleInteger, HandExampleEveryRoundingMode) {
  // acc / 2 = [1.5, 3.5, -3.5], then + zp_y = 10.
  const std::pair<Rounding, std::vector<double>> expected[] = {
      {Rounding::nearest_even, {12, 14, 6}}, {Rounding::half_away, {12, 14, 6}}, {Rounding::half_up, {12, 14, 7}},
      {Rounding::floor, {11, 13, 6}},        {Rounding::trunc, {11, 13, 7}}};
  for (const auto& [mode, values] : expected) {
    const Reference r = Example(quant(mode)).run();
    EXPECT_TRUE(r.integer);
    EXPECT_EQ(to_vector(r.value), values) << to_string(mode);
    EXPECT_EQ(to_vector(r.terms), (std::vector<std::int32_t>{2, 3, 2}));           // bias counts as a term
    EXPECT_EQ(to_vector(r.abs_sum), (std::vector<double>{3, 11, 9}));              // |2|+|1|, |8|+|-2|+|1|, |-8|+|1|
    EXPECT_DOUBLE_EQ(r.acc_scale, 0.5);
  }
}

TEST(OracleInteger, SaturatesIntoTheOutputDtype) {
  // acc * 2^30 / 2^23 = acc * 128: [384, 896, -896].
  EXPECT_EQ(to_vector(Example(quant(Rounding::floor, 0, 1 << 30, 23)).run().value), (std::vector<double>{127, 127, -128}));
  EXPECT_EQ(to_vector(Example(quant(Rounding::floor, 0, 1 << 30, 23), DType::i16).run().value), (std::vector<double>{384, 896, -896}));
}

TEST(OracleInteger, SameValuesInEveryLayout) {
  const auto want = Example(quant(Rounding::half_up)).run().value;
  EXPECT_EQ(Example(quant(Rounding::half_up), DType::i8, Layout::NHWC, Layout::HWOI).run().value, want);
  EXPECT_EQ(Example(quant(Rounding::half_up), DType::i8, Layout::NHWC, Layout::OIHW_FLIPPED).run().value, want);
}

TEST(OracleInteger, OtherDirectionsAreEmpty) {
  Example e(quant(Rounding::floor));
  Operands ops;
  ops.x = &e.x;
  const Reference r = compute_reference(e.p, Direction::bwd_weights, ops);
  EXPECT_TRUE(r.value.empty());
}

}  // namespace
}  // namespace tconv
