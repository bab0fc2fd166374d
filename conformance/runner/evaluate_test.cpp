#include "conformance/runner/evaluate.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

TEST(OutcomeOfStatus, MapsEveryCode) {
  EXPECT_EQ(outcome_of_status(Status::Ok()), Outcome::PASSED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::no_device, "no GPU")), Outcome::SKIPPED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::unsupported, "algo rejects")), Outcome::UNSUPPORTED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::error, "launch failed")), Outcome::FAILED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::out_of_memory, "cudaMalloc")), Outcome::FAILED);
  EXPECT_EQ(outcome_of_status(Status::Error(StatusCode::invalid, "missing operand")), Outcome::FAILED);
}

}  // namespace
}  // namespace tconv
