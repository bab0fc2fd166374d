// External-process backends: a program in any language, run once per problem x direction
// (`--external "name=CMD"`) or started once and sent one request per problem
// (`--external-server "name=CMD"`), speaking the protocol of backends/external/PROTOCOL.md.
#pragma once

#include <string>

#include "backends/api/registry.h"
#include "backends/api/result.h"
#include "backends/external/server_connection.h"

namespace tconv {

// spec is "name=CMD". CMD is a shell command line; it is asked once for its capabilities
// (`CMD --capabilities`) and then run as `CMD WORKDIR` per call.
Result<BackendFactory> external_backend_factory(const std::string& spec);

// Persistent mode, spec "name=CMD": CMD is started once (here, for its hello line with the
// capabilities) and then serves every call over stdin/stdout (PROTOCOL.md, "Persistent
// mode"); each backend instance (one per --jobs thread) keeps its own server process.
// options.timeout_s bounds the hello and each reply; a server that dies, hangs or breaks the
// protocol fails that call and is restarted for the next.
Result<BackendFactory> external_server_factory(const std::string& spec, const ServerOptions& options);

}  // namespace tconv
