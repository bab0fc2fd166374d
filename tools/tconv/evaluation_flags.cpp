#include "tools/tconv/evaluation_flags.h"

namespace tconv::cli {

void add_evaluation_flags(CLI::App* command, EvaluationFlags* flags) {
  command->add_flag("--isolate{all}", flags->isolate,
                    "--isolate=none|device|all: which backends run in a supervised worker process, where a crash "
                    "or hang becomes a CRASHED / TIMEOUT row and the sweep goes on (default device: vendor "
                    "libraries, plugins, GPU backends; a bare --isolate means all)");
  command->add_option("--timeout", flags->timeout_s,
                      "seconds per supervised call before TIMEOUT, and per reply of an --external-server "
                      "(default 60)");
  command->add_flag("--repeat-check", flags->repeat_check,
                    "run each call twice on the same inputs and compare the outputs bitwise: a backend claiming "
                    "determinism that differs is INCORRECT (column repeat_max_diff)");
  command->add_flag("--strict-rounding", flags->strict_rounding,
                    "demand correct rounding (half an ulp) where a backend declares one rounding from a finer "
                    "accumulator");
  command->add_option("--reference", flags->reference,
                      "oracle (default): the f64 oracle; fast: cuda:gather in f64 where a GPU answers, else "
                      "openmp:f64acc, rechecked per run by the per-element definition on every element of small "
                      "problems and on a sample of large ones "
                      "(column reference)");
  command->add_option("--check", flags->check,
                      "full (default): every output element against the oracle; sample:N: the oracle computes "
                      "about N elements (tensor edges, border rows and columns, every stride phase, then random "
                      "ones) and only those are compared (column reference)");
}

std::string apply_evaluation_flags(const EvaluationFlags& flags, EvalOptions* opt) {
  auto isolation = parse_isolation(flags.isolate);
  if (!isolation) return isolation.error();
  if (flags.timeout_s <= 0) return "--timeout must be positive";
  const std::optional<CheckMode> check = parse_check_mode(flags.check);
  if (!check) return "--check must be full or sample:N (N >= 1), not " + flags.check;
  if (flags.reference != "oracle" && flags.reference != "fast")
    return "--reference must be oracle or fast, not " + flags.reference;
  opt->isolation = *isolation;
  opt->timeout_s = flags.timeout_s;
  opt->repeat_check = flags.repeat_check;
  opt->compare.strict_rounding = flags.strict_rounding;
  opt->check = *check;
  opt->check.fast = flags.reference == "fast";
  return "";
}

std::string evaluation_repro_flags(const EvalOptions& opt) {
  std::string flags;
  auto add = [&](const std::string& f) { flags += (flags.empty() ? "" : " ") + f; };
  if (opt.compare.strict_rounding) add("--strict-rounding");
  if (opt.check.fast) add("--reference fast");
  if (opt.check.sampled()) add("--check " + opt.check.flag());
  return flags;
}

}  // namespace tconv::cli
