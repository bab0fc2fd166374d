// Backends given on the command line (`--plugin PATH`, `--external "name=CMD"`), added to a
// registry beside the built-in ones, and passed on to isolated workers and repro commands.
#pragma once

#include <string>
#include <vector>

#include "backends/api/registry.h"

namespace tconv {

struct UserBackends {
  std::vector<std::string> plugins;    // shared libraries (backends/plugin/tconv_plugin.h)
  std::vector<std::string> externals;  // "name=CMD" (backends/external/PROTOCOL.md)

  bool empty() const { return plugins.empty() && externals.empty(); }
  // The same options as arguments: {"--plugin", P, "--external", S, ...}.
  std::vector<std::string> as_args() const;
  // The same options, shell-quoted, for a repro command line.
  std::string as_flags() const;
};

// Loads each one and adds it to `registry`; "" or the first error (one line, names the
// option). A name already in the registry is an error.
std::string add_user_backends(Registry& registry, const UserBackends& user);

// Reads "--plugin P" / "--external S" pairs (what as_args() wrote); other arguments are ignored.
UserBackends parse_user_backend_args(const std::vector<std::string>& args);

}  // namespace tconv
