#include "reports/histogram.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

int bin_of_exponent(int e) { return e - kFirstHalfDecade; }

TEST(Histogram, TheBoundIsAnEdge) {
  EXPECT_EQ(half_decade_bin(1.0), bin_of_exponent(-1));  // (10^-0.5, 1]: passes
  EXPECT_EQ(half_decade_bin(std::nextafter(1.0, 2.0)), bin_of_exponent(0));  // (1, 10^0.5]: fails
  EXPECT_EQ(half_decade_bin(0.1), bin_of_exponent(-3));
  EXPECT_EQ(half_decade_bin(0.11), bin_of_exponent(-2));
  EXPECT_EQ(half_decade_bin(1e-30), 0);
  EXPECT_EQ(half_decade_bin(1e30), kLastHalfDecade - kFirstHalfDecade);
  EXPECT_DOUBLE_EQ(bin_lower_edge(bin_of_exponent(0)), 1.0);
  EXPECT_DOUBLE_EQ(bin_lower_edge(bin_of_exponent(-2)), 0.1);
}

TEST(Histogram, CountsExactNonFiniteAndOverTheBound) {
  using test::make_row;
  const auto hs = build_ratio_histograms({make_row("a", "naive", Outcome::PASSED, 0.0),
                                          make_row("b", "naive", Outcome::PASSED, 0.5),
                                          make_row("c", "naive", Outcome::INCORRECT, 5.0),
                                          make_row("d", "naive", Outcome::INCORRECT, HUGE_VAL),
                                          make_row("e", "naive", Outcome::INCORRECT, std::nan("")),
                                          make_row("f", "naive", Outcome::UNSUPPORTED, std::nullopt),
                                          make_row("g", "openmp", Outcome::PASSED, 1e-7)});
  ASSERT_EQ(hs.size(), 2u);
  const RatioHistogram& h = hs[0];
  EXPECT_EQ(h.backend, "naive:default");
  EXPECT_EQ(h.total, 5);
  EXPECT_EQ(h.exact, 1);
  EXPECT_EQ(h.non_finite, 2);
  EXPECT_EQ(h.over_bound, 3);
  EXPECT_EQ(h.bins[static_cast<std::size_t>(half_decade_bin(0.5))], 1);
  EXPECT_EQ(h.bins[static_cast<std::size_t>(half_decade_bin(5.0))], 1);
  EXPECT_EQ(hs[1].bins[static_cast<std::size_t>(half_decade_bin(1e-7))], 1);
}

}  // namespace
}  // namespace tconv::reports
