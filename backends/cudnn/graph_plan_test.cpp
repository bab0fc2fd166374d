// The graph API's attribute plan against the plan it comes from: same roles, shapes, padding
// and filter format, for every direction, on the conformance and random problems, with the
// legacy API's symmetric padding and with the graph API's pre / post padding.
#include "backends/cudnn/graph_plan.h"

#include <gtest/gtest.h>

#include <random>

#include "backends/cudnn/cudnn_descriptors.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/random_problem.h"
#include "conformance/conventions/framework_conventions.h"
#include "conformance/conventions/test_params.h"

namespace tconv::cudnn {
namespace {


Problem keras_unet_up6() {  // Keras Conv2DTranspose(128, 2, strides=2, padding="same") on 8x8x256
  return conventions::testing::translate_text(conventions::keras_convention(),
                                              "filters=128 kernel_size=2 strides=2 padding=same input_shape=8,8,8,256")
      .problem;
}

std::int64_t forward_out(std::int64_t in, std::int64_t pre, std::int64_t post, std::int64_t k, std::int64_t dil,
                         std::int64_t stride) {
  return (in + pre + post - (dil * (k - 1) + 1)) / stride + 1;
}

// Everything the graph API derives from the tensors must agree with the plan's descriptors.
void expect_matches_plan(const ConvPlan& pl) {
  SCOPED_TRACE(describe(pl));
  const GraphPlan g = make_graph_plan(pl);
  EXPECT_EQ(g.op, pl.op);
  EXPECT_EQ(g.x.uid, kLargeUid);
  EXPECT_EQ(g.w.uid, kFilterUid);
  EXPECT_EQ(g.y.uid, kSmallUid);
  EXPECT_EQ(g.x.dims, (std::array<std::int64_t, 4>{pl.large.n, pl.large.c, pl.large.h, pl.large.w}));
  EXPECT_EQ(g.y.dims, (std::array<std::int64_t, 4>{pl.small.n, pl.small.c, pl.small.h, pl.small.w}));
  EXPECT_EQ(g.w.dims, (std::array<std::int64_t, 4>{pl.k, pl.c, pl.r, pl.s}));
  // Groups are implied: X channels over W's C; the filter's K is Y's channels.
  EXPECT_EQ(g.x.dims[1], pl.groups * g.w.dims[1]);
  EXPECT_EQ(g.y.dims[1], g.w.dims[0]);
  EXPECT_EQ(g.pre_padding, (std::array<std::int64_t, 2>{pl.pad_h, pl.pad_w}));
  EXPECT_EQ(g.post_padding, (std::array<std::int64_t, 2>{pl.post_pad_h, pl.post_pad_w}));
  EXPECT_EQ(g.stride, (std::array<std::int64_t, 2>{pl.u, pl.v}));
  EXPECT_EQ(g.dilation, (std::array<std::int64_t, 2>{pl.dil_h, pl.dil_w}));
  // The shape cuDNN checks when it finalizes the operation: Y is the forward convolution of X.
  EXPECT_EQ(g.y.dims[2], forward_out(g.x.dims[2], g.pre_padding[0], g.post_padding[0], g.w.dims[2], g.dilation[0],
                                     g.stride[0]));
  EXPECT_EQ(g.y.dims[3], forward_out(g.x.dims[3], g.pre_padding[1], g.post_padding[1], g.w.dims[3], g.dilation[1],
                                     g.stride[1]));
  const bool nhwc = pl.data_layout == Layout::NHWC;
  for (const GraphTensor* t : {&g.x, &g.y}) EXPECT_EQ(t->strides, dense_strides(t->dims, nhwc));
  EXPECT_EQ(g.w.strides, dense_strides(g.w.dims, pl.filter_layout == Layout::IHWO));
  EXPECT_EQ(g.beta, pl.bias ? 1.0 : 0.0);
  EXPECT_EQ(g.compute, pl.dtype == DType::f64 ? DType::f64 : DType::f32);
}

TEST(GraphPlan, DenseStridesSpellTheMemoryFormat) {
  EXPECT_EQ(dense_strides({2, 3, 4, 5}, false), (std::array<std::int64_t, 4>{60, 20, 5, 1}));
  EXPECT_EQ(dense_strides({2, 3, 4, 5}, true), (std::array<std::int64_t, 4>{60, 1, 15, 3}));
}

TEST(GraphPlan, KerasUnetLayerIsABackwardDataGraphWithKrscFilter) {
  const ConvPlan pl = make_plan(keras_unet_up6(), Direction::fwd);
  const GraphPlan g = make_graph_plan(pl);
  EXPECT_EQ(g.op, ConvOp::backward_data);
  EXPECT_EQ(g.x.dims, (std::array<std::int64_t, 4>{8, 128, 16, 16}));                   // DX = y
  EXPECT_EQ(g.x.strides, (std::array<std::int64_t, 4>{16 * 16 * 128, 1, 16 * 128, 128}));  // NHWC
  EXPECT_EQ(g.w.dims, (std::array<std::int64_t, 4>{256, 128, 2, 2}));                     // K = C_in
  EXPECT_EQ(g.w.strides, (std::array<std::int64_t, 4>{2 * 2 * 128, 1, 2 * 128, 128}));    // KRSC
  EXPECT_EQ(g.y.dims, (std::array<std::int64_t, 4>{8, 256, 8, 8}));                       // DY = x
  EXPECT_EQ(g.pre_padding, (std::array<std::int64_t, 2>{0, 0}));
  EXPECT_EQ(g.stride, (std::array<std::int64_t, 2>{2, 2}));
  EXPECT_EQ(g.beta, 1.0);  // bias prefilled, accumulated once
  const std::string text = describe(g);
  EXPECT_NE(text.find("BACKWARD_DATA"), std::string::npos) << text;
  EXPECT_NE(text.find("DX(uid 1) [8,128,16,16]"), std::string::npos) << text;
}

TEST(GraphPlan, OperationPerDirectionAndBetaOnlyForBiasedFwd) {
  const Problem p = keras_unet_up6();
  EXPECT_EQ(make_graph_plan(make_plan(p, Direction::bwd_data)).op, ConvOp::forward);
  EXPECT_EQ(make_graph_plan(make_plan(p, Direction::bwd_weights)).op, ConvOp::backward_filter);
  EXPECT_EQ(make_graph_plan(make_plan(p, Direction::bwd_data)).beta, 0.0);
  EXPECT_EQ(make_graph_plan(make_plan(p, Direction::bwd_weights)).beta, 0.0);
  EXPECT_NE(std::string(graph_operation_name(ConvOp::backward_filter)).find("BACKWARD_FILTER"), std::string::npos);
}

constexpr PaddingForm kForms[] = {PaddingForm::symmetric, PaddingForm::pre_post};

TEST(GraphPlan, MatchesThePlanOnConformanceProblems) {
  for (const crosscheck::NamedProblem& np : crosscheck::conformance_problems()) {
    SCOPED_TRACE(np.name);
    for (PaddingForm form : kForms)
      for (Direction d : kConvDirections) expect_matches_plan(make_plan(np.problem, d, form));
  }
}

TEST(GraphPlan, MatchesThePlanOnRandomProblems) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    SCOPED_TRACE(to_repro(p));
    for (PaddingForm form : kForms)
      for (Direction d : kConvDirections) expect_matches_plan(make_plan(p, d, form));
  }
}

