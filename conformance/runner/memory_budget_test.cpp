#include "conformance/runner/memory_budget.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

TEST(MemoryBudget, ParsesBytesSuffixesAndFractions) {
  EXPECT_EQ(*parse_memory_limit("123456", 0), 123456u);
  EXPECT_EQ(*parse_memory_limit("8G", 0), 8ull << 30);
  EXPECT_EQ(*parse_memory_limit("512MiB", 0), 512ull << 20);
  EXPECT_EQ(*parse_memory_limit("2k", 0), 2048u);
  EXPECT_EQ(*parse_memory_limit("1e9", 0), 1000000000u);
  EXPECT_EQ(*parse_memory_limit("0.25", 4000), 1000u);
  for (const char* bad : {"", "abc", "-1", "0", "3X", "1.5GB!", "0.5"})
    EXPECT_FALSE(parse_memory_limit(bad, 0).ok()) << bad;  // "0.5" needs the available memory
}

TEST(MemoryBudget, EstimateCountsInputsOutputAndReference) {
  Problem p;
  p.n = 2;
  p.c_in = 3;
  p.c_out = 4;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;  // y: 2x4x7x7
  const MemoryNeed m = estimate_memory(p, Direction::fwd);
  const double x = 2 * 3 * 25, y = 2 * 4 * 49, w = 3 * 4 * 9, b = 4;
  EXPECT_DOUBLE_EQ(m.inputs, (x + w + b + y) * 4);
  EXPECT_DOUBLE_EQ(m.output, y * 4);
  EXPECT_DOUBLE_EQ(m.reference, y * 20);
  EXPECT_GT(m.total(true, true), m.total(false, false));
  EXPECT_DOUBLE_EQ(estimate_memory(p, Direction::bwd_bias).output, 4 * 4);
}

}  // namespace
}  // namespace tconv
