#include "conformance/conventions/tf.h"

#include <gtest/gtest.h>

#include "conformance/conventions/test_params.h"

namespace tconv::conventions {
namespace {

using testing::crops;
using testing::translate_text;
using Crop4 = std::array<std::int64_t, 4>;

TEST(Tf, SameAndValidCropsForTheGivenOutputShape) {
  // in 3, k 3, s 2: full 7; SAME accepts 5..6, VALID 7..8 (checked against TF 2.21).
  auto t = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,5,4 strides=2 padding=SAME");
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(crops(t.problem), (Crop4{0, 1, 1, 1}));  // total 1 -> (0, 1); total 2 -> (1, 1)
  EXPECT_EQ(t.problem.layout, Layout::NHWC);
  EXPECT_EQ(t.problem.weight_layout, Layout::HWOI);
  EXPECT_FALSE(t.problem.bias);
  t = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,8,7,4 strides=2 padding=VALID");
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(crops(t.problem), (Crop4{0, -1, 0, 0}));
}

TEST(Tf, OutputShapeOutsideTfsRangeIsInvalid) {
  const auto t = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,7,7,4 strides=2 padding=SAME");
  EXPECT_EQ(t.invalid_reason.rfind("tf_output_shape_mismatch: with padding SAME TF accepts an output height of 5..6", 0), 0u) << t.invalid_reason;
  const auto v = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,7,4 strides=2 padding=VALID");
  EXPECT_EQ(v.invalid_reason.rfind("tf_output_shape_mismatch: with padding VALID TF accepts an output height of 7..8", 0), 0u) << v.invalid_reason;
}

TEST(Tf, ExplicitPaddingsAreCropsAtTheBegin) {
  // [[0,0],[1,2],[0,1],[0,0]] with in 3, k 3, s 2: heights 4..5, widths 6..7 (TF 2.21 agrees).
  auto t = translate_text(tf_convention(),
                          "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,5,7,4 strides=2 padding=[[0,0],[1,2],[0,1],[0,0]]");
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(crops(t.problem), (Crop4{1, 1, 0, 0}));
  t = translate_text(tf_convention(),
                     "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,7,4 strides=2 padding=[[0,0],[1,2],[0,1],[0,0]]");
  EXPECT_NE(t.invalid_reason.find("height of 4..5"), std::string::npos) << t.invalid_reason;
  // NCHW puts the spatial pairs last.
  t = translate_text(tf_convention(),
                     "input_shape=1,2,3,3 filters_shape=3,3,4,2 output_shape=1,4,5,7 strides=2 data_format=NCHW padding=[[0,0],[0,0],[1,2],[0,1]]");
  EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  EXPECT_EQ(t.problem.layout, Layout::NCHW);
  EXPECT_EQ(crops(t.problem), (Crop4{1, 1, 0, 0}));
  auto params = parse_param_text(tf_convention(), "output_shape=1,5,7,4 padding=[[1,0],[1,2],[0,1],[0,0]]");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(tf_convention().translate(*params).error_key, "padding");
}

TEST(Tf, ChannelMismatchesAreInvalid) {
  auto t = translate_text(tf_convention(), "input_shape=1,3,3,5 filters_shape=3,3,4,2 output_shape=1,6,6,4 strides=2");
  EXPECT_EQ(t.invalid_reason.rfind("tf_channels_mismatch: ", 0), 0u) << t.invalid_reason;
  t = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,6,3 strides=2");
  EXPECT_EQ(t.invalid_reason.rfind("tf_output_shape_mismatch: output_shape batch", 0), 0u) << t.invalid_reason;
}

TEST(Tf, OutputShapeIsRequired) {
  auto params = parse_param_text(tf_convention(), "strides=2");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(tf_convention().translate(*params).error_key, "output_shape");
}

TEST(Tf, ReversePrefersSameThenValidThenExplicit) {
  auto p = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,6,4 strides=2 padding=SAME").problem;
  EXPECT_NE(tf_equivalent(p).params.find("padding=SAME"), std::string::npos);
  p.crop_top = 1;  // crops (1, 0): only an explicit padding [1, e..e+s-1] does it
  p.crop_bottom = 0;
  const Equivalent e = tf_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_NE(e.params.find("padding=[[0,0],[1,0],[0,1],[0,0]]"), std::string::npos) << e.params;
  p.crop_top = -1;
  const Equivalent neg = tf_equivalent(p);
  EXPECT_FALSE(neg.exact);
  EXPECT_NE(neg.construction.find("add 1 row holding only the bias at the top"), std::string::npos) << neg.construction;
  p.crop_top = 0;
  p.crop_bottom = -2;  // extends by stride rows: beyond TF's output-size check
  EXPECT_FALSE(tf_equivalent(p).exact);
  p.crop_bottom = -1;
  EXPECT_TRUE(tf_equivalent(p).exact);
}

}  // namespace
}  // namespace tconv::conventions
