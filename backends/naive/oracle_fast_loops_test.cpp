// The oracle's fast loops (compute_reference) against its per-element definition
// (compute_sampled_reference over every element): bitwise the same value, S, K and pre-bias
// sum, on random problems of every shape class (strides, dilations, crops, groups, layouts)
// and on a few larger ones that exercise the channel blocking.
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <random>

#include "backends/naive/oracle.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::crosscheck {
namespace {

template <class T>
bool bitwise_equal(const ReferenceArray<T>& a, const ReferenceArray<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void expect_loops_match_definition(const Problem& p, std::uint64_t seed) {
  const InputSet in = make_inputs(p, {FillKind::normal, seed});
  for (Direction d : kAllDirections) {
    const Reference fast = compute_reference(p, d, in.operands());
    std::vector<std::int64_t> all(fast.value.size());
    std::iota(all.begin(), all.end(), std::int64_t{0});
    const Reference slow = compute_sampled_reference(p, d, in.operands(), all);
    EXPECT_EQ(fast.dims, slow.dims);
    EXPECT_TRUE(bitwise_equal(fast.value, slow.value)) << to_string(d) << " " << to_repro(p);
    EXPECT_TRUE(bitwise_equal(fast.abs_sum, slow.abs_sum)) << to_string(d) << " " << to_repro(p);
    EXPECT_TRUE(bitwise_equal(fast.terms, slow.terms)) << to_string(d) << " " << to_repro(p);
    EXPECT_TRUE(bitwise_equal(fast.pre_bias, slow.pre_bias)) << to_string(d) << " " << to_repro(p);
  }
}

TEST(OracleFastLoops, BitwiseEqualToTheDefinitionOnRandomProblems) {
  std::mt19937_64 rng(1717);
  for (int i = 0; i < 300; ++i) expect_loops_match_definition(random_problem(rng), 100 + i);
}

TEST(OracleFastLoops, BitwiseEqualToTheDefinitionOnBlockedShapes) {
  // Fields in Problem's declaration order: n, c_in, c_out, groups, h, w, kh, kw, s, d, crops.
  const Problem problems[] = {
      {2, 24, 40, 1, 9, 7, 4, 4, 2, 2, 1, 1, 1, 0, 1, 1, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      {1, 40, 6, 2, 5, 11, 3, 5, 3, 2, 2, 1, -1, 2, 0, 3, true, DType::f32, Layout::NHWC, Layout::IOHW, {}},
      {2, 16, 16, 16, 6, 6, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, false, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      {1, 3, 3000, 1, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      // Channels innermost in fwd and bwd_data (16+ per group), stride 3 with a negative crop.
      {2, 36, 34, 2, 4, 9, 2, 5, 1, 3, 1, 2, 1, -2, 0, 4, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      // Wide rows (phases of 16+ outputs), f32 x read in place or (NHWC) from a copy,
      // strides 1 to 3, dilation.
      {2, 3, 5, 1, 3, 45, 3, 4, 1, 2, 1, 1, 0, 1, 2, 1, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
      {1, 2, 3, 1, 2, 50, 2, 5, 2, 3, 1, 1, 1, 0, -1, 2, false, DType::f32, Layout::NHWC, Layout::IOHW, {}},
      {1, 4, 6, 2, 3, 37, 3, 3, 1, 1, 1, 2, 0, 0, 1, 1, true, DType::f32, Layout::NCHW, Layout::IOHW, {}},
  };
  std::uint64_t seed = 7;
  for (const Problem& p : problems) {
    ASSERT_TRUE(validate(p).ok()) << validate(p).message;
    expect_loops_match_definition(p, ++seed);
  }
}

}  // namespace
}  // namespace tconv::crosscheck
