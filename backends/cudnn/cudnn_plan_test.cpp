#include "backends/cudnn/cudnn_plan.h"

#include <gtest/gtest.h>

#include "conformance/conventions/framework_conventions.h"
#include "conformance/conventions/test_params.h"

namespace tconv::cudnn {
namespace {

Problem keras_unet_up6() {  // Keras Conv2DTranspose(128, 2, strides=2, padding="same") on 8x8x256
  return conventions::testing::translate_text(conventions::keras_convention(),
                                              "filters=128 kernel_size=2 strides=2 padding=same input_shape=8,8,8,256")
      .problem;
}

TEST(CudnnPlan, EachDirectionMapsToItsCudnnCall) {
  EXPECT_EQ(conv_op_for(Direction::fwd), ConvOp::backward_data);
  EXPECT_EQ(conv_op_for(Direction::bwd_data), ConvOp::forward);
  EXPECT_EQ(conv_op_for(Direction::bwd_weights), ConvOp::backward_filter);
  EXPECT_EQ(conv_op_for(Direction::bwd_bias), ConvOp::bias_reduction);
  EXPECT_STREQ(cudnn_call_name(ConvOp::backward_data), "cudnnConvolutionBackwardData");
}

TEST(CudnnPlan, KerasUnetLayerUsesKrscFilterAndNhwcTensors) {
  const Problem p = keras_unet_up6();
  ASSERT_EQ(p.layout, Layout::NHWC);
  const ConvPlan pl = make_plan(p, Direction::fwd);
  EXPECT_EQ(pl.data_layout, Layout::NHWC);
  EXPECT_EQ(pl.filter_layout, Layout::IHWO);  // KRSC
  EXPECT_TRUE(pl.filter_converted);           // the Keras kernel (kH, kW, C_out, C_in) is permuted
  EXPECT_EQ(pl.small, (TensorShape{8, 256, 8, 8}));
  EXPECT_EQ(pl.large, (TensorShape{8, 128, 16, 16}));
  EXPECT_EQ(pl.k, 256);
  EXPECT_EQ(pl.c, 128);
  EXPECT_EQ(pl.r, 2);
  EXPECT_EQ(pl.u, 2);
  EXPECT_EQ(pl.pad_h, 0);
  EXPECT_FALSE(pl.staged);
  EXPECT_TRUE(pl.bias);
  EXPECT_EQ(inconsistency(pl), "");
}

TEST(CudnnPlan, SameConvolutionServesAllThreeDirections) {
  Problem p;
  p.n = 2, p.c_in = 6, p.c_out = 4, p.groups = 2, p.h_in = 5, p.w_in = 4, p.kh = 3, p.kw = 2;
  p.stride_h = 2, p.crop_top = 1, p.crop_bottom = 0;
  const ConvPlan f = make_plan(p, Direction::fwd), b = make_plan(p, Direction::bwd_data),
                 w = make_plan(p, Direction::bwd_weights);
  for (const ConvPlan* pl : {&f, &b, &w}) {
    EXPECT_EQ(pl->large, (TensorShape{2, 4, p.h_out(), p.w_out()}));
    EXPECT_EQ(pl->small, (TensorShape{2, 6, 5, 4}));
    EXPECT_EQ(pl->k, 6);
    EXPECT_EQ(pl->c, 2);
    EXPECT_EQ(pl->groups, 2);
    EXPECT_EQ(pl->filter_layout, Layout::IOHW);
    EXPECT_FALSE(pl->filter_converted);
    EXPECT_EQ(inconsistency(*pl), "") << describe(*pl);
  }
  EXPECT_EQ(w.op, ConvOp::backward_filter);
  EXPECT_FALSE(b.bias);  // only fwd adds the bias
  EXPECT_NE(describe(f).find("dgrad: dy NCHW [2,6,5,4] dx NCHW [2,4,10,5] filter KCRS k=6 c=2"), std::string::npos)
      << describe(f);
  EXPECT_NE(describe(b).find("fprop: x NCHW [2,4,10,5] y NCHW [2,6,5,4]"), std::string::npos) << describe(b);
}

TEST(CudnnPlan, AsymmetricAndNegativeCropsAreStaged) {
  Problem p;
  p.h_in = p.w_in = 8, p.kh = p.kw = 3, p.stride_h = p.stride_w = 2;
  p.crop_top = 0, p.crop_bottom = 1;   // Keras same: cuDNN cannot crop only the end
  p.crop_left = -1, p.crop_right = 2;  // negative crop: an extension
  const ConvPlan pl = make_plan(p, Direction::fwd);
  EXPECT_TRUE(pl.staged);
  EXPECT_EQ(pl.why_staged.size(), 2u);
  EXPECT_EQ(pl.rows, (Window1d{17, 16, 0}));
  EXPECT_EQ(pl.cols, (Window1d{17, 16, -1}));
  EXPECT_EQ(inconsistency(pl), "") << "the staging geometry must satisfy cuDNN's own size rule";
  EXPECT_NE(describe(pl).find("staged"), std::string::npos);
}

TEST(CudnnPlan, StagingProblemIsSymmetricAndDirect) {
  Problem p;
  p.h_in = 4, p.w_in = 5, p.kh = 3, p.kw = 4, p.stride_h = 3, p.stride_w = 2, p.dil_w = 2;
  p.crop_top = 3, p.crop_bottom = 0, p.crop_left = 1, p.crop_right = -1;
  const Problem s = staging_problem(p);
  EXPECT_EQ(s.crop_top, s.crop_bottom);
  EXPECT_EQ(s.crop_left, s.crop_right);
  EXPECT_FALSE(make_plan(s, Direction::fwd).staged);
  const ConvPlan pl = make_plan(p, Direction::fwd);
  EXPECT_EQ(s.h_out(), pl.rows.staging);
  EXPECT_EQ(s.w_out(), pl.cols.staging);
  Problem direct;
  direct.crop_top = direct.crop_bottom = 0;
  EXPECT_EQ(staging_problem(direct), direct);
}

TEST(CudnnPlan, WrongFilterKIsExplainedInTheTransposedLayersTerms) {
  ConvPlan pl = make_plan(keras_unet_up6(), Direction::fwd);
  pl.k = 128;  // the classic port: K and C swapped
  pl.c = 256;
  EXPECT_EQ(inconsistency(pl),
            "filter K=128 must equal dy channels 256: the filter's K and C are the transposed layer's C_in and "
            "C_out/groups");
}

TEST(CudnnPlan, InconsistenciesNameTheRule) {
  const ConvPlan good = make_plan(keras_unet_up6(), Direction::bwd_data);
  ConvPlan pl = good;
  pl.c = 64;
  EXPECT_NE(inconsistency(pl).find("filter C=64 times groups 1 must equal x channels 128"), std::string::npos)
      << inconsistency(pl);
  pl = good;
  pl.filter_layout = Layout::IOHW;  // KCRS filter with NHWC data
  EXPECT_NE(inconsistency(pl).find("must be permuted to KRSC"), std::string::npos) << inconsistency(pl);
  pl = good;
  pl.large.h = 17;  // output_padding 1 on a stride-2, k=2 layer: still rounds to 8
  EXPECT_EQ(inconsistency(pl), "");
  pl.large.h = 18;  // output_padding 2 >= stride
  EXPECT_NE(inconsistency(pl).find("gives a forward output of 9x8, not y's 8x8"), std::string::npos)
      << inconsistency(pl);
  pl = good;
  pl.pad_h = -1;
  EXPECT_NE(inconsistency(pl).find("negative"), std::string::npos);
}

}  // namespace
}  // namespace tconv::cudnn
