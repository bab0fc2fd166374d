#include "conformance/conventions/onnx.h"

#include <gtest/gtest.h>

#include "conformance/conventions/test_params.h"

namespace tconv::conventions {
namespace {

using testing::crops;
using testing::translate_text;
using Crop4 = std::array<std::int64_t, 4>;

TEST(Onnx, FloorDivision) {
  EXPECT_EQ(floor_div(-1, 2), -1);
  EXPECT_EQ(floor_div(-4, 2), -2);
  EXPECT_EQ(floor_div(3, 2), 1);
  EXPECT_EQ(floor_div(-3, 2), -2);
}

TEST(Onnx, PadsAreBeginsThenEnds) {
  // pads [top, left, bottom, right]; output_padding un-crops the end.
  const auto t = translate_text(onnx_convention(),
                                "input_shape=1,2,3,3 weight_shape=2,3,3,3 strides=2 pads=1,0,0,1 output_padding=1,1");
  ASSERT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(crops(t.problem), (Crop4{1, -1, 0, 0}));
  EXPECT_EQ(t.problem.c_out, 3);
  EXPECT_EQ(t.problem.layout, Layout::NCHW);
  EXPECT_EQ(t.problem.weight_layout, Layout::IOHW);
}

TEST(Onnx, SpecExampleOutputShapeWithNegativeTotal) {
  // test_convtranspose_output_shape: X 1x1x3x3, W 1x2x3x3, strides (3, 2), output_shape (10, 8):
  // total -1 in both dimensions; floor division puts the extension at the end.
  const auto t = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,2,3,3 strides=3,2 output_shape=10,8");
  ASSERT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(crops(t.problem), (Crop4{0, -1, 0, -1}));
  EXPECT_EQ(t.problem.h_out(), 10);
  EXPECT_EQ(t.problem.w_out(), 8);
  // Truncating division would give (-1, 0): an extension at the top. SAME_UPPER does that by the spec.
  const auto upper = translate_text(onnx_convention(),
                                    "input_shape=1,1,3,3 weight_shape=1,2,3,3 strides=3,2 output_shape=10,8 auto_pad=SAME_UPPER");
  EXPECT_EQ(crops(upper.problem), (Crop4{-1, 0, -1, 0}));
}

TEST(Onnx, SameUpperAndSameLowerSplitTheOddTotalOppositely) {
  // in 3, k 3, s 2: output 6, total 1.
  const auto upper = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 auto_pad=SAME_UPPER");
  const auto lower = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 auto_pad=SAME_LOWER");
  EXPECT_EQ(crops(upper.problem), (Crop4{0, 1, 0, 1}));  // the extra crop at the end (like Keras same)
  EXPECT_EQ(crops(lower.problem), (Crop4{1, 0, 1, 0}));
  EXPECT_EQ(upper.problem.h_out(), 6);
  EXPECT_EQ(lower.problem.h_out(), 6);
  // output_shape with NOTSET splits like SAME_LOWER: total 3 -> (2, 1).
  const auto notset = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 output_shape=4,4");
  EXPECT_EQ(crops(notset.problem), (Crop4{2, 1, 2, 1}));
}

TEST(Onnx, OutputPaddingWithOutputShapeAndValid) {
  // total includes output_padding: s*(in-1) + op + k_eff - out = 4 + 1 + 3 - 6 = 2 -> (1, 1) then end - op.
  const auto t = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 output_shape=6,6 output_padding=1,1");
  EXPECT_EQ(crops(t.problem), (Crop4{1, 0, 1, 0}));
  EXPECT_EQ(t.problem.h_out(), 6);
  const auto valid = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 auto_pad=VALID output_padding=1,0");
  EXPECT_EQ(crops(valid.problem), (Crop4{0, -1, 0, 0}));
}

TEST(Onnx, GroupsDilationsAndChecks) {
  auto t = translate_text(onnx_convention(), "input_shape=2,4,5,5 weight_shape=4,3,2,3 group=2 dilations=2,1 strides=1,2");
  ASSERT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(t.problem.c_out, 6);
  EXPECT_EQ(t.problem.groups, 2);
  EXPECT_EQ(t.problem.kh, 2);
  EXPECT_EQ(t.problem.kw, 3);
  EXPECT_EQ(t.problem.dil_h, 2);
  t = translate_text(onnx_convention(), "input_shape=2,4,5,5 weight_shape=4,3,2,3 kernel_shape=3,3");
  EXPECT_EQ(t.invalid_reason.rfind("onnx_kernel_shape_mismatch: ", 0), 0u) << t.invalid_reason;
  t = translate_text(onnx_convention(), "input_shape=2,5,5,5 weight_shape=4,3,2,3");
  EXPECT_EQ(t.invalid_reason.rfind("onnx_channels_mismatch: ", 0), 0u) << t.invalid_reason;
  // Without W's shape: kernel_shape and C_out = group.
  t = translate_text(onnx_convention(), "input_shape=1,2,5,5 kernel_shape=3,2 group=2");
  EXPECT_EQ(t.problem.kh, 3);
  EXPECT_EQ(t.problem.c_out, 2);
}

TEST(Onnx, PadsWithAutoPadIsBadInput) {
  auto params = parse_param_text(onnx_convention(), "auto_pad=SAME_UPPER pads=1,1,1,1");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(onnx_convention().translate(*params).error_key, "pads");
  params = parse_param_text(onnx_convention(), "auto_pad=VALID output_shape=4,4");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(onnx_convention().translate(*params).error_key, "output_shape");
  EXPECT_FALSE(parse_param_text(onnx_convention(), "pads=-1,0,0,0").ok());  // pads >= 0
}

TEST(Onnx, NodesThatAreNot2DAreUnsupportedNamingTheirDimensionality) {
  // test_convtranspose_3d's attributes with a kernel_shape: every list has 3 values a side.
  auto t = translate_text(onnx_convention(),
                          "input_shape=1,1,3,4,5 weight_shape=1,2,3,3,3 kernel_shape=3,3,3 strides=1,2,1 pads=0,0,0,1,1,1");
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(t.unsupported_reason, "3-D ConvTranspose (input_shape [1, 1, 3, 4, 5]): tconv's operator is 2-D");
  t = translate_text(onnx_convention(), "kernel_shape=3,3,3");  // attributes alone say it too
  EXPECT_EQ(t.unsupported_reason, "3-D ConvTranspose (kernel_shape [3, 3, 3]): tconv's operator is 2-D");
  t = translate_text(onnx_convention(), "strides=2");  // a scalar is a 2-D pair
  EXPECT_TRUE(t.unsupported_reason.empty()) << t.unsupported_reason;
  t = translate_text(onnx_convention(), "input_shape=1,1,7 kernel_shape=[3]");
  EXPECT_EQ(t.unsupported_reason.rfind("1-D ConvTranspose (input_shape [1, 1, 7]): tconv's operator is 2-D", 0), 0u)
      << t.unsupported_reason;
  // Lists of different dimensionalities are bad input at the key that disagrees.
  auto params = parse_param_text(onnx_convention(), "input_shape=1,1,3,4,5 strides=2,2");
  ASSERT_TRUE(params.ok()) << params.error();
  t = onnx_convention().translate(*params);
  EXPECT_EQ(t.error_key, "strides");
  EXPECT_EQ(t.error, "strides [2, 2] is for a 2-D node, input_shape [1, 1, 3, 4, 5] for a 3-D one");
  params = parse_param_text(onnx_convention(), "pads=1,1,1");
  ASSERT_TRUE(params.ok()) << params.error();
  EXPECT_EQ(onnx_convention().translate(*params).error_key, "pads");
}

TEST(Onnx, ReverseUsesOutputPaddingForEndExtensions) {
  Problem p = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,2,3,3 strides=3,2 output_shape=10,8").problem;
  Equivalent e = onnx_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_NE(e.params.find("pads=0,0,0,0 output_padding=1"), std::string::npos) << e.params;
  // A negative begin: only the spec's output_shape rule with a negative total gives it.
  p.crop_top = -1;  // height crops (-1, -1)
  e = onnx_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_NE(e.params.find("output_shape=11,8 auto_pad=SAME_UPPER"), std::string::npos) << e.params;
  ASSERT_FALSE(e.notes.empty());
  EXPECT_NE(e.notes.back().find("onnxruntime"), std::string::npos);
  EXPECT_EQ(testing::translate_text(onnx_convention(), e.params).problem, p);
  p.crop_bottom = 2;  // (-1, 2): SAME_UPPER's split never puts more than one extra at the end
  e = onnx_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.construction.find("add 1 row holding only the bias at the top"), std::string::npos) << e.construction;
}

}  // namespace
}  // namespace tconv::conventions
