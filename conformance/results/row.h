// One row of a run: case x backend x variant x direction, as typed values. Its columns are
// listed once (row_columns.h); each format has its own writer and reader (row_csv.h,
// row_json.h, and the report's reports/row_encoding.h), none built from another's text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "backends/api/problem.h"
#include "conformance/results/outcome.h"

namespace tconv {

// What identifies a row across runs (--resume, merge).
struct RowKey {
  std::string case_name, backend, variant;
  Direction direction = Direction::fwd;
  auto operator<=>(const RowKey&) const = default;
};

struct ResultRow {
  std::string case_name;
  std::string source;  // "file.yaml:LINE"
  std::string backend, variant;
  Direction direction = Direction::fwd;
  Problem problem;
  Outcome status = Outcome::PASSED;
  std::string reason;  // one line; empty for PASSED
  std::string math;    // the backend's declared arithmetic (tolerance follows it)
  // What the backend used (Backend::last_run_details), when the call succeeded.
  std::string algorithm;
  std::optional<std::int64_t> workspace_bytes;
  std::optional<bool> deterministic;
  // --repeat-check: the largest difference between two runs on the same inputs (0: bitwise
  // identical); absent when not checked.
  std::optional<double> repeat_max_diff;
  // Comparison against the oracle (absent where nothing was compared).
  std::optional<double> max_abs_err, max_rel_err, err_bound_ratio, zero_fraction;
  std::optional<double> max_ulp;  // error in ulps of the output type at the reference value
  std::optional<std::int64_t> mismatches, elements;
  std::string first_mismatches;  // compact: "[n,c,h,w] got!=want; ..."
  // Perf mode only.
  std::optional<double> time_ms, time_min_ms, time_max_ms, gflops, gbps;
  std::optional<std::int64_t> repeats;
  std::string timer;  // "wall" or "device"
  std::optional<double> staging_ms;  // median device time of staging copies, outside time_ms
  std::string repro;  // the full command that re-runs this row
  // What the output was checked against: "oracle" (every element) or "oracle sample K/M"
  // (--check sample:N); empty where nothing was compared.
  std::string reference;

  RowKey key() const { return {case_name, backend, variant, direction}; }
};

// The schema: each column's name and value type, in file order (from row_columns.h).
enum class ColumnKind : std::uint8_t { text, integer, real, boolean };

struct Column {
  std::string_view name;
  ColumnKind kind;
};

const std::vector<Column>& result_columns();

// Shortest text that parses back to the same double ("inf", "nan" for non-finite values).
std::string format_real(double v);
std::optional<double> parse_real(std::string_view s);
// The whole of `s` as a decimal integer.
std::optional<std::int64_t> parse_int64(std::string_view s);

}  // namespace tconv
