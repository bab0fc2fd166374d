// The reference of `--reference fast` on the CPU: the openmp backend's f64acc variant (im2col
// + DGEMM in f64 on the stored values, backends/openmp/f64acc.h) as the sums engine of
// sums_reference.h. Its sums run in another order than the oracle's, so it is not bitwise the
// oracle: reference_check.cpp earns its trust per run against the oracle's per-element
// definition.
#pragma once

#include <optional>

#include "backends/naive/oracle.h"

namespace tconv {

// The full Reference (value, abs_sum, terms, pre_bias for fwd with bias), or nullopt where
// f64acc does not serve: a build without the openmp backend, integer problems.
std::optional<Reference> f64acc_reference(const Problem& p, Direction d, const Operands& ops);

}  // namespace tconv
