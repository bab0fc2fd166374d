#include "conformance/suite/sweep.h"

#include <gtest/gtest.h>

#include <set>

#include "conformance/suite/test_util.h"

namespace tconv::suite {
namespace {

using testing::parse_error;
using testing::parse_ok;

std::set<std::string> repros(const Suite& s) {
  std::set<std::string> out;
  for (const Case& c : s.cases) out.insert(to_repro(c.problem));
  return out;
}

TEST(Sweep, CartesianProductCountsEveryCombination) {
  Suite s = parse_ok(R"(
suite: t
sweeps:
  - name: grid
    c_in: [1, 2]
    stride: [1, 2, 3]
    kernel: [[1, 4], 3]
)");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.cases.size(), 2u * 3u * 2u);
  EXPECT_EQ(s.cases[0].name, "grid/0");
  EXPECT_EQ(s.cases[0].source, "test.yaml:4");
  // The first key written varies slowest.
  EXPECT_EQ(s.cases[0].problem.c_in, 1);
  EXPECT_EQ(s.cases.back().problem.c_in, 2);
  EXPECT_EQ(s.cases[0].problem.kh, 1);
  EXPECT_EQ(s.cases[0].problem.kw, 4);
  EXPECT_EQ(s.cases[1].problem.kh, 3);
  EXPECT_EQ(s.cases[1].problem.kw, 3);
  EXPECT_EQ(s.cases[0].origin.at("kernel"), "[1, 4]");
  EXPECT_EQ(s.cases[0].origin.at("convention"), "pytorch");
}

TEST(Sweep, ScalarsAreOneValueAndDefaultsApply) {
  Suite s = parse_ok(R"(
defaults: {n: 3, dtype: bf16, layout: NHWC, weight_layout: HWOI, bias: false, directions: [fwd, bwd_bias], fill: integer}
sweeps:
  - stride: 2
    input: [[4, 6]]
)");
  ASSERT_EQ(s.cases.size(), 1u);
  const Case& c = s.cases[0];
  EXPECT_EQ(c.name, "sweep0/0");
  EXPECT_EQ(c.problem.n, 3);
  EXPECT_EQ(c.problem.h_in, 4);
  EXPECT_EQ(c.problem.w_in, 6);
  EXPECT_EQ(c.problem.dtype, DType::bf16);
  EXPECT_EQ(c.problem.layout, Layout::NHWC);
  EXPECT_EQ(c.problem.weight_layout, Layout::HWOI);
  EXPECT_FALSE(c.problem.bias);
  EXPECT_EQ(c.directions, (std::vector<Direction>{Direction::fwd, Direction::bwd_bias}));
  EXPECT_EQ(c.fill.kind, FillKind::integer);
  EXPECT_EQ(c.fill.seed, 1u);  // the suite's seed
}

TEST(Sweep, ZipVariesTogether) {
  Suite s = parse_ok(R"(
sweeps:
  - name: z
    zip:
      kernel: [2, 4, 3]
      stride: [2, 2, 1]
    dilation: [1, 2]
)");
  ASSERT_EQ(s.cases.size(), 3u * 2u);
  for (const Case& c : s.cases) EXPECT_TRUE((c.problem.kh == 2 && c.problem.stride_h == 2) || (c.problem.kh == 4 && c.problem.stride_h == 2) ||
                                            (c.problem.kh == 3 && c.problem.stride_h == 1));
}

TEST(Sweep, SeveralZipGroupsCrossEachOther) {
  Suite s = parse_ok(R"(
sweeps:
  - zip:
      - {kernel: [2, 4], stride: [2, 2]}
      - {c_in: [2, 4, 8], c_out: [2, 4, 8]}
)");
  EXPECT_EQ(s.cases.size(), 2u * 3u);
}

TEST(Sweep, WhereFiltersCombinations) {
  Suite s = parse_ok(R"(
sweeps:
  - stride: [1, 2, 3]
    output_padding: [0, 1, 2]
    where: output_padding < stride
)");
  EXPECT_EQ(s.cases.size(), 1u + 2u + 3u);
  for (const Case& c : s.cases) EXPECT_TRUE(c.invalid_reason.empty()) << c.invalid_reason;
}

TEST(Sweep, WhereListIsAConjunctionAndSeesDerivedValues) {
  Suite s = parse_ok(R"(
sweeps:
  - c_in: [2, 4, 6]
    c_out: 12
    groups: [1, 2, 4, depthwise]
    padding: [0, 1, 2]
    kernel: 3
    input: 3
    where:
      - c_in % groups == 0
      - h_out > 3
)");
  for (const Case& c : s.cases) {
    EXPECT_EQ(c.problem.c_in % c.problem.groups, 0);
    EXPECT_GT(c.problem.h_out(), 3);
  }
  // c_in 2: g 1, 2, dw; c_in 4: g 1, 2, 4, dw; c_in 6: g 1, 2, dw -> 10 groupings, each
  // with padding 0 only (h_out 5); depthwise for c_in 2 and 4 repeats g 2 and g 4.
  EXPECT_EQ(s.cases.size(), 8u);
  EXPECT_EQ(s.duplicates_removed, 2);
}

TEST(Sweep, DepthwiseMeansGroupsEqualCin) {
  Suite s = parse_ok(R"(
sweeps:
  - c_in: [3, 8]
    c_out: 24
    groups: depthwise
    where: depthwise && groups == c_in
)");
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(s.cases[0].problem.groups, 3);
  EXPECT_EQ(s.cases[1].problem.groups, 8);
  EXPECT_EQ(s.cases[0].origin.at("groups"), "depthwise");
}

TEST(Sweep, SampleIsDeterministicBySeed) {
  const std::string yaml = R"(
seed: SEED
sweeps:
  - name: r
    sample: 25
    stride: {range: [1, 4]}
    padding: {range: [0, 3]}
    output_padding: {range: [0, 3]}
    kernel: [1, 2, 3, 4, 5]
    where: output_padding < stride
)";
  auto with_seed = [&](const std::string& seed) {
    std::string y = yaml;
    y.replace(y.find("SEED"), 4, seed);
    return parse_ok(y);
  };
  const Suite a = with_seed("1"), b = with_seed("1"), c = with_seed("2");
  ASSERT_EQ(a.cases.size(), 25u);
  EXPECT_EQ(repros(a), repros(b));
  EXPECT_NE(repros(a), repros(c));
  for (const Case& x : a.cases) EXPECT_LT(x.problem.crop_top - x.problem.crop_bottom, x.problem.stride_h);
  EXPECT_EQ(a.cases[24].name, "r/24");
}

TEST(Sweep, SweepSeedOverridesSuiteSeed) {
  const std::string body = R"(
sweeps:
  - name: r
    sample: 10
    seed: 99
    stride: {range: [1, 8]}
    kernel: {range: [1, 8]}
)";
  EXPECT_EQ(repros(parse_ok("seed: 1\n" + body)), repros(parse_ok("seed: 2\n" + body)));
}

