// A GoogleTest binary for gtest_survive_test.py: a crash between passing and failing tests,
// and (in a suite of its own, run only with a time limit) a test that never ends.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

// First, so the tests after it must run in a fresh process.
TEST(SurviveHang, NeverEnds) {
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}

TEST(SurviveFixture, PassesFirst) { EXPECT_EQ(1, 1); }
TEST(SurviveFixture, Segfaults) { ::raise(SIGSEGV); }
TEST(SurviveFixture, Fails) { EXPECT_EQ(1, 2) << "planted failure"; }
TEST(SurviveFixture, PassesAfterTheCrash) { EXPECT_EQ(2, 2); }
TEST(SurviveFixture, AbortsToo) { ::raise(SIGFPE); }
TEST(SurviveFixture, PassesLast) { EXPECT_EQ(3, 3); }
