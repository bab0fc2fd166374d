// Backends that fail in each way the runner must contain: an error status, an exception,
// a device backend without its device, a segfault, a SIGFPE (in run() or in check()), a
// hang, a slow but correct one, and one that claims determinism and is not.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/api/backend.h"

namespace tconv::testing {

std::unique_ptr<Backend> make_misbehaving(const std::string& name);
const std::vector<std::string>& misbehaving_names();

}  // namespace tconv::testing
