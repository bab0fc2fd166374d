// Layouts: hand-computed offsets, bijectivity, and conversions that round-trip.
#include "backends/api/layout.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "backends/api/tensor.h"

namespace tconv {
namespace {

std::int64_t product(const Dims& d) { return d[0] * d[1] * d[2] * d[3]; }

// The logical index, encoded as a distinct (exactly representable) value.
double tag(const Dims& d, const Dims& i) { return static_cast<double>(((i[0] * d[1] + i[1]) * d[2] + i[2]) * d[3] + i[3] + 1); }

HostTensor tagged(Layout l, const Dims& d, std::int64_t groups, DType t = DType::f32) {
  HostTensor x(t, l, d, groups);
  for_each_index(d, [&](const Dims& i) { x.put(i, tag(d, i)); });
  return x;
}

TEST(Layout, NamesParseBack) {
  for (Layout l : {Layout::NCHW, Layout::NHWC, Layout::IOHW, Layout::IHWO, Layout::HWOI,
                   Layout::OIHW_FLIPPED, Layout::X}) {
    auto back = parse_layout(to_string(l));
    ASSERT_TRUE(back.has_value()) << to_string(l);
    EXPECT_EQ(*back, l);
    EXPECT_NE(is_data_layout(l), is_weight_layout(l) || l == Layout::X) << to_string(l);
  }
  EXPECT_FALSE(parse_layout("nchw").has_value());
  EXPECT_FALSE(parse_layout("OIHW").has_value());
}

TEST(Layout, DataOffsetsByHand) {
  const Dims d{2, 3, 4, 5};  // N C H W
  EXPECT_EQ(physical_dims(Layout::NCHW, d, 1), (Dims{2, 3, 4, 5}));
  EXPECT_EQ(physical_dims(Layout::NHWC, d, 1), (Dims{2, 4, 5, 3}));
  // (n=1, c=0, h=2, w=3): NCHW 1*60 + 0*20 + 2*5 + 3 = 73; NHWC 1*60 + 2*15 + 3*3 + 0 = 99.
  EXPECT_EQ(element_offset(Layout::NCHW, d, 1, {1, 0, 2, 3}), 73);
  EXPECT_EQ(element_offset(Layout::NHWC, d, 1, {1, 0, 2, 3}), 99);
  // (0, 2, 0, 1): NCHW 40 + 1 = 41; NHWC 1*3 + 2 = 5.
  EXPECT_EQ(element_offset(Layout::NCHW, d, 1, {0, 2, 0, 1}), 41);
  EXPECT_EQ(element_offset(Layout::NHWC, d, 1, {0, 2, 0, 1}), 5);
}

TEST(Layout, WeightOffsetsByHand) {
  // Logical weight [C_in=2][C_out/g=3][kH=2][kW=2]; element (ci=1, o=2, kh=1, kw=0).
  const Dims d{2, 3, 2, 2};
  const Dims i{1, 2, 1, 0};
  EXPECT_EQ(element_offset(Layout::IOHW, d, 1, i), 1 * 12 + 2 * 4 + 1 * 2 + 0);  // 22
  EXPECT_EQ(physical_dims(Layout::IHWO, d, 1), (Dims{2, 2, 2, 3}));
  EXPECT_EQ(element_offset(Layout::IHWO, d, 1, i), 1 * 12 + 1 * 6 + 0 * 3 + 2);  // 20
  EXPECT_EQ(physical_dims(Layout::HWOI, d, 1), (Dims{2, 2, 3, 2}));
  EXPECT_EQ(element_offset(Layout::HWOI, d, 1, i), 1 * 12 + 0 * 6 + 2 * 2 + 1);  // 17
  // OIHW_FLIPPED, groups=1: the direct conv's w'[co=2][ci=1][1-kh=0][1-kw=1].
  EXPECT_EQ(physical_dims(Layout::OIHW_FLIPPED, d, 1), (Dims{3, 2, 2, 2}));
  EXPECT_EQ(element_offset(Layout::OIHW_FLIPPED, d, 1, i), 2 * 8 + 1 * 4 + 0 * 2 + 1);  // 21
  // groups=2: C_in/g = 1 and C_out = 6. ci=1 is group 1, so co = 1*3 + 2 = 5, ci' = 0.
  EXPECT_EQ(physical_dims(Layout::OIHW_FLIPPED, d, 2), (Dims{6, 1, 2, 2}));
  EXPECT_EQ(element_offset(Layout::OIHW_FLIPPED, d, 2, i), 5 * 4 + 0 * 4 + 0 * 2 + 1);  // 21
  EXPECT_EQ(element_offset(Layout::OIHW_FLIPPED, d, 2, {0, 2, 1, 0}), 2 * 4 + 0 * 2 + 1);  // group 0
  EXPECT_EQ(element_offset(Layout::OIHW_FLIPPED, d, 2, {1, 0, 0, 0}), 3 * 4 + 1 * 2 + 1);  // group 1
}

TEST(Layout, OihwFlippedIsTheEquivalentDirectConvWeight) {
  // For a transposed conv with groups g, the equivalent direct conv has weight
  // w'[co][ci_local][kh][kw] = w[g*C_in/g + ci_local][co - g*C_out/g][kH-1-kh][kW-1-kw]
  // where g = co / (C_out/g). Read the converted buffer as that C-order array.
  for (std::int64_t groups : {1, 2, 3}) {
    const std::int64_t in_per_group = 2, out_per_group = 3;
    const Dims d{in_per_group * groups, out_per_group, 2, 3};
    const HostTensor w = tagged(Layout::IOHW, d, groups);
    const HostTensor direct = w.to_layout(Layout::OIHW_FLIPPED);
    const Dims pd = direct.physical_dims();
    ASSERT_EQ(pd, (Dims{out_per_group * groups, in_per_group, 2, 3}));
    std::int64_t flat = 0;
    for (std::int64_t co = 0; co < pd[0]; ++co)
      for (std::int64_t cl = 0; cl < pd[1]; ++cl)
        for (std::int64_t kh = 0; kh < pd[2]; ++kh)
          for (std::int64_t kw = 0; kw < pd[3]; ++kw, ++flat) {
            const std::int64_t g = co / out_per_group;
            const Dims src{g * in_per_group + cl, co - g * out_per_group, 2 - 1 - kh, 3 - 1 - kw};
            ASSERT_EQ(direct.get(flat), tag(d, src)) << "groups=" << groups << " co=" << co << " ci=" << cl;
          }
  }
}

TEST(Layout, OffsetsAreABijection) {
  struct Case { Layout l; Dims d; std::int64_t groups; };
  const Case cases[] = {{Layout::NCHW, {2, 3, 4, 5}, 1}, {Layout::NHWC, {2, 3, 4, 5}, 1},
                        {Layout::IOHW, {4, 3, 2, 5}, 2}, {Layout::IHWO, {4, 3, 2, 5}, 2},
                        {Layout::HWOI, {4, 3, 2, 5}, 2}, {Layout::OIHW_FLIPPED, {4, 3, 2, 5}, 1},
                        {Layout::OIHW_FLIPPED, {4, 3, 2, 5}, 2}, {Layout::OIHW_FLIPPED, {4, 3, 2, 5}, 4},
                        {Layout::X, {7, 1, 1, 1}, 1}};
  for (const Case& c : cases) {
    std::vector<int> hits(static_cast<std::size_t>(product(c.d)), 0);
    for_each_index(c.d, [&](const Dims& i) {
      const std::int64_t o = element_offset(c.l, c.d, c.groups, i);
      ASSERT_GE(o, 0);
      ASSERT_LT(o, product(c.d));
      ++hits[static_cast<std::size_t>(o)];
    });
    for (int h : hits) ASSERT_EQ(h, 1) << to_string(c.l) << " groups=" << c.groups;
    EXPECT_EQ(product(physical_dims(c.l, c.d, c.groups)), product(c.d)) << to_string(c.l);
  }
}

void expect_same_bits(const HostTensor& a, const HostTensor& b) {
  ASSERT_EQ(a.layout(), b.layout());
  ASSERT_EQ(a.bytes(), b.bytes());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.bytes()), 0) << to_string(a.layout());
}

