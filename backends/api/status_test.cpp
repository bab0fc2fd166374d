#include "backends/api/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backends/api/result.h"

namespace tconv {
namespace {

TEST(Status, DefaultIsOkAndEachErrorCarriesItsCodeAndMessage) {
  EXPECT_TRUE(Status{}.ok());
  EXPECT_EQ(to_string(Status::Ok()), "ok");
  const Status u = Status::Unsupported("groups > 1 not supported");
  EXPECT_FALSE(u.ok());
  EXPECT_EQ(u.code, StatusCode::unsupported);
  EXPECT_EQ(to_string(u), "unsupported: groups > 1 not supported");
  EXPECT_EQ(Status::Invalid("x").code, StatusCode::invalid);
  EXPECT_NE(Status::Invalid("x"), Status::Unsupported("x"));
}

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Status::Invalid(std::string("not a digit: ") + c);
  return c - '0';
}

// A failure in a callee reaches the caller with its code, not only its message.
Result<std::string> twice(char c) {
  const Result<int> d = parse_digit(c);
  if (!d.ok()) return d.status();
  return std::to_string(2 * *d);
}

TEST(Result, HoldsAValueOrTheStatusThatSaysWhyNot) {
  const Result<std::string> good = twice('4');
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, "8");
  EXPECT_TRUE(good.status().ok());
  EXPECT_EQ(good.error(), "");

  const Result<std::string> bad = twice('x');
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code, StatusCode::invalid);
  EXPECT_EQ(bad.error(), "not a digit: x");

  EXPECT_EQ(Result<int>::failure("disk full").status().code, StatusCode::error);
}

TEST(Result, AnOkStatusWithoutAValueIsAnError) {
  const Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.status().ok());
  EXPECT_FALSE(r.error().empty());
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  const std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace tconv
