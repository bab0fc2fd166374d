#include "backends/naive/sample.h"

#include <algorithm>
#include <random>
#include <unordered_set>

namespace tconv {

std::vector<std::int64_t> sample_elements(const Problem& p, Direction d, std::int64_t count, std::uint64_t seed) {
  const Dims dims = p.output_dims(d);
  const std::int64_t A = dims[0], B = dims[1], H = dims[2], W = dims[3], total = A * B * H * W;
  std::vector<std::int64_t> out;
  if (total <= count) {
    out.resize(static_cast<std::size_t>(total));
    for (std::int64_t e = 0; e < total; ++e) out[static_cast<std::size_t>(e)] = e;
    return out;
  }
  std::unordered_set<std::int64_t> chosen;
  const auto add = [&](std::int64_t a, std::int64_t b, std::int64_t h, std::int64_t w) {
    chosen.insert(((a * B + b) * H + h) * W + w);
  };
  const auto corners = [&](std::int64_t a, std::int64_t b) {
    for (std::int64_t h : {std::int64_t{0}, H - 1})
      for (std::int64_t w : {std::int64_t{0}, W - 1}) add(a, b, h, w);
  };
  for (std::int64_t a = 0; a < A; ++a)
    for (std::int64_t b : {std::int64_t{0}, B - 1}) corners(a, b);
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t a : {std::int64_t{0}, A - 1}) corners(a, b);
  const std::pair<std::int64_t, std::int64_t> planes[] = {{0, 0}, {A - 1, B - 1}};
  for (const auto& [a, b] : planes) {
    for (std::int64_t w = 0; w < W; ++w) add(a, b, 0, w), add(a, b, H - 1, w);
    for (std::int64_t h = 0; h < H; ++h) add(a, b, h, 0), add(a, b, h, W - 1);
    if (d != Direction::fwd) continue;
    for (std::int64_t rh = 0; rh < std::min(p.stride_h, H); ++rh)
      for (std::int64_t rw = 0; rw < std::min(p.stride_w, W); ++rw) {
        const std::int64_t h = std::min(H - 1, (H / 2) / p.stride_h * p.stride_h + rh);
        const std::int64_t w = std::min(W - 1, (W / 2) / p.stride_w * p.stride_w + rw);
        add(a, b, h, w);
      }
  }
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> any(0, total - 1);
  while (static_cast<std::int64_t>(chosen.size()) < count) chosen.insert(any(rng));
  out.assign(chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tconv
