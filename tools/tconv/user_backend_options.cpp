#include "tools/tconv/user_backend_options.h"

#include <iostream>

#include "conformance/runner/worker_main.h"
#include "conformance/test_backends/test_backends.h"

namespace tconv::cli {

void add_user_backend_options(CLI::App* sub, UserBackends* user) {
  sub->add_option("--plugin", user->plugins,
                  "load a backend plugin (shared library with the C ABI of backends/plugin/tconv_plugin.h); "
                  "repeatable")
      ->take_all()
      ->allow_extra_args(false);
  sub->add_option("--external", user->externals,
                  "NAME=COMMAND: a backend run as a command per problem (backends/external/PROTOCOL.md); "
                  "repeatable")
      ->take_all()
      ->allow_extra_args(false);
  sub->add_option("--external-server", user->servers,
                  "NAME=COMMAND: a backend started once that serves every problem over stdin/stdout "
                  "(persistent mode, backends/external/PROTOCOL.md); --timeout bounds each reply; repeatable")
      ->take_all()
      ->allow_extra_args(false);
}

bool make_registry(bool test_backends, const UserBackends& user, const char* command, Registry* out) {
  *out = test_backends ? registry_with_test_backends() : builtin_registry();
  if (std::string err = add_user_backends(*out, user); !err.empty()) {
    std::cerr << "tconv " << command << ": " << err << "\n";
    return false;
  }
  return true;
}

Registry worker_registry(int argc, char** argv) {
  Registry r;
  make_registry(true, parse_user_backend_args(isolated_worker_extra_args(argc, argv)), "(isolated worker)", &r);
  return r;
}

}  // namespace tconv::cli
