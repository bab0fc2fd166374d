#include "conformance/runner/shard.h"

#include <charconv>

namespace tconv {

Result<Shard> parse_shard(std::string_view text) {
  const std::string why = "--shard '" + std::string(text) + "': expected K/N with 0 <= K < N (K counts from 0)";
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return Result<Shard>::failure(why);
  Shard s;
  auto parse = [](std::string_view t, int& v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  if (!parse(text.substr(0, slash), s.index) || !parse(text.substr(slash + 1), s.count) || s.count < 1 ||
      s.index < 0 || s.index >= s.count)
    return Result<Shard>::failure(why);
  return s;
}

}  // namespace tconv
