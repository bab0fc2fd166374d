#include "reports/run_diff.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace tconv::reports {

namespace {

struct KeyHash {
  std::size_t operator()(const RowKey& k) const {
    std::size_t h = std::hash<std::string>()(k.case_name);
    for (const std::string* s : {&k.backend, &k.variant}) h = h * 1000003u ^ std::hash<std::string>()(*s);
    return h * 31u + static_cast<std::size_t>(k.direction);
  }
};

// A ratio as a magnitude: NaN (a NaN in the output) is as bad as infinity.
std::optional<double> magnitude(const std::optional<double>& r) {
  if (!r) return std::nullopt;
  return std::isnan(*r) ? HUGE_VAL : std::fabs(*r);
}

void classify(const ResultRow& b, const ResultRow& n, const CompareOptions& o, std::vector<RowChange>& out,
              std::int64_t& perf_compared) {
  const bool fail_b = is_failure(b.status), fail_n = is_failure(n.status);
  if (!fail_b && fail_n) {
    out.push_back({Change::new_failure, n.key(), b, n, 0});
    return;
  }
  if (fail_b && !fail_n) out.push_back({Change::fixed, n.key(), b, n, 0});
  else if (b.status != n.status) out.push_back({Change::status_changed, n.key(), b, n, 0});
  if (fail_n) return;  // numbers and timings of a failing row mean nothing

  const auto rb = magnitude(b.err_bound_ratio), rn = magnitude(n.err_bound_ratio);
  if (rb && rn && *rn > o.ratio_factor * *rb && *rn > o.ratio_floor)
    out.push_back({Change::ratio_grew, n.key(), b, n, *rb > 0 ? *rn / *rb : HUGE_VAL});

  // The noise is what each run measured: its min..max over the repeats.
  if (b.time_min_ms && b.time_max_ms && n.time_min_ms && n.time_max_ms) {
    ++perf_compared;
    const double median_b = b.time_ms.value_or(*b.time_min_ms), median_n = n.time_ms.value_or(*n.time_min_ms);
    const double factor = median_b > 0 ? median_n / median_b : 0;
    if (*n.time_min_ms > *b.time_max_ms) out.push_back({Change::slower, n.key(), b, n, factor});
    else if (*n.time_max_ms < *b.time_min_ms) out.push_back({Change::faster, n.key(), b, n, factor});
  }
}

}  // namespace

std::string_view to_string(Change c) {
  switch (c) {
    case Change::new_failure: return "NEW FAILURE";
    case Change::fixed: return "FIXED";
    case Change::ratio_grew: return "ERR GREW";
    case Change::slower: return "SLOWER";
    case Change::faster: return "FASTER";
    case Change::status_changed: return "CHANGED";
    case Change::added: return "ADDED";
    case Change::removed: return "REMOVED";
  }
  return "?";
}

std::string_view describe(Change c) {
  switch (c) {
    case Change::new_failure: return "new failures";
    case Change::fixed: return "fixed failures";
    case Change::ratio_grew: return "error/bound ratio grew";
    case Change::slower: return "slower beyond the measured noise";
    case Change::faster: return "faster beyond the measured noise";
    case Change::status_changed: return "other outcome changes";
    case Change::added: return "rows added";
    case Change::removed: return "rows removed";
  }
  return "?";
}

std::int64_t Comparison::count(Change c) const {
  return std::count_if(changes.begin(), changes.end(), [c](const RowChange& x) { return x.kind == c; });
}

bool Comparison::is_regression(Change c) const {
  return c == Change::new_failure || c == Change::ratio_grew || (c == Change::slower && options.perf_regressions);
}

bool Comparison::regression() const {
  return std::any_of(changes.begin(), changes.end(), [this](const RowChange& x) { return is_regression(x.kind); });
}

Comparison compare_rows(const std::vector<ResultRow>& base, const std::vector<ResultRow>& now,
                        const CompareOptions& options) {
  Comparison c;
  c.options = options;
  c.base_rows = static_cast<std::int64_t>(base.size());
  c.new_rows = static_cast<std::int64_t>(now.size());
  std::unordered_map<RowKey, const ResultRow*, KeyHash> base_by_key, now_by_key;
  for (const ResultRow& r : base) base_by_key.emplace(r.key(), &r);
  for (const ResultRow& r : now) now_by_key.emplace(r.key(), &r);

  std::vector<RowChange> changes;
  for (const ResultRow& n : now) {
    const auto it = base_by_key.find(n.key());
    if (it == base_by_key.end()) {
      changes.push_back({Change::added, n.key(), std::nullopt, n, 0});
      continue;
    }
    ++c.common_rows;
    classify(*it->second, n, options, changes, c.perf_compared);
  }
  for (const ResultRow& b : base)
    if (!now_by_key.count(b.key())) changes.push_back({Change::removed, b.key(), b, std::nullopt, 0});

  std::stable_sort(changes.begin(), changes.end(),
                   [](const RowChange& x, const RowChange& y) { return x.kind < y.kind; });
  c.changes = std::move(changes);
  return c;
}

}  // namespace tconv::reports
