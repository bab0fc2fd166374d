#include "conformance/runner/filter.h"

#include <gtest/gtest.h>

#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

bool keeps(const char* expr, const Case& c) {
  auto f = CaseFilter::parse(expr);
  EXPECT_TRUE(f.ok()) << expr << ": " << f.error();
  return f.ok() && f->matches(c);
}

TEST(CaseFilter, SubstringOfTheName) {
  const Case c = test::make_case("keras_unet_up6", test::small_problem());
  EXPECT_TRUE(keeps("unet", c));
  EXPECT_FALSE(keeps("dcgan", c));
  EXPECT_TRUE(keeps("!dcgan", c));
  EXPECT_FALSE(keeps("!unet", c));
  EXPECT_TRUE(keeps("", c));
}

TEST(CaseFilter, ConditionsOnProblemFieldsJoinedWithAnd) {
  const Case c = test::make_case("grid/3", test::small_problem(/*groups=*/2, /*stride=*/2));
  EXPECT_TRUE(keeps("stride_h>1 && groups=2", c));
  EXPECT_FALSE(keeps("stride_h>1 && groups=1", c));
  EXPECT_TRUE(keeps("groups==2", c));
  EXPECT_TRUE(keeps("groups!=1", c));
  EXPECT_TRUE(keeps("kh<=3 && kh>=3 && kw<3", c));
  EXPECT_TRUE(keeps("h_out=8", c));  // (4-1)*2 - 1 - 0 + 3 = 8
  EXPECT_TRUE(keeps("pad_right=1 && bias=1", c));
  EXPECT_TRUE(keeps("dtype=f32 && layout=NCHW && weight_layout=IOHW", c));
  // The old grammar took unquoted text with any characters; the expression language quotes
  // text that is not a plain word (docs/expressions.md, "From the old --filter").
  EXPECT_TRUE(keeps(" name = 'grid/3' ", c));
  EXPECT_FALSE(keeps("name=grid", c));
  EXPECT_TRUE(keeps("grid && stride_h=2", c));
}

// The where: language: ||, parentheses, arithmetic, functions, over the same keys.
TEST(CaseFilter, OrParenthesesAndArithmetic) {
  const Case c = test::make_case("keras_unet_up6", test::small_problem(/*groups=*/2, /*stride=*/2));
  EXPECT_TRUE(keeps("groups=1 || stride_h=2", c));
  EXPECT_FALSE(keeps("groups=1 || stride_h=1", c));
  EXPECT_TRUE(keeps("(dcgan || unet) && !(keras && groups=1)", c));
  EXPECT_TRUE(keeps("c_out % groups == 0 && h_out == (h_in - 1) * stride_h - pad_top - pad_bottom + kh", c));
  EXPECT_TRUE(keeps("contains(name, 'unet_') && fill == uniform && contains(source, 'test')", c));
  EXPECT_FALSE(keeps("dtype == 'f16' || layout == NHWC", c));
}

TEST(CaseFilter, TypeErrorsAreFoundBeforeAnyCase) {
  for (const char* bad : {"dtype + 1", "stride_h == 'two'", "contains(name, 2)", "unet + 1", "(groups", "h_out = f32"}) {
    auto f = CaseFilter::parse(bad);
    EXPECT_FALSE(f.ok()) << bad;
  }
}

TEST(CaseFilter, RejectsMalformedExpressions) {
  for (const char* bad : {"strid=2", "stride_h=two", "name<abc", "stride_h=", "a && && b", "stride_h=>2", "!",
                          "&&"}) {
    auto f = CaseFilter::parse(bad);
    EXPECT_FALSE(f.ok()) << bad;
  }
  auto f = CaseFilter::parse("strid=2");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().find("unknown filter key 'strid'"), std::string::npos) << f.error();
}

}  // namespace
}  // namespace tconv
