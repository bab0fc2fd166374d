#include "backends/cuda/device_info.h"

#include <gtest/gtest.h>

namespace tconv::cuda {
namespace {

TEST(CudaDevice, ReportsRuntimeAndExplainsMissingDevices) {
  const DeviceReport r = query_devices();
  EXPECT_GT(r.runtime_version, 0) << "the CUDA runtime this build links must report its version";
  if (r.gpus.empty()) {
    EXPECT_FALSE(r.why_none.empty()) << "no GPU and no reason given";
  }
  for (const GpuInfo& g : r.gpus) {
    EXPECT_FALSE(g.name.empty());
    EXPECT_GT(g.memory_gib, 0.0);
  }
}

TEST(CudaDevice, RunsAKernel) {
  const DeviceReport r = query_devices();
  if (r.gpus.empty()) GTEST_SKIP() << "no GPU on this machine: " << r.why_none;
  EXPECT_EQ(device_smoke_test(), Status::Ok());
}

}  // namespace
}  // namespace tconv::cuda
