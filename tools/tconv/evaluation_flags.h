// The flags that say how `tconv run` and `tconv repro` call and check a backend (--isolate,
// --timeout, --repeat-check, --strict-rounding, --reference, --check): declared, parsed and
// carried into repro commands in one place for both commands.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "conformance/runner/evaluate.h"

namespace tconv::cli {

struct EvaluationFlags {
  std::string isolate = "device";
  double timeout_s = 60;
  bool repeat_check = false;
  bool strict_rounding = false;
  std::string check = "full";
  std::string reference = "oracle";
};

void add_evaluation_flags(CLI::App* command, EvaluationFlags* flags);

// Sets opt's isolation, timeout, repeat check, comparison and reference check; "" or what is
// wrong with a flag's value (one line, naming the flag).
std::string apply_evaluation_flags(const EvaluationFlags& flags, EvalOptions* opt);

// What the repro command of a row must carry to be judged the same way, e.g.
// "--strict-rounding --check sample:4096" ("" for the defaults).
std::string evaluation_repro_flags(const EvalOptions& opt);

}  // namespace tconv::cli
