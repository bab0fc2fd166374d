#include "conformance/expr/expr.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

ExprEnv env() {
  return {{"stride", {{2, 1}, ""}}, {"output_padding", {{1, 0}, ""}}, {"dilation", {{1, 1}, ""}},
          {"c_in", ExprValue::number(8)}, {"groups", ExprValue::number(3)}, {"dtype", {{}, "f16"}},
          {"zero", ExprValue::number(0)}};
}

bool holds(const std::string& source) {
  auto e = Expr::parse(source);
  EXPECT_TRUE(e.ok()) << e.error();
  if (!e) return false;
  auto r = e->test(env());
  EXPECT_TRUE(r.ok()) << source << ": " << r.error();
  return r.ok() && *r;
}

std::string eval_error(const std::string& source) {
  auto e = Expr::parse(source);
  EXPECT_TRUE(e.ok()) << e.error();
  if (!e) return "";
  auto r = e->eval(env());
  EXPECT_FALSE(r.ok()) << source;
  return r.ok() ? "" : r.error();
}

std::string parse_error(const std::string& source) {
  auto e = Expr::parse(source);
  EXPECT_FALSE(e.ok()) << source;
  return e.ok() ? "" : e.error();
}

TEST(Expr, ArithmeticAndPrecedence) {
  EXPECT_TRUE(holds("1 + 2 * 3 == 7"));
  EXPECT_TRUE(holds("(1 + 2) * 3 == 9"));
  EXPECT_TRUE(holds("7 / 2 == 3 && 7 % 4 == 3"));
  EXPECT_TRUE(holds("-3 + 5 == 2"));
  EXPECT_TRUE(holds("c_in % groups == 2"));
  EXPECT_FALSE(holds("c_in % groups == 0"));
}

TEST(Expr, PairsCompareComponentwise) {
  EXPECT_TRUE(holds("output_padding < stride || output_padding < dilation"));  // [1,0] < [2,1]
  EXPECT_TRUE(holds("output_padding < max(stride, dilation)"));
  EXPECT_FALSE(holds("stride > 1"));   // not every component
  EXPECT_TRUE(holds("stride >= 1"));
  EXPECT_TRUE(holds("stride != 1"));   // != is !(==): one component differs
}

TEST(Expr, LogicAndText) {
  EXPECT_TRUE(holds("dtype == 'f16'"));
  EXPECT_TRUE(holds("dtype != \"bf16\""));
  EXPECT_TRUE(holds("!(c_in < 4)"));
  EXPECT_TRUE(holds("not c_in < 4"));  // not applies to the whole comparison
  EXPECT_TRUE(holds("c_in > 4 and groups == 3 or zero"));
  EXPECT_TRUE(holds("true && !false"));
  EXPECT_TRUE(holds("abs(0 - 3) == 3 && min(2, 5) == 2"));
  // && short-circuits: the division by zero on the right is never evaluated.
  EXPECT_FALSE(holds("zero != 0 && c_in / zero > 1"));
}

// Words: text on the right of == / !=, and a name's substring where they stand as a condition.
TEST(Expr, WordsAreTextOrPartsOfTheName) {
  EXPECT_TRUE(holds("dtype == f16 && dtype != bf16"));
  EXPECT_TRUE(holds("dtype = f16 && c_in = 8"));  // = is ==
  ExprEnv named = env();
  named["name"] = ExprValue{{}, "keras_unet/3"};
  auto e = Expr::parse("unet && !dcgan && contains(name, 'unet/')");
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->condition_words(), (std::vector<std::string>{"unet", "dcgan"}));
  EXPECT_EQ(e->names(), (std::vector<std::string>{"name"}));
  EXPECT_TRUE(*e->test(named));
  // Without a case name (a suite's where:) a word standing as a condition has no value.
  EXPECT_NE(eval_error("unet").find("'unet' has no value"), std::string::npos);
  // A key is its value wherever it stands.
  EXPECT_EQ(Expr::parse("c_in == groups")->text_words(), (std::vector<std::string>{"groups"}));
  EXPECT_TRUE(holds("c_in != groups"));
}

TEST(Expr, KeysCheckNamesAndKindsBeforeAnyCase) {
  ExprKeys keys;
  keys.kinds = {{"c_in", ExprKind::number}, {"dtype", ExprKind::text}};
  EXPECT_TRUE(Expr::parse("c_in > 2 && dtype == f32", &keys).ok());
  EXPECT_NE(Expr::parse("cin > 2", &keys).error().find("unknown key 'cin' (keys: c_in dtype)"), std::string::npos);
  EXPECT_NE(Expr::parse("c_in == f32", &keys).error().find("compares a number with text"), std::string::npos);
  EXPECT_NE(Expr::parse("-dtype", &keys).error().find("needs numbers"), std::string::npos);
  EXPECT_FALSE(Expr::parse("word", &keys).ok());  // no `name` key: a word alone is unknown
}

TEST(Expr, NamesAreCollected) {
  auto e = Expr::parse("output_padding < max(stride, dilation) && stride > 0");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->names(), (std::vector<std::string>{"output_padding", "stride", "dilation"}));
}

TEST(Expr, ParseErrorsNameThePosition) {
  EXPECT_NE(parse_error("stride <").find("end of expression"), std::string::npos);
  EXPECT_NE(parse_error("stride < < 2").find("character 10"), std::string::npos);
  EXPECT_NE(parse_error("1 < 2 < 3").find("chained comparison"), std::string::npos);
  EXPECT_NE(parse_error("(1 + 2").find("expected ')'"), std::string::npos);
  EXPECT_NE(parse_error("foo(1)").find("unknown function"), std::string::npos);
  EXPECT_NE(parse_error("max(1)").find("takes 2"), std::string::npos);
  EXPECT_NE(parse_error("'abc").find("unterminated"), std::string::npos);
  EXPECT_NE(parse_error("a # b").find("unexpected character '#'"), std::string::npos);
  EXPECT_NE(parse_error("").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error("stride * 2 == [4, 2]").find("unexpected character '['"), std::string::npos);
}

TEST(Expr, EvaluationErrors) {
  EXPECT_NE(eval_error("c_in / zero").find("division by zero"), std::string::npos);
  EXPECT_NE(eval_error("dtype + 1").find("needs numbers"), std::string::npos);
  EXPECT_NE(eval_error("dtype == 1").find("compares text with a number"), std::string::npos);
  EXPECT_NE(eval_error("missing + 1").find("'missing' has no value"), std::string::npos);
  ExprEnv quad{{"crop", {{1, 2, 3, 4}, ""}}, {"stride", {{2, 1}, ""}}};
  auto e = Expr::parse("crop < stride");
  ASSERT_TRUE(e.ok());
  EXPECT_NE(e->eval(quad).error().find("different numbers of components"), std::string::npos);
}

TEST(Expr, TextConditionIsNotABoolean) {
  auto e = Expr::parse("dtype");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->test(env()).ok());
}

}  // namespace
}  // namespace tconv
