// `tconv compare BASE NEW`: what changed between two runs, row by row (key: case, backend,
// variant, direction), and whether any change is a regression.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/results/row.h"

namespace tconv::reports {

struct CompareOptions {
  double ratio_factor = 2.0;   // err/bound grew by more than this factor ...
  double ratio_floor = 0.01;   // ... and now exceeds this fraction of the bound (below: noise)
  bool perf_regressions = true;  // a slowdown beyond the noise counts as a regression
};

enum class Change {
  new_failure,     // acceptable before, INCORRECT / FAILED / TIMEOUT / CRASHED now
  fixed,           // a failure before, acceptable now
  ratio_grew,      // still acceptable, err/bound grew beyond the factor
  slower,          // now's fastest repeat is slower than base's slowest: beyond both runs' spread
  faster,          // now's slowest repeat is faster than base's fastest
  status_changed,  // any other change of outcome (e.g. PASSED -> UNSUPPORTED)
  added,           // only in NEW
  removed,         // only in BASE
};
inline constexpr Change kAllChanges[] = {Change::new_failure, Change::fixed,          Change::ratio_grew,
                                         Change::slower,      Change::faster,         Change::status_changed,
                                         Change::added,       Change::removed};

std::string_view to_string(Change c);
std::string_view describe(Change c);  // a heading, e.g. "new failures"

struct RowChange {
  Change kind;
  RowKey key;
  std::optional<ResultRow> base, now;
  double factor = 0;  // ratio_grew: new/base err/bound ratio; slower/faster: new/base median time
};

struct Comparison {
  CompareOptions options;
  std::vector<RowChange> changes;  // grouped by kind (kAllChanges order), then in NEW's row order
  std::int64_t base_rows = 0, new_rows = 0, common_rows = 0;
  std::int64_t perf_compared = 0;  // common rows with timings (min/max) in both runs

  std::int64_t count(Change c) const;
  bool is_regression(Change c) const;
  bool regression() const;
};

Comparison compare_rows(const std::vector<ResultRow>& base, const std::vector<ResultRow>& now,
                        const CompareOptions& options = {});

}  // namespace tconv::reports
