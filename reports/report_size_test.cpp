// The report stays small enough to mail and open anywhere: < 2 MB for 10,000 rows.
#include <gtest/gtest.h>

#include <cstdio>

#include "reports/html_page.h"
#include "reports/report_model.h"
#include "reports/synthetic_run.h"

namespace tconv::reports {
namespace {

constexpr std::size_t kTwoMegabytes = 2u * 1000u * 1000u;

std::size_t report_bytes(const SyntheticOptions& o) {
  const std::size_t bytes = render_report_html(build_report_model(synthetic_run(o))).size();
  std::printf("report of %zu rows (perf %d, failing %.0f%%): %zu bytes\n", o.rows, o.perf ? 1 : 0,
              100 * o.failing_fraction, bytes);
  return bytes;
}

TEST(ReportSize, TenThousandTypicalRowsWithTimingsUnderTwoMegabytes) {
  SyntheticOptions o;
  o.rows = 10000;
  o.perf = true;
  o.failing_fraction = 0.05;
  EXPECT_LT(report_bytes(o), kTwoMegabytes);
}

TEST(ReportSize, TenThousandFailingRowsStillUnderTwoMegabytes) {
  // The worst case: every row with a long reason and ten mismatches.
  SyntheticOptions o;
  o.rows = 10000;
  o.perf = true;
  o.failing_fraction = 1.0;
  EXPECT_LT(report_bytes(o), kTwoMegabytes);
}

}  // namespace
}  // namespace tconv::reports
