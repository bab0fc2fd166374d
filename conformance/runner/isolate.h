// --isolate: each backend call runs in a fresh worker process (this executable re-executed
// with --tconv-isolated-worker), so a segfault or a hang becomes a CRASHED or TIMEOUT row
// and the sweep goes on. A fresh exec rather than a bare fork(): CUDA contexts and OpenMP
// thread pools do not survive fork(), and the parent has usually created both.
//
// Inputs go to the worker, and the output, status and timing come back, through two
// anonymous memory files (memfd) that the worker sees as file descriptors 3 and 4. The
// worker runs in its own process group, so a Ctrl-C at the terminal reaches only the runner,
// which finishes the current call and stops. Its stdout is discarded and its stderr
// captured: the telling line (a sanitizer's SUMMARY, else the last) joins a CRASHED reason.
#pragma once

#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/api/registry.h"
#include "conformance/runner/timed_call.h"

namespace tconv {

struct WorkerCommand {
  std::string executable = "/proc/self/exe";
  // Appended to the worker's command line, e.g. the user backends' --plugin / --external
  // options: the worker needs them to create the backend.
  std::vector<std::string> extra_args;
};

enum class IsolatedEnd { completed, crashed, timed_out };

struct IsolatedResult {
  IsolatedEnd end = IsolatedEnd::completed;
  std::string message;  // crashed / timed_out: what happened, one line
  CallResult call;      // completed: the backend's status and timing
};

// Runs backend `spec` ("name:variant") on the inputs in `ops` in a worker; on completion the
// worker's output is copied into the output tensor of `ops` (which must be allocated).
IsolatedResult run_isolated(const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                            const RunContext& ctx, const PerfOptions& perf, double timeout_s,
                            const WorkerCommand& worker = {});

// In main(), before anything else: when argv is a worker invocation, serves it with the
// backends of `registry` and returns the exit status; otherwise returns -1.
int serve_isolated_worker(int argc, char** argv, const Registry& registry);

// The arguments of a worker invocation after its fixed ones (WorkerCommand::extra_args);
// empty when argv is not a worker invocation.
std::vector<std::string> isolated_worker_extra_args(int argc, char** argv);

// "SIGSEGV (segmentation fault)" for 11, etc.
std::string describe_signal(int sig);

}  // namespace tconv
