// Releasing idle OpenMP threads leaves OpenMP working: the next region has its full team.
#include "conformance/runner/idle_threads.h"

#include <gtest/gtest.h>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace tconv {
namespace {

TEST(IdleThreads, TheNextParallelRegionHasItsFullTeamAgain) {
#ifdef _OPENMP
  const int want = omp_get_max_threads();
  int before = 0, after = 0;
#pragma omp parallel
  {
#pragma omp single
    before = omp_get_num_threads();
    release_idle_openmp_threads();  // inside a region: must do nothing
  }
  release_idle_openmp_threads();
#pragma omp parallel
  {
#pragma omp single
    after = omp_get_num_threads();
  }
  EXPECT_EQ(before, want);
  EXPECT_EQ(after, want);
#else
  release_idle_openmp_threads();
  GTEST_SKIP() << "built without OpenMP";
#endif
}

}  // namespace
}  // namespace tconv
