// --check sample:N: the oracle computes a sample of the output, only those elements are
// compared, and a bug confined to one corner of a large output is still caught.
#include <gtest/gtest.h>

#include <algorithm>

#include "backends/api/registry.h"
#include "backends/naive/sample.h"
#include "conformance/reference_check.h"
#include "conformance/runner/evaluate.h"
#include "conformance/test_backends/mutants.h"

namespace tconv {
namespace {

// 2 x 16 x 127 x 127 outputs (516k elements) per direction's largest tensor.
Problem large_problem() {
  Problem p;
  p.n = 2, p.c_in = 6, p.c_out = 16, p.groups = 2, p.h_in = p.w_in = 64, p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.crop_top = p.crop_left = 1, p.crop_bottom = p.crop_right = 0;
  return p;
}

Evaluation evaluate_sampled(Backend& backend, const Problem& p, Direction d, const InputSet& in, std::int64_t samples,
                            std::optional<Reference>* ref) {
  EvalOptions opt;
  opt.isolation = Isolation::none;
  opt.check = CheckMode{samples};
  return evaluate(
      backend, backend.name(), p, d, in,
      [&]() -> const Reference& {
        if (!*ref) *ref = checked_reference(p, d, in.operands(), opt.check, 11);
        return **ref;
      },
      {}, opt);
}

TEST(SampledCheck, ParsesFullAndSampleN) {
  EXPECT_FALSE(parse_check_mode("full")->sampled());
  EXPECT_EQ(parse_check_mode("sample:4096")->samples, 4096);
  EXPECT_EQ(parse_check_mode("sample:4096")->flag(), "sample:4096");
  for (const char* bad : {"", "sample", "sample:", "sample:0", "sample:-3", "sample:12x", "fast"})
    EXPECT_FALSE(parse_check_mode(bad)) << bad;
}

TEST(SampledCheck, SampleHoldsCornersBordersAndEveryStridePhase) {
  Problem p = large_problem();
  p.stride_h = 3, p.stride_w = 2;
  const Dims y = p.y_dims();
  const auto s = sample_elements(p, Direction::fwd, 500, 3);
  ASSERT_TRUE(std::is_sorted(s.begin(), s.end()));
  EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end());
  EXPECT_GE(s.size(), 500u);
  const auto has = [&](std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
    return std::binary_search(s.begin(), s.end(), ((n * y[1] + c) * y[2] + h) * y[3] + w);
  };
  for (std::int64_t n = 0; n < y[0]; ++n)
    for (std::int64_t c : {std::int64_t{0}, y[1] - 1}) EXPECT_TRUE(has(n, c, y[2] - 1, 0) && has(n, c, 0, y[3] - 1));
  for (std::int64_t h = 0; h < y[2]; ++h) EXPECT_TRUE(has(0, 0, h, 0) && has(y[0] - 1, y[1] - 1, h, y[3] - 1)) << h;
  for (std::int64_t w = 0; w < y[3]; ++w) EXPECT_TRUE(has(0, 0, y[2] - 1, w)) << w;
  bool phase[3][2] = {};
  for (std::int64_t e : s) {
    const std::int64_t h = e / y[3] % y[2], w = e % y[3];
    if (h > 0 && h < y[2] - 1 && w > 0 && w < y[3] - 1) phase[h % 3][w % 2] = true;
  }
  for (auto& row : phase)
    for (bool seen : row) EXPECT_TRUE(seen);
  // Same seed, same sample; everything when the output is small.
  EXPECT_EQ(s, sample_elements(p, Direction::fwd, 500, 3));
  EXPECT_EQ(sample_elements(p, Direction::bwd_bias, 500, 3).size(), static_cast<std::size_t>(p.c_out));
}

TEST(SampledCheck, SampledReferenceEqualsTheFullOneOnItsElements) {
  const Problem p = large_problem();
  const InputSet in = make_inputs(p, {FillKind::normal, 4});
  for (Direction d : kAllDirections) {
    const Reference full = compute_reference(p, d, in.operands());
    const Reference part = checked_reference(p, d, in.operands(), CheckMode{300}, 9);
    if (!part.is_sampled()) {  // bwd_bias: fewer elements than the sample
      EXPECT_EQ(part.value, full.value);
      continue;
    }
    ASSERT_EQ(part.value.size(), part.sampled.size());
    for (std::size_t k = 0; k < part.sampled.size(); ++k) {
      const auto e = static_cast<std::size_t>(part.sampled[k]);
      EXPECT_EQ(part.value[k], full.value[e]);
      EXPECT_EQ(part.abs_sum[k], full.abs_sum[e]);
      EXPECT_EQ(part.terms[k], full.terms[e]);
      if (!full.pre_bias.empty()) {
        EXPECT_EQ(part.pre_bias[k], full.pre_bias[e]);
      }
    }
  }
}

TEST(SampledCheck, CornerBugInALargeOutputIsCaughtWhileTheOraclePasses) {
  const Problem p = large_problem();
  const InputSet in = make_inputs(p, {FillKind::uniform, 11});
  auto made = builtin_registry().create("naive");
  ASSERT_TRUE(made.ok()) << made.error();
  auto naive = std::move(made).value();
  auto corner = testing::make_mutant("mutant_corner");
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    std::optional<Reference> ref;
    const Evaluation bad = evaluate_sampled(*corner, p, d, in, 256, &ref);
    EXPECT_EQ(bad.outcome, Outcome::INCORRECT) << to_string(d) << ": " << bad.reason;
    ASSERT_TRUE(bad.comparison);
    EXPECT_EQ(bad.comparison->mismatches, 1) << to_string(d);
    EXPECT_LT(bad.comparison->elements, numel_y(p) / 100) << "only the sample is compared";
    EXPECT_EQ(bad.reference.rfind("oracle sample ", 0), 0u) << bad.reference;
    const Evaluation good = evaluate_sampled(*naive, p, d, in, 256, &ref);
    EXPECT_EQ(good.outcome, Outcome::PASSED) << to_string(d) << ": " << good.reason;
  }
}

}  // namespace
}  // namespace tconv
