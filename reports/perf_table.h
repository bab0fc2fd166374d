// Performance side by side: one line per shape (case x direction), one column per
// backend:variant, from the rows that carry timings (tconv run --perf).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/results/row.h"

namespace tconv::reports {

struct PerfPoint {
  double gflops = 0, time_ms = 0;
  std::optional<double> min_ms, max_ms;
  Outcome status = Outcome::PASSED;  // a fast wrong answer is shown as such
  std::size_t row = 0;               // index of its row in the run
};

struct PerfShape {
  std::string case_name;
  Direction direction = Direction::fwd;
  Problem problem;
  double gflop = 0;  // work of one call
  std::vector<std::optional<PerfPoint>> points;  // per PerfTable::backends
};

struct PerfTable {
  std::vector<std::string> backends;  // backend:variant with at least one timing
  std::vector<PerfShape> shapes;      // in order of first appearance
  bool empty() const { return shapes.empty(); }
};

PerfTable build_perf_table(const std::vector<ResultRow>& rows);

// Which measured ceiling a row is held against: its data type ("f32", "f16", "bf16", "f64"),
// "tf32" for f32 data computed with TF32 inputs (the row's declared math); "" for integer
// rows and bwd_bias (a reduction, bound by memory: no GEMM ceiling applies).
std::string ceiling_key(const ResultRow& row);

// The machine's peak GFLOP/s for a backend and ceiling key where the run recorded one:
// environment "peak_gflops" is either a number (every backend, every data type) or
// {"backend" or "backend:variant": GFLOP/s, or {ceiling key: GFLOP/s}} (`tconv run --ceilings`).
std::optional<double> peak_gflops(const nlohmann::ordered_json& environment, const std::string& backend_spec,
                                  const std::string& key);
// The measured copy bandwidth (GB/s) where a backend runs: environment "peak_gbps", a number
// or {"backend" or "backend:variant": GB/s}.
std::optional<double> peak_gbps(const nlohmann::ordered_json& environment, const std::string& backend_spec);

}  // namespace tconv::reports
