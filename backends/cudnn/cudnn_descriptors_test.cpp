#include "backends/cudnn/cudnn_descriptors.h"

#include <gtest/gtest.h>

#include "conformance/conventions/test_params.h"

namespace tconv::conventions {
namespace {

using testing::translate_text;

TEST(CudnnDescriptors, KerasUnetLayerNeedsTheKrscPermutation) {
  const Problem p = translate_text(keras_convention(), "filters=128 kernel_size=2 strides=2 padding=same input_shape=8,8,8,256").problem;
  const CudnnBackwardData m = cudnn_backward_data(p);
  EXPECT_TRUE(m.direct);
  EXPECT_EQ(m.pad_h, 0);
  EXPECT_EQ(m.u, 2);
  EXPECT_EQ(m.mode, "CUDNN_CROSS_CORRELATION");
  EXPECT_EQ(m.filter_format, "CUDNN_TENSOR_NHWC");
  EXPECT_EQ(m.filter_layout, Layout::IHWO);
  EXPECT_EQ(m.k, 256);  // K = C_in: dy's channels
  EXPECT_EQ(m.c, 128);
  EXPECT_EQ(m.weight_conversion, "np.transpose(w, (3, 0, 1, 2))");
  EXPECT_EQ(m.dy.format, "CUDNN_TENSOR_NHWC");
  EXPECT_EQ(m.dy.c, 256);
  EXPECT_EQ(m.dy.h, 8);
  EXPECT_EQ(m.dx.c, 128);
  EXPECT_EQ(m.dx.h, 16);
}

TEST(CudnnDescriptors, PytorchPaddingAndOutputPaddingMapDirectly) {
  Problem p;
  p.c_in = 6;
  p.c_out = 4;
  p.groups = 2;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.crop_top = p.crop_left = 1;
  p.crop_bottom = p.crop_right = 0;  // output_padding 1 < stride 2
  const CudnnBackwardData m = cudnn_backward_data(p);
  EXPECT_TRUE(m.direct);
  EXPECT_EQ(m.pad_h, 1);
  EXPECT_EQ(m.group_count, 2);
  EXPECT_EQ(m.k, 6);
  EXPECT_EQ(m.c, 2);
  EXPECT_EQ(m.filter_format, "CUDNN_TENSOR_NCHW");
  EXPECT_EQ(m.weight_conversion, "none (already IOHW)");
  EXPECT_EQ(m.dx.h, 10);
  // cuDNN's own check: floor((H_out + 2*pad - k_eff)/s) + 1 == H_in.
  EXPECT_EQ((m.dx.h + 2 * m.pad_h - 3) / m.u + 1, p.h_in);
}

TEST(CudnnDescriptors, BadParamReasons) {
  Problem p;
  p.h_in = p.w_in = 8;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.crop_bottom = 1;  // Keras same: (0, 1)
  p.crop_left = 2;
  p.crop_right = 0;  // output_padding 2 >= stride 2
  CudnnBackwardData m = cudnn_backward_data(p);
  EXPECT_FALSE(m.direct);
  ASSERT_EQ(m.bad_param.size(), 2u);
  EXPECT_NE(m.bad_param[0].find("asymmetric crop"), std::string::npos) << m.bad_param[0];
  EXPECT_NE(m.bad_param[1].find("output_padding >= stride"), std::string::npos) << m.bad_param[1];
  // Staging: pad min(b, e) clamped at 0; copy the window.
  EXPECT_EQ(m.pad_h, 0);
  EXPECT_EQ(m.dx.h, 17);  // full
  EXPECT_EQ(m.row_offset, 0);
  EXPECT_EQ(m.y_h, 16);
  EXPECT_EQ(m.pad_w, 0);
  EXPECT_EQ(m.col_offset, 2);
  p.crop_top = -1;
  m = cudnn_backward_data(p);
  EXPECT_NE(m.bad_param[0].find("negative pad"), std::string::npos) << m.bad_param[0];
  EXPECT_EQ(m.row_offset, -1);
}

TEST(CudnnDescriptors, FilterFormatFollowsStoredWeights) {
  Problem p;
  p.layout = Layout::NCHW;
  p.weight_layout = Layout::IHWO;
  EXPECT_EQ(cudnn_backward_data(p).filter_format, "CUDNN_TENSOR_NHWC");  // stored KRSC stays KRSC
  p.weight_layout = Layout::HWOI;
  EXPECT_EQ(cudnn_backward_data(p).filter_format, "CUDNN_TENSOR_NCHW");
  EXPECT_EQ(cudnn_backward_data(p).weight_conversion, "np.transpose(w, (3, 2, 0, 1))");
  p.dtype = DType::f16;
  EXPECT_EQ(cudnn_backward_data(p).data_type, "CUDNN_DATA_HALF");
  EXPECT_EQ(cudnn_backward_data(p).compute_type, "CUDNN_DATA_FLOAT");
}

}  // namespace
}  // namespace tconv::conventions
