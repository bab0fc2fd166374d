#include "conformance/conventions/keras.h"

#include <gtest/gtest.h>

#include "conformance/conventions/pytorch_equivalent.h"
#include "conformance/conventions/test_params.h"

namespace tconv::conventions {
namespace {

using testing::crops;
using testing::translate_text;
using Crop4 = std::array<std::int64_t, 4>;

TEST(Keras, OutputLengthsFollowKerasFormulas) {
  // valid, None: (in-1)*s + max(k_eff, s); same, None: in*s.
  EXPECT_EQ(keras_output_length(8, 3, 2, 1, false, std::nullopt), 17);
  EXPECT_EQ(keras_output_length(8, 1, 3, 1, false, std::nullopt), 24);  // k < s: max picks s
  EXPECT_EQ(keras_output_length(8, 3, 2, 1, true, std::nullopt), 16);
  // with output_padding: valid (in-1)*s + k_eff + op; same (in-1)*s + k_eff % 2 + op.
  EXPECT_EQ(keras_output_length(8, 3, 2, 1, false, 1), 18);
  EXPECT_EQ(keras_output_length(8, 4, 2, 1, true, 1), 15);
  EXPECT_EQ(keras_output_length(8, 3, 1, 2, true, 0), 8);  // k_eff 5: odd
}

TEST(Keras, SameK3S2CropsTheEndNotTheBegin) {
  // The famous one-pixel shift: Keras crops 0 at the top and 1 at the bottom.
  EXPECT_EQ(keras_crops(8, 3, 2, 1, true, std::nullopt), (Crops{0, 1}));
  EXPECT_EQ(keras_crops(8, 4, 2, 1, true, std::nullopt), (Crops{1, 1}));
  EXPECT_EQ(keras_crops(8, 5, 2, 1, true, std::nullopt), (Crops{1, 2}));
  EXPECT_EQ(keras_crops(8, 1, 2, 1, true, std::nullopt), (Crops{0, -1}));  // total -1 extends the end
  EXPECT_EQ(keras_crops(8, 3, 2, 1, true, 0), (Crops{1, 1}));             // odd k_eff, op 0: 15 rows
}

TEST(Keras, ValidNeverCropsTheBegin) {
  EXPECT_EQ(keras_crops(5, 3, 2, 1, false, std::nullopt), (Crops{0, 0}));
  EXPECT_EQ(keras_crops(5, 2, 3, 1, false, std::nullopt), (Crops{0, -1}));  // k < s: 1 bias-only row
  EXPECT_EQ(keras_crops(5, 3, 2, 1, false, 1), (Crops{0, -1}));
}

TEST(Keras, TranslationSetsLayoutsAndSizes) {
  const Translation t = translate_text(keras_convention(),
                                       "filters=128 kernel_size=2 strides=2 padding=same input_shape=8,8,8,256");
  ASSERT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
  const Problem& p = t.problem;
  EXPECT_EQ(p.layout, Layout::NHWC);
  EXPECT_EQ(p.weight_layout, Layout::HWOI);
  EXPECT_EQ(p.n, 8);
  EXPECT_EQ(p.c_in, 256);
  EXPECT_EQ(p.c_out, 128);
  EXPECT_EQ(p.h_out(), 16);
  EXPECT_EQ(crops(p), (Crop4{0, 0, 0, 0}));

  const Translation first = translate_text(keras_convention(),
                                           "filters=4 kernel_size=3,1 strides=2,1 padding=same data_format=channels_first use_bias=false input_shape=2,3,5,7");
  EXPECT_EQ(first.problem.layout, Layout::NCHW);
  EXPECT_EQ(first.problem.weight_layout, Layout::HWOI);  // the Keras kernel is HWOI in both formats
  EXPECT_EQ(first.problem.c_in, 3);
  EXPECT_EQ(first.problem.h_in, 5);
  EXPECT_EQ(first.problem.w_in, 7);
  EXPECT_FALSE(first.problem.bias);
  EXPECT_EQ(crops(first.problem), (Crop4{0, 1, 0, 0}));
}

TEST(Keras, OwnRejections) {
  const Translation op = translate_text(keras_convention(), "kernel_size=3 strides=2,3 output_padding=1,3");
  EXPECT_EQ(op.invalid_reason.rfind("keras_output_padding_not_below_strides: ", 0), 0u) << op.invalid_reason;
  // PyTorch accepts op < dilation; Keras does not.
  const Translation by_dilation = translate_text(keras_convention(), "kernel_size=3 strides=1 dilation_rate=2 output_padding=1");
  EXPECT_EQ(by_dilation.invalid_reason.rfind("keras_output_padding_not_below_strides: ", 0), 0u);
  // strides > 1 with dilation > 1, even in different dimensions.
  const Translation mixed = translate_text(keras_convention(), "kernel_size=3 strides=2,1 dilation_rate=1,2");
  EXPECT_EQ(mixed.invalid_reason.rfind("keras_strides_with_dilation: ", 0), 0u) << mixed.invalid_reason;
  EXPECT_TRUE(translate_text(keras_convention(), "kernel_size=3 strides=1 dilation_rate=2").invalid_reason.empty());
  EXPECT_TRUE(translate_text(keras_convention(), "kernel_size=3 strides=2 output_padding=None").invalid_reason.empty());
}

TEST(Keras, ReverseFindsTheSimplestExactLayer) {
  Problem p = translate_text(keras_convention(), "filters=4 kernel_size=3 strides=2 padding=same input_shape=1,8,8,2").problem;
  Equivalent e = keras_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_EQ(e.params, "filters=4 kernel_size=3 strides=2 padding=same input_shape=1,8,8,2");
  EXPECT_NE(e.call.find("padding=\"same\""), std::string::npos) << e.call;

  // PyTorch p=1 op=1 crops (1, 0): valid never crops the begin and same never crops the begin
  // more than the end, so no Keras layer does it.
  p.crop_top = p.crop_left = 1;
  p.crop_bottom = p.crop_right = 0;
  e = keras_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.construction.find("remove 1 row at the top"), std::string::npos) << e.construction;
}

TEST(Keras, GroupsAndStridedDilationHaveNoKerasLayer) {
  Problem p;
  p.c_in = 4;
  p.c_out = 4;
  p.groups = 2;
  p.kh = p.kw = 3;
  EXPECT_EQ(keras_equivalent(p).reason, "Keras Conv2DTranspose has no groups");
  p.groups = 1;
  p.stride_h = 2;
  p.dil_w = 2;
  const Equivalent e = keras_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.construction.find("kernel 3x5"), std::string::npos) << e.construction;
}

TEST(Keras, SameK3S2HasNoExactPytorchCall) {
  const Problem p = translate_text(keras_convention(), "filters=1 kernel_size=3 strides=2 padding=same input_shape=1,8,8,1").problem;
  const Equivalent e = pytorch_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.reason.find("output_padding -1"), std::string::npos) << e.reason;
  ASSERT_FALSE(e.notes.empty());
  bool shift_note = false;
  for (const auto& n : e.notes) shift_note |= n.find("padding=(1, 1), output_padding=(1, 1)") != std::string::npos &&
                                              n.find("starts 1 row lower and 1 column further right") != std::string::npos;
  EXPECT_TRUE(shift_note);
  EXPECT_NE(e.construction.find("padding=(0, 0)"), std::string::npos) << e.construction;
  EXPECT_NE(e.construction.find("remove 1 row at the bottom and remove 1 column at the right"), std::string::npos) << e.construction;
}

}  // namespace
}  // namespace tconv::conventions
