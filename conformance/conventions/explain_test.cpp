#include "conformance/conventions/explain.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace tconv::conventions {
namespace {

std::string explain_ok(const std::string& from, const std::string& params, const std::string& shape = "") {
  auto r = explain({from, params, shape});
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? *r : "";
}

void expect_line(const std::string& text, const std::string& line) {
  EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
}

TEST(Explain, KerasUnetLayerOnCudnn) {
  const std::string t = explain_ok("keras", "filters=128 kernel_size=2 strides=2 padding=same", "8,8,256");
  expect_line(t, "repro:   n=1 ci=256 co=128 g=1 in=8x8 k=2x2 s=2x2 d=1x1 crop=0,0,0,0 bias=1 dt=f32 layout=NHWC wl=HWOI");
  expect_line(t, "y:       [1, 128, 16, 16] (N, C, H, W), stored NHWC as [1, 16, 16, 128]");
  expect_line(t, "pytorch: exact");
  expect_line(t, "torch.nn.ConvTranspose2d(256, 128, kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
  expect_line(t, "weights HWOI -> IOHW: np.transpose(w, (3, 2, 0, 1))");
  expect_line(t, "cudnnSetConvolution2dDescriptor(pad_h=0, pad_w=0, u=2, v=2, dilation_h=1, dilation_w=1, CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT)");
  expect_line(t, "filter: cudnnSetFilter4dDescriptor(CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC, k=256, c=128, r=2, s=2)  KRSC = tconv IHWO");
  expect_line(t, "weights HWOI -> IHWO: np.transpose(w, (3, 0, 1, 2))");
  expect_line(t, "dx: cudnnSetTensor4dDescriptor(CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, 1, 128, 16, 16)");
  expect_line(t, "strides {2, 2}, dilates {0, 0} (d - 1), padding_l {0, 0}, padding_r {0, 0}");
  EXPECT_EQ(t.find("  keras: "), std::string::npos);  // not its own equivalent
}

TEST(Explain, KerasSameK3S2IsAOnePixelShiftInPytorch) {
  const std::string t = explain_ok("keras", "filters=64 kernel_size=3 strides=2 padding=same", "16,16,32");
  expect_line(t, "crops:   top 0, bottom 1, left 0, right 1");
  expect_line(t, "pytorch: no exact equivalent");
  expect_line(t, "nearest call of the same output size: padding=(1, 1), output_padding=(1, 1)");
  expect_line(t, "tf: exact");
  expect_line(t, "padding=\"SAME\"");
  expect_line(t, "onnx: exact");
  expect_line(t, "pads=[0, 0, 1, 1]");
  expect_line(t, "the direct mapping gives CUDNN_STATUS_BAD_PARAM:");
  expect_line(t, "asymmetric crop");
  expect_line(t, "graph API (cudnn-frontend; tconv's graph variants with +pre_post): pre_padding={0, 0}, post_padding={1, 1}, "
                 "dx = y [1, 64, 32, 32]: no staging");
}

// A zero extension beyond the stride's allowance has no padding in either API: staging only.
TEST(Explain, ExtensionBeyondTheStrideIsStagedInBothApis) {
  const std::string t = explain_ok(
      "canonical", "n=1 c_in=8 c_out=4 input=10,10 kernel=3 stride=2 pad_top=0 pad_bottom=-2 pad_left=0 pad_right=-2");
  expect_line(t, "so run into a staging dx");
  EXPECT_EQ(t.find("graph API"), std::string::npos) << t;
}

TEST(Explain, OnnxSameLower) {
  const std::string t = explain_ok("onnx", "weight_shape=8,4,3,3 strides=2 auto_pad=SAME_LOWER", "8,10,10");
  expect_line(t, "crops:   top 1, bottom 0, left 1, right 0");
  expect_line(t, "pytorch: exact");
  expect_line(t, "padding=(1, 1), output_padding=(1, 1)");
  expect_line(t, "keras: no exact equivalent");
  expect_line(t, "cudnnSetConvolution2dDescriptor(pad_h=1, pad_w=1, u=2, v=2");
}

TEST(Explain, InvalidLayersSayWhy) {
  const std::string t = explain_ok("keras", "filters=4 kernel_size=3 strides=2 dilation_rate=2", "5,5,3");
  expect_line(t, "INVALID: keras_strides_with_dilation: ");
  const std::string p = explain_ok("pytorch", "c_out=2 kernel=3 stride=2 output_padding=2", "1,3,5,5");
  expect_line(p, "INVALID: output_padding_too_large: ");
}

TEST(Explain, BadInput) {
  EXPECT_EQ(explain({"kears", "filters=1", ""}).error(), "--from: unknown convention 'kears' (did you mean 'keras'?)");
  EXPECT_NE(explain({"keras", "filter=1", ""}).error().find("did you mean 'filters'"), std::string::npos);
  EXPECT_NE(explain({"keras", "filters=1", "8,8"}).error().find("--input-shape: give 3 sizes"), std::string::npos);
  EXPECT_NE(explain({"tf", "strides=2", "4,4,2"}).error().find("output_shape: "), std::string::npos);
}

TEST(Explain, InputShapeInEachConventionsOrder) {
  expect_line(explain_ok("pytorch", "c_out=4 kernel=3", "2,3,5,7"), "repro:   n=2 ci=3 co=4");
  expect_line(explain_ok("keras", "filters=4 data_format=channels_first", "3,5,7"), "in=5x7");
}

// The README shows `tconv explain` output; each shown block must be what explain prints now.
TEST(Explain, ReadmeExamplesAreCurrent) {
  std::ifstream in(std::string(TCONV_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string readme = buf.str();
  const std::regex block(R"(\$ tconv explain --from (\w+) \"([^\"]*)\" --input-shape ([0-9,]+)\n([\s\S]*?)```)");
  int checked = 0;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), block); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    EXPECT_EQ(explain_ok(m[1], m[2], m[3]), m[4].str()) << "README block for --from " << m[1] << " \"" << m[2] << "\"";
    ++checked;
  }
  EXPECT_GE(checked, 3) << "README.md should show the explain examples";
}

}  // namespace
}  // namespace tconv::conventions
