#include "conformance/results/summary.h"

#include <algorithm>
#include <cstdio>

namespace tconv {

void Summary::add(const ResultRow& r) {
  ++rows;
  const auto i = static_cast<std::size_t>(r.status);
  ++total[i];
  ++by_backend_direction[{r.backend + ":" + r.variant, std::string(to_string(r.direction))}][i];
}

std::int64_t Summary::failures() const {
  std::int64_t n = 0;
  for (Outcome o : kAllOutcomes)
    if (is_failure(o)) n += count(o);
  return n;
}

Summary summarize(const std::vector<ResultRow>& rows) {
  Summary s;
  for (const ResultRow& r : rows) s.add(r);
  return s;
}

std::string summary_table(const Summary& s) {
  std::vector<Outcome> shown;
  for (Outcome o : kAllOutcomes)
    if (s.count(o) > 0) shown.push_back(o);
  std::size_t name_w = std::string("backend").size();
  for (const auto& [key, counts] : s.by_backend_direction) name_w = std::max(name_w, key.first.size());

  std::string out;
  char buf[256];
  auto cell = [&](const std::string& text, std::size_t w, bool left) {
    std::snprintf(buf, sizeof buf, left ? "%-*s" : "%*s", static_cast<int>(w), text.c_str());
    out += buf;
  };
  auto line = [&](const std::string& backend, const std::string& dir, const OutcomeCounts& c) {
    cell(backend, name_w + 2, true);
    cell(dir, 13, true);
    std::int64_t sum = 0;
    for (Outcome o : shown) {
      const auto n = c[static_cast<std::size_t>(o)];
      sum += n;
      cell(std::to_string(n), to_string(o).size() + 2, false);
    }
    cell(std::to_string(sum), 8, false);
    out += '\n';
  };
  cell("backend", name_w + 2, true);
  cell("direction", 13, true);
  for (Outcome o : shown) cell(std::string(to_string(o)), to_string(o).size() + 2, false);
  cell("rows", 8, false);
  out += '\n';
  for (const auto& [key, counts] : s.by_backend_direction) line(key.first, key.second, counts);
  line("total", "", s.total);
  return out;
}

}  // namespace tconv
