// Heatmaps of where a backend breaks: for each pair of parameter axes, the rows of one
// backend:variant binned by the two labels, with the pass rate and the worst error/bound.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conformance/results/row.h"
#include "reports/axes.h"

namespace tconv::reports {

struct HeatCell {
  std::int64_t rows = 0;
  std::int64_t tested = 0;  // the backend ran and was checked (not UNSUPPORTED, INVALID, SKIPPED)
  std::int64_t passed = 0;  // PASSED or MISTRUSTED
  std::int64_t failed = 0;  // INCORRECT, FAILED, TIMEOUT, CRASHED
  std::optional<double> worst_ratio;  // max err/bound over the cell (inf for NaN / Inf)

  std::optional<double> pass_rate() const {
    return tested ? std::optional<double>(static_cast<double>(passed) / static_cast<double>(tested)) : std::nullopt;
  }
};

struct Heatmap {
  AxisPair axes;
  std::vector<std::string> xs, ys;  // every label of the run (the same for every backend)
  std::map<std::pair<std::size_t, std::size_t>, HeatCell> cells;  // (x index, y index)

  const HeatCell* cell(std::size_t x, std::size_t y) const;
};

struct BackendHeatmaps {
  std::string backend;        // backend:variant
  std::vector<Heatmap> maps;  // in heatmap_pairs() order
};

// The outcomes a heatmap counts as tested / passed.
bool is_tested(Outcome o);
bool is_pass(Outcome o);

// One entry per backend:variant, in order of first appearance.
std::vector<BackendHeatmaps> build_heatmaps(const std::vector<ResultRow>& rows);

// The labels of axis a over rows, sorted naturally, without duplicates.
std::vector<std::string> axis_labels(Axis a, const std::vector<ResultRow>& rows);

}  // namespace tconv::reports
