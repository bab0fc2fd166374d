#include "reports/report_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

TEST(ReportWriter, WritesReportHtmlBesideResultsJson) {
  SyntheticOptions o;
  o.rows = 200;
  const RunRecord run = synthetic_run(o);
  const std::string dir = test::fresh_dir("report_writer");
  ASSERT_EQ(write_results_json(dir + "/results.json", run.info, run.environment, run.rows), "");
  auto written = write_report(dir);
  ASSERT_TRUE(written) << written.error();
  EXPECT_EQ(written->path, dir + "/report.html");
  EXPECT_EQ(written->rows, 200u);
  EXPECT_EQ(std::filesystem::file_size(written->path), written->bytes);
  auto text = read_file(written->path);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("tconv-data"), std::string::npos);

  auto elsewhere = write_report(dir, dir + "/other.html");
  ASSERT_TRUE(elsewhere);
  EXPECT_TRUE(std::filesystem::exists(dir + "/other.html"));
}

TEST(ReportWriter, MissingRunIsAnError) {
  auto written = write_report(test::fresh_dir("report_writer_missing"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("results.json"), std::string::npos);
}

}  // namespace
}  // namespace tconv::reports
