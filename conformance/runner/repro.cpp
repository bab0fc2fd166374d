#include "conformance/runner/repro.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace tconv {

std::string join_directions(const std::vector<Direction>& ds) {
  std::string s;
  for (Direction d : ds) s += (s.empty() ? "" : ",") + std::string(to_string(d));
  return s;
}

std::string to_string(const Repro& r) {
  return to_repro(r.problem) + " dir=" + join_directions(r.directions) + " fill=" +
         std::string(to_string(r.fill.kind)) + " seed=" + std::to_string(r.fill.seed);
}

Result<std::vector<Direction>> parse_direction_list(std::string_view text) {
  using R = Result<std::vector<Direction>>;
  std::vector<Direction> out;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    auto d = parse_direction(item);
    if (!d)
      return R::failure("'" + std::string(item) + "' is not a direction (fwd, bwd_data, bwd_weights, bwd_bias)");
    if (std::find(out.begin(), out.end(), *d) != out.end())
      return R::failure("direction '" + std::string(item) + "' listed twice");
    out.push_back(*d);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<Repro> parse_repro(std::string_view text) {
  using R = Result<Repro>;
  Repro r;
  std::set<std::string, std::less<>> seen;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') { ++i; continue; }
    std::size_t end = text.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(i, end - i);
    i = end;
    const auto eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0) return R::failure("'" + std::string(token) + "': expected key=value");
    const std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
    if (!seen.insert(std::string(key)).second) return R::failure("key '" + std::string(key) + "' given twice");
    if (key == "dir") {
      auto ds = parse_direction_list(value);
      if (!ds) return R::failure("'dir=" + std::string(value) + "': " + ds.error());
      r.directions = *ds;
    } else if (key == "fill") {
      auto k = parse_fill_kind(value);
      if (!k || *k == FillKind::golden)
        return R::failure("'fill=" + std::string(value) + "': expected uniform, normal, integer or exact");
      r.fill.kind = *k;
    } else if (key == "seed") {
      std::uint64_t v = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() || p != value.data() + value.size())
        return R::failure("'seed=" + std::string(value) + "': expected an unsigned 64-bit integer");
      r.fill.seed = v;
    } else if (is_problem_key(key)) {
      if (Status s = apply_problem_key(r.problem, key, value); !s.ok()) return s;
    } else {
      std::size_t count = 0;
      const std::string_view* keys = problem_keys(&count);
      std::string known;
      for (std::size_t k = 0; k < count; ++k) known += std::string(keys[k]) + " ";
      return R::failure("unknown key '" + std::string(key) + "' (known: " + known + "dir fill seed)");
    }
  }
  return r;
}

std::string repro_command(const Repro& r, const std::string& backend_spec, std::string_view extra_flags) {
  std::string cmd = "tconv repro \"" + to_string(r) + "\" --backend " + backend_spec;
  if (!extra_flags.empty()) cmd += " " + std::string(extra_flags);
  return cmd;
}

}  // namespace tconv
