// The backend template (backends/README.md): a complete, tested backend to copy. Direct
// loops for every direction on f32 / f64 NCHW data with IOHW weights.
#pragma once

#include "backends/api/registry.h"

namespace tconv {

BackendFactory template_backend_factory();

}  // namespace tconv
