// tconv: the conformance testbed's command line (docs/design.md section 5).
#include <cstdio>
#include <map>

#include "tools/tconv/commands.h"
#include "tools/tconv/user_backend_options.h"
#include "conformance/runner/heap_policy.h"
#include "conformance/runner/worker_main.h"
#include "conformance/test_backends/test_backends.h"

namespace tconv::cli {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  auto push = [&] {
    const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    item.clear();
  };
  for (char c : text) {
    if (c == ',') push();
    else item += c;
  }
  push();
  return out;
}

namespace {

std::string quoted_command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    const bool plain = !a.empty() && a.find_first_of(" \t\"'\\$&|;<>()*?!`") == std::string::npos;
    if (!s.empty()) s += ' ';
    if (plain) {
      s += a;
      continue;
    }
    s += '\'';
    for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += '\'';
  }
  return s;
}

int main_cli(int argc, char** argv) {
  CLI::App app{"tconv: cross-backend conformance testbed for 2D transposed convolution"};
  app.require_subcommand(1);
  std::map<std::string, Command> commands;
  commands["list-backends"] = add_list_backends_command(app);
  commands["repro"] = add_repro_command(app);
  commands["run"] = add_run_command(app, quoted_command_line(argc, argv));
  commands["merge"] = add_merge_command(app);
  commands["report"] = add_report_command(app);
  commands["compare"] = add_compare_command(app);
  commands["explain"] = add_explain_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  for (CLI::App* sub : app.get_subcommands())
    if (auto it = commands.find(sub->get_name()); it != commands.end()) return it->second();
  return kExitBadInput;
}

}  // namespace

}  // namespace tconv::cli

int main(int argc, char** argv) {
  tconv::keep_freed_heap_memory();
  // A supervised worker (tconv run / repro, --isolate) is this program re-executed, with the
  // user's --plugin / --external backends after the worker's own arguments.
  if (const int rc = tconv::serve_isolated_worker(argc, argv, tconv::cli::worker_registry(argc, argv)); rc >= 0)
    return rc;
  return tconv::cli::main_cli(argc, argv);
}
