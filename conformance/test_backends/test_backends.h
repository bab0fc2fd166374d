// Test-only backends, never in the built-in registry: `tconv ... --test-backends` and the
// runner's tests add them. Each mutant plants one classic bug that the conformance check
// must catch as INCORRECT; the misbehaving ones exercise FAILED, CRASHED and TIMEOUT.
//
//   mutant_crop           off-by-one crop: output shifted one row (crop_top - 1, crop_bottom + 1)
//   mutant_weight_layout  reads IOHW weights as if they were IHWO (and writes dw that way)
//   mutant_group          missing group offset: every group reads group 0's input channels
//   mutant_last_row       never writes the last row of its output (last kernel row for dw,
//                         last channel for db)
//   test_error            returns an error status
//   test_throw            throws an exception out of run()
//   test_crash            raise(SIGSEGV)
//   test_hang             sleeps forever
//   test_slow             the oracle after a 50 ms nap (kills mid-run in the CLI tests)
//   test_reports_details  the oracle, reporting an algorithm, a workspace and nondeterminism
// and models of real implementations' arithmetic, which must PASS (rounding_models.h,
// transform_models.h): test_f16_separate_bias, test_tc_truncate, test_split_k,
// test_winograd_f2x2_3x3, test_winograd_f4x4_3x3, test_fft
#pragma once

#include "backends/api/registry.h"

namespace tconv {

void add_test_backends(Registry& r);

// builtin_registry() plus the test backends.
Registry registry_with_test_backends();

bool is_test_backend(const std::string& name);

}  // namespace tconv
