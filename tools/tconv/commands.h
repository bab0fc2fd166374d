// The subcommands of `tconv`. Each adds itself to the CLI11 app and, when chosen, runs and
// returns the process exit status: 0 ok, 1 a failure outcome (INCORRECT, FAILED, TIMEOUT,
// CRASHED), 2 bad input, 130 interrupted.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace tconv::cli {

using Command = std::function<int()>;

Command add_list_backends_command(CLI::App& app);
Command add_repro_command(CLI::App& app);
Command add_run_command(CLI::App& app, const std::string& command_line);
Command add_merge_command(CLI::App& app);
Command add_report_command(CLI::App& app);   // report_command.cpp (reports work)
Command add_compare_command(CLI::App& app);  // compare_command.cpp (reports work)
Command add_explain_command(CLI::App& app);  // explain_command.cpp (conventions work)

inline constexpr int kExitOk = 0, kExitFailures = 1, kExitBadInput = 2, kExitInterrupted = 130;

// Splits "a,b , c" into trimmed, non-empty items.
std::vector<std::string> split_list(const std::string& text);

}  // namespace tconv::cli
