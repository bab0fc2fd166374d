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
  EXPECT_FALSE(peak_gflops(nlohmann::ordered_json::object(), "openmp:default"));
  EXPECT_EQ(*peak_gflops({{"peak_gflops", 100.0}}, "openmp:default"), 100.0);
  const nlohmann::ordered_json env = {{"peak_gflops", {{"openmp", 300.0}, {"cudnn:fast", 9000.0}}}};
  EXPECT_EQ(*peak_gflops(env, "openmp:general"), 300.0);
  EXPECT_EQ(*peak_gflops(env, "cudnn:fast"), 9000.0);
  EXPECT_FALSE(peak_gflops(env, "cudnn:other"));
}

}  // namespace
}  // namespace tconv::reports
