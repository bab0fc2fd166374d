// --isolate=none|device|all: which backends run in a supervised worker process.
//
//   none    every backend in the runner's own process (a segfault ends the run)
//   device  the default: backends that drive a device or run code the project does not
//           control (Capabilities::supervised: cudnn, cuda, onednn, plugins, marked test
//           backends); the naive oracle, openmp and external programs (already a process of
//           their own) stay in-process
//   all     every backend
#pragma once

#include <string>
#include <string_view>

#include "backends/api/backend.h"
#include "backends/api/result.h"

namespace tconv {

enum class Isolation { none, device, all };

Result<Isolation> parse_isolation(std::string_view text);
const char* to_string(Isolation mode);

// Whether a backend with these capabilities runs in a supervised worker under `mode`.
bool runs_supervised(Isolation mode, const Capabilities& caps);

// Whether a supervised backend's check() runs in its worker too: for the marked ones, whose
// check() may call into the vendor library or plugin; the others' check() is the project's
// own host logic, and asking a worker would double the round trips of --isolate=all.
bool checks_in_worker(const Capabilities& caps);

}  // namespace tconv
