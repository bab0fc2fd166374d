#include "reports/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

using test::make_row;

TEST(Heatmap, CellsCountRowsTestedPassedFailedAndTheWorstRatio) {
  std::vector<ResultRow> rows = {make_row("a", "naive", Outcome::PASSED, 0.1),
                                 make_row("b", "naive", Outcome::MISTRUSTED, 0.3),
                                 make_row("c", "naive", Outcome::INCORRECT, 40.0),
                                 make_row("d", "naive", Outcome::UNSUPPORTED, std::nullopt)};
  const auto maps = build_heatmaps(rows);
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].backend, "naive:default");
  ASSERT_EQ(maps[0].maps.size(), heatmap_pairs().size());
  const Heatmap& m = maps[0].maps[0];  // stride x crop: every row in one cell
  ASSERT_EQ(m.xs, std::vector<std::string>{"2x2"});
  ASSERT_EQ(m.ys, std::vector<std::string>{"0"});
  const HeatCell* c = m.cell(0, 0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->rows, 4);
  EXPECT_EQ(c->tested, 3);  // UNSUPPORTED did not run
  EXPECT_EQ(c->passed, 2);  // MISTRUSTED counts as passed
  EXPECT_EQ(c->failed, 1);
  EXPECT_DOUBLE_EQ(*c->pass_rate(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*c->worst_ratio, 40.0);
}

TEST(Heatmap, AxesAreSharedByEveryBackendAndCellsStayWhereTheirLabelsAre) {
  ResultRow a = make_row("a", "naive", Outcome::PASSED);
  ResultRow b = make_row("b", "openmp", Outcome::INCORRECT, std::nan(""));
  b.problem.stride_h = b.problem.stride_w = 10;
  ResultRow c = make_row("c", "openmp", Outcome::PASSED);
  c.problem.stride_h = c.problem.stride_w = 3;
  const auto maps = build_heatmaps({a, b, c});
  ASSERT_EQ(maps.size(), 2u);
  for (const auto& bm : maps) EXPECT_EQ(bm.maps[0].xs, (std::vector<std::string>{"2x2", "3x3", "10x10"}));
  const Heatmap& naive = maps[0].maps[0];
  const Heatmap& openmp = maps[1].maps[0];
  EXPECT_NE(naive.cell(0, 0), nullptr);
  EXPECT_EQ(naive.cell(2, 0), nullptr);
  ASSERT_NE(openmp.cell(2, 0), nullptr);
  EXPECT_TRUE(std::isinf(*openmp.cell(2, 0)->worst_ratio));  // NaN in the output is the worst
  EXPECT_EQ(openmp.cell(1, 0)->failed, 0);
}

TEST(Heatmap, AnUntestedCellHasNoPassRate) {
  const auto maps = build_heatmaps({make_row("a", "cudnn", Outcome::UNSUPPORTED, std::nullopt),
                                    make_row("b", "cudnn", Outcome::INVALID, std::nullopt)});
  const HeatCell* c = maps[0].maps[1].cell(0, 0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->rows, 2);
  EXPECT_FALSE(c->pass_rate().has_value());
  EXPECT_FALSE(c->worst_ratio.has_value());
}

}  // namespace
}  // namespace tconv::reports
