#include "reports/report_model.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "conformance/results/summary.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

using json = nlohmann::ordered_json;

TEST(ReportModel, OutcomeBarsFollowTheRunOrderAndMatchTheSummary) {
  SyntheticOptions o;
  o.rows = 2000;
  o.failing_fraction = 0.2;
  const RunRecord run = synthetic_run(o);
  const json bars = outcome_bars_json(run.rows);
  const Summary s = summarize(run.rows);
  ASSERT_EQ(bars["bars"].size(), s.by_backend_direction.size());
  EXPECT_EQ(bars["bars"][0]["backend"], "naive:default");  // the run's order, not alphabetical
  EXPECT_EQ(bars["bars"][4]["backend"], "openmp:default");
  for (const json& b : bars["bars"]) {
    const auto& counts = s.by_backend_direction.at({b["backend"].get<std::string>(), b["direction"].get<std::string>()});
    for (std::size_t k = 0; k < counts.size(); ++k) EXPECT_EQ(b["counts"][k], counts[k]);
  }
  EXPECT_EQ(bars["failures"], s.failures());
  EXPECT_GT(s.failures(), 0);
}

TEST(ReportModel, HasEverySection) {
  SyntheticOptions o;
  o.rows = 300;
  o.perf = true;
  const json m = build_report_model(synthetic_run(o));
  for (const char* key : {"run", "environment", "outcomes", "heatmaps", "histograms", "perf", "rows"})
    EXPECT_TRUE(m.contains(key)) << key;
  EXPECT_EQ(m["heatmaps"]["pairs"].size(), 4u);
  EXPECT_EQ(m["heatmaps"]["backends"].size(), 4u);
  EXPECT_EQ(m["perf"]["backends"].size(), 4u);
  // The ceilings each backend's fractions used: openmp one number for every type, cudnn per type.
  const json& backends = m["perf"]["backends"];
  const auto column = [&](const std::string& spec) {
    return static_cast<std::size_t>(std::find(backends.begin(), backends.end(), spec) - backends.begin());
  };
  const std::size_t naive = column("naive:default"), openmp = column("openmp:default"), cudnn = column("cudnn:default");
  ASSERT_LT(cudnn, backends.size());
  EXPECT_TRUE(m["perf"]["peak_gflops"][naive].is_null());
  EXPECT_EQ(m["perf"]["peak_gflops"][openmp], "bf16 400, f16 400, f32 400 GFLOP/s");
  EXPECT_EQ(m["perf"]["peak_gflops"][cudnn], "f16 750000, f32 50000 GFLOP/s");
  // Per shape and backend: GFLOP/s over the ceiling of the row's data type; none for cudnn's
  // bf16 rows (no bf16 ceiling was measured), for bwd_bias (memory-bound) and for naive.
  const json& fractions = m["perf"]["peak_fraction"];
  const json& shapes = m["perf"]["shapes"];
  ASSERT_EQ(fractions.size(), shapes.size());
  const std::vector<ResultRow> rows = synthetic_run(o).rows;
  int checked = 0;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    EXPECT_TRUE(fractions[i][naive].is_null());
    const std::int64_t ref = shapes[i][1 + cudnn];
    if (ref < 0) continue;
    const ResultRow& r = rows[static_cast<std::size_t>(ref)];
    if (r.problem.dtype == DType::bf16 || r.direction == Direction::bwd_bias) {
      EXPECT_TRUE(fractions[i][cudnn].is_null());
      continue;
    }
    const double peak = r.problem.dtype == DType::f16 ? 750000.0 : 50000.0;
    EXPECT_NEAR(fractions[i][cudnn].get<double>(), *r.gflops / peak, 1e-3 * *r.gflops / peak);
    ++checked;
  }
  EXPECT_GT(checked, 0);
  // The copy bandwidth was measured for openmp only: its rows get GB/s over it, the others none.
  EXPECT_EQ(m["perf"]["peak_gbps"][openmp], 20.0);
  EXPECT_TRUE(m["perf"]["peak_gbps"][cudnn].is_null());
  const json& copy = m["perf"]["copy_fraction"];
  ASSERT_EQ(copy.size(), shapes.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    EXPECT_TRUE(copy[i][cudnn].is_null());
    const std::int64_t ref = shapes[i][1 + openmp];
    if (ref < 0) continue;
    const ResultRow& r = rows[static_cast<std::size_t>(ref)];
    if (r.gbps) EXPECT_NEAR(copy[i][openmp].get<double>(), *r.gbps / 20.0, 1e-3 * *r.gbps / 20.0);
  }
  EXPECT_EQ(m["rows"]["n"], 300);
  // A perf shape: [GFLOP, row index per backend]; the row is the backend's timing of it.
  const json& shape = m["perf"]["shapes"][0];
  ASSERT_EQ(shape.size(), 5u);
  EXPECT_EQ(shape[1], 0);  // naive's fwd row of the first case
  EXPECT_EQ(shape[2], 4);  // openmp's
}

TEST(ReportModel, ChartsDoNotDependOnTheRowOrder) {
  // A merged run holds the shards' rows in another order than the unsharded run.
  SyntheticOptions o;
  o.rows = 1600;
  o.failing_fraction = 0.2;
  const RunRecord run = synthetic_run(o);
  RunRecord shuffled = run;
  std::vector<ResultRow> by_parity;
  for (int parity : {1, 0})
    for (std::size_t i = 0; i < run.rows.size(); ++i)
      if (static_cast<int>((i / 16) % 2) == parity) by_parity.push_back(run.rows[i]);
  shuffled.rows = by_parity;
  const json a = build_report_model(run), b = build_report_model(shuffled);
  for (const char* key : {"outcomes", "heatmaps", "histograms"}) EXPECT_EQ(a[key], b[key]) << key;
}

TEST(ReportModel, NoTimingsNoPerfSection) {
  const json m = build_report_model(synthetic_run({}));
  EXPECT_TRUE(m["perf"].is_null());
}

TEST(ReportModel, HeatmapCellsCarryTheirFilters) {
  const json h = heatmaps_json({test::make_row("a", "naive", Outcome::PASSED, 0.5),
                                test::make_row("b", "naive", Outcome::INCORRECT, 7.0)});
  const json& m = h["backends"][0]["maps"][0];
  EXPECT_EQ(m["x_filters"][0], "stride=2x2");
  EXPECT_EQ(m["y_filters"][0], "crop_class=0");
  // [x, y, rows, tested, passed, failed, worst ratio]
  EXPECT_EQ(m["cells"][0], (json{0, 0, 2, 2, 1, 1, 7.0}));
}

}  // namespace
}  // namespace tconv::reports
