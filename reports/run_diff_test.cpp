#include "reports/run_diff.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

using test::make_row;

ResultRow timed(const std::string& c, double median, double min, double max) {
  ResultRow r = make_row(c, "openmp", Outcome::PASSED, 0.1);
  r.time_ms = median;
  r.time_min_ms = min;
  r.time_max_ms = max;
  return r;
}

TEST(Compare, ARunComparedWithItselfIsQuiet) {
  SyntheticOptions o;
  o.rows = 3000;
  o.perf = true;
  o.failing_fraction = 0.1;
  const auto rows = synthetic_rows(o);
  const Comparison c = compare_rows(rows, rows);
  EXPECT_TRUE(c.changes.empty());
  EXPECT_FALSE(c.regression());
  EXPECT_EQ(c.common_rows, 3000);
  EXPECT_GT(c.perf_compared, 0);
}

TEST(Compare, NewAndFixedFailures) {
  const Comparison c = compare_rows({make_row("a", "x", Outcome::PASSED), make_row("b", "x", Outcome::CRASHED)},
                                    {make_row("a", "x", Outcome::INCORRECT, 50.0), make_row("b", "x", Outcome::PASSED)});
  ASSERT_EQ(c.changes.size(), 2u);
  EXPECT_EQ(c.changes[0].kind, Change::new_failure);
  EXPECT_EQ(c.changes[0].key.case_name, "a");
  EXPECT_EQ(c.changes[1].kind, Change::fixed);
  EXPECT_TRUE(c.regression());
  // Fixing alone is not a regression.
  EXPECT_FALSE(compare_rows({make_row("b", "x", Outcome::FAILED)}, {make_row("b", "x", Outcome::PASSED)}).regression());
}

TEST(Compare, RatioGrowthBeyondTheFactorAndAboveTheFloor) {
  CompareOptions o;
  o.ratio_factor = 4;
  o.ratio_floor = 0.01;
  auto kinds = [&](double before, double after) {
    return compare_rows({make_row("a", "x", Outcome::PASSED, before)}, {make_row("a", "x", Outcome::PASSED, after)}, o);
  };
  EXPECT_EQ(kinds(0.05, 0.3).count(Change::ratio_grew), 1);   // x6
  EXPECT_NEAR(kinds(0.05, 0.3).changes[0].factor, 6.0, 1e-12);
  EXPECT_EQ(kinds(0.05, 0.15).count(Change::ratio_grew), 0);  // x3: within the factor
  EXPECT_EQ(kinds(1e-6, 1e-3).count(Change::ratio_grew), 0);  // tiny both times: noise
  EXPECT_EQ(kinds(0.0, 0.5).count(Change::ratio_grew), 1);    // was exact, no longer
  EXPECT_TRUE(std::isinf(kinds(0.0, 0.5).changes[0].factor));
  EXPECT_TRUE(kinds(0.05, 0.3).regression());
}

TEST(Compare, PerfChangesOnlyBeyondBothRunsSpread) {
  auto c = [](const ResultRow& b, const ResultRow& n) { return compare_rows({b}, {n}); };
  // Overlapping ranges: noise, whatever the medians say.
  EXPECT_TRUE(c(timed("a", 1.0, 0.9, 1.3), timed("a", 1.25, 1.2, 1.4)).changes.empty());
  const Comparison slower = c(timed("a", 1.0, 0.9, 1.1), timed("a", 2.0, 1.8, 2.5));
  ASSERT_EQ(slower.changes.size(), 1u);
  EXPECT_EQ(slower.changes[0].kind, Change::slower);
  EXPECT_DOUBLE_EQ(slower.changes[0].factor, 2.0);
  EXPECT_TRUE(slower.regression());
  CompareOptions no_perf;
  no_perf.perf_regressions = false;
  EXPECT_FALSE(compare_rows({timed("a", 1.0, 0.9, 1.1)}, {timed("a", 2.0, 1.8, 2.5)}, no_perf).regression());
  const Comparison faster = c(timed("a", 2.0, 1.8, 2.5), timed("a", 1.0, 0.9, 1.1));
  ASSERT_EQ(faster.changes.size(), 1u);
  EXPECT_EQ(faster.changes[0].kind, Change::faster);
  EXPECT_FALSE(faster.regression());
  EXPECT_EQ(faster.perf_compared, 1);
}

TEST(Compare, AddedRemovedAndOtherOutcomeChanges) {
  const Comparison c = compare_rows(
      {make_row("a", "x", Outcome::PASSED), make_row("gone", "x", Outcome::PASSED), make_row("u", "x", Outcome::PASSED)},
      {make_row("a", "x", Outcome::PASSED), make_row("new", "x", Outcome::INCORRECT),
       make_row("u", "x", Outcome::UNSUPPORTED, std::nullopt)});
  EXPECT_EQ(c.count(Change::added), 1);
  EXPECT_EQ(c.count(Change::removed), 1);
  EXPECT_EQ(c.count(Change::status_changed), 1);
  EXPECT_FALSE(c.regression());  // a failing row that did not exist before is not a regression of it
  // Grouped by kind in kAllChanges order.
  EXPECT_EQ(c.changes[0].kind, Change::status_changed);
  EXPECT_EQ(c.changes[1].kind, Change::added);
  EXPECT_EQ(c.changes[2].kind, Change::removed);
}

TEST(Compare, RowsAreMatchedByCaseBackendVariantAndDirection) {
  ResultRow fwd = make_row("a", "x", Outcome::PASSED);
  ResultRow bwd = make_row("a", "x", Outcome::INCORRECT, 9.0, Direction::bwd_data);
  const Comparison c = compare_rows({fwd, make_row("a", "x", Outcome::PASSED, 0.1, Direction::bwd_data)}, {fwd, bwd});
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].key.direction, Direction::bwd_data);
}

}  // namespace
}  // namespace tconv::reports
