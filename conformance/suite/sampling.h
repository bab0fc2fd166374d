// Seeded choice of sweep combinations for `sample: K`. Our own generator (splitmix64) and
// bounded draws, so a seed picks the same cases with every compiler and standard library.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace tconv::suite {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);  // uniform in [0, bound), bound >= 1, unbiased

 private:
  std::uint64_t state_;
};

// Mixes a name into a seed, so two sweeps of one suite sample independently.
std::uint64_t mix_seed(std::uint64_t seed, std::string_view name);

// Up to k distinct indices of [0, total) for which accept(i) holds, ascending, the same for
// the same seed. Small spaces are enumerated (so "fewer than k acceptable" returns them
// all); large ones are drawn with rejection, giving up after many misses.
std::vector<std::uint64_t> sample_indices(std::uint64_t total, std::uint64_t k, std::uint64_t seed,
                                          const std::function<bool(std::uint64_t)>& accept);

// Above this many combinations, sampling draws instead of enumerating.
inline constexpr std::uint64_t kEnumerateLimit = 200000;

}  // namespace tconv::suite
