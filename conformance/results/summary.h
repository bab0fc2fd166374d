// Outcome counts of a run: overall and per backend:variant x direction.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "conformance/results/row.h"

namespace tconv {

using OutcomeCounts = std::array<std::int64_t, std::size(kAllOutcomes)>;

struct Summary {
  std::int64_t rows = 0;
  OutcomeCounts total{};
  // key: ("backend:variant", direction)
  std::map<std::pair<std::string, std::string>, OutcomeCounts> by_backend_direction;

  void add(const ResultRow& r);
  std::int64_t count(Outcome o) const { return total[static_cast<std::size_t>(o)]; }
  std::int64_t failures() const;  // rows whose outcome makes the exit status 1
};

Summary summarize(const std::vector<ResultRow>& rows);

// A plain-text table, one line per backend:variant x direction, one column per outcome
// that occurs, then a total line.
std::string summary_table(const Summary& s);

}  // namespace tconv
