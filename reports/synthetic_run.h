// Synthetic runs for the tests: many plausible rows without running anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "reports/run_record.h"

namespace tconv::reports {

struct SyntheticOptions {
  std::size_t rows = 1000;
  std::uint64_t seed = 1;
  bool perf = false;
  // Fraction of rows that fail (INCORRECT with a long reason and a full mismatch list, or
  // FAILED / CRASHED); 1.0 is the worst case for the report's size.
  double failing_fraction = 0.05;
};

// Rows over 4 backends x 4 directions and a spread of every parameter; a deterministic
// function of the options.
std::vector<ResultRow> synthetic_rows(const SyntheticOptions& options);

// A complete run (info, environment, rows) around synthetic_rows.
RunRecord synthetic_run(const SyntheticOptions& options);

}  // namespace tconv::reports
