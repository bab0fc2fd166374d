#include "conformance/suite/value.h"

#include <gtest/gtest.h>

namespace tconv::suite {
namespace {

Result<Value> parse(const std::string& yaml, const ValueSpec& spec) { return parse_value(YAML::Load(yaml), spec); }

TEST(Value, IntegersWithRangesAndKeywords) {
  const ValueSpec groups = ValueSpec::integer_at_least(1, {"depthwise"});
  EXPECT_EQ(parse("4", groups)->ints, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(parse("+4", groups)->ints, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(parse("depthwise", groups)->word, "depthwise");
  EXPECT_EQ(parse("0", groups).error(), "value 0 out of range: expected an integer >= 1 or 'depthwise'");
  EXPECT_EQ(parse("depthwize", groups).error(), "expected an integer >= 1 or 'depthwise', got 'depthwize' (did you mean 'depthwise'?)");
  EXPECT_FALSE(parse("1.5", groups).ok());
  EXPECT_FALSE(parse("0x10", groups).ok());
  EXPECT_FALSE(parse("[1]", groups).ok());
  EXPECT_EQ(parse("~", groups).error(), "expected an integer >= 1 or 'depthwise', got nothing");
}

TEST(Value, PairsBroadcastScalars) {
  const ValueSpec pair = ValueSpec::ints_at_least(2, 0, "[h, w]");
  EXPECT_EQ(parse("3", pair)->ints, (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(parse("[1, 4]", pair)->ints, (std::vector<std::int64_t>{1, 4}));
  EXPECT_EQ(parse("[1, -4]", pair).error(), "value -4 out of range: expected an integer >= 0 or [h, w]");
  EXPECT_EQ(parse("[1, 2, 3]", pair).error(), "expected an integer >= 0 or [h, w], got '[1, 2, 3]' (3 values, need 2)");
  EXPECT_FALSE(parse("[[1, 2]]", pair).ok());  // nested lists only where the spec says so
  EXPECT_FALSE(parse("{a: 1}", pair).ok());
}

TEST(Value, IntListsWithKeywordsAndFlattening) {
  ValueSpec tf_padding = ValueSpec::ints_at_least(8, 0, "[[0, 0], [t, b], [l, r], [0, 0]]", {"SAME", "VALID"});
  tf_padding.flatten = true;
  EXPECT_EQ(parse("SAME", tf_padding)->word, "SAME");
  EXPECT_EQ(parse("[[0, 0], [1, 2], [3, 4], [0, 0]]", tf_padding)->ints, (std::vector<std::int64_t>{0, 0, 1, 2, 3, 4, 0, 0}));
  EXPECT_EQ(parse("same", tf_padding).error(),
            "expected an integer >= 0 or [[0, 0], [t, b], [l, r], [0, 0]] or 'SAME' or 'VALID', got 'same' (did you mean 'SAME'?)");
}

TEST(Value, ChoicesAndBooleans) {
  const ValueSpec dtype = ValueSpec::one_of({"f32", "f16"});
  EXPECT_EQ(parse("f16", dtype)->word, "f16");
  EXPECT_EQ(parse("F16", dtype).error(), "expected one of f32, f16, got 'F16' (did you mean 'f16'?)");
  const ValueSpec flag = ValueSpec::boolean();
  EXPECT_TRUE(parse("true", flag)->flag());
  EXPECT_FALSE(parse("False", flag)->flag());
  EXPECT_EQ(parse("1", flag).error(), "expected true or false, got '1'");
}

TEST(Value, NodeTextIsFlowStyle) {
  EXPECT_EQ(node_text(YAML::Load("[1, [2, 3], {a: b}]")), "[1, [2, 3], {a: b}]");
  EXPECT_EQ(node_text(YAML::Load("~")), "null");
}

}  // namespace
}  // namespace tconv::suite
