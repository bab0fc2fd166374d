// main() of tconv_runner_tests: serves isolated worker calls (the runner re-executes this
// binary for --isolate, with the test backends available), else runs the tests.
#include <gtest/gtest.h>

#include "conformance/runner/isolate.h"
#include "conformance/testing/test_backends.h"

int main(int argc, char** argv) {
  if (const int rc = tconv::serve_isolated_worker(argc, argv, tconv::registry_with_test_backends()); rc >= 0)
    return rc;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
