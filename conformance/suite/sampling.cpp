#include "conformance/suite/sampling.h"

#include <algorithm>
#include <set>

namespace tconv::suite {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t bound) {
  // Reject the top sliver that would make some residues more likely than others.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t r;
  do r = next();
  while (r >= limit);
  return r % bound;
}

std::uint64_t mix_seed(std::uint64_t seed, std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a over the name, then one splitmix step
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return SplitMix64(seed ^ h).next();
}

std::vector<std::uint64_t> sample_indices(std::uint64_t total, std::uint64_t k, std::uint64_t seed,
                                          const std::function<bool(std::uint64_t)>& accept) {
  SplitMix64 rng(seed);
  std::vector<std::uint64_t> chosen;
  if (total <= kEnumerateLimit) {
    for (std::uint64_t i = 0; i < total; ++i)
      if (accept(i)) chosen.push_back(i);
    // Partial Fisher-Yates: the first k positions become a uniform k-subset.
    const std::uint64_t take = std::min<std::uint64_t>(k, chosen.size());
    for (std::uint64_t i = 0; i < take; ++i) std::swap(chosen[i], chosen[i + rng.below(chosen.size() - i)]);
    chosen.resize(take);
  } else {
    std::set<std::uint64_t> seen;
    const std::uint64_t max_draws = 100 * k + 10000;
    for (std::uint64_t draws = 0; chosen.size() < k && draws < max_draws; ++draws) {
      const std::uint64_t i = rng.below(total);
      if (!seen.insert(i).second) continue;
      if (accept(i)) chosen.push_back(i);
    }
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace tconv::suite
