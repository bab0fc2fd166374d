// Each translator's Translation::rule: the crop rule it applied, with this case's numbers
// (what a golden mismatch row names, next to the framework).
#include <gtest/gtest.h>

#include "conformance/conventions/test_params.h"
#include "conformance/suite/test_util.h"

namespace tconv::conventions {
namespace {

using testing::translate_text;

TEST(Rule, KerasSameSaysTheLargerHalfGoesToTheEnd) {
  // in 4, k 3, s 2: full 9, out 8, total 1 -> crops (0, 1).
  const auto t = translate_text(keras_convention(), "input_shape=1,4,4,2 filters=3 kernel_size=3 strides=2 padding=same");
  EXPECT_EQ(t.rule,
            "keras padding='same', output_padding=None: H and W: out in*s = 8, total crop (in-1)*s + k_eff - out = 9 - 8 = 1, "
            "begin = max(total, 0)//2 = 0, end = total - begin = 1 (larger half at the end)");
}

TEST(Rule, KerasValidNamesEachDimensionWhenTheyDiffer) {
  // H: k 2 < s 3: out 15 > full 14, one bias-only row; W: out = full = 11.
  const auto t = translate_text(keras_convention(), "input_shape=1,5,5,1 kernel_size=2,3 strides=3,2 padding=valid");
  EXPECT_EQ(t.rule,
            "keras padding='valid', output_padding=None: H: out (in-1)*s + max(k_eff, s) = 15, begin 0, "
            "end = (in-1)*s + k_eff - out = 14 - 15 = -1; W: out (in-1)*s + max(k_eff, s) = 11, begin 0, "
            "end = (in-1)*s + k_eff - out = 11 - 11 = 0");
}

TEST(Rule, OnnxNamesTheFloorDivisionSplit) {
  // test_convtranspose_output_shape: totals -1, NOTSET splits like SAME_LOWER.
  const auto t = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,2,3,3 strides=3,2 output_shape=10,8");
  EXPECT_EQ(t.rule,
            "onnx auto_pad=NOTSET, output_shape=(10, 8), output_padding=(0, 0): "
            "H: total = s*(in-1) + op + k_eff - out = 9 - 10 = -1, begin = total - total/2 = 0, end = total/2 = -1 (floor division); "
            "W: total = s*(in-1) + op + k_eff - out = 7 - 8 = -1, begin = total - total/2 = 0, end = total/2 = -1 (floor division)");
  const auto upper = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 auto_pad=SAME_UPPER");
  EXPECT_EQ(upper.rule,
            "onnx auto_pad=SAME_UPPER (output_shape = in*s), output_padding=(0, 0): H and W: total = s*(in-1) + op + k_eff - out = "
            "7 - 6 = 1, begin = total/2 = 0, end = total - begin = 1 (floor division)");
  const auto pads = translate_text(onnx_convention(), "input_shape=1,1,3,3 weight_shape=1,1,3,3 strides=2 pads=1,0,2,0 output_padding=1,1");
  EXPECT_EQ(pads.rule,
            "onnx auto_pad=NOTSET, pads=[1, 0, 2, 0], output_padding=(1, 1): H: begin = pads_begin = 1, end = pads_end - op = 1; "
            "W: begin = pads_begin = 0, end = pads_end - op = -1");
}

TEST(Rule, TfSameAndExplicit) {
  // in 3, k 3, s 2: full 7; out 6 (total 1) in H, 5 (total 2) in W.
  auto t = translate_text(tf_convention(), "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,6,5,4 strides=2 padding=SAME");
  EXPECT_EQ(t.rule,
            "tf padding=SAME: H: out 6, total crop (in-1)*s + k_eff - out = 7 - 6 = 1, begin = max(total, 0)//2 = 0, "
            "end = total - begin = 1 (larger half at the end); W: out 5, total crop (in-1)*s + k_eff - out = 7 - 5 = 2, "
            "begin = max(total, 0)//2 = 1, end = total - begin = 1 (larger half at the end)");
  t = translate_text(tf_convention(),
                     "input_shape=1,3,3,2 filters_shape=3,3,4,2 output_shape=1,5,7,4 strides=2 padding=[[0,0],[1,2],[0,1],[0,0]]");
  EXPECT_EQ(t.rule,
            "tf padding=[[0, 0], [1, 2], [0, 1], [0, 0]]: H: out 5, begin = pad_begin = 1, end = (in-1)*s + k_eff - begin - out = "
            "7 - 1 - 5 = 1; W: out 7, begin = pad_begin = 0, end = (in-1)*s + k_eff - begin - out = 7 - 0 - 7 = 0");
}

TEST(Rule, PytorchPaddingAndOutputPadding) {
  auto t = translate_text(pytorch_convention(), "input=5,7 kernel=3,4 stride=2,3 padding=1,2 output_padding=1,0");
  EXPECT_EQ(t.rule, "pytorch padding (1, 2), output_padding (1, 0): crop begin = p, end = p - op: H: begin 1, end 0; W: begin 2, end 2");
  // output_size chooses output_padding: min size 9, so 10 means op 1.
  t = translate_text(pytorch_convention(), "input=5,5 kernel=3 stride=2 padding=1 output_size=10,9");
  EXPECT_EQ(t.rule,
            "pytorch padding (1, 1), output_padding (1, 0) (output_size - min_size): crop begin = p, end = p - op: "
            "H: begin 1, end 0; W: begin 1, end 1");
}

TEST(Rule, CanonicalCropsAsWritten) {
  const auto t = translate_text(canonical_convention(), "input=5,5 kernel=3 crop=1,0,-1,2");
  EXPECT_EQ(t.rule, "canonical crops as written: top 1, bottom 0, left -1, right 2");
}

TEST(Rule, TheCaseCarriesIt) {
  const Suite s = suite::testing::parse_ok(R"(
cases:
  - {name: a, convention: keras, input_shape: [1, 4, 4, 2], filters: 3, kernel_size: 3, strides: 2, padding: same}
)");
  ASSERT_EQ(s.cases.size(), 1u);
  EXPECT_EQ(s.cases[0].origin.at("convention"), "keras");
  EXPECT_EQ(s.cases[0].convention_rule.rfind("keras padding='same'", 0), 0u) << s.cases[0].convention_rule;
}

}  // namespace
}  // namespace tconv::conventions
