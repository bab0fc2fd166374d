#include <gtest/gtest.h>

#include <algorithm>

#include "conformance/conventions/convention.h"
#include "conformance/suite/test_util.h"

namespace tconv::conventions {
namespace {

using suite::testing::parse_error;
using suite::testing::parse_ok;

TEST(Registry, ListsCanonicalAndPytorch) {
  const std::vector<std::string> names = convention_names();
  for (const char* n : {"canonical", "pytorch"}) EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  ASSERT_NE(find_convention("canonical"), nullptr);
  EXPECT_EQ(find_convention("no_such_framework"), nullptr);
  EXPECT_EQ(kDefaultConvention, "pytorch");
  for (const Convention* c : all_conventions()) {
    std::vector<std::string> names;
    for (const KeySpec& k : c->keys()) names.push_back(k.name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << c->name() << " declares a key twice";
  }
}

TEST(Canonical, CropsPerSideIncludingNegative) {
  Suite s = parse_ok(R"(
defaults: {convention: canonical, input: [5, 5], kernel: 3, stride: 2}
cases:
  - {name: quad, crop: [1, -2, 0, 3]}
  - {name: scalar, crop: 1}
  - {name: override, crop: 1, pad_bottom: -1}
  - {name: sides_only, pad_left: 2}
)");
  ASSERT_EQ(s.cases.size(), 4u);
  const Problem& q = s.cases[0].problem;
  EXPECT_EQ(q.crop_top, 1);
  EXPECT_EQ(q.crop_bottom, -2);
  EXPECT_EQ(q.crop_left, 0);
  EXPECT_EQ(q.crop_right, 3);
  EXPECT_EQ(q.h_out(), (5 - 1) * 2 - 1 + 2 + 2 + 1);
  EXPECT_EQ(s.cases[1].problem.crop_right, 1);
  EXPECT_EQ(s.cases[2].problem.crop_bottom, -1);
  EXPECT_EQ(s.cases[2].problem.crop_top, 1);
  EXPECT_EQ(s.cases[3].problem.crop_left, 2);
  EXPECT_EQ(s.cases[3].problem.crop_top, 0);
  for (const Case& c : s.cases) EXPECT_EQ(c.origin.at("convention"), "canonical");
}

TEST(Canonical, EmptyOutputIsInvalid) {
  Suite s = parse_ok("cases:\n  - {convention: canonical, input: 2, crop: [1, 1, 0, 0]}\n");
  EXPECT_EQ(s.cases[0].invalid_reason.rfind("empty_output: ", 0), 0u) << s.cases[0].invalid_reason;
}

TEST(Canonical, KeysOfTheOtherConventionAreExplained) {
  const std::string e = parse_error("cases:\n  - {convention: canonical, padding: 1}\n");
  EXPECT_NE(e.find("unknown key 'padding'"), std::string::npos) << e;
  EXPECT_NE(e.find("is a key of convention pytorch"), std::string::npos) << e;
  const std::string f = parse_error("cases:\n  - {crop: 1}\n");
  EXPECT_NE(f.find("is a key of convention canonical"), std::string::npos) << f;
}

}  // namespace
}  // namespace tconv::conventions
