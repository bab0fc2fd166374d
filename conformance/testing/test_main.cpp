// main() of tconv_runner_tests: serves as a supervised worker (the runner re-executes this
// binary for supervised backends, with the test backends available), else runs the tests.
#include <gtest/gtest.h>

#include "conformance/runner/worker_main.h"
#include "conformance/test_backends/test_backends.h"

int main(int argc, char** argv) {
  if (const int rc = tconv::serve_isolated_worker(argc, argv, tconv::registry_with_test_backends()); rc >= 0)
    return rc;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
