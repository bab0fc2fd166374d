// The division-free row walk (row_walk.h) against division, for random radices and steps
// (steps past a whole image and steps of one included).
#include "backends/cuda/row_walk.h"

#include <gtest/gtest.h>

#include <random>

namespace tconv::cuda {
namespace {

TEST(RowWalk, EveryStepEqualsTheDivisionOfItsRow) {
  std::mt19937_64 rng(2026120521);
  std::int64_t steps = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t r0 = 1 + rng() % 9, r1 = 1 + rng() % 5, r2 = 1 + rng() % 4;
    const std::int64_t step = i % 4 == 0 ? 1 : 1 + static_cast<std::int64_t>(rng() % (3 * r0 * r1 * r2));
    const RowWalk w = row_walk(r0, r1, r2, step);
    std::int64_t row = static_cast<std::int64_t>(rng() % (r0 * r1 * r2));
    RowDigits d = row_digits(w, row);
    for (int k = 0; k < 40; ++k, row += step, advance_row(w, d), ++steps) {
      const RowDigits want = row_digits(w, row);
      ASSERT_TRUE(d.d0 == want.d0 && d.d1 == want.d1 && d.d2 == want.d2 && d.d3 == want.d3)
          << "radices " << r0 << " " << r1 << " " << r2 << ", step " << step << ", row " << row;
    }
  }
  EXPECT_EQ(steps, 2000 * 40);
}

TEST(RowWalk, DigitsAreTheRowInMixedRadix) {
  const RowWalk w = row_walk(7, 3, 5, 1);
  const RowDigits d = row_digits(w, ((2 * 5 + 4) * 3 + 1) * 7 + 6);
  EXPECT_EQ(d.d0, 6);
  EXPECT_EQ(d.d1, 1);
  EXPECT_EQ(d.d2, 4);
  EXPECT_EQ(d.d3, 2);
}

}  // namespace
}  // namespace tconv::cuda
