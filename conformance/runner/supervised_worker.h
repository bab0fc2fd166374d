// One long-lived worker process (this executable re-executed with --tconv-worker) that
// says it is ready, then serves backend calls over a socket, one request and one response at
// a time (each a length-prefixed frame; the tensors in it cross through shared memory,
// shared_arena.h), so that the
// CUDA context, library handles and plan caches stay warm across rows. When it crashes,
// hangs past the timeout or answers garbage, the exchange says so and the next exchange
// starts a fresh worker. A fresh exec, not a bare fork(): CUDA contexts and OpenMP pools do
// not survive fork().
//
// The worker runs in a process group of its own (a Ctrl-C at the terminal reaches only the
// runner; a timeout kills the worker with everything it started); its stdout is discarded
// and its stderr kept in an anonymous file, read back for the reason of a crash.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/runner/shared_arena.h"
#include "conformance/runner/wire.h"

namespace tconv {

struct WorkerCommand {
  std::string executable = "/proc/self/exe";
  // Appended to the worker's command line, e.g. the user backends' --plugin / --external
  // options: the worker needs them to create the backend.
  std::vector<std::string> extra_args;
  // "NAME=VALUE" set in the worker's environment (over the runner's own).
  std::vector<std::string> environment;
  // The worker's start (exec, loading the vendor libraries: seconds for CUDA and cuDNN on a
  // busy machine) may take this long even when the call's timeout is shorter.
  double min_start_timeout_s = 10;
};

enum class WorkerEnd { completed, crashed, timed_out };

struct Exchange {
  WorkerEnd end = WorkerEnd::completed;
  std::string_view reply;  // completed: the response's bytes, valid until the next exchange
  std::string message;  // crashed / timed_out: one line (signal, stderr, backtrace)
};

class SupervisedWorker {
 public:
  explicit SupervisedWorker(WorkerCommand command);
  ~SupervisedWorker();  // closes the socket (the worker exits), reaps it
  SupervisedWorker(const SupervisedWorker&) = delete;
  SupervisedWorker& operator=(const SupervisedWorker&) = delete;

  // Sends one request and waits up to timeout_s for its response (starting a worker first
  // when none is running). `meanwhile`, where given, runs after the request went out and
  // before the wait: the caller's own work overlaps the worker's (its time does not count
  // against the timeout beyond the timeout itself).
  Exchange exchange(const WireMessage& request, double timeout_s, const std::function<void()>& meanwhile = {});
  Exchange exchange(std::string_view request, double timeout_s) { return exchange(WireMessage(request), timeout_s); }

  // Kills the worker after a reply the caller could not decode; the next exchange starts a
  // fresh one. Returns the crash message for `why`.
  std::string discard(const std::string& why);

  int starts() const { return starts_; }
  int restarts() const { return starts_ > 1 ? starts_ - 1 : 0; }
  pid_t pid() const { return pid_; }

 private:
  // exchange() in two halves: send() returns false with *x final when the request could not
  // be delivered; receive() waits for the response until timeout_s after send() began.
  bool send(const WireMessage& request, double timeout_s, Exchange* x);
  Exchange receive();
  std::string start();                 // "" or why the worker could not start
  void kill_and_reap();                // SIGKILL to its group, wait
  int reap(double grace_s);            // wait status; SIGKILL after grace_s
  std::string death_message(int wait_status, const std::string& what);
  Exchange failed(bool timed_out, bool garbage);  // kills / reaps; the final exchange
  bool worker_alive();  // reaps a dead worker (keeping its status) without blocking

  WorkerCommand command_;
  pid_t pid_ = -1;
  int socket_ = -1;
  int stderr_fd_ = -1;
  int starts_ = 0;
  double timeout_s_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::optional<int> exit_status_;  // set once worker_alive() has reaped it
  std::function<bool()> alive_;
  std::unique_ptr<SharedArena> arena_;  // null where the system gives none: all by socket
  std::string reply_;                   // a reply that came by socket
};

// The worker's side. A worker invocation is `EXE --tconv-worker FD EXTRA_ARGS...`, with
// the shared arena's descriptor in the environment (TCONV_WORKER_ARENA_FD) where there is one.
bool is_worker_invocation(int argc, char** argv);
int worker_socket_fd(char** argv);
std::vector<std::string> worker_extra_args(int argc, char** argv);  // empty when not a worker

// Serves requests from `socket_fd` until the runner closes it. `serve`
// turns one request's bytes into the response (which it keeps, with what it points at, until
// the next request).
int serve_worker_socket(int socket_fd, const std::function<const WireMessage&(std::string_view)>& serve);

// "SIGSEGV (segmentation fault)" for 11, etc.
std::string describe_signal(int sig);

}  // namespace tconv
