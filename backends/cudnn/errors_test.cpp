#include "backends/cudnn/errors.h"

#include <gtest/gtest.h>

#include "backends/cudnn/check.h"

namespace tconv::cudnn {
namespace {

ConvPlan unet_plan() {
  Problem p;
  p.n = 8, p.c_in = 256, p.c_out = 128, p.h_in = p.w_in = 8, p.kh = p.kw = 2, p.stride_h = p.stride_w = 2;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::HWOI;
  return make_plan(p, Direction::fwd);
}

TEST(CudnnErrors, StatusNamesComeFromCudnnWithoutAGpu) {
  EXPECT_STREQ(cudnnGetErrorString(CUDNN_STATUS_BAD_PARAM), "CUDNN_STATUS_BAD_PARAM");
  EXPECT_STREQ(cudnnGetErrorString(CUDNN_STATUS_NOT_SUPPORTED), "CUDNN_STATUS_NOT_SUPPORTED");
}

TEST(CudnnErrors, BadParamNamesStatusCallPlaceCauseAndDescriptors) {
  ConvPlan pl = unet_plan();
  pl.k = 128;
  pl.c = 256;
  const Status s = cudnn_failure(CUDNN_STATUS_BAD_PARAM, "cudnnConvolutionBackwardData(handle, ...)",
                                 "/src/backends/cudnn/device_run.cpp", 42, &pl);
  EXPECT_EQ(s.code, StatusCode::error);
  EXPECT_EQ(s.message.find("CUDNN_STATUS_BAD_PARAM from cudnnConvolutionBackwardData(handle, ...) at device_run.cpp:42: "
                           "filter K=128 must equal dy channels 256: the filter's K and C are the transposed layer's "
                           "C_in and C_out/groups; descriptors: dgrad: dy NHWC [8,256,8,8] dx NHWC [8,128,16,16] "
                           "filter KRSC k=128 c=256"),
            0u)
      << s.message;
}

TEST(CudnnErrors, StatusCodesFollowTheLibraryStatus) {
  EXPECT_EQ(status_code_for("CUDNN_STATUS_NOT_SUPPORTED"), StatusCode::unsupported);
  EXPECT_EQ(status_code_for("CUDNN_STATUS_NOT_SUPPORTED_SHAPE"), StatusCode::unsupported);
  EXPECT_EQ(status_code_for("CUDNN_STATUS_ALLOC_FAILED"), StatusCode::out_of_memory);
  EXPECT_EQ(status_code_for("cudaErrorMemoryAllocation"), StatusCode::out_of_memory);
  EXPECT_EQ(status_code_for("cudaErrorNoDevice"), StatusCode::no_device);
  EXPECT_EQ(status_code_for("CUDNN_STATUS_EXECUTION_FAILED"), StatusCode::error);
}

TEST(CudnnErrors, ConsistentDescriptorsGetTheStatusMeaning) {
  const ConvPlan pl = unet_plan();
  EXPECT_NE(likely_cause("CUDNN_STATUS_NOT_SUPPORTED", &pl).find("another algo variant"), std::string::npos);
  EXPECT_NE(likely_cause("CUDNN_STATUS_EXECUTION_FAILED", nullptr).find("compute-sanitizer"), std::string::npos);
  EXPECT_NE(likely_cause("CUDNN_STATUS_BAD_PARAM", &pl).find("compute type"), std::string::npos);
  const Status s = cuda_failure(cudaErrorMemoryAllocation, "cudaMalloc(&p, n)", "x/raii.cpp", 7);
  EXPECT_EQ(s.code, StatusCode::out_of_memory);
  EXPECT_EQ(s.message.find("cudaErrorMemoryAllocation from cudaMalloc(&p, n) at raii.cpp:7: device memory exhausted"),
            0u)
      << s.message;
}

}  // namespace
}  // namespace tconv::cudnn
