#include "conformance/results/merge.h"

#include <gtest/gtest.h>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

// A run directory with the given suite, seed and rows (case names).
std::string make_run(const std::string& name, const std::string& suite, std::uint64_t seed,
                     const std::vector<std::string>& cases, const std::string& state = "complete") {
  const std::string dir = test::fresh_dir("merge/" + name);
  RunInfo info;
  info.suite_name = suite;
  info.seed = seed;
  info.cases_in_suite = 10;
  info.state = state;
  std::vector<ResultRow> rows;
  for (const auto& c : cases) {
    ResultRow r;
    r.case_name = c;
    r.backend = "naive";
    r.variant = "default";
    rows.push_back(r);
  }
  ResultsCsvWriter w;
  EXPECT_EQ(w.start(dir + "/results.csv", rows), "");
  EXPECT_EQ(write_results_json(dir + "/results.json", info, {}, rows), "");
  return dir;
}

TEST(Merge, ConcatenatesShardsOfOneRun) {
  const auto a = make_run("a", "smoke", 1, {"c0", "c2"});
  const auto b = make_run("b", "smoke", 1, {"c1"});
  const std::string out = test::fresh_dir("merge/out");
  auto report = merge_runs(out, {a, b}, false);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->rows, 3u);
  EXPECT_TRUE(report->warnings.empty());
  auto csv = read_results_csv(out + "/results.csv");
  ASSERT_TRUE(csv.ok());
  ASSERT_EQ(csv->rows.size(), 3u);
  EXPECT_EQ(csv->rows[2].case_name, "c1");
  auto js = read_results_json(out + "/results.json");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->info.state, "complete");
  EXPECT_EQ(js->info.merged_from, (std::vector<std::string>{a, b}));
}

TEST(Merge, RefusesDifferentSuitesOrSeedsWithTheReasonUnlessForced) {
  const auto a = make_run("s1", "smoke", 1, {"c0"});
  const auto other_suite = make_run("s2", "full", 1, {"c1"});
  const auto other_seed = make_run("s3", "smoke", 2, {"c1"});
  const std::string out = test::fresh_dir("merge/refused");
  auto r = merge_runs(out, {a, other_suite}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("suite 'full' differs from 'smoke'"), std::string::npos) << r.error();
  r = merge_runs(out, {a, other_seed}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("seed 2 differs from 1"), std::string::npos) << r.error();
  auto forced = merge_runs(out, {a, other_suite}, true);
  ASSERT_TRUE(forced.ok()) << forced.error();
  EXPECT_FALSE(forced->warnings.empty());
}

TEST(Merge, RefusesARowInTwoShardsAndWarnsAboutIncompleteOnes) {
  const auto a = make_run("d1", "smoke", 1, {"c0", "c1"});
  const auto b = make_run("d2", "smoke", 1, {"c1"}, "interrupted");
  const std::string out = test::fresh_dir("merge/dup");
  auto r = merge_runs(out, {a, b}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("more than one shard"), std::string::npos) << r.error();
  const auto c = make_run("d3", "smoke", 1, {"c2"}, "interrupted");
  auto ok = merge_runs(out, {a, c}, false);
  ASSERT_TRUE(ok.ok()) << ok.error();
  ASSERT_EQ(ok->warnings.size(), 1u);
  EXPECT_NE(ok->warnings[0].find("interrupted"), std::string::npos);
  EXPECT_EQ(read_results_json(out + "/results.json")->info.state, "incomplete");
  EXPECT_FALSE(merge_runs(out, {a, test::fresh_dir("merge/empty")}, false).ok());
}

}  // namespace
}  // namespace tconv
