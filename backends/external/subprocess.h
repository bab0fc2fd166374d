// Runs a shell command line with extra arguments, stdout and stderr to files; used by the
// external backend (no shell quoting of the arguments needed: they are passed as "$@").
#pragma once

#include <spawn.h>

#include <string>
#include <vector>

namespace tconv {

struct ProcessEnd {
  bool started = false;
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal killed it
  std::string error;   // when it could not start
  bool ok() const { return started && signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exit status 3", "killed by SIGSEGV ...", "cannot start: ..."
};

// /bin/sh -c 'COMMAND "$@"' tconv-external ARGS..., stdin from /dev/null.
ProcessEnd run_shell_command(const std::string& command, const std::vector<std::string>& args,
                             const std::string& stdout_path, const std::string& stderr_path);

// For a child that must not inherit the caller's signal state (the runner's interrupt handling
// blocks signals in its threads): no signal blocked, the default action for SIGINT, SIGTERM,
// SIGPIPE, SIGHUP and SIGQUIT, and with own_group a process group of its own (to be killed
// with everything it starts). `attr` is initialised; its flags are set here.
void set_default_signals(posix_spawnattr_t* attr, bool own_group);

// The last `lines` non-empty lines of a text file, joined with " | ", at most 600 characters.
std::string tail_of_file(const std::string& path, int lines);

}  // namespace tconv