// Keras "same" with k3 s2 crops 0 rows before and 1 after: the legacy API stages it, the
// graph API pads 0 before and 1 after and runs on the problem's own y.
TEST(GraphPlan, KerasSameOddCropIsPrePostPaddedNotStaged) {
  const Problem p = conventions::testing::translate_text(
                        conventions::keras_convention(),
                        "filters=4 kernel_size=3 strides=2 padding=same input_shape=2,5,6,8")
                        .problem;
  ASSERT_EQ(p.crop_top, 0);
  ASSERT_EQ(p.crop_bottom, 1);
  for (Direction d : kConvDirections) {
    EXPECT_TRUE(make_plan(p, d).staged);
    const ConvPlan pl = make_plan(p, d, PaddingForm::pre_post);
    EXPECT_FALSE(pl.staged) << describe(pl);
    EXPECT_EQ(inconsistency(pl), "");
    const GraphPlan g = make_graph_plan(pl);
    EXPECT_EQ(g.pre_padding, (std::array<std::int64_t, 2>{0, 0}));
    EXPECT_EQ(g.post_padding, (std::array<std::int64_t, 2>{1, 1}));
    EXPECT_EQ(g.x.dims, (std::array<std::int64_t, 4>{2, 4, 10, 12}));  // the problem's y: no staging buffer
  }
}

// Pre / post padding stages only a dimension with a negative crop that the symmetric pad
// cannot take (output_padding >= stride, a negative begin); a dimension the symmetric pad maps
// keeps it, as PyTorch passes it to cuDNN; every plan satisfies cuDNN's size rule.
TEST(GraphPlan, PrePostPaddingStagesOnlyNegativeCropsTheSymmetricPadCannotTake) {
  std::mt19937_64 rng(13);
  int unstaged = 0;
  for (int i = 0; i < 400; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    SCOPED_TRACE(to_repro(p));
    auto expressible = [](std::int64_t b, std::int64_t e, std::int64_t s) {
      return conventions::symmetric_pad_maps(b, e, s) || (b >= 0 && e >= 0);
    };
    const bool needs_staging = !expressible(p.crop_top, p.crop_bottom, p.stride_h) ||
                               !expressible(p.crop_left, p.crop_right, p.stride_w);
    for (Direction d : kConvDirections) {
      const ConvPlan legacy = make_plan(p, d), pl = make_plan(p, d, PaddingForm::pre_post);
      EXPECT_EQ(pl.staged, needs_staging);
      EXPECT_EQ(inconsistency(pl), "") << describe(pl);
      if (!legacy.staged) {  // what maps symmetrically is left alone
        EXPECT_EQ(describe(pl), describe(legacy));
        EXPECT_EQ(pl.post_pad_h, pl.pad_h);
      }
      if (pl.staged) {
        EXPECT_EQ(describe(pl), describe(legacy));
      } else {
        EXPECT_EQ(pl.large, (TensorShape{p.n, p.c_out, p.h_out(), p.w_out()}));
        EXPECT_EQ(pl.pad_h == pl.post_pad_h, conventions::symmetric_pad_maps(p.crop_top, p.crop_bottom, p.stride_h));
        EXPECT_EQ(pl.pad_w == pl.post_pad_w, conventions::symmetric_pad_maps(p.crop_left, p.crop_right, p.stride_w));
      }
    }
    unstaged += make_plan(p, Direction::fwd).staged && !make_plan(p, Direction::fwd, PaddingForm::pre_post).staged;
  }
  EXPECT_GT(unstaged, 20) << "the random problems should have asymmetric crops the graph pads directly";
}

}  // namespace
}  // namespace tconv::cudnn
