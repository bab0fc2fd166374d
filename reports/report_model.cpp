#include "reports/report_model.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>

#include "conformance/results/summary.h"
#include "reports/heatmap.h"
#include "reports/histogram.h"
#include "reports/perf_table.h"

namespace tconv::reports {

using json = nlohmann::ordered_json;

namespace {

json outcome_names() {
  json names = json::array();
  for (Outcome o : kAllOutcomes) names.push_back(std::string(to_string(o)));
  return names;
}

json counts_json(const OutcomeCounts& c) {
  json a = json::array();
  for (auto n : c) a.push_back(n);
  return a;
}

json ratio_json(const std::optional<double>& v) {
  if (!v) return nullptr;
  if (!std::isfinite(*v)) return "inf";
  return round_significant(*v, 3);
}

}  // namespace

json outcome_bars_json(const std::vector<ResultRow>& rows) {
  // Summary keys sort backends by name; keep the run's order (first appearance) instead.
  const Summary s = summarize(rows);
  std::vector<std::string> order;
  for (const ResultRow& r : rows) {
    const std::string spec = r.backend + ":" + r.variant;
    if (order.empty() || order.back() != spec)
      if (std::find(order.begin(), order.end(), spec) == order.end()) order.push_back(spec);
  }
  json bars = json::array();
  for (const std::string& spec : order)
    for (Direction d : kAllDirections) {
      const auto it = s.by_backend_direction.find({spec, std::string(to_string(d))});
      if (it == s.by_backend_direction.end()) continue;
      bars.push_back({{"backend", spec}, {"direction", to_string(d)}, {"counts", counts_json(it->second)}});
    }
  return {{"outcomes", outcome_names()}, {"total", counts_json(s.total)}, {"failures", s.failures()}, {"bars", bars}};
}

json heatmaps_json(const std::vector<ResultRow>& rows) {
  json pairs = json::array();
  for (const AxisPair& p : heatmap_pairs())
    pairs.push_back({{"x", axis_title(p.x)}, {"y", axis_title(p.y)}});
  json backends = json::array();
  for (const BackendHeatmaps& b : build_heatmaps(rows)) {
    json maps = json::array();
    for (const Heatmap& m : b.maps) {
      // Cells: [x, y, rows, tested, passed, failed, worst ratio], empty cells left out.
      json cells = json::array();
      for (const auto& [xy, c] : m.cells)
        cells.push_back({xy.first, xy.second, c.rows, c.tested, c.passed, c.failed, ratio_json(c.worst_ratio)});
      json xf = json::array(), yf = json::array();
      for (const auto& l : m.xs) xf.push_back(axis_filter(m.axes.x, l));
      for (const auto& l : m.ys) yf.push_back(axis_filter(m.axes.y, l));
      maps.push_back({{"xs", m.xs}, {"ys", m.ys}, {"x_filters", xf}, {"y_filters", yf}, {"cells", cells}});
    }
    backends.push_back({{"backend", b.backend}, {"maps", maps}});
  }
  return {{"pairs", pairs}, {"backends", backends}};
}

json histograms_json(const std::vector<ResultRow>& rows) {
  json edges = json::array();
  for (int e = kFirstHalfDecade; e <= kLastHalfDecade + 1; ++e) edges.push_back(e / 2.0);  // log10 of the edges
  json hs = json::array();
  for (const RatioHistogram& h : build_ratio_histograms(rows))
    hs.push_back({{"backend", h.backend},
                  {"exact", h.exact},
                  {"bins", h.bins},
                  {"non_finite", h.non_finite},
                  {"over_bound", h.over_bound},
                  {"total", h.total}});
  return {{"log10_edges", edges}, {"backends", hs}};
}

json perf_json(const std::vector<ResultRow>& rows, const json& environment) {
  const PerfTable t = build_perf_table(rows);
  if (t.empty()) return nullptr;
  // Per shape: [GFLOP of one call, then per backend the index of its row or -1]; the page
  // reads case, direction, problem, timings and status from the rows. Beside it, per shape
  // and backend, the fraction of the measured GEMM ceiling of the row's data type and of the
  // measured copy bandwidth (null: none).
  json shapes = json::array(), fractions = json::array(), copy_fractions = json::array();
  std::vector<std::set<std::string>> ceilings_used(t.backends.size());
  std::vector<std::optional<double>> bandwidth(t.backends.size());  // per backend, not per row
  for (std::size_t b = 0; b < t.backends.size(); ++b) bandwidth[b] = peak_gbps(environment, t.backends[b]);
  bool any_fraction = false, any_copy = false;
  for (const PerfShape& s : t.shapes) {
    json line = json::array({round_significant(s.gflop, 4)}), fraction = json::array(), copy = json::array();
    for (std::size_t b = 0; b < s.points.size(); ++b) {
      const auto& p = s.points[b];
      line.push_back(p ? static_cast<std::int64_t>(p->row) : std::int64_t{-1});
      const std::string key = p ? ceiling_key(rows[p->row]) : "";
      const auto peak = p && !key.empty() ? peak_gflops(environment, t.backends[b], key) : std::nullopt;
      fraction.push_back(peak ? json(round_significant(p->gflops / *peak, 4)) : json(nullptr));
      if (peak) ceilings_used[b].insert(key + " " + format_real(round_significant(*peak, 6)));
      any_fraction = any_fraction || peak.has_value();
      const auto gbps = p ? rows[p->row].gbps : std::nullopt;
      const bool copy_known = gbps && bandwidth[b];
      copy.push_back(copy_known ? json(round_significant(*gbps / *bandwidth[b], 4)) : json(nullptr));
      any_copy = any_copy || copy_known;
    }
    shapes.push_back(std::move(line));
    fractions.push_back(std::move(fraction));
    copy_fractions.push_back(std::move(copy));
  }
  // Per backend, the ceilings its fractions used ("f16 750000, f32 51200"), for the column's title.
  json peaks = json::array();
  for (const auto& used : ceilings_used) {
    std::string text;
    for (const std::string& u : used) text += (text.empty() ? "" : ", ") + u;
    peaks.push_back(text.empty() ? json(nullptr) : json(text + " GFLOP/s"));
  }
  json bandwidths = json::array();
  for (const auto& gbps : bandwidth) bandwidths.push_back(gbps ? json(*gbps) : json(nullptr));
  return {{"backends", t.backends},
          {"peak_gflops", peaks},
          {"peak_gbps", bandwidths},
          {"shapes", shapes},
          {"peak_fraction", any_fraction ? fractions : json(nullptr)},
          {"copy_fraction", any_copy ? copy_fractions : json(nullptr)}};
}

json build_report_model(const RunRecord& run, const RowEncodingLimits& limits) {
  json model;
  model["schema"] = "tconv-report/1";
  json info = to_json(run.info);
  model["run"] = info;
  model["environment"] = run.environment;
  model["notes"] = run.notes;
  model["outcomes"] = outcome_bars_json(run.rows);
  model["heatmaps"] = heatmaps_json(run.rows);
  model["histograms"] = histograms_json(run.rows);
  model["perf"] = perf_json(run.rows, run.environment);
  model["rows"] = encode_rows(run.rows, limits);
  return model;
}

}  // namespace tconv::reports
