#include "reports/run_diff_text.h"

#include <algorithm>
#include <cstdio>

namespace tconv::reports {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}

std::string status_of(const std::optional<ResultRow>& r) { return r ? std::string(to_string(r->status)) : "-"; }

// What to say about one changed row after its key.
std::string detail(const RowChange& ch) {
  switch (ch.kind) {
    case Change::ratio_grew:
      return "err/bound " + ratio_text(ch.base->err_bound_ratio) + " -> " + ratio_text(ch.now->err_bound_ratio) +
             " (x" + fixed(ch.factor, 3) + ")";
    case Change::slower:
    case Change::faster:
      return timing_text(*ch.base) + " -> " + timing_text(*ch.now) + " (x" + fixed(ch.factor, 3) + ")";
    case Change::added: return status_of(ch.now);
    case Change::removed: return status_of(ch.base);
    default: {
      std::string s = status_of(ch.base) + " -> " + status_of(ch.now);
      if (ch.now && !ch.now->reason.empty()) s += ": " + ch.now->reason.substr(0, 160);
      return s;
    }
  }
}

}  // namespace

std::string ratio_text(const std::optional<double>& r) { return r ? fixed(*r, 3) : "-"; }

std::string timing_text(const ResultRow& r) {
  if (!r.time_ms) return "";
  std::string s = fixed(*r.time_ms, 4) + " ms";
  if (r.time_min_ms && r.time_max_ms) s += " [" + fixed(*r.time_min_ms, 4) + ", " + fixed(*r.time_max_ms, 4) + "]";
  return s;
}

std::string backend_spec(const RowKey& k) { return k.backend + ":" + k.variant; }

std::string run_label(const RunRecord& run) {
  std::string s = run.dir + " (suite " + run.info.suite_name + ", " + std::to_string(run.rows.size()) + " rows";
  if (!run.info.start_time.empty()) s += ", " + run.info.start_time;
  return s + ")";
}

std::string compare_text(const Comparison& c, const RunRecord& base, const RunRecord& now, std::size_t rows_per_kind) {
  std::string out;
  out += "base: " + run_label(base) + "\n";
  out += "new:  " + run_label(now) + "\n";
  if (base.info.suite_name != now.info.suite_name)
    out += "note: the runs are of different suites: rows are matched by case name\n";
  out += std::to_string(c.common_rows) + " rows in both, " + std::to_string(c.count(Change::added)) + " added, " +
         std::to_string(c.count(Change::removed)) + " removed; timings compared on " + std::to_string(c.perf_compared) +
         " rows (noise: each run's min..max)\n\n";

  for (Change kind : kAllChanges) {
    std::string heading(describe(kind));
    if (kind == Change::ratio_grew) heading += " (> x" + fixed(c.options.ratio_factor, 3) + ")";
    out += "  " + pad(heading, 40) + pad(std::to_string(c.count(kind)), 8);
    if (c.count(kind) > 0 && c.is_regression(kind)) out += "REGRESSION";
    out += "\n";
  }

  std::size_t case_w = 4, backend_w = 7;
  for (const RowChange& ch : c.changes) {
    case_w = std::max(case_w, std::min<std::size_t>(ch.key.case_name.size(), 40));
    backend_w = std::max(backend_w, backend_spec(ch.key).size());
  }
  for (Change kind : kAllChanges) {
    std::size_t shown = 0, total = 0;
    for (const RowChange& ch : c.changes) {
      if (ch.kind != kind) continue;
      if (++total == 1) out += "\n" + std::string(describe(kind)) + ":\n";
      if (shown >= rows_per_kind) continue;
      ++shown;
      out += "  " + pad(std::string(to_string(kind)), 12) + pad(ch.key.case_name, case_w + 2) +
             pad(backend_spec(ch.key), backend_w + 2) + pad(std::string(to_string(ch.key.direction)), 13) + detail(ch) +
             "\n";
      const auto& row = ch.now ? ch.now : ch.base;
      if ((kind == Change::new_failure || kind == Change::ratio_grew) && !row->repro.empty())
        out += "      " + row->repro + "\n";
    }
    if (total > shown) out += "  ... " + std::to_string(total - shown) + " more in compare.html\n";
  }
  out += "\n";
  if (c.regression()) {
    std::int64_t n = 0;
    for (const RowChange& ch : c.changes) n += c.is_regression(ch.kind);
    out += "REGRESSION: " + std::to_string(n) + " changes\n";
  } else {
    out += "no regression\n";
  }
  return out;
}

}  // namespace tconv::reports
