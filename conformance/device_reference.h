// The reference of `--reference fast` on a GPU machine: the cuda backend's gather kernel
// (backends/cuda/gather.h: one thread per output element, every term in a fixed order) run
// on the problem widened to f64, as the sums engine of sums_reference.h. Like f64acc it is not
// bitwise the oracle, and reference_check.cpp earns its trust per run the same way.
#pragma once

#include <optional>

#include "backends/naive/oracle.h"

namespace tconv {

// The full Reference labelled "cuda:gather f64", or nullopt where it does not serve: a build
// without the cuda backend, a machine without a device (known after the first try, which
// costs one failed run), integer problems, or a refusal or failure of the kernel.
std::optional<Reference> device_reference(const Problem& p, Direction d, const Operands& ops);

}  // namespace tconv
