// The backend's host side: capabilities per variant, check() texts, run() without a GPU, and
// the CUDA error messages.
#include "backends/cuda/cuda_backend.h"

#include <gtest/gtest.h>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/device_context.h"
#include "conformance/fill.h"

namespace tconv::cuda {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::unique_ptr<Backend> make(const std::string& variant) {
  Result<std::unique_ptr<Backend>> b = cuda_backend_factory().create(variant);
  EXPECT_TRUE(b.ok()) << b.error();
  return std::move(b).value_or(nullptr);
}

TEST(CudaBackend, FactoryNamesVariantsAndRejectsUnknownOnes) {
  const BackendFactory f = cuda_backend_factory();
  EXPECT_EQ(f.name, "cuda");
  EXPECT_EQ(f.variants(), cuda_variant_names());
  const std::string error = f.create("nope").error();
  EXPECT_TRUE(contains(error, "nope")) << error;
  EXPECT_EQ(make("")->variant(), "default");
}

TEST(CudaBackend, CapabilitiesFollowTheVariant) {
  const Capabilities def = make("default")->capabilities();
  EXPECT_TRUE(def.on_device);
  EXPECT_TRUE(def.deterministic);
  EXPECT_EQ(def.dtypes.size(), 4u);
  EXPECT_EQ(def.weight_layouts.size(), 4u);
  EXPECT_EQ(def.layouts.size(), 2u);
  EXPECT_EQ(def.directions.size(), 4u);
  const Capabilities wg = make("bwd_weights_gemm")->capabilities();
  EXPECT_EQ(wg.directions, std::vector<Direction>{Direction::bwd_weights});
  EXPECT_EQ(std::count(wg.dtypes.begin(), wg.dtypes.end(), DType::f64), 0);
  EXPECT_EQ(make("gather")->capabilities().directions.size(), 4u);
}

TEST(CudaBackend, CheckAnswersWithTheFirstReason) {
  Problem p;
  p.c_in = 2, p.c_out = 3, p.h_in = 4, p.w_in = 4, p.kh = 3, p.kw = 3, p.stride_h = 2, p.stride_w = 2;
  p.weight_layout = Layout::HWOI;
  for (Direction d : kAllDirections) EXPECT_TRUE(make("default")->check(p, d).ok()) << to_string(d);
  EXPECT_TRUE(make("gather")->check(p, Direction::bwd_bias).ok());
  const Status s = make("bwd_weights_gemm")->check(p, Direction::fwd);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.message, "direction fwd not implemented")) << s.message;
  p.dtype = DType::f64;
  EXPECT_TRUE(make("default")->check(p, Direction::bwd_weights).ok());
  const Status f64 = make("bwd_weights_gemm")->check(p, Direction::bwd_weights);
  EXPECT_FALSE(f64.ok());
  EXPECT_TRUE(contains(f64.message, "dtype f64 not supported")) << f64.message;
  Problem bad = p;
  bad.c_in = 3, bad.groups = 2;
  EXPECT_TRUE(contains(make("default")->check(bad, Direction::fwd).message, "invalid problem"));
}

// Without a GPU run() says so (no_device) and reports no device time; with one it runs.
TEST(CudaBackend, RunWithoutAGpuIsNoDevice) {
  Problem p;
  p.c_in = 2, p.c_out = 2, p.h_in = 3, p.w_in = 3, p.kh = 2, p.kw = 2;
  const InputSet in = make_inputs(p, {FillKind::integer, 1});
  HostTensor y = make_output(p, Direction::fwd);
  auto b = make("default");
  RunContext ctx;
  const Status s = b->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, y), ctx);
  if (no_gpu_reason().empty()) {
    EXPECT_TRUE(s.ok()) << s.message;
    EXPECT_TRUE(b->last_device_time_ms().has_value());
  } else {
    EXPECT_EQ(s.code, StatusCode::no_device) << s.message;
    EXPECT_TRUE(contains(s.message, "no GPU")) << s.message;
    EXPECT_FALSE(b->last_device_time_ms().has_value());
  }
}

TEST(CudaBackend, RunRejectsMissingOperandsBeforeTouchingTheDevice) {
  Problem p;
  auto b = make("default");
  RunContext ctx;
  const Status s = b->run(p, Direction::fwd, Operands{}, ctx);
  EXPECT_EQ(s.code, StatusCode::invalid);
  EXPECT_TRUE(contains(s.message, "operand x is missing")) << s.message;
}

TEST(CudaBackend, CudaErrorsNameTheErrorTheCallAndWhere) {
  const Status s = cuda_error(cudaErrorMemoryAllocation, "cudaMalloc(&p, 64)", "/src/backends/cuda/x.cpp", 42);
  EXPECT_EQ(s.code, StatusCode::out_of_memory);
  EXPECT_TRUE(contains(s.message, "cudaErrorMemoryAllocation")) << s.message;
  EXPECT_TRUE(contains(s.message, "from cudaMalloc(&p, 64) at x.cpp:42")) << s.message;
  EXPECT_FALSE(contains(s.message, "/src/")) << s.message;
  EXPECT_EQ(cuda_error(cudaErrorNoDevice, "c", "f", 1).code, StatusCode::no_device);
  EXPECT_EQ(cuda_error(cudaErrorIllegalAddress, "c", "f", 1).code, StatusCode::error);
}

}  // namespace
}  // namespace tconv::cuda
