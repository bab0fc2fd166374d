#include "backends/external/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace tconv {

std::string ProcessEnd::describe() const {
  if (!started) return "cannot start: " + error;
  if (signal != 0) {
    const char* abbrev = ::sigabbrev_np(signal);
    return std::string("killed by ") + (abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal));
  }
  return "exit status " + std::to_string(exit_code);
}

void set_default_signals(posix_spawnattr_t* attr, bool own_group) {
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(attr, &none);
  posix_spawnattr_setsigdefault(attr, &defaults);
  posix_spawnattr_setpgroup(attr, 0);
  posix_spawnattr_setflags(attr, (own_group ? POSIX_SPAWN_SETPGROUP : 0) | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

ProcessEnd run_shell_command(const std::string& command, const std::vector<std::string>& args,
                             const std::string& stdout_path, const std::string& stderr_path) {
  ProcessEnd end;
  std::vector<std::string> argv_text = {"/bin/sh", "-c", command + " \"$@\"", "tconv-external"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    end.error = std::strerror(rc);
    return end;
  }
  end.started = true;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      end.error = std::strerror(errno);
      end.started = false;
      return end;
    }
  }
  if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
  else end.exit_code = WEXITSTATUS(status);
  return end;
}

std::string tail_of_file(const std::string& path, int lines) {
  std::ifstream in(path);
  std::vector<std::string> kept;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    kept.push_back(line);
    if (static_cast<int>(kept.size()) > lines) kept.erase(kept.begin());
  }
  std::string s;
  for (const std::string& l : kept) s += (s.empty() ? "" : " | ") + l;
  for (char& c : s)
    if (c == '\r' || c == '\t') c = ' ';
  if (s.size() > 600) s = "..." + s.substr(s.size() - 597);
  return s;
}

}  // namespace tconv
