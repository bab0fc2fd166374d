#include "reports/histogram.h"

#include <cmath>
#include <unordered_map>

namespace tconv::reports {

namespace {
constexpr int kBins = kLastHalfDecade - kFirstHalfDecade + 1;
}

double bin_lower_edge(int i) { return std::pow(10.0, (kFirstHalfDecade + i) / 2.0); }

int half_decade_bin(double ratio) {
  // Estimate from the logarithm, then correct against the exact edges (pow and log10 can
  // disagree by an ulp right at an edge such as 1.0).
  int e = static_cast<int>(std::ceil(2.0 * std::log10(ratio))) - 1;
  while (e + 1 <= kLastHalfDecade && ratio > std::pow(10.0, (e + 1) / 2.0)) ++e;
  while (e >= kFirstHalfDecade && ratio <= std::pow(10.0, e / 2.0)) --e;
  if (e < kFirstHalfDecade) e = kFirstHalfDecade;
  if (e > kLastHalfDecade) e = kLastHalfDecade;
  return e - kFirstHalfDecade;
}

std::vector<RatioHistogram> build_ratio_histograms(const std::vector<ResultRow>& rows) {
  std::vector<RatioHistogram> out;
  std::unordered_map<std::string, std::size_t> index;
  for (const ResultRow& r : rows) {
    if (!r.err_bound_ratio) continue;
    const std::string spec = r.backend + ":" + r.variant;
    auto [it, added] = index.try_emplace(spec, out.size());
    if (added) out.push_back(RatioHistogram{spec, 0, std::vector<std::int64_t>(kBins, 0), 0, 0, 0});
    RatioHistogram& h = out[it->second];
    const double v = std::fabs(*r.err_bound_ratio);
    ++h.total;
    if (!std::isfinite(v)) {
      ++h.non_finite;
      ++h.over_bound;
    } else if (v == 0) {
      ++h.exact;
    } else {
      ++h.bins[static_cast<std::size_t>(half_decade_bin(v))];
      h.over_bound += v > 1;
    }
  }
  return out;
}

}  // namespace tconv::reports
