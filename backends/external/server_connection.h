// tconv's side of one persistent server (`--external-server "name=CMD"`, PROTOCOL.md
// "Persistent mode"): starts CMD and reads its hello, sends one request per problem and reads
// the reply, and after anything that leaves the server in doubt (it died, timed out, or broke
// the protocol) stops and reaps it, so that the next call starts a fresh one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "backends/api/result.h"
#include "backends/api/status.h"
#include "backends/external/protocol.h"
#include "backends/external/server_process.h"

namespace tconv {

struct ServerOptions {
  double timeout_s = 60;  // for the hello and for each reply; <= 0 waits for ever
  // Off in an isolated worker (tconv run --isolate): the server then shares the worker's
  // process group, so the watchdog that kills a timed-out worker kills its server too.
  bool own_process_group = true;
};

class ServerConnection {
 public:
  ServerConnection(std::string name, std::string command, ServerOptions options);
  ~ServerConnection();  // the shutdown line, then stop and reap
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  // Starts the server (when none is running) and reads its hello: its capabilities, or an
  // error naming the command.
  Result<ExternalDeclaration> ensure_started();

  // Asks the server to compute the problem staged in `workdir`; on success *report holds
  // what its reply said of the call (time, algorithm, workspace, determinism; each optional).
  Status call(const std::string& workdir, CallReport* report);

  // The running server's process id (-1 when none runs): for tests and messages.
  long pid() const { return process_ ? static_cast<long>(process_->pid()) : -1L; }

 private:
  // Stops the server after `what` went wrong and builds the row's reason with how it ended
  // and the last lines of its stderr.
  Status fail_and_restart(const std::string& what, double grace_s);
  std::string stderr_tail() const;

  std::string name_, command_;
  ServerOptions options_;
  std::string dir_;  // private directory holding the server's stderr.txt
  std::unique_ptr<ServerProcess> process_;
  std::optional<ExternalDeclaration> hello_;  // of the running server
  std::uint64_t next_id_ = 1;
};

}  // namespace tconv