TEST(Layout, EveryWeightLayoutPairRoundTrips) {
  for (std::int64_t groups : {1, 2}) {
    const Dims d{4, 3, 2, 3};
    for (Layout from : kWeightLayouts)
      for (Layout to : kWeightLayouts) {
        const HostTensor a = tagged(from, d, groups);
        const HostTensor b = a.to_layout(to);
        EXPECT_EQ(b.logical_values(), a.logical_values()) << to_string(from) << "->" << to_string(to);
        expect_same_bits(b.to_layout(from), a);
        // The target's buffer is the target's own layout, not a relabelled copy.
        EXPECT_EQ(b.get(element_offset(to, d, groups, {3, 1, 0, 2})), tag(d, {3, 1, 0, 2}));
      }
  }
}

TEST(Layout, DataLayoutsRoundTrip) {
  const Dims d{2, 3, 4, 5};
  for (Layout from : kDataLayouts)
    for (Layout to : kDataLayouts) {
      const HostTensor a = tagged(from, d, 1, DType::f64);
      const HostTensor b = a.to_layout(to);
      EXPECT_EQ(b.logical_values(), a.logical_values());
      expect_same_bits(b.to_layout(from), a);
      EXPECT_EQ(b.at({1, 2, 3, 4}), tag(d, {1, 2, 3, 4}));
    }
  // NHWC's buffer walks C fastest.
  const HostTensor nhwc = tagged(Layout::NCHW, d, 1).to_layout(Layout::NHWC);
  EXPECT_EQ(nhwc.get(0), tag(d, {0, 0, 0, 0}));
  EXPECT_EQ(nhwc.get(1), tag(d, {0, 1, 0, 0}));
  EXPECT_EQ(nhwc.get(3), tag(d, {0, 0, 0, 1}));
}

}  // namespace
}  // namespace tconv
