#include "conformance/results/ceilings.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// What tools/gpu/peak.py prints on a GPU machine.
constexpr const char* kGpuFile =
    "device NVIDIA_H200 -\n"
    "resident_threads 270336 threads\n"
    "copy_bandwidth 4191.0 GB/s\n"
    "gemm_f32 51.2 TFLOP/s\n"
    "gemm_tf32 380.5 TFLOP/s\n"
    "gemm_f16 750.0 TFLOP/s  # dense, 8192^3\n"
    "gemm_bf16 742.0 TFLOP/s\n";

TEST(Ceilings, ReadsTheGpuToolsLinesInGflops) {
  const auto c = parse_ceilings(kGpuFile, "peak.txt");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->device, "NVIDIA_H200");
  EXPECT_FALSE(c->host());
  EXPECT_DOUBLE_EQ(c->gemm_gflops.at("f32"), 51200.0);
  EXPECT_DOUBLE_EQ(c->gemm_gflops.at("tf32"), 380500.0);
  EXPECT_DOUBLE_EQ(c->gemm_gflops.at("f16"), 750000.0);
  EXPECT_DOUBLE_EQ(c->gemm_gflops.at("bf16"), 742000.0);
  EXPECT_DOUBLE_EQ(*c->copy_gbps, 4191.0);
  EXPECT_DOUBLE_EQ(*c->resident_threads, 270336.0);
  EXPECT_FALSE(c->fma_gflops);
}

TEST(Ceilings, CpuFileAppliesToHostBackendsOnly) {
  const auto cpu = parse_ceilings("device cpu -\ngemm_f32 219.2 GFLOP/s\nfma_f32 234.8 GFLOP/s\n", "cpu.txt");
  const auto gpu = parse_ceilings(kGpuFile, "peak.txt");
  ASSERT_TRUE(cpu.ok() && gpu.ok());
  EXPECT_TRUE(cpu->host());
  EXPECT_DOUBLE_EQ(*cpu->fma_gflops, 234.8);
  const auto peaks = peak_gflops_by_backend({*cpu, *gpu}, {{"openmp", false}, {"cuda", true}, {"cudnn", true}});
  EXPECT_DOUBLE_EQ(peaks["openmp"]["f32"].get<double>(), 219.2);
  EXPECT_FALSE(peaks["openmp"].contains("f16"));
  EXPECT_DOUBLE_EQ(peaks["cuda"]["f16"].get<double>(), 750000.0);
  EXPECT_DOUBLE_EQ(peaks["cudnn"]["tf32"].get<double>(), 380500.0);
  // Copy bandwidth only where a file measured it: the CPU file here did not.
  const auto gbps = peak_gbps_by_backend({*cpu, *gpu}, {{"openmp", false}, {"cuda", true}});
  EXPECT_DOUBLE_EQ(gbps["cuda"].get<double>(), 4191.0);
  EXPECT_FALSE(gbps.contains("openmp"));
  // Without a GPU file the device backends get no ceiling at all (not the CPU's).
  const auto only_cpu = peak_gflops_by_backend({*cpu}, {{"openmp", false}, {"cuda", true}});
  EXPECT_TRUE(only_cpu.contains("openmp"));
  EXPECT_FALSE(only_cpu.contains("cuda"));
}

TEST(Ceilings, BadInputNamesFileLineAndKey) {
  struct Bad {
    const char* text;
    const char* expect;
  };
  for (const Bad& b : {Bad{"device cpu -\ngemm_f32 fast GFLOP/s\n", "f.txt:2: key 'gemm_f32': 'fast' is not a number"},
                       Bad{"device cpu -\ngemm_f32 200 GB/s\n", "f.txt:2: key 'gemm_f32': unit 'GB/s'"},
                       Bad{"device cpu -\ngemm_i8 200 GFLOP/s\n", "key 'gemm_i8': unknown data type 'i8'"},
                       Bad{"device cpu -\n\ngemm_f32 -3 GFLOP/s\n", "f.txt:3: key 'gemm_f32': '-3' is not a positive rate"},
                       Bad{"device cpu -\npeak 200 GFLOP/s\n", "f.txt:2: key 'peak': unknown key"},
                       Bad{"device cpu -\ngemm_f32 200\n", "f.txt:2: key 'gemm_f32': expected 'key value unit'"},
                       Bad{"gemm_f32 200 GFLOP/s\n", "f.txt: no 'device' line"},
                       Bad{"device cpu -\ncopy_bandwidth 20 GB/s\n", "f.txt: no gemm_* ceiling"}}) {
    const auto c = parse_ceilings(b.text, "f.txt");
    ASSERT_FALSE(c.ok()) << b.text;
    EXPECT_TRUE(has(c.error(), b.expect)) << c.error();
  }
}

TEST(Ceilings, MissingFileIsAnError) {
  const auto c = read_ceilings("/nonexistent/ceilings.txt");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(c.error(), "--ceilings /nonexistent/ceilings.txt")) << c.error();
}

TEST(Ceilings, JsonKeepsEveryMeasurement) {
  const auto c = parse_ceilings(kGpuFile, "peak.txt");
  ASSERT_TRUE(c.ok());
  const auto j = to_json(*c);
  EXPECT_EQ(j["source"], "peak.txt");
  EXPECT_EQ(j["device"], "NVIDIA_H200");
  EXPECT_DOUBLE_EQ(j["gemm_gflops"]["bf16"].get<double>(), 742000.0);
  EXPECT_DOUBLE_EQ(j["copy_gbps"].get<double>(), 4191.0);
  EXPECT_FALSE(j.contains("fma_gflops"));
}

}  // namespace
}  // namespace tconv
