// Backends given on the command line (`--plugin PATH`, `--external "name=CMD"`,
// `--external-server "name=CMD"`), added to a
// registry beside the built-in ones, and passed on to isolated workers and repro commands.
#pragma once

#include <string>
#include <vector>

#include "backends/api/registry.h"

namespace tconv {

struct UserBackends {
  std::vector<std::string> plugins;    // shared libraries (backends/plugin/tconv_plugin.h)
  std::vector<std::string> externals;  // "name=CMD" (backends/external/PROTOCOL.md)
  std::vector<std::string> servers;    // "name=CMD", persistent mode (PROTOCOL.md)
  // A server's hello and each reply: the command's --timeout. Not an option of its own, so
  // not in as_args().
  double server_timeout_s = 60;
  // Set by parse_user_backend_args: in an isolated worker a server has no timeout of its own
  // and shares the worker's process group (the worker's watchdog kills both).
  bool in_isolated_worker = false;

  bool empty() const { return plugins.empty() && externals.empty() && servers.empty(); }
  // The same options as arguments: {"--plugin", P, "--external", S, "--external-server", S, ...}.
  std::vector<std::string> as_args() const;
  // The same options, shell-quoted, for a repro command line.
  std::string as_flags() const;
};

// Loads each one and adds it to `registry`; "" or the first error (one line, names the
// option). A name already in the registry is an error.
std::string add_user_backends(Registry& registry, const UserBackends& user);

// Reads "--plugin P" / "--external S" / "--external-server S" pairs (what as_args() wrote);
// other arguments are ignored. For an isolated worker: in_isolated_worker is set.
UserBackends parse_user_backend_args(const std::vector<std::string>& args);

}  // namespace tconv
