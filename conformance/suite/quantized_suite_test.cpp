// The quantization keys in suites: applied to integer cases in every convention, ignored by
// float cases of the same sweep, and cases/quantized.yaml covers what it promises.
#include <gtest/gtest.h>

#include <set>

#include "conformance/suite.h"
#include "conformance/suite/test_util.h"

namespace tconv::suite {
namespace {

Suite parse(const std::string& yaml) {
  auto r = parse_suite(yaml, "q.yaml");
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : Suite{};
}

TEST(QuantizedSuite, KeysBecomeTheProblemsRequantization) {
  const Suite s = parse(R"(
defaults: {directions: fwd, zp_x: -3, zp_w: 2, zp_y: 7, multiplier: 1518500250, shift: 38, rounding: half_up}
sweeps:
  - name: mixed
    dtype: [f32, i8, i16]
cases:
  - name: keras_i8
    convention: keras
    dtype: i8
    input_shape: [1, 4, 4, 2]
    filters: 3
    kernel_size: 3
    rounding: floor
)");
  ASSERT_EQ(s.cases.size(), 4u);
  std::set<DType> seen;
  for (const Case& c : s.cases) {
    SCOPED_TRACE(c.name);
    const Problem& p = c.problem;
    seen.insert(p.dtype);
    EXPECT_TRUE(c.invalid_reason.empty()) << c.invalid_reason;
    if (p.dtype == DType::f32) {
      EXPECT_EQ(p.quant, Quant{});  // float cases keep the float problem
      continue;
    }
    EXPECT_EQ(p.quant.zp_x, -3);
    EXPECT_EQ(p.quant.zp_y, 7);
    EXPECT_EQ(p.quant.multiplier, 1518500250);
    EXPECT_EQ(p.quant.shift, 38);
    EXPECT_EQ(p.quant.rounding, c.name == "keras_i8" ? Rounding::floor : Rounding::half_up);
  }
  EXPECT_EQ(seen, (std::set<DType>{DType::f32, DType::i8, DType::i16}));
}

TEST(QuantizedSuite, OutOfRangeValuesAreLocatedErrors) {
  auto r = parse_suite("cases:\n  - dtype: i8\n    zp_y: -129\n", "q.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "q.yaml:3:11: cases[0].zp_y: -129 is outside the i8 range [-128, 127]");
  r = parse_suite("cases:\n  - dtype: i16\n    multiplier: 2147483648\n", "q.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("q.yaml:3:17: cases[0].multiplier: 2147483648 exceeds 2^31 - 1"), std::string::npos) << r.error();
  r = parse_suite("cases:\n  - dtype: i8\n    shift: -1\n", "q.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("q.yaml:3:12: cases[0].shift"), std::string::npos) << r.error();
}

TEST(QuantizedSuite, ShippedSuiteCoversEveryModeAndParameter) {
  auto r = load_suite(testing::source_dir() + "/cases/quantized.yaml");
  ASSERT_TRUE(r.ok()) << r.error();
  std::set<Rounding> modes;
  std::set<DType> dtypes;
  bool zero_points = false, groups = false, depthwise = false, negative_crop = false, stride = false, saturating = false;
  for (const Case& c : r->cases) {
    const Problem& p = c.problem;
    EXPECT_TRUE(c.invalid_reason.empty()) << c.name << ": " << c.invalid_reason;
    EXPECT_EQ(c.directions, std::vector<Direction>{Direction::fwd});
    modes.insert(p.quant.rounding);
    dtypes.insert(p.dtype);
    zero_points |= p.quant.zp_x != 0 && p.quant.zp_w != 0 && p.quant.zp_y != 0;
    groups |= p.groups > 1 && p.groups < p.c_in;
    depthwise |= p.groups > 1 && p.groups == p.c_in;
    negative_crop |= p.crop_top < 0 || p.crop_right < 0;
    stride |= p.stride_h > 1;
    saturating |= p.quant.shift == 31;
  }
  EXPECT_EQ(modes.size(), std::size(kAllRoundings));
  EXPECT_EQ(dtypes, (std::set<DType>{DType::i8, DType::i16}));
  EXPECT_TRUE(zero_points && groups && depthwise && negative_crop && stride && saturating);
  EXPECT_LE(r->cases.size(), 80u);  // small: one external process per case
}

}  // namespace
}  // namespace tconv::suite
