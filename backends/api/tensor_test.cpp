// Host tensors: storage, dtype conversion (rounding), poison, bit-exact layout changes.
#include "backends/api/tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace tconv {
namespace {

TEST(Tensor, StartsZeroedWithTheRightSize) {
  for (DType t : kAllDTypes) {
    HostTensor x(t, Layout::NHWC, {2, 3, 4, 5});
    EXPECT_EQ(x.numel(), 120);
    EXPECT_EQ(x.bytes(), 120 * dtype_size(t));
    for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(x.get(i), 0.0);
  }
  EXPECT_TRUE(HostTensor().empty());
}

TEST(Tensor, ToDtypeRoundsToNearestEven) {
  const double tie_f16 = 1.0 + std::ldexp(1.0, -11), tie_bf16 = 1.0 + std::ldexp(1.0, -8);
  const double values[] = {0.1, tie_f16, tie_bf16, 65520.0, 1e40, -0.0, 3.0,
                           std::ldexp(1.0, -149), std::ldexp(1.0, -150), -1e-300};
  HostTensor src(DType::f64, Layout::X, {std::ssize(values), 1, 1, 1});
  for (std::size_t i = 0; i < std::size(values); ++i) src.set(static_cast<std::int64_t>(i), values[i]);

  // f32: the hardware conversion is correctly rounded, an independent reference.
  const HostTensor f32 = src.to_dtype(DType::f32);
  for (std::size_t i = 0; i < std::size(values); ++i) {
    if (std::fabs(values[i]) > std::numeric_limits<float>::max()) continue;  // the cast would be UB
    EXPECT_EQ(f32.get(static_cast<std::int64_t>(i)), static_cast<double>(static_cast<float>(values[i]))) << values[i];
  }
  EXPECT_EQ(f32.get(4), INFINITY);  // 1e40 overflows f32
  EXPECT_EQ(f32.get(8), 0.0);  // 2^-150 is a tie between 0 and the smallest subnormal: even is 0
  EXPECT_TRUE(std::signbit(f32.get(5)));
  EXPECT_TRUE(std::signbit(f32.get(9)));  // -1e-300 underflows to -0

  const HostTensor f16 = src.to_dtype(DType::f16);
  EXPECT_EQ(f16.get(0), 0.0999755859375);  // 0x2e66
  EXPECT_EQ(f16.get(1), 1.0);              // tie to even
  EXPECT_EQ(f16.get(2), 1.00390625);       // exactly representable in f16
  EXPECT_EQ(f16.get(3), INFINITY);         // tie above the max: Inf
  EXPECT_EQ(f16.get(4), INFINITY);
  EXPECT_EQ(f16.get(6), 3.0);
  EXPECT_EQ(f16.get(7), 0.0);

  const HostTensor bf16 = src.to_dtype(DType::bf16);
  EXPECT_EQ(bf16.get(0), 0.10009765625);  // 0x3dcd
  EXPECT_EQ(bf16.get(1), 1.0);
  EXPECT_EQ(bf16.get(2), 1.0);            // tie to even
  EXPECT_EQ(bf16.get(3), 65536.0);
  EXPECT_EQ(bf16.get(4), INFINITY);       // above bf16's max (~3.39e38)
  EXPECT_EQ(bf16.get(7), 0.0);  // below bf16's smallest subnormal (2^-133)
}

TEST(Tensor, NanAndInfSurviveEveryConversion) {
  for (DType from : kAllDTypes)
    for (DType to : kAllDTypes) {
      HostTensor x(from, Layout::X, {3, 1, 1, 1});
      x.set(0, std::numeric_limits<double>::quiet_NaN());
      x.set(1, INFINITY);
      x.set(2, -INFINITY);
      const HostTensor y = x.to_dtype(to);
      EXPECT_TRUE(std::isnan(y.get(0))) << to_string(from) << "->" << to_string(to);
      EXPECT_EQ(y.get(1), INFINITY);
      EXPECT_EQ(y.get(2), -INFINITY);
    }
}

TEST(Tensor, WideningKeepsEveryHalfValue) {
  HostTensor h(DType::f16, Layout::X, {65536, 1, 1, 1});
  for (std::uint32_t b = 0; b < 65536; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    std::memcpy(h.as<std::uint16_t>() + b, &bits, 2);
  }
  const HostTensor back = h.to_dtype(DType::f32).to_dtype(DType::f64).to_dtype(DType::f16);
  for (std::uint32_t b = 0; b < 65536; ++b) {
    const double v = h.get(b);
    if (std::isnan(v)) ASSERT_TRUE(std::isnan(back.get(b)));
    else ASSERT_EQ(back.as<std::uint16_t>()[b], h.as<std::uint16_t>()[b]) << b;
  }
}

TEST(Tensor, PoisonIsNanEverywhere) {
  for (DType t : kAllDTypes)
    for (Layout l : {Layout::NCHW, Layout::OIHW_FLIPPED}) {
      HostTensor x(t, l, {4, 3, 2, 2}, 2);
      x.fill(1.5);
      x.poison();
      for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_TRUE(std::isnan(x.get(i))) << to_string(t) << " " << i;
    }
}

TEST(Tensor, FillRoundsToTheDtype) {
  HostTensor x(DType::bf16, Layout::NCHW, {1, 2, 2, 2});
  x.fill(0.1);
  for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(x.get(i), 0.10009765625);
}

// Random bit patterns (NaN payloads, -0, subnormals included) must survive a layout change.
template <class Bits>
void check_layout_change_is_bitwise(DType t) {
  std::mt19937_64 rng(7);
  const Dims d{4, 3, 2, 3};
  HostTensor a(t, Layout::IOHW, d, 2);
  for (std::int64_t i = 0; i < a.numel(); ++i) a.as<Bits>()[i] = static_cast<Bits>(rng());
  a.as<Bits>()[0] = static_cast<Bits>(Bits(~Bits(0)) >> 1);  // a NaN with a full payload
  for (Layout l : kWeightLayouts) {
    const HostTensor b = a.to_layout(l);
    for_each_index(d, [&](const Dims& i) {
      ASSERT_EQ(b.as<Bits>()[b.offset(i)], a.as<Bits>()[a.offset(i)]) << to_string(t) << " " << to_string(l);
    });
  }
}

TEST(Tensor, ToLayoutKeepsValuesBitwise) {
  check_layout_change_is_bitwise<std::uint32_t>(DType::f32);
  check_layout_change_is_bitwise<std::uint64_t>(DType::f64);
  check_layout_change_is_bitwise<std::uint16_t>(DType::f16);
  check_layout_change_is_bitwise<std::uint16_t>(DType::bf16);
}

TEST(Tensor, LogicalValuesAreInLogicalOrder) {
  HostTensor x(DType::f32, Layout::NHWC, {1, 2, 1, 2});
  x.put({0, 1, 0, 0}, 3.0);  // c=1, w=0
  x.put({0, 0, 0, 1}, 2.0);  // c=0, w=1
  EXPECT_EQ(x.logical_values(), (std::vector<double>{0, 2, 3, 0}));
  EXPECT_EQ(x.get(1), 3.0);  // NHWC stores C fastest
  EXPECT_EQ(x.get(2), 2.0);
}

}  // namespace
}  // namespace tconv
