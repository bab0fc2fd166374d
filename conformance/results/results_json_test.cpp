#include "conformance/results/results_json.h"

#include <gtest/gtest.h>

#include <cmath>

#include "conformance/results/environment.h"
#include "conformance/results/results_csv.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

ResultRow row(const std::string& name, Outcome status, Direction d = Direction::fwd) {
  ResultRow r;
  r.case_name = name;
  r.backend = "naive";
  r.variant = "default";
  r.direction = d;
  r.problem = test::small_problem();
  r.status = status;
  r.max_abs_err = 0.5;
  r.err_bound_ratio = HUGE_VAL;
  return r;
}

TEST(ResultsJson, HasTheSchemaRunEnvironmentSummaryAndTypedRows) {
  RunInfo info;
  info.suite_name = "smoke";
  info.seed = 7;
  info.backends = {"naive:default"};
  info.state = "complete";
  const std::string dir = test::fresh_dir("results_json");
  const std::vector<ResultRow> rows = {row("a", Outcome::PASSED), row("b", Outcome::INCORRECT, Direction::bwd_data),
                                       row("c", Outcome::PASSED, Direction::bwd_data)};
  ASSERT_EQ(write_results_json(dir + "/results.json", info, collect_environment(), rows), "");

  const auto j = nlohmann::json::parse(results_json_text(info, collect_environment(), rows));
  EXPECT_EQ(j["schema"], kResultsSchema);
  EXPECT_EQ(j["run"]["suite"]["name"], "smoke");
  EXPECT_EQ(j["run"]["seed"], 7);
  EXPECT_EQ(j["run"]["state"], "complete");
  for (const char* key : {"cpu", "cores", "memory_bytes", "compiler", "build_type", "git_commit", "built_with"})
    EXPECT_TRUE(j["environment"].contains(key)) << key;
  EXPECT_EQ(j["summary"]["rows"], 3);
  EXPECT_EQ(j["summary"]["by_status"]["PASSED"], 2);
  EXPECT_EQ(j["summary"]["by_status"]["INCORRECT"], 1);
  EXPECT_EQ(j["summary"]["failures"], 1);
  EXPECT_EQ(j["summary"]["by_backend"]["naive:default"]["bwd_data"]["INCORRECT"], 1);
  ASSERT_EQ(j["rows"].size(), 3u);
  const auto& r = j["rows"][1];
  EXPECT_EQ(r["case"], "b");
  EXPECT_EQ(r["status"], "INCORRECT");
  EXPECT_EQ(r["c_in"], 4);                // integers stay integers
  EXPECT_EQ(r["bias"], true);             // booleans
  EXPECT_EQ(r["max_abs_err"], 0.5);       // reals
  EXPECT_EQ(r["err_bound_ratio"], "inf"); // non-finite kept as text, not lost as null
  EXPECT_TRUE(r["time_ms"].is_null());    // not measured
  EXPECT_EQ(j["columns"].size(), result_columns().size());

  auto back = read_results_json(dir + "/results.json");
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->info.suite_name, "smoke");
  EXPECT_EQ(back->info.seed, 7u);
  EXPECT_EQ(back->info.backends, info.backends);
}

TEST(ResultsJson, RejectsOtherFiles) {
  const std::string dir = test::fresh_dir("results_json_bad");
  ASSERT_EQ(write_file_atomically(dir + "/a.json", "{\"schema\": \"something-else\"}"), "");
  EXPECT_FALSE(read_results_json(dir + "/a.json").ok());
  ASSERT_EQ(write_file_atomically(dir + "/b.json", "{not json"), "");
  EXPECT_FALSE(read_results_json(dir + "/b.json").ok());
  EXPECT_FALSE(read_results_json(dir + "/missing.json").ok());
}

}  // namespace
}  // namespace tconv
