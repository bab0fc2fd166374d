#include "reports/perf_table.h"

#include <gtest/gtest.h>

#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

ResultRow timed(const std::string& c, const std::string& backend, double gflops, Direction d = Direction::fwd) {
  ResultRow r = test::make_row(c, backend, Outcome::PASSED, 0.1, d);
  r.gflops = gflops;
  r.time_ms = 1.0 / gflops;
  r.time_min_ms = 0.9 / gflops;
  r.time_max_ms = 1.2 / gflops;
  return r;
}

TEST(PerfTable, OneLinePerShapeOneColumnPerBackend) {
  const PerfTable t = build_perf_table({timed("a", "naive", 1), timed("a", "openmp", 8), timed("b", "openmp", 4),
                                        timed("a", "openmp", 6, Direction::bwd_data),
                                        test::make_row("c", "naive", Outcome::PASSED)});  // no timing: not a shape
  ASSERT_EQ(t.backends, (std::vector<std::string>{"naive:default", "openmp:default"}));
  ASSERT_EQ(t.shapes.size(), 3u);
  EXPECT_EQ(t.shapes[0].case_name, "a");
  ASSERT_TRUE(t.shapes[0].points[0] && t.shapes[0].points[1]);
  EXPECT_DOUBLE_EQ(t.shapes[0].points[1]->gflops, 8);
  EXPECT_FALSE(t.shapes[1].points[0].has_value());  // b: naive did not time it
  EXPECT_EQ(t.shapes[2].direction, Direction::bwd_data);
  EXPECT_DOUBLE_EQ(t.shapes[0].gflop, flops(t.shapes[0].problem, Direction::fwd) / 1e9);
}

TEST(PerfTable, NoTimingsNoTable) { EXPECT_TRUE(build_perf_table({test::make_row("a", "naive", Outcome::PASSED)}).empty()); }

TEST(PerfTable, PeakIsANumberOrPerBackend) {
  EXPECT_FALSE(peak_gflops(nlohmann::ordered_json::object(), "openmp:default", "f32"));
  EXPECT_EQ(*peak_gflops({{"peak_gflops", 100.0}}, "openmp:default", "f16"), 100.0);
  const nlohmann::ordered_json env = {{"peak_gflops", {{"openmp", 300.0}, {"cudnn:fast", 9000.0}}}};
  EXPECT_EQ(*peak_gflops(env, "openmp:general", "f32"), 300.0);
  EXPECT_EQ(*peak_gflops(env, "cudnn:fast", "f32"), 9000.0);
  EXPECT_FALSE(peak_gflops(env, "cudnn:other", "f32"));
}

TEST(PerfTable, PeakPerDataTypeFromMeasuredCeilings) {
  // What `tconv run --ceilings` records: per backend, the ceilings by data type.
  const nlohmann::ordered_json env = {
      {"peak_gflops", {{"cuda", {{"f32", 51200.0}, {"tf32", 380000.0}, {"f16", 750000.0}}}, {"openmp", {{"f32", 219.0}}}}}};
  EXPECT_EQ(*peak_gflops(env, "cuda:phase_tc", "f16"), 750000.0);
  EXPECT_EQ(*peak_gflops(env, "cuda:default", "f32"), 51200.0);
  EXPECT_EQ(*peak_gflops(env, "cuda:phase_tc+tf32", "tf32"), 380000.0);
  EXPECT_FALSE(peak_gflops(env, "cuda:default", "bf16"));  // not measured: no fraction, not another type's
  EXPECT_FALSE(peak_gflops(env, "openmp:default", "f64"));
  EXPECT_FALSE(peak_gflops(env, "openmp:default", ""));
}

TEST(PerfTable, CopyBandwidthIsANumberOrPerBackend) {
  EXPECT_FALSE(peak_gbps(nlohmann::ordered_json::object(), "cuda:default"));
  EXPECT_EQ(*peak_gbps({{"peak_gbps", 25.0}}, "openmp:default"), 25.0);
  const nlohmann::ordered_json env = {{"peak_gbps", {{"cuda", 4191.0}, {"openmp:general", 21.0}}}};
  EXPECT_EQ(*peak_gbps(env, "cuda:depthwise"), 4191.0);
  EXPECT_EQ(*peak_gbps(env, "openmp:general"), 21.0);
  EXPECT_FALSE(peak_gbps(env, "openmp:default"));
}

TEST(PerfTable, CeilingKeyIsTheRowsDataTypeOrTf32) {
  ResultRow r = timed("a", "cuda", 1);
  r.problem.dtype = DType::f32;
  r.math = "f32";
  EXPECT_EQ(ceiling_key(r), "f32");
  r.math = "f32 acc (tf32 inputs), one rounding";
  EXPECT_EQ(ceiling_key(r), "tf32");
  r.problem.dtype = DType::bf16;
  EXPECT_EQ(ceiling_key(r), "bf16");
  r.problem.dtype = DType::f16;
  EXPECT_EQ(ceiling_key(r), "f16");
  r.problem.dtype = DType::f64;
  EXPECT_EQ(ceiling_key(r), "f64");
  r.problem.dtype = DType::i8;
  EXPECT_EQ(ceiling_key(r), "");
  r.problem.dtype = DType::f32;
  r.direction = Direction::bwd_bias;
  EXPECT_EQ(ceiling_key(r), "");
}

}  // namespace
}  // namespace tconv::reports
