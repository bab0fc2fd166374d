// The distribution of error/bound ratios per backend, in half-decade bins on a log scale.
// Bin edges are 10^(e/2); bin e holds ratios in (10^(e/2), 10^((e+1)/2)], so the bound
// (ratio 1) is an edge: every bin at or above e = 0 holds failures only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "conformance/results/row.h"

namespace tconv::reports {

inline constexpr int kFirstHalfDecade = -32;  // 1e-16: smaller nonzero ratios go in the first bin
inline constexpr int kLastHalfDecade = 31;    // from 10^15.5: larger ratios go in the last bin

struct RatioHistogram {
  std::string backend;              // backend:variant
  std::int64_t exact = 0;           // ratio 0: bit-exact against the oracle
  std::vector<std::int64_t> bins;   // kLastHalfDecade - kFirstHalfDecade + 1 bins
  std::int64_t non_finite = 0;      // NaN / Inf where the reference was finite
  std::int64_t over_bound = 0;      // ratio > 1 (non-finite included)
  std::int64_t total = 0;           // rows with a ratio
};

// The bin of a finite ratio > 0 (clamped to the first / last bin).
int half_decade_bin(double ratio);
// The lower edge of bin i (10^((kFirstHalfDecade + i)/2)).
double bin_lower_edge(int i);

// One histogram per backend:variant that has ratios, in order of first appearance.
std::vector<RatioHistogram> build_ratio_histograms(const std::vector<ResultRow>& rows);

}  // namespace tconv::reports
