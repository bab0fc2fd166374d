// check() and run() without a GPU (clean answers, never a hard failure), and targeted GPU
// tests that skip with query_devices()'s reason when there is none.
#include "backends/cudnn/cudnn_backend.h"

#include <gtest/gtest.h>

#include "backends/cudnn/cudnn_plan.h"
#include "backends/cudnn/device_context.h"
#include "backends/naive/oracle.h"
#include "backends/testing/backend_conformance.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv::cudnn {
namespace {

std::unique_ptr<Backend> make(const std::string& variant) {
  Result<std::unique_ptr<Backend>> b = cudnn_backend_factory().create(variant);
  EXPECT_TRUE(b.ok()) << b.error();
  return std::move(b).value_or(nullptr);
}

Problem keras_unet_up6() {
  Problem p;
  p.n = 8, p.c_in = 256, p.c_out = 128, p.h_in = p.w_in = 8, p.kh = p.kw = 2, p.stride_h = p.stride_w = 2;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::HWOI;
  return p;
}

// Keras "same" with k3 s2: a crop of 0 before and 1 after, which the legacy API's symmetric
// padding cannot express and the graph API's pre / post padding can.
Problem keras_same_k3s2() {
  Problem p;
  p.n = 2, p.c_in = 8, p.c_out = 4, p.h_in = 5, p.w_in = 6, p.kh = p.kw = 3, p.stride_h = p.stride_w = 2;
  p.bias = true;
  p.crop_bottom = p.crop_right = 1;
  return p;
}

// Two lines of zero extension at the end with stride 2 (output_padding 2 >= stride): no
// padding expresses it, so every variant stages.
Problem extended_by_two() {
  Problem p = keras_same_k3s2();
  p.crop_bottom = p.crop_right = -2;
  return p;
}


// The problems the staging-time test below runs, as each API plans them.
TEST(CudnnBackendHost, WhatEachApiStages) {
  for (Direction d : kConvDirections) {
    for (PaddingForm form : {PaddingForm::symmetric, PaddingForm::pre_post}) {
      EXPECT_TRUE(make_plan(extended_by_two(), d, form).staged) << to_string(d);
      EXPECT_FALSE(make_plan(keras_unet_up6(), d, form).staged) << to_string(d);
    }
    EXPECT_TRUE(make_plan(keras_same_k3s2(), d, PaddingForm::symmetric).staged) << to_string(d);
    EXPECT_FALSE(make_plan(keras_same_k3s2(), d, PaddingForm::pre_post).staged) << to_string(d);
  }
  EXPECT_EQ(padding_form(parse_variant("legacy", nullptr).value()), PaddingForm::symmetric);
  EXPECT_EQ(padding_form(parse_variant("algo=BWD_DATA_ALGO_1", nullptr).value()), PaddingForm::symmetric);
  EXPECT_EQ(padding_form(parse_variant("default", nullptr).value()), PaddingForm::symmetric);
  EXPECT_EQ(padding_form(parse_variant("default+pre_post", nullptr).value()), PaddingForm::pre_post);
  EXPECT_EQ(padding_form(parse_variant("engine=0+pre_post", nullptr).value()), PaddingForm::pre_post);
}

TEST(CudnnBackendHost, DefaultVariantAcceptsEveryFloatConformanceProblem) {
  auto b = make("default");  // staging and host permutation leave nothing out
  for (const crosscheck::NamedProblem& np : crosscheck::conformance_problems())
    for (Direction d : kAllDirections) {
      if (is_integer(np.problem.dtype)) {
        EXPECT_FALSE(b->check(np.problem, d).ok()) << np.name;
        continue;
      }
      const Status s = b->check(np.problem, d);
      EXPECT_TRUE(s.ok()) << np.name << " " << to_string(d) << ": " << s.message;
    }
}

TEST(CudnnBackendHost, RejectionsNameTheRule) {
  Problem p = keras_unet_up6();
  auto pinned = make("algo=BWD_DATA_ALGO_1");
  EXPECT_TRUE(host_check(parse_variant("algo=BWD_DATA_ALGO_1", nullptr).value(), pinned->capabilities(), p,
                         Direction::fwd)
                  .ok());
  const Status s = pinned->check(p, Direction::bwd_data);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message,
            "variant algo=BWD_DATA_ALGO_1 is a cudnnConvolutionBackwardData algorithm: it runs the transposed fwd only");
  p.dtype = DType::f16;
  EXPECT_EQ(make("legacy+tf32")->check(p, Direction::fwd).message, "TF32 math applies to f32 data only");
  p.h_in = 0;
  EXPECT_NE(make("default")->check(p, Direction::fwd).message.find("invalid problem"), std::string::npos);
}

TEST(CudnnBackendHost, Tf32VariantDeclaresTf32Math) {
  const Problem p = keras_unet_up6();
  EXPECT_EQ(make("legacy+tf32")->math(p).name, tf32_math().name);
  EXPECT_EQ(make("algo=FWD_ALGO_GEMM+tf32")->math(p).name, tf32_math().name);
  EXPECT_EQ(make("default")->math(p).name, default_math(DType::f32).name);
}

