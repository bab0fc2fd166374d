// The worker's side of --isolate: `tconv --tconv-worker FD ...` serves check and run
// requests from the runner (worker_pool.h) with the backends of a registry, one instance per
// variant kept across requests, until the runner closes the socket.
#pragma once

#include <string>
#include <vector>

#include "backends/api/registry.h"

namespace tconv {

// In main(), before anything else: when argv is a worker invocation, serves requests with
// the backends of `registry` until the runner goes away and returns the exit status;
// otherwise returns -1.
int serve_isolated_worker(int argc, char** argv, const Registry& registry);

// The arguments of a worker invocation after its fixed ones (WorkerCommand::extra_args);
// empty when argv is not a worker invocation.
std::vector<std::string> isolated_worker_extra_args(int argc, char** argv);

}  // namespace tconv
