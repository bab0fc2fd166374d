// The options `--plugin PATH`, `--external "name=CMD"` and `--external-server "name=CMD"` of
// run, repro and list-backends.
#pragma once

#include <CLI/CLI.hpp>

#include "conformance/runner/user_backends.h"

namespace tconv::cli {

void add_user_backend_options(CLI::App* sub, UserBackends* user);

// The registry a command uses: built-in (plus test backends) and the user's; on a load
// error prints it and returns false.
bool make_registry(bool test_backends, const UserBackends& user, const char* command, Registry* out);

// An isolated worker's registry: every built-in and test backend and the user backends named
// on its command line (conformance/runner/worker_main.h); for any other invocation, the first two only.
Registry worker_registry(int argc, char** argv);

}  // namespace tconv::cli
