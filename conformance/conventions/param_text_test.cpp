#include "conformance/conventions/param_text.h"

#include <gtest/gtest.h>

#include "conformance/conventions/framework_conventions.h"

namespace tconv::conventions {
namespace {

TEST(ParamText, SplitsOutsideBrackets) {
  EXPECT_EQ(split_params("a=1  b=(2, 3) c=[[0, 0], [1, 2]]"), (std::vector<std::string>{"a=1", "b=(2, 3)", "c=[[0, 0], [1, 2]]"}));
}

TEST(ParamText, PairsTuplesAndWords) {
  auto p = parse_param_text(keras_convention(), "kernel_size=3 strides=2,1 dilation_rate=(1, 2) padding=same output_padding=[1,0]");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->ints("kernel_size"), (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(p->ints("strides"), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(p->ints("dilation_rate"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(p->word("padding"), "same");
  EXPECT_EQ(p->ints("output_padding"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_FALSE(p->given("filters"));
}

TEST(ParamText, Errors) {
  auto e = parse_param_text(keras_convention(), "kernel_sise=3");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().find("unknown keras parameter 'kernel_sise' (did you mean 'kernel_size'?)"), std::string::npos) << e.error();
  e = parse_param_text(keras_convention(), "padding=causal");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().rfind("padding: expected one of valid, same", 0), 0u) << e.error();
  EXPECT_FALSE(parse_param_text(keras_convention(), "strides").ok());
  EXPECT_FALSE(parse_param_text(keras_convention(), "strides=0").ok());
  EXPECT_FALSE(parse_param_text(keras_convention(), "strides=1 strides=2").ok());
  EXPECT_FALSE(parse_param_text(keras_convention(), "strides=1,2,3").ok());
}

}  // namespace
}  // namespace tconv::conventions
