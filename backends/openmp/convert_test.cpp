#include "backends/openmp/convert.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "backends/api/dtype.h"

namespace tconv::openmp {
namespace {

TEST(Convert, HalfAndBf16MatchTheApiRounding) {
  // Every f16 / bf16 bit pattern widens exactly...
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const double h = half_bits_to_double(bits), f = bf16_bits_to_double(bits);
    if (!std::isnan(h)) {
      EXPECT_EQ(static_cast<double>(half_to_float(bits)), h) << b;
    }
    if (!std::isnan(f)) {
      EXPECT_EQ(static_cast<double>(bf16_to_float(bits)), f) << b;
    }
  }
  // ...and narrowing rounds like the api (nearest even, overflow to Inf, subnormals kept),
  // on random floats of every magnitude and on the exact halfway points.
  std::mt19937 rng(3);
  std::vector<float> values{0.0f, -0.0f, 65504.0f, 65519.99f, 65520.0f, 1e-8f, 0x1p-25f, 0x1p-24f, 0x1.8p-24f,
                            3e38f, std::numeric_limits<float>::infinity()};
  for (int i = 0; i < 200000; ++i) values.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(rng()) & 0xbfffffffu));
  for (std::uint32_t b = 0; b < 0x7c00; b += 7) values.push_back(std::nextafter(half_to_float(b), 1e9f));
  for (float v : values) {
    if (std::isnan(v)) continue;
    EXPECT_EQ(float_to_half(v), float_to_half_bits(v)) << v;
    EXPECT_EQ(float_to_bf16(v), float_to_bf16_bits(v)) << v;
  }
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(Convert, WeightsRoundTripThroughEveryLayout) {
  const std::int64_t groups = 2;
  const Dims dims{4, 3, 2, 3};  // C_in 4 (2 per group), C_out/g 3, 2x3 kernel
  for (Layout source : kWeightLayouts)
    for (Layout packed : {Layout::IOHW, Layout::IHWO}) {
      HostTensor w(DType::f32, source, dims, groups);
      for_each_index(dims, [&](const Dims& i) { w.put(i, static_cast<double>(((i[0] * 3 + i[1]) * 2 + i[2]) * 3 + i[3])); });
      std::vector<float> m(static_cast<std::size_t>(w.numel()));
      weights_to_f32(w, groups, packed, m.data());
      const HostTensor as_packed = w.to_layout(packed);  // the api's own layout mapping
      for (std::int64_t i = 0; i < w.numel(); ++i) EXPECT_EQ(m[i], as_packed.get(i)) << to_string(source);
      HostTensor back(DType::bf16, source, dims, groups);
      weights_from_f32(m.data(), packed, groups, back);
      for_each_index(dims, [&](const Dims& i) { EXPECT_EQ(back.at(i), w.at(i)); });
    }
}

}  // namespace
}  // namespace tconv::openmp
