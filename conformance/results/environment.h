// Where a run ran: CPU, memory, GPU / driver / CUDA / cuDNN / oneDNN versions (as built),
// compiler, build type, git commit. Goes into results.json.
#pragma once

#include <nlohmann/json.hpp>

namespace tconv {

nlohmann::ordered_json collect_environment();

// `git rev-parse HEAD` of the source tree at run time ("unknown" outside a checkout).
std::string git_commit();

}  // namespace tconv
