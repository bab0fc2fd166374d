// Mutant backends: the oracle with one planted bug each (test_backends.h lists them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conformance/test_backends/oracle_based.h"

namespace tconv::testing {

std::unique_ptr<Backend> make_mutant(const std::string& name);
const std::vector<std::string>& mutant_names();

}  // namespace tconv::testing
