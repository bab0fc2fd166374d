// One backend x one direction on given inputs: poison the output, run (in-process or in an
// isolated worker), compare with the oracle's reference (and a golden expected tensor when
// the case has one), and decide the outcome. Shared by `tconv run` and `tconv repro`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "backends/api/backend.h"
#include "conformance/compare.h"
#include "conformance/fill.h"
#include "conformance/reference_check.h"
#include "conformance/results/outcome.h"
#include "conformance/runner/worker_pool.h"
#include "conformance/runner/isolation.h"
#include "conformance/runner/repeat_check.h"
#include "conformance/runner/timed_call.h"

namespace tconv {

struct EvalOptions {
  PerfOptions perf;
  Isolation isolation = Isolation::device;  // which backends run in a supervised worker
  double timeout_s = 60;                    // per supervised call
  WorkerCommand worker;
  RunContext ctx;
  bool repeat_check = false;                // run twice, compare the outputs bitwise
  CompareOptions compare;  // --strict-rounding
  CheckMode check;         // --check: every element, or a sample (the reference source honours it)
};

struct Evaluation {
  Outcome outcome = Outcome::PASSED;
  std::string reason;                    // one line; empty for PASSED
  std::optional<Comparison> comparison;  // against the oracle, when the call succeeded
  std::optional<Timing> timing;
  RunDetails details;                    // deterministic always set when the call succeeded
  std::string math;                      // the backend's declared arithmetic (describe())
  std::string reference;                 // what the output was checked against (reference_label)
  HostTensor output;                     // what the backend wrote
  std::optional<RepeatDifference> repeat;  // --repeat-check, when both runs succeeded
};

struct Expected {
  const HostTensor* tensor = nullptr;  // golden output from a real framework, or null
  std::string name;                    // its file, for the reason
  std::string framework;               // the case's convention, e.g. "keras"
  std::string rule;                    // the convention's crop rule for the case: a mismatch
                                       // against a framework is most often a convention slip
};

// The command of the supervised workers for these options: opt.worker, and outside perf mode
// OpenMP threads that sleep rather than spin between calls (unless the user set
// OMP_WAIT_POLICY): a worker's spinning threads would take the cores from the runner, which
// checks the previous row while the worker waits for the next.
WorkerCommand worker_command(const EvalOptions& opt);

// The backend's check(): PASSED when it runs the problem, else UNSUPPORTED with its reason,
// or, in a supervised worker, CRASHED / TIMEOUT / FAILED when check() itself went wrong
// (a vendor library may crash while planning).
struct CheckOutcome {
  Outcome outcome = Outcome::PASSED;
  std::string reason;
  bool runs() const { return outcome == Outcome::PASSED; }
};
// `prefetched`: this check's answer from a batch (WorkerPool::check of many); a batch that
// ended in a crash or hang is asked again one by one, to name the check that did it.
CheckOutcome check_backend(Backend& backend, const std::string& spec, const Problem& p, Direction d,
                           WorkerPool* supervisor = nullptr, const SupervisedCheck* prefetched = nullptr);

// The oracle's reference, computed on first use: not at all when the call fails (a sweep of
// GPU backends on a machine without a GPU computes no reference).
using ReferenceSource = std::function<const Reference&()>;

// `spec` is the backend's "name:variant" (what a worker creates). With `supervisor` the call
// runs in the backend's supervised worker, else in this process.
Evaluation evaluate(Backend& backend, const std::string& spec, const Problem& p, Direction d, const InputSet& in,
                    const ReferenceSource& reference, const Expected& expected, const EvalOptions& opt,
                    WorkerPool* supervisor = nullptr);

// no_device -> SKIPPED, unsupported (declined at run time) -> UNSUPPORTED, the rest FAILED.
Outcome outcome_of_status(const Status& s);

// "[0,1,2,3] got 1.5 want 1.25; ..." (at most `limit` entries).
std::string compact_mismatches(const Comparison& c, std::size_t limit = 5);

}  // namespace tconv
