// A long-lived child process for the persistent mode: `/bin/sh -c COMMAND` with its stdin and
// stdout on pipes (protocol lines) and its stderr in a file (for error messages). Lines go
// out and come back with a deadline (poll), so a hung server cannot hang tconv. The child
// runs in its own process group (a Ctrl-C reaches only tconv; a kill reaches the command
// behind the shell too) unless told otherwise, and is always reaped: by stop(), or by the
// destructor.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "backends/api/result.h"
#include "backends/external/subprocess.h"

namespace tconv {

class ServerProcess {
 public:
  // Starts COMMAND; its stderr goes to stderr_path (truncated). own_group: in a process group
  // of its own (else in tconv's, e.g. an isolated worker's, which its watchdog kills whole).
  static Result<std::unique_ptr<ServerProcess>> start(const std::string& command, const std::string& stderr_path,
                                                      bool own_group);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Writes all of `line`, or says why not (e.g. the server has closed its stdin: it died).
  Status write_line(const std::string& line);

  enum class Read { line, end_of_file, timed_out, error };
  // The next line of its stdout, without the newline. timeout_s <= 0: no limit. On `error`
  // (or a line over 1 MiB), *line holds the reason.
  Read read_line(double timeout_s, std::string* line);

  // Closes its stdin (a server exits on end of input), waits up to grace_s for it to exit,
  // then kills its process group; reaps it. How it ended (once; later calls repeat it).
  ProcessEnd stop(double grace_s);

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  bool own_group_ = true;
  int to_child_ = -1, from_child_ = -1;
  std::string buffered_;  // read but not yet returned
  bool reaped_ = false;
  ProcessEnd end_;
};

}  // namespace tconv