TEST(Sweep, SampleLargerThanSpaceTakesAll) {
  Suite s = parse_ok(R"(
sweeps:
  - sample: 100
    stride: [1, 2, 3]
)");
  EXPECT_EQ(s.cases.size(), 3u);
}

TEST(Sweep, RangeWithStep) {
  Suite s = parse_ok(R"(
sweeps:
  - c_in: {range: [2, 8], step: 3}
)");
  ASSERT_EQ(s.cases.size(), 3u);
  EXPECT_EQ(s.cases[2].problem.c_in, 8);
}

TEST(Sweep, DirectionsFlatListIsOneValueNestedListsAreAlternatives) {
  Suite one = parse_ok("sweeps:\n  - directions: [fwd, bwd_data]\n");
  ASSERT_EQ(one.cases.size(), 1u);
  EXPECT_EQ(one.cases[0].directions.size(), 2u);
  Suite two = parse_ok("sweeps:\n  - directions: [[fwd], [bwd_weights, bwd_bias]]\n");
  ASSERT_EQ(two.cases.size(), 2u);
  EXPECT_EQ(two.cases[1].directions, (std::vector<Direction>{Direction::bwd_weights, Direction::bwd_bias}));
  Suite all = parse_ok("sweeps:\n  - directions: all\n");
  EXPECT_EQ(all.cases[0].directions.size(), 4u);
}

TEST(Sweep, FillAlternativesAndSeed) {
  Suite s = parse_ok(R"(
sweeps:
  - fill: [uniform, normal, {kind: integer, seed: 5}]
)");
  ASSERT_EQ(s.cases.size(), 3u);
  EXPECT_EQ(s.cases[1].fill.kind, FillKind::normal);
  EXPECT_EQ(s.cases[2].fill.kind, FillKind::integer);
  EXPECT_EQ(s.cases[2].fill.seed, 5u);
}

TEST(Sweep, InvalidCombinationsStayAsInvalidCases) {
  Suite s = parse_ok(R"(
sweeps:
  - c_in: [4, 6]
    c_out: 4
    groups: 4
)");
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_TRUE(s.cases[0].invalid_reason.empty());
  EXPECT_EQ(s.cases[1].invalid_reason.rfind("c_in_not_divisible: ", 0), 0u) << s.cases[1].invalid_reason;
}

TEST(Sweep, DuplicatesAreRemovedAndCounted) {
  Suite s = parse_ok(R"(
sweeps:
  - kernel: [3, [3, 3]]          # the same kernel twice
    stride: [1, 2]
  - name: again
    stride: 2
    kernel: 3
cases:
  - {name: same_as_sweep, stride: 2, kernel: 3}
  - {name: other_fill, stride: 2, kernel: 3, fill: integer}
)");
  EXPECT_EQ(s.cases.size(), 3u);  // k3 s1, k3 s2, k3 s2 with integer fill
  EXPECT_EQ(s.duplicates_removed, 4);
}

TEST(Sweep, CanonicalAndPytorchSweepsMeetAsDuplicates) {
  Suite s = parse_ok(R"(
sweeps:
  - {convention: pytorch, stride: 2, padding: 1, output_padding: 1}
  - {convention: canonical, stride: 2, crop: [[1, 0, 1, 0]]}
)");
  EXPECT_EQ(s.cases.size(), 1u);
  EXPECT_EQ(s.duplicates_removed, 1);
}

TEST(Sweep, TooManyCombinationsWithoutSampleIsAnError) {
  const std::string e = parse_error(R"(
sweeps:
  - c_in: {range: [1, 1000]}
    c_out: {range: [1, 1000]}
    stride: {range: [1, 1000]}
)");
  EXPECT_NE(e.find("sample: K"), std::string::npos) << e;
}

TEST(Suite, ExplicitCasesKeepTheirNames) {
  Suite s = parse_ok(R"(
cases:
  - name: first
    stride: 2
  - kernel: 5
)");
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(s.cases[0].name, "first");
  EXPECT_EQ(s.cases[0].source, "test.yaml:3");
  EXPECT_EQ(s.cases[1].name, "case1");
}

TEST(Suite, NameDefaultsToTheFileStem) {
  EXPECT_EQ(parse_ok("cases: [{stride: 1}]", "dir/my_suite.yaml").name, "my_suite");
}

}  // namespace
}  // namespace tconv::suite
