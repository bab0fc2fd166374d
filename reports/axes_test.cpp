#include "reports/axes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

TEST(Axes, LabelsAreWrittenAsTheReproStringWritesThem) {
  ResultRow r = test::make_row("c", "naive", Outcome::PASSED);
  r.problem.stride_h = 2;
  r.problem.stride_w = 1;
  r.problem.crop_top = -1;
  r.problem.crop_bottom = 0;
  r.problem.crop_left = 2;
  r.problem.crop_right = 1;
  r.problem.dil_h = 1;
  r.problem.dil_w = 3;
  r.problem.groups = 2;
  r.problem.layout = Layout::NHWC;
  r.problem.weight_layout = Layout::HWOI;
  r.problem.dtype = DType::bf16;
  EXPECT_EQ(axis_label(Axis::stride, r), "2x1");
  EXPECT_EQ(axis_label(Axis::crop, r), "neg1");
  EXPECT_EQ(crop_text(r.problem), "-1,0,2,1");
  EXPECT_EQ(axis_label(Axis::dilation, r), "1x3");
  EXPECT_EQ(axis_label(Axis::groups, r), "2");
  EXPECT_EQ(axis_label(Axis::kernel, r), "3x3");
  EXPECT_EQ(axis_label(Axis::dtype, r), "bf16");
  EXPECT_EQ(axis_label(Axis::layout, r), "NHWC/HWOI");
  EXPECT_EQ(problem_text_from_labels(r), to_repro(r.problem));
}

TEST(Axes, FiltersUseTheTableKeys) {
  EXPECT_EQ(axis_filter(Axis::stride, "2x2"), "stride=2x2");
  EXPECT_EQ(axis_filter(Axis::dilation, "1x2"), "dil=1x2");
  EXPECT_EQ(axis_filter(Axis::crop, "asym2"), "crop_class=asym2");
  EXPECT_EQ(axis_filter(Axis::layout, "NCHW/IOHW"), "layout=NCHW wl=IOHW");
}

TEST(Axes, FourPairsAsTheIssueNamesThem) {
  const auto& p = heatmap_pairs();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].x, Axis::stride);
  EXPECT_EQ(p[0].y, Axis::crop);
  EXPECT_EQ(p[3].x, Axis::dtype);
  EXPECT_EQ(p[3].y, Axis::layout);
}

TEST(Axes, CropsFallIntoFewClasses) {
  auto cls = [](std::int64_t t, std::int64_t b, std::int64_t l, std::int64_t r) {
    Problem p;
    p.crop_top = t;
    p.crop_bottom = b;
    p.crop_left = l;
    p.crop_right = r;
    return crop_class(p);
  };
  EXPECT_EQ(cls(0, 0, 0, 0), "0");
  EXPECT_EQ(cls(2, 2, 2, 2), "sym2");
  EXPECT_EQ(cls(1, 0, 1, 0), "asym1");
  EXPECT_EQ(cls(3, 1, 2, 2), "asym3");
  EXPECT_EQ(cls(1, -2, 0, 4), "neg2");
  std::vector<std::string> v = {"neg1", "asym2", "sym10", "0", "sym2", "asym1"};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return axis_less(Axis::crop, a, b); });
  EXPECT_EQ(v, (std::vector<std::string>{"0", "sym2", "sym10", "asym1", "asym2", "neg1"}));
}

TEST(Axes, NaturalOrderComparesNumbersAsNumbers) {
  std::vector<std::string> v = {"10x1", "2x1", "2x10", "2x9", "-1,0", "0,0", "1,0", "f16", "bf16", "f32"};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return natural_less(a, b); });
  EXPECT_EQ(v, (std::vector<std::string>{"-1,0", "0,0", "1,0", "2x1", "2x9", "2x10", "10x1", "bf16", "f16", "f32"}));
  EXPECT_FALSE(natural_less("2x2", "2x2"));
  EXPECT_TRUE(natural_less("2", "2x1"));
}

}  // namespace
}  // namespace tconv::reports
