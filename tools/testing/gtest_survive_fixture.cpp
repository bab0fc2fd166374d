// A GoogleTest binary for gtest_survive_test.py: a crash between passing and failing tests.
#include <signal.h>

#include <gtest/gtest.h>

TEST(SurviveFixture, PassesFirst) { EXPECT_EQ(1, 1); }
TEST(SurviveFixture, Segfaults) { ::raise(SIGSEGV); }
TEST(SurviveFixture, Fails) { EXPECT_EQ(1, 2) << "planted failure"; }
TEST(SurviveFixture, PassesAfterTheCrash) { EXPECT_EQ(2, 2); }
TEST(SurviveFixture, AbortsToo) { ::raise(SIGFPE); }
TEST(SurviveFixture, PassesLast) { EXPECT_EQ(3, 3); }
