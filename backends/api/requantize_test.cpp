// The declared requantization, pinned by hand-computed examples: every rounding mode on
// positive and negative ties and non-ties, saturation at both ends, 128-bit products.
#include "backends/api/requantize.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

struct Case {
  std::int64_t v;
  int shift;
  std::int64_t nearest_even, half_away, half_up, floor, trunc;
};

TEST(Requantize, RoundShiftEveryModeByHand) {
  const Case cases[] = {
      {5, 1, 2, 3, 3, 2, 2},          //  2.5: tie
      {-5, 1, -2, -3, -2, -3, -2},    // -2.5: negative tie
      {7, 1, 4, 4, 4, 3, 3},          //  3.5: tie, odd floor
      {-7, 1, -4, -4, -3, -4, -3},    // -3.5
      {-6, 2, -2, -2, -1, -2, -1},    // -1.5
      {-5, 2, -1, -1, -1, -2, -1},    // -1.25
      {-7, 2, -2, -2, -2, -2, -1},    // -1.75
      {6, 2, 2, 2, 2, 1, 1},          //  1.5
      {9, 3, 1, 1, 1, 1, 1},          //  1.125
      {0, 5, 0, 0, 0, 0, 0},
      {-1, 1, 0, -1, 0, -1, 0},       // -0.5
      {1, 1, 0, 1, 1, 0, 0},          //  0.5
      {-13, 0, -13, -13, -13, -13, -13},  // shift 0: no rounding
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.v) + " / 2^" + std::to_string(c.shift));
    EXPECT_EQ(round_shift(c.v, c.shift, Rounding::nearest_even), c.nearest_even);
    EXPECT_EQ(round_shift(c.v, c.shift, Rounding::half_away), c.half_away);
    EXPECT_EQ(round_shift(c.v, c.shift, Rounding::half_up), c.half_up);
    EXPECT_EQ(round_shift(c.v, c.shift, Rounding::floor), c.floor);
    EXPECT_EQ(round_shift(c.v, c.shift, Rounding::trunc), c.trunc);
  }
}

std::int64_t rq(std::int64_t acc, std::int64_t mult, std::int64_t shift, Rounding r, std::int64_t zp_y = 0,
                DType t = DType::i8) {
  Quant q;
  q.multiplier = mult;
  q.shift = shift;
  q.rounding = r;
  q.zp_y = zp_y;
  return requantize(acc, q, t);
}

TEST(Requantize, ScalesAddsZeroPointAndSaturates) {
  EXPECT_EQ(rq(5, 3, 2, Rounding::nearest_even, -2), 2);          // 15/4 = 3.75 -> 4, -2
  EXPECT_EQ(rq(1000, 1 << 30, 31, Rounding::nearest_even), 127);   // 500 saturates
  EXPECT_EQ(rq(-1000, 1 << 30, 31, Rounding::nearest_even), -128);
  EXPECT_EQ(rq(200, 1, 1, Rounding::floor, 30), 127);              // 100 + 30 saturates
  EXPECT_EQ(rq(1000, 1 << 30, 31, Rounding::nearest_even, 0, DType::i16), 500);
  EXPECT_EQ(rq(-70000, 1, 0, Rounding::floor, 0, DType::i16), -32768);
  // -127.5 is a negative tie at the edge of the range; -128.5 rounds beyond it.
  EXPECT_EQ(rq(-255, 1, 1, Rounding::nearest_even), -128);
  EXPECT_EQ(rq(-255, 1, 1, Rounding::half_away), -128);
  EXPECT_EQ(rq(-255, 1, 1, Rounding::half_up), -127);
  EXPECT_EQ(rq(-255, 1, 1, Rounding::trunc), -127);
  EXPECT_EQ(rq(-255, 1, 1, Rounding::floor), -128);
  for (Rounding r : kAllRoundings) EXPECT_EQ(rq(-257, 1, 1, r), -128);
}

TEST(Requantize, ProductBeyondSixtyFourBitsIsExact) {
  // 2^40 * (2^31 - 1) / 2^62 = 512 - 2^-22: needs the 128-bit product.
  const std::int64_t acc = std::int64_t{1} << 40;
  EXPECT_EQ(rq(acc, 0x7fffffff, 62, Rounding::nearest_even, 0, DType::i16), 512);
  EXPECT_EQ(rq(acc, 0x7fffffff, 62, Rounding::floor, 0, DType::i16), 511);
  EXPECT_EQ(rq(-acc, 0x7fffffff, 62, Rounding::trunc, 0, DType::i16), -511);
}

TEST(Requantize, RoundingNamesRoundTrip) {
  for (Rounding r : kAllRoundings) EXPECT_EQ(parse_rounding(to_string(r)), r);
  EXPECT_FALSE(parse_rounding("half_even"));
}

}  // namespace
}  // namespace tconv
