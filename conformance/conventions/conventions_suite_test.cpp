// cases/conventions.yaml covers every translation rule: each case below must translate to the
// crops (or the INVALID reason) its framework's rule gives.
#include <gtest/gtest.h>

#include <map>

#include "conformance/suite.h"

namespace tconv {
namespace {

using Crop4 = std::array<std::int64_t, 4>;

const Suite& conventions_suite() {
  static const Suite suite = [] {
    auto s = load_suite(std::string(TCONV_SOURCE_DIR) + "/cases/conventions.yaml");
    EXPECT_TRUE(s.ok()) << s.error();
    return s.ok() ? *s : Suite{};
  }();
  return suite;
}

const Case& get(const std::string& name) {
  for (const Case& c : conventions_suite().cases)
    if (c.name == name) return c;
  ADD_FAILURE() << "cases/conventions.yaml has no case " << name;
  static const Case none;
  return none;
}

Crop4 crops(const std::string& name) {
  const Problem& p = get(name).problem;
  EXPECT_TRUE(get(name).invalid_reason.empty()) << name << ": " << get(name).invalid_reason;
  return {p.crop_top, p.crop_bottom, p.crop_left, p.crop_right};
}

TEST(ConventionsSuite, KerasRules) {
  EXPECT_EQ(crops("keras_unet_up6"), (Crop4{0, 0, 0, 0}));
  EXPECT_EQ(get("keras_unet_up6").problem.y_dims(), (Dims{2, 128, 16, 16}));
  EXPECT_EQ(crops("keras_same_k3_s2"), (Crop4{0, 1, 0, 1}));
  EXPECT_EQ(crops("keras_same_k4_s2"), (Crop4{1, 1, 1, 1}));
  EXPECT_EQ(crops("keras_same_k5_s2"), (Crop4{1, 2, 1, 2}));
  EXPECT_EQ(crops("keras_same_kernel_below_stride"), (Crop4{0, -1, 0, -1}));
  EXPECT_EQ(crops("keras_valid_kernel_below_stride"), (Crop4{0, -1, 0, -1}));
  EXPECT_EQ(crops("keras_valid_output_padding_0"), (Crop4{0, 0, 0, 0}));
  EXPECT_EQ(crops("keras_valid_output_padding"), (Crop4{0, -1, 0, -2}));
  EXPECT_EQ(crops("keras_same_output_padding"), (Crop4{1, 1, 1, 2}));
  EXPECT_EQ(crops("keras_dilation_same"), (Crop4{2, 2, 2, 2}));
  EXPECT_EQ(get("keras_channels_first").problem.layout, Layout::NCHW);
  EXPECT_EQ(get("keras_channels_first").problem.weight_layout, Layout::HWOI);
  EXPECT_EQ(get("keras_same_k3_s2").problem.layout, Layout::NHWC);
  EXPECT_FALSE(get("keras_no_bias_f16").problem.bias);
  EXPECT_EQ(get("keras_rejects_output_padding_at_stride").invalid_reason.rfind("keras_output_padding_not_below_strides: ", 0), 0u);
  EXPECT_EQ(get("keras_rejects_strides_with_dilation").invalid_reason.rfind("keras_strides_with_dilation: ", 0), 0u);
}

TEST(ConventionsSuite, TfRules) {
  EXPECT_EQ(crops("tf_same_odd_total"), (Crop4{0, 1, 1, 1}));
  EXPECT_EQ(crops("tf_same_kernel_below_stride"), (Crop4{0, -1, 1, 1}));
  EXPECT_EQ(crops("tf_valid_extended"), (Crop4{0, -1, 0, 0}));
  EXPECT_EQ(crops("tf_explicit_padding"), (Crop4{1, 1, 0, 0}));
  EXPECT_EQ(crops("tf_explicit_padding_nchw"), (Crop4{2, 1, 0, 1}));
  EXPECT_EQ(crops("tf_dilations"), (Crop4{2, 2, 2, 2}));
  EXPECT_EQ(get("tf_rejects_output_shape").invalid_reason.rfind("tf_output_shape_mismatch: ", 0), 0u);
}

TEST(ConventionsSuite, OnnxRules) {
  EXPECT_EQ(crops("onnx_pads_asymmetric"), (Crop4{2, 0, 0, -1}));
  EXPECT_EQ(crops("onnx_same_upper"), (Crop4{0, 1, 0, 1}));
  EXPECT_EQ(crops("onnx_same_lower"), (Crop4{1, 0, 1, 0}));
  EXPECT_EQ(crops("onnx_output_shape_negative_total"), (Crop4{0, -1, 0, -1}));
  EXPECT_EQ(crops("onnx_same_upper_negative_total"), (Crop4{-1, 0, -1, 0}));
  EXPECT_EQ(crops("onnx_output_shape_notset"), (Crop4{2, 1, 2, 1}));
  EXPECT_EQ(crops("onnx_output_shape_with_output_padding"), (Crop4{1, -1, 1, -1}));
  EXPECT_EQ(crops("onnx_valid_output_padding"), (Crop4{0, -1, 0, 0}));
  EXPECT_EQ(get("onnx_group_dilation").problem.groups, 2);
  EXPECT_EQ(get("onnx_rejects_kernel_shape").invalid_reason.rfind("onnx_kernel_shape_mismatch: ", 0), 0u);
}

TEST(ConventionsSuite, PytorchAndCanonicalRules) {
  EXPECT_EQ(crops("torch_p1_op1"), (Crop4{1, 0, 1, 0}));
  EXPECT_EQ(crops("torch_output_padding_below_dilation"), (Crop4{1, 0, 1, 0}));
  EXPECT_EQ(crops("torch_output_size"), (Crop4{1, 0, 1, -1}));
  EXPECT_EQ(get("torch_rejects_output_padding").invalid_reason.rfind("output_padding_too_large: ", 0), 0u);
  EXPECT_EQ(crops("canonical_negative_and_asymmetric"), (Crop4{-1, 2, 0, -3}));
}

TEST(ConventionsSuite, GridsCoverEveryModeAndEveryConvention) {
  std::map<std::string, int> conventions, invalid;
  for (const Case& c : conventions_suite().cases) {
    ++conventions[c.origin.at("convention")];
    if (!c.invalid_reason.empty()) ++invalid[c.invalid_reason.substr(0, c.invalid_reason.find(':'))];
  }
  for (const char* name : {"keras", "tf", "onnx", "pytorch", "canonical"}) EXPECT_GT(conventions[name], 0) << name;
  EXPECT_GT(invalid["keras_output_padding_not_below_strides"], 3);  // from the Keras grid
  EXPECT_GE(conventions["keras"], 50);
  EXPECT_GE(conventions["onnx"], 30);  // the grid minus modes that coincide (removed as duplicates)
}

}  // namespace
}  // namespace tconv
