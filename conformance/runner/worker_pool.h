// The runner's side of --isolate: backend calls in supervised worker processes
// (supervised_worker.h), one per backend name, each serving every variant of its backend,
// so that a segfault, a SIGFPE inside a vendor library or a hang becomes a CRASHED or
// TIMEOUT row and the sweep goes on with a fresh worker. Which backends: isolation.h. The
// messages: worker_messages.h. The worker's side: worker_main.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "backends/api/backend.h"
#include "conformance/runner/supervised_worker.h"
#include "conformance/runner/timed_call.h"
#include "conformance/runner/worker_messages.h"

namespace tconv {

struct SupervisedCall {
  WorkerEnd end = WorkerEnd::completed;
  std::string message;  // crashed / timed_out
  CallResult call;      // completed: the backend's status, timing and details
};

struct SupervisedCheck {
  WorkerEnd end = WorkerEnd::completed;
  std::string message;  // crashed / timed_out
  std::string error;    // completed, but the worker could not create the backend
  Status support;      // completed: the backend's check()
};

// The workers of one runner thread.
class WorkerPool {
 public:
  WorkerPool(WorkerCommand command, double timeout_s) : command_(std::move(command)), timeout_s_(timeout_s) {}

  // Backend `spec` ("name:variant") in the worker of its backend name.
  SupervisedCheck check(const std::string& spec, const Problem& p, Direction d);
  // Several variants and directions of backend `name` in one round trip, answers in order.
  // When the worker dies or hangs, every answer carries that end (the caller then asks one
  // by one to learn which check it was).
  std::vector<SupervisedCheck> check(const std::string& name, const Problem& p, const std::vector<CheckItem>& items);
  // Runs on the inputs of `ops` and copies the worker's output into the output tensor of
  // `ops` (which must be allocated). Once a backend's worker has answered that there is no
  // device, its later calls get that answer without a round trip: a sweep of the GPU
  // backends on a machine without a GPU costs no more than in-process.
  // `meanwhile` (optional) runs while the worker computes: see SupervisedWorker::exchange.
  SupervisedCall run(const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                     const RunContext& ctx, const PerfOptions& perf, const std::function<void()>& meanwhile = {});

  // Workers started and restarted (after a crash, a timeout or garbage), per backend name.
  std::map<std::string, int> starts() const;
  std::map<std::string, int> restarts() const;

 private:
  SupervisedWorker& worker(const std::string& name);

  WorkerCommand command_;
  double timeout_s_;
  std::map<std::string, std::unique_ptr<SupervisedWorker>> workers_;
  std::map<std::string, Status> no_device_;  // by backend name
  WireMessage request_;                       // reused: its capacity outlives each request
};

}  // namespace tconv
