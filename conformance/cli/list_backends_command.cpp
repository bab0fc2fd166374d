// tconv list-backends: every registered backend, its variants and capabilities.
#include <iostream>
#include <memory>

#include "conformance/cli/commands.h"
#include "conformance/testing/test_backends.h"

namespace tconv::cli {

namespace {

struct ListArgs {
  bool test_backends = false;
};

int list_backends(const ListArgs& args) {
  const Registry registry = args.test_backends ? registry_with_test_backends() : builtin_registry();
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
      b = registry.create(f.name, &error);
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
  return [args] { return list_backends(*args); };
}

}  // namespace tconv::cli
