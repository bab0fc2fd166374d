// The protocol's integer extension: problem.json carries the requantization, and
// capabilities may declare integer dtypes and an accumulator width.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backends/external/protocol.h"

namespace tconv {
namespace {

TEST(ExternalProtocolQuant, ProblemJsonCarriesTheRequantization) {
  Problem p;
  p.dtype = DType::i16;
  p.quant = {3, -4, 5, 1073741824, 38, Rounding::half_up};
  const auto j = nlohmann::json::parse(problem_json(p, Direction::fwd));
  const auto& q = j.at("problem").at("quant");
  EXPECT_EQ(j.at("problem").at("dtype"), "i16");
  EXPECT_EQ(q.at("zp_x"), 3);
  EXPECT_EQ(q.at("zp_w"), -4);
  EXPECT_EQ(q.at("zp_y"), 5);
  EXPECT_EQ(q.at("multiplier"), 1073741824);
  EXPECT_EQ(q.at("shift"), 38);
  EXPECT_EQ(q.at("rounding"), "half_up");
  EXPECT_EQ(q.at("bias_dtype"), "i32");
  EXPECT_NE(j.at("repro").get<std::string>().find("round=half_up"), std::string::npos);
  // Float problems are unchanged.
  EXPECT_FALSE(nlohmann::json::parse(problem_json(Problem{}, Direction::fwd)).at("problem").contains("quant"));
}

TEST(ExternalProtocolQuant, CapabilitiesDeclareIntegerDtypesAndAccumulatorBits) {
  auto c = parse_capabilities(R"({"dtypes": ["i8", "i16"], "accumulator_bits": 24})");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->capabilities.dtypes, (std::vector<DType>{DType::i8, DType::i16}));
  EXPECT_EQ(c->accumulator_bits, 24);
  EXPECT_EQ(c->math_for(DType::i8).acc_bits, 24);
  // Declaring only the accumulator leaves float problems on their dtype's default math.
  EXPECT_EQ(c->math_for(DType::f16).name, default_math(DType::f16).name);
  EXPECT_EQ(c->math_for(DType::f16).acc_bits, 0);
  auto with_math = parse_capabilities(R"({"math": {"u_mul": 0, "u_acc": 1e-16}, "accumulator_bits": 32})");
  ASSERT_TRUE(with_math.ok());
  EXPECT_EQ(with_math->math_for(DType::i16).acc_bits, 32);
  EXPECT_EQ(with_math->math_for(DType::i16).u_acc, default_math(DType::i16).u_acc);
  EXPECT_EQ(with_math->math_for(DType::f32).u_acc, 1e-16);
  EXPECT_FALSE(parse_capabilities(R"({"accumulator_bits": 1})").ok());
  EXPECT_FALSE(parse_capabilities(R"({"accumulator_bits": "wide"})").ok());
  // Without the key integer outputs compare exactly.
  EXPECT_EQ(parse_capabilities(R"({"dtypes": ["i8"]})")->math_for(DType::i8).acc_bits, 0);
}

}  // namespace
}  // namespace tconv

namespace tconv {
namespace {

TEST(ExternalProtocolMath, TheMathObjectDeclaresRoundingsAndTheAlgorithmClass) {
  auto c = parse_capabilities(
      R"({"math": {"u_mul": 5.96e-8, "u_acc": 5.96e-8, "output_roundings": 2, "separate_bias": true,
                   "truncating_accumulation": true, "split_k": 4, "u_split": 4.9e-4, "algorithm": "winograd",
                   "winograd_tile": 4}})");
  ASSERT_TRUE(c.ok()) << c.error();
  const MathMode m = c->math_for(DType::f16);
  EXPECT_EQ(m.output_roundings, 2);
  EXPECT_TRUE(m.separate_bias);
  EXPECT_TRUE(m.truncating_acc);
  EXPECT_EQ(m.split_k, 4);
  EXPECT_EQ(m.u_split, 4.9e-4);
  EXPECT_EQ(m.algorithm, AlgorithmClass::winograd);
  EXPECT_EQ(m.winograd_tile, 4);
  // Without the keys nothing is declared: faithful rounding.
  EXPECT_EQ(parse_capabilities(R"({"math": {"u_mul": 0, "u_acc": 1e-16}})")->math_for(DType::f32).output_roundings, 0);
  EXPECT_FALSE(parse_capabilities(R"({"math": {"u_mul": 0, "u_acc": 1e-16, "algorithm": "magic"}})").ok());
}

}  // namespace
}  // namespace tconv