TEST(CudnnBackendHost, RunWithoutGpuIsNoDeviceWithTheReason) {
  if (no_gpu_reason().empty()) GTEST_SKIP() << "this machine has a GPU";
  Problem p;
  p.c_in = 2, p.c_out = 3, p.h_in = p.w_in = 3, p.kh = p.kw = 2, p.stride_h = p.stride_w = 2;
  const InputSet in = make_inputs(p, {FillKind::integer, 1});
  HostTensor y = make_output(p, Direction::fwd);
  RunContext ctx;
  auto b = make("default");
  const Status s = b->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx);
  EXPECT_EQ(s.code, StatusCode::no_device);
  EXPECT_NE(s.message.find("no GPU"), std::string::npos) << s.message;
  EXPECT_FALSE(b->last_device_time_ms());
  EXPECT_TRUE(b->last_run_details().algorithm.empty());  // nothing ran, nothing to report
}

// GPU: the question behind the project, with a random filter and Keras's HWOI kernel.
TEST(CudnnBackendGpu, KerasUnetLayerWithRandomFilterMatchesTheOracle) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  const Problem p = keras_unet_up6();
  for (Direction d : kAllDirections) {
    SCOPED_TRACE(std::string(to_string(d)));
    const InputSet in = make_inputs(p, {FillKind::uniform, 11});
    HostTensor out = make_output(p, d);
    RunContext ctx;
    auto b = make("default");
    const Status s = b->run(p, d, with_output(in.operands(), d, out), ctx);
    ASSERT_TRUE(s.ok()) << s.message;
    const Comparison c = compare_to_reference(compute_reference(p, d, in.operands()), out, b->math(p));
    EXPECT_TRUE(c.passed()) << c.summary();
    EXPECT_TRUE(b->last_device_time_ms().has_value());
    // What the row's algorithm / workspace_bytes / deterministic columns show.
    const RunDetails r = b->last_run_details();
    EXPECT_FALSE(r.algorithm.empty());
    EXPECT_TRUE(r.workspace_bytes.has_value() && r.deterministic.has_value());
  }
}

// GPU: a problem that goes through a staging copy has it timed apart from the convolution
// (issue 16: the row's staging_ms, not in time_ms); a direct problem has no staging time. The
// Keras "same" crop is staged by default and pre / post padded by +pre_post, which must give
// the oracle's answer. The legacy variant's bias prefill is in the convolution's time, as the
// graph's separate add is.
TEST(CudnnBackendGpu, StagingCopyIsTimedApart) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  for (const char* variant : {"default", "default+pre_post", "legacy"})
    for (Direction d : kConvDirections) {
      SCOPED_TRACE(std::string(variant) + " " + std::string(to_string(d)));
      for (const Problem& p : {extended_by_two(), keras_same_k3s2(), keras_unet_up6()}) {
        const bool is_staged = make_plan(p, d, padding_form(parse_variant(variant, nullptr).value())).staged;
        const InputSet in = make_inputs(p, {FillKind::uniform, 5});
        HostTensor out = make_output(p, d);
        RunContext ctx;
        auto b = make(variant);
        const Status s = b->run(p, d, with_output(in.operands(), d, out), ctx);
        ASSERT_TRUE(s.ok()) << s.message;
        const Comparison c = compare_to_reference(compute_reference(p, d, in.operands()),
                                                  out, b->declared_math(p, d, b->last_run_details()));
        EXPECT_TRUE(c.passed()) << c.summary();
        const std::string algorithm = b->last_run_details().algorithm;
        EXPECT_EQ(algorithm.find(", staged") != std::string::npos, is_staged) << algorithm;
        const bool pre_post = std::string(variant) == "default+pre_post" && p.crop_top != p.crop_bottom && !is_staged;
        EXPECT_EQ(algorithm.find(", pre/post padding") != std::string::npos, pre_post) << algorithm;
        EXPECT_EQ(b->last_staging_time_ms().has_value(), is_staged);
        if (is_staged) {
          EXPECT_GE(*b->last_staging_time_ms(), 0.0);
        }
        EXPECT_TRUE(b->last_device_time_ms().has_value());
      }
    }
}

// GPU: a pinned algorithm that cuDNN does not implement for a problem is UNSUPPORTED in
// check(), never a failure in run().
TEST(CudnnBackendGpu, UnimplementedPinnedAlgorithmIsRejectedByCheck) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  Problem p;  // dilation 2 and stride 2: FFT bwd-data does not do either
  p.c_in = 3, p.c_out = 3, p.h_in = p.w_in = 5, p.kh = p.kw = 3, p.stride_h = p.stride_w = 2, p.dil_h = p.dil_w = 2;
  const Status s = make("algo=BWD_DATA_ALGO_FFT")->check(p, Direction::fwd);
  if (!s.ok()) {
    EXPECT_NE(s.message.find("algo=BWD_DATA_ALGO_FFT"), std::string::npos) << s.message;
  }
}

}  // namespace
}  // namespace tconv::cudnn
