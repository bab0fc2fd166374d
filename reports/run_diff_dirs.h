// The whole of `tconv compare BASE_DIR NEW_DIR`: load both runs, classify, print the table,
// write compare.html, and decide the exit status.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include <vector>

#include "reports/run_diff.h"

namespace tconv::reports {

inline constexpr int kCompareOk = 0, kCompareRegression = 1, kCompareBadInput = 2;

struct CompareRequest {
  std::string base_dir, new_dir;
  std::string html_path;  // default NEW_DIR/compare.html; "-" writes none
  CompareOptions options;
  std::size_t rows_per_kind = 20;  // in the terminal table
  // "NEW=BASE": NEW's rows of backend NEW are compared with BASE's rows of backend BASE
  // (NAME for every variant, or NAME:VARIANT), e.g. a rewritten kernel against the old one.
  std::vector<std::string> matches;
};

// Applies one "NEW=BASE" match to rows (renames NEW's backend to BASE's); "" or an error.
std::string apply_backend_match(const std::string& match, std::vector<ResultRow>& rows);

// 0: no regression, 1: a regression (new failure, err/bound growth, slowdown beyond the
// noise), 2: a run could not be read or the output not written.
int compare_run_dirs(const CompareRequest& request, std::ostream& out, std::ostream& err);

}  // namespace tconv::reports
