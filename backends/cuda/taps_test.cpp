// The tap enumeration every gather thread uses, against brute force over every tap.
#include "backends/cuda/taps.h"

#include <gtest/gtest.h>

#include <set>

namespace tconv::cuda {
namespace {

TEST(CudaTaps, FloorAndCeilDivisionRoundTowardTheirSideForNegatives) {
  for (std::int64_t a = -20; a <= 20; ++a)
    for (std::int64_t b = 1; b <= 5; ++b) {
      const std::int64_t f = floor_div(a, b), c = ceil_div(a, b);
      EXPECT_TRUE(f * b <= a && a < (f + 1) * b) << a << "/" << b;
      EXPECT_TRUE((c - 1) * b < a && a <= c * b) << a << "/" << b;
    }
}

// For every output line: the taps landing_taps yields (with their input lines) are exactly the
// taps k with o = i*stride - pad + k*dil for an input line i in range, in increasing order.
TEST(CudaTaps, LandingTapsAreExactlyTheTapsThatReachAnInputLine) {
  int nonempty = 0;
  for (std::int64_t stride = 1; stride <= 5; ++stride)
    for (std::int64_t dil = 1; dil <= 4; ++dil)
      for (std::int64_t taps = 1; taps <= 6; ++taps)
        for (std::int64_t in = 1; in <= 5; ++in)
          for (std::int64_t pad = -3; pad <= 4; ++pad) {
            const std::int64_t full = (in - 1) * stride + dil * (taps - 1) + 1;
            for (std::int64_t o = -2; o < full - pad + 2; ++o) {
              std::set<std::pair<std::int64_t, std::int64_t>> want, got;
              for (std::int64_t k = 0; k < taps; ++k)
                for (std::int64_t i = 0; i < in; ++i)
                  if (i * stride - pad + k * dil == o) want.insert({k, i});
              const TapRange r = landing_taps(o, pad, stride, dil, taps, in);
              for (std::int64_t j = 0; j < r.count; ++j) got.insert({r.first + j * r.step, r.in_first - j * r.in_step});
              ASSERT_EQ(got, want) << "o=" << o << " pad=" << pad << " stride=" << stride << " dil=" << dil
                                   << " taps=" << taps << " in=" << in;
              ASSERT_EQ(static_cast<std::size_t>(r.count), want.size()) << "a tap visited twice";
              nonempty += r.count > 0;
            }
          }
  EXPECT_GT(nonempty, 1000);
}

TEST(CudaTaps, SpanInRangeIsTheSetOfValidSteps) {
  for (std::int64_t base = -12; base <= 12; ++base)
    for (std::int64_t step = 1; step <= 4; ++step)
      for (std::int64_t size = 1; size <= 7; ++size)
        for (std::int64_t limit = 1; limit <= 6; ++limit) {
          const Span s = span_in_range(base, step, size, limit);
          for (std::int64_t v = -2; v < limit + 2; ++v) {
            const bool want = v >= 0 && v < limit && base + v * step >= 0 && base + v * step < size;
            EXPECT_EQ(v >= s.lo && v <= s.hi, want) << base << " " << step << " " << size << " " << limit << " v=" << v;
          }
        }
}

}  // namespace
}  // namespace tconv::cuda
