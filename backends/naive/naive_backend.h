// The naive backend: the oracle (oracle.h) behind the Backend interface, every dtype,
// layout, weight layout and direction.
#pragma once

#include "backends/api/registry.h"

namespace tconv {

BackendFactory naive_backend_factory();

}  // namespace tconv
