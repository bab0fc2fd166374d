#include "conformance/suite/sampling.h"

#include <gtest/gtest.h>

#include <set>

namespace tconv::suite {
namespace {

TEST(Sampling, SameSeedSameIndicesDifferentSeedDifferent) {
  auto all = [](std::uint64_t) { return true; };
  const auto a = sample_indices(1000, 20, 42, all);
  EXPECT_EQ(a, sample_indices(1000, 20, 42, all));
  EXPECT_NE(a, sample_indices(1000, 20, 43, all));
  ASSERT_EQ(a.size(), 20u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<std::uint64_t>(a.begin(), a.end()).size(), 20u);
}

TEST(Sampling, OnlyAcceptedIndicesAndAllWhenFewer) {
  auto even = [](std::uint64_t i) { return i % 2 == 0; };
  for (std::uint64_t i : sample_indices(100, 10, 1, even)) EXPECT_EQ(i % 2, 0u);
  EXPECT_EQ(sample_indices(10, 100, 1, even).size(), 5u);  // fewer acceptable than asked
}

TEST(Sampling, LargeSpacesAreDrawnNotEnumerated) {
  std::uint64_t calls = 0;
  auto count = [&](std::uint64_t) { ++calls; return true; };
  const auto a = sample_indices(std::uint64_t{1} << 40, 50, 9, count);
  EXPECT_EQ(a.size(), 50u);
  EXPECT_LT(calls, 1000u);
}

TEST(Sampling, BoundedDrawsAreInRangeAndCoverIt) {
  SplitMix64 rng(5);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = rng.below(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_NE(mix_seed(1, "a"), mix_seed(1, "b"));
  EXPECT_EQ(mix_seed(1, "a"), mix_seed(1, "a"));
}

}  // namespace
}  // namespace tconv::suite
