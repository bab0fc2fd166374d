// tconv list-backends: every registered backend, its variants and capabilities.
#include <iostream>
#include <memory>

#include "tools/tconv/commands.h"
#include "tools/tconv/user_backend_options.h"
#include "conformance/test_backends/test_backends.h"

namespace tconv::cli {

namespace {

struct ListArgs {
  bool test_backends = false;
  UserBackends user;
};

int list_backends(const ListArgs& args) {
  Registry registry;
  if (!make_registry(args.test_backends, args.user, "list-backends", &registry)) return kExitBadInput;
  for (const BackendFactory& f : registry.all()) {
    std::cout << f.name << "\n  " << f.description << "\n";
    std::vector<std::string> variants;
    try {
      variants = f.variants();
    } catch (const std::exception& e) {
      std::cout << "  variants: unavailable (" << e.what() << ")\n";
    }
    std::string list;
    for (const auto& v : variants) list += (list.empty() ? "" : ", ") + v;
    std::cout << "  variants: " << (list.empty() ? "(none)" : list) << "\n";
    std::string error;
    std::unique_ptr<Backend> b;
    try {
      Result<std::unique_ptr<Backend>> made = registry.create(f.name);
      if (made.ok()) b = std::move(made).value();
      else error = made.error();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (b) std::cout << "  capabilities: " << b->capabilities().describe() << "\n";
    else std::cout << "  capabilities: unavailable (" << error << ")\n";
  }
  return kExitOk;
}

}  // namespace

Command add_list_backends_command(CLI::App& app) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* sub = app.add_subcommand("list-backends", "List the backends of this build: variants and capabilities");
  sub->add_flag("--test-backends", args->test_backends, "include the test-only backends")->group("");
  add_user_backend_options(sub, &args->user);
  return [args] { return list_backends(*args); };
}

}  // namespace tconv::cli
