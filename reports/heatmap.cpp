#include "reports/heatmap.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

namespace tconv::reports {

const HeatCell* Heatmap::cell(std::size_t x, std::size_t y) const {
  const auto it = cells.find({x, y});
  return it == cells.end() ? nullptr : &it->second;
}

bool is_tested(Outcome o) {
  return o != Outcome::UNSUPPORTED && o != Outcome::INVALID && o != Outcome::SKIPPED;
}

bool is_pass(Outcome o) { return o == Outcome::PASSED || o == Outcome::MISTRUSTED; }

std::vector<std::string> axis_labels(Axis a, const std::vector<ResultRow>& rows) {
  std::set<std::string> unique;
  for (const ResultRow& r : rows) unique.insert(axis_label(a, r));
  std::vector<std::string> out(unique.begin(), unique.end());
  std::stable_sort(out.begin(), out.end(), [a](const std::string& x, const std::string& y) { return axis_less(a, x, y); });
  return out;
}

std::vector<BackendHeatmaps> build_heatmaps(const std::vector<ResultRow>& rows) {
  const auto& pairs = heatmap_pairs();
  // Axis labels and their indices, shared by every backend so the maps line up.
  std::vector<std::vector<std::string>> xs, ys;
  std::vector<std::unordered_map<std::string, std::size_t>> x_index, y_index;
  for (const AxisPair& p : pairs) {
    xs.push_back(axis_labels(p.x, rows));
    ys.push_back(axis_labels(p.y, rows));
    auto index = [](const std::vector<std::string>& labels) {
      std::unordered_map<std::string, std::size_t> m;
      for (std::size_t i = 0; i < labels.size(); ++i) m[labels[i]] = i;
      return m;
    };
    x_index.push_back(index(xs.back()));
    y_index.push_back(index(ys.back()));
  }

  std::vector<BackendHeatmaps> out;
  std::unordered_map<std::string, std::size_t> backend_index;
  for (const ResultRow& r : rows) {
    const std::string spec = r.backend + ":" + r.variant;
    auto [it, added] = backend_index.try_emplace(spec, out.size());
    if (added) {
      BackendHeatmaps b{spec, {}};
      for (std::size_t k = 0; k < pairs.size(); ++k) b.maps.push_back(Heatmap{pairs[k], xs[k], ys[k], {}});
      out.push_back(std::move(b));
    }
    BackendHeatmaps& b = out[it->second];
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      HeatCell& c = b.maps[k].cells[{x_index[k].at(axis_label(pairs[k].x, r)), y_index[k].at(axis_label(pairs[k].y, r))}];
      ++c.rows;
      if (!is_tested(r.status)) continue;
      ++c.tested;
      c.passed += is_pass(r.status);
      c.failed += is_failure(r.status);
      if (r.err_bound_ratio) {
        const double v = std::isnan(*r.err_bound_ratio) ? HUGE_VAL : std::fabs(*r.err_bound_ratio);
        c.worst_ratio = c.worst_ratio ? std::max(*c.worst_ratio, v) : v;
      }
    }
  }
  return out;
}

}  // namespace tconv::reports
