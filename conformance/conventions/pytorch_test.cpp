#include <gtest/gtest.h>

#include "conformance/conventions/convention.h"
#include "conformance/suite/test_util.h"

namespace tconv::conventions {
namespace {

using suite::testing::parse_error;
using suite::testing::parse_ok;

const Convention& pytorch() { return *find_convention("pytorch"); }

Param pair(std::int64_t h, std::int64_t w) { return Param{Value{{h, w}, ""}, YAML::Mark(), "", ""}; }
Param one(std::int64_t v) { return Param{Value{{v}, ""}, YAML::Mark(), "", ""}; }

TEST(Pytorch, PaddingAndOutputPaddingBecomeCrops) {
  ParamSet p(&pytorch().keys());
  p.set("input", pair(5, 7));
  p.set("kernel", pair(3, 4));
  p.set("stride", pair(2, 3));
  p.set("padding", pair(1, 2));
  p.set("output_padding", pair(1, 0));
  const Translation t = pytorch().translate(p);
  ASSERT_TRUE(t.error.empty());
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(t.problem.crop_top, 1);
  EXPECT_EQ(t.problem.crop_bottom, 0);  // p - op
  EXPECT_EQ(t.problem.crop_left, 2);
  EXPECT_EQ(t.problem.crop_right, 2);
  // PyTorch's output size: (in-1)*s - 2p + d(k-1) + op + 1.
  EXPECT_EQ(t.problem.h_out(), (5 - 1) * 2 - 2 * 1 + (3 - 1) + 1 + 1);
  EXPECT_EQ(t.problem.w_out(), (7 - 1) * 3 - 2 * 2 + (4 - 1) + 0 + 1);
}

TEST(Pytorch, OutputPaddingMustBeBelowStrideOrDilation) {
  ParamSet ok_by_dilation(&pytorch().keys());
  ok_by_dilation.set("stride", pair(1, 1));
  ok_by_dilation.set("dilation", pair(2, 2));
  ok_by_dilation.set("kernel", pair(3, 3));
  ok_by_dilation.set("output_padding", pair(1, 1));
  EXPECT_TRUE(pytorch().translate(ok_by_dilation).invalid_reason.empty());

  ParamSet too_large(&pytorch().keys());
  too_large.set("stride", pair(2, 2));
  too_large.set("output_padding", pair(0, 2));
  const Translation t = pytorch().translate(too_large);
  EXPECT_EQ(t.invalid_reason.rfind("output_padding_too_large: ", 0), 0u) << t.invalid_reason;
  EXPECT_NE(t.invalid_reason.find("output_padding 0x2, stride 2x2, dilation 1x1"), std::string::npos) << t.invalid_reason;
  EXPECT_EQ(t.problem.crop_right, -2);  // still filled: the INVALID row has a repro
}

TEST(Pytorch, OutputSizeChoosesOutputPadding) {
  ParamSet p(&pytorch().keys());
  p.set("input", pair(5, 5));
  p.set("kernel", pair(3, 3));
  p.set("stride", pair(2, 3));
  p.set("padding", pair(1, 1));
  p.set("output_size", pair(10, 15));  // min sizes 9 and 13
  const Translation t = pytorch().translate(p);
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(t.problem.h_out(), 10);
  EXPECT_EQ(t.problem.w_out(), 15);

  p.set("output_size", pair(11, 13));  // height 11 > 9 + 2 - 1
  EXPECT_EQ(pytorch().translate(p).invalid_reason.rfind("output_size_out_of_range: ", 0), 0u);
  p.set("output_padding", pair(0, 0));
  EXPECT_EQ(pytorch().translate(p).error_key, "output_size");
}

TEST(Pytorch, GroupsDepthwiseAndSharedKeys) {
  ParamSet p(&pytorch().keys());
  p.set("c_in", one(6));
  p.set("c_out", one(12));
  p.set("groups", Param{Value{{}, "depthwise"}, YAML::Mark(), "", ""});
  p.set("dtype", Param{Value{{}, "bf16"}, YAML::Mark(), "", ""});
  p.set("bias", Param{Value{{}, "false"}, YAML::Mark(), "", ""});
  const Translation t = pytorch().translate(p);
  EXPECT_EQ(t.problem.groups, 6);
  EXPECT_EQ(t.problem.dtype, DType::bf16);
  EXPECT_FALSE(t.problem.bias);
}

TEST(Pytorch, ThroughYaml) {
  Suite s = parse_ok(R"(
cases:
  - {name: a, input: [4, 6], kernel: 3, stride: 2, padding: 1, output_padding: 1}
  - {name: b, input: [4, 6], kernel: 3, stride: 1, padding: 1, output_padding: 1}
  - {name: c, input: [4, 6], kernel: 3, stride: 2, padding: 1, output_size: [8, 12]}
)");
  ASSERT_EQ(s.cases.size(), 2u);  // c is a duplicate of a
  EXPECT_EQ(s.cases[0].problem.h_out(), 8);
  EXPECT_EQ(s.cases[0].problem.w_out(), 12);
  EXPECT_NE(s.cases[1].invalid_reason.find("output_padding_too_large"), std::string::npos);
  EXPECT_EQ(s.duplicates_removed, 1);
}

TEST(Pytorch, NegativePaddingIsBadInputNotInvalid) {
  const std::string e = parse_error("cases:\n  - padding: -1\n");
  EXPECT_EQ(e, "test.yaml:2:14: cases[0].padding: value -1 out of range: expected an integer >= 0 or [h, w]");
}

TEST(Pytorch, BothOutputSizeAndOutputPaddingIsAnError) {
  const std::string e = parse_error("cases:\n  - {output_size: 9, output_padding: 1}\n");
  EXPECT_NE(e.find("test.yaml:2:19: cases[0].output_size: give output_size or output_padding"), std::string::npos) << e;
}

}  // namespace
}  // namespace tconv::conventions
