#include "reports/run_record.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "conformance/results/results_csv.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

void write_run(const std::string& dir, const RunRecord& run, const std::vector<ResultRow>& json_rows) {
  ResultsCsvWriter csv;
  ASSERT_EQ(csv.start(dir + "/results.csv", run.rows), "");
  csv.close();
  ASSERT_EQ(write_results_json(dir + "/results.json", run.info, run.environment, json_rows), "");
}

TEST(RunRecord, ReadsEveryRowBackFromResultsJson) {
  SyntheticOptions o;
  o.rows = 500;
  o.perf = true;
  o.failing_fraction = 0.3;
  RunRecord run = synthetic_run(o);
  run.rows[3].err_bound_ratio = HUGE_VAL;
  run.rows[4].err_bound_ratio = std::nan("");
  const std::string dir = test::fresh_dir("run_record_roundtrip");
  write_run(dir, run, run.rows);

  auto back = load_run(dir);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->info.suite_name, "synthetic");
  EXPECT_EQ(back->environment["cpu"], run.environment["cpu"]);
  ASSERT_EQ(back->rows.size(), run.rows.size());
  for (std::size_t i = 0; i < run.rows.size(); ++i) ASSERT_EQ(row_fields(back->rows[i]), row_fields(run.rows[i])) << i;
  EXPECT_TRUE(back->notes.empty());
  EXPECT_TRUE(load_run(dir + "/results.json"));  // the file itself also works
}

TEST(RunRecord, AKilledRunIsReadFromItsCsv) {
  RunRecord run = synthetic_run({});
  run.info.state = "running";
  const std::string dir = test::fresh_dir("run_record_killed");
  write_run(dir, run, {});
  auto back = load_run(dir);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->rows.size(), run.rows.size());
  ASSERT_EQ(back->notes.size(), 1u);
}

TEST(RunRecord, ErrorsNameTheFile) {
  const std::string dir = test::fresh_dir("run_record_errors");
  auto missing = load_run(dir);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("results.json"), std::string::npos);
  std::ofstream(dir + "/results.json") << "{\"schema\": \"something-else\"}";
  auto wrong = load_run(dir);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().find("tconv-results/1"), std::string::npos);
  std::ofstream(dir + "/results.json") << R"({"schema": "tconv-results/1", "run": {"suite": {"name": "s"}, "seed": 1},
    "rows": [{"case": "a", "backend": "naive", "variant": "default", "direction": "sideways"}]})";
  auto bad_row = load_run(dir);
  ASSERT_FALSE(bad_row);
  EXPECT_NE(bad_row.error().find("row 1"), std::string::npos);
}

}  // namespace
}  // namespace tconv::reports
