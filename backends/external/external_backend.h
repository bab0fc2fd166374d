// External-process backends (`--external "name=CMD"`): a program in any language, run once per
// problem x direction, speaking the file protocol of backends/external/PROTOCOL.md.
#pragma once

#include <string>

#include "backends/api/registry.h"
#include "backends/api/result.h"

namespace tconv {

// spec is "name=CMD". CMD is a shell command line; it is asked once for its capabilities
// (`CMD --capabilities`) and then run as `CMD WORKDIR` per call.
Result<BackendFactory> external_backend_factory(const std::string& spec);

}  // namespace tconv
