#include "reports/run_diff_dirs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "conformance/results/results_json.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

std::string write_run(const std::string& name, const RunRecord& run) {
  const std::string dir = test::fresh_dir(name);
  EXPECT_EQ(write_results_json(dir + "/results.json", run.info, run.environment, run.rows), "");
  return dir;
}

RunRecord base_run() {
  SyntheticOptions o;
  o.rows = 400;
  o.perf = true;
  return synthetic_run(o);
}

int compare(const std::string& a, const std::string& b, std::string* out_text = nullptr, CompareRequest r = {}) {
  r.base_dir = a;
  r.new_dir = b;
  std::ostringstream out, err;
  const int rc = compare_run_dirs(r, out, err);
  if (out_text) *out_text = out.str() + err.str();
  return rc;
}

TEST(CompareRuns, SameRunExitsZeroAndWritesComparePage) {
  const std::string a = write_run("cmp_same_a", base_run()), b = write_run("cmp_same_b", base_run());
  std::string text;
  EXPECT_EQ(compare(a, b, &text), kCompareOk);
  EXPECT_NE(text.find("no regression"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(b + "/compare.html"));
}

TEST(CompareRuns, ARegressionExitsOneAndIsListedWithItsRepro) {
  RunRecord now = base_run();
  std::size_t k = 0;
  while (now.rows[k].status != Outcome::PASSED) ++k;
  now.rows[k].status = Outcome::INCORRECT;
  now.rows[k].err_bound_ratio = 1e5;
  now.rows[k].reason = "planted";
  const std::string a = write_run("cmp_reg_a", base_run()), b = write_run("cmp_reg_b", now);
  std::string text;
  EXPECT_EQ(compare(a, b, &text), kCompareRegression);
  EXPECT_NE(text.find("NEW FAILURE"), std::string::npos);
  EXPECT_NE(text.find(now.rows[k].repro), std::string::npos);
  EXPECT_NE(text.find("REGRESSION"), std::string::npos);
  // The other way round it is a fix: exit 0.
  EXPECT_EQ(compare(b, a), kCompareOk);
}

TEST(CompareRuns, SlowdownIsARegressionUnlessPerfIsIgnored) {
  RunRecord now = base_run();
  for (ResultRow& r : now.rows)
    if (r.time_ms) {
      r.time_ms = *r.time_ms * 10;
      r.time_min_ms = *r.time_min_ms * 10;
      r.time_max_ms = *r.time_max_ms * 10;
      break;
    }
  const std::string a = write_run("cmp_slow_a", base_run()), b = write_run("cmp_slow_b", now);
  EXPECT_EQ(compare(a, b), kCompareRegression);
  CompareRequest r;
  r.options.perf_regressions = false;
  r.html_path = "-";
  EXPECT_EQ(compare(a, b, nullptr, r), kCompareOk);
}

TEST(CompareRuns, MatchComparesACandidateBackendWithTheReference) {
  RunRecord base = base_run(), now = base_run();
  for (ResultRow& r : now.rows)
    if (r.backend == "openmp") r.backend = "openmp2";
  const std::string a = write_run("cmp_match_a", base), b = write_run("cmp_match_b", now);
  std::string text;
  EXPECT_EQ(compare(a, b, &text), kCompareOk);  // openmp removed, openmp2 added: no regression
  EXPECT_NE(text.find("rows added"), std::string::npos);
  CompareRequest r;
  r.matches = {"openmp2=openmp"};
  EXPECT_EQ(compare(a, b, &text, r), kCompareOk);
  EXPECT_NE(text.find("0 added"), std::string::npos) << text;
  r.matches = {"nothing=openmp"};
  EXPECT_EQ(compare(a, b, &text, r), kCompareBadInput);
  r.matches = {"openmp2:default=openmp"};
  EXPECT_EQ(compare(a, b, &text, r), kCompareBadInput);
}

TEST(CompareRuns, BadInputExitsTwo) {
  const std::string a = write_run("cmp_bad_a", base_run());
  std::string text;
  EXPECT_EQ(compare(a, a + "/does-not-exist", &text), kCompareBadInput);
  EXPECT_NE(text.find("does-not-exist"), std::string::npos);
  CompareRequest r;
  r.options.ratio_factor = 0.5;
  EXPECT_EQ(compare(a, a, nullptr, r), kCompareBadInput);
}

}  // namespace
}  // namespace tconv::reports
