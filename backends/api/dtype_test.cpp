#include "backends/api/dtype.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tconv {
namespace {

TEST(DType, HalfRoundsToNearestEven) {
  EXPECT_EQ(float_to_half_bits(1.0), 0x3c00);
  EXPECT_EQ(float_to_half_bits(65504.0), 0x7bff);
  EXPECT_EQ(float_to_half_bits(65520.0), 0x7c00);  // the tie above the max rounds to Inf
  EXPECT_EQ(float_to_half_bits(65519.0), 0x7bff);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1.0).
  EXPECT_EQ(float_to_half_bits(1.0 + std::ldexp(1.0, -11)), 0x3c00);
  EXPECT_EQ(float_to_half_bits(1.0 + 3 * std::ldexp(1.0, -11)), 0x3c02);
  EXPECT_EQ(float_to_half_bits(std::ldexp(1.0, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half_bits(std::ldexp(1.0, -25)), 0x0000);  // tie to even: zero
  EXPECT_EQ(float_to_half_bits(-INFINITY), 0xfc00);
  EXPECT_TRUE(std::isnan(half_bits_to_double(float_to_half_bits(NAN))));
}

TEST(DType, HalfRoundTripsEveryBitPattern) {
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const double v = half_bits_to_double(bits);
    if (std::isnan(v)) continue;
    ASSERT_EQ(float_to_half_bits(v), bits) << b;
  }
}

TEST(DType, Bf16RoundsToNearestEven) {
  EXPECT_EQ(float_to_bf16_bits(1.0), 0x3f80);
  EXPECT_EQ(float_to_bf16_bits(1.0 + std::ldexp(1.0, -8)), 0x3f80);      // tie -> even
  EXPECT_EQ(float_to_bf16_bits(1.0 + 3 * std::ldexp(1.0, -8)), 0x3f82);  // tie -> even (up)
  EXPECT_EQ(float_to_bf16_bits(INFINITY), 0x7f80);
  EXPECT_TRUE(std::isnan(bf16_bits_to_double(float_to_bf16_bits(NAN))));
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const double v = bf16_bits_to_double(static_cast<std::uint16_t>(b));
    if (std::isnan(v)) continue;
    ASSERT_EQ(float_to_bf16_bits(v), b) << b;
  }
}

TEST(DType, StoreLoadRoundsOnce) {
  unsigned char buf[8];
  store_element(buf, DType::f32, 0.1);
  EXPECT_EQ(load_element(buf, DType::f32), static_cast<double>(0.1f));
  store_element(buf, DType::f64, 0.1);
  EXPECT_EQ(load_element(buf, DType::f64), 0.1);
  store_element(buf, DType::f32, 1e300);
  EXPECT_TRUE(std::isinf(load_element(buf, DType::f32)));
}

}  // namespace
}  // namespace tconv
