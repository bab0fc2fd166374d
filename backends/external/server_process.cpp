#include "backends/external/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "backends/external/subprocess.h"

extern char** environ;

namespace tconv {

namespace {

constexpr std::size_t kMaxLine = std::size_t{1} << 20;

void close_fd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

// Writing to a pipe whose reader has died raises SIGPIPE, which would end tconv: block it
// in this thread for the write and swallow the one the write raised (the EPIPE says it all).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  void raised() {
    if (was_pending_) return;
    const timespec zero{};
    while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  ~SigpipeGuard() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::start(const std::string& command, const std::string& stderr_path,
                                                            bool own_group) {
  using R = Result<std::unique_ptr<ServerProcess>>;
  // Close-on-exec: neither this server nor any other child tconv starts keeps tconv's ends
  // (a stray copy of the write end would hide the server's death from us as a missing EOF).
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return R::failure(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]), ::close(in[1]);
    return R::failure(std::string("pipe: ") + std::strerror(e));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);  // dup2 clears close-on-exec
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  set_default_signals(&attr, own_group);
  std::string sh = "/bin/sh", dash_c = "-c", cmd = command, arg0 = "tconv-external-server";
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), arg0.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]), ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]), ::close(out[0]);
    return R::failure(std::string("cannot start: ") + std::strerror(rc));
  }
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->pid_ = pid;
  p->own_group_ = own_group;
  p->to_child_ = in[1];
  p->from_child_ = out[0];
  return p;
}

ServerProcess::~ServerProcess() { stop(0); }

Status ServerProcess::write_line(const std::string& line) {
  if (to_child_ < 0) return Status::Error(StatusCode::error, "its stdin is closed");
  SigpipeGuard guard;
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(to_child_, line.data() + done, line.size() - done);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    const int e = errno;
    if (e == EPIPE) guard.raised();
    return Status::Error(StatusCode::error, e == EPIPE ? "it closed its stdin" : std::string("write: ") + std::strerror(e));
  }
  return Status::Ok();
}

ServerProcess::Read ServerProcess::read_line(double timeout_s, std::string* line) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  for (;;) {
    if (const auto nl = buffered_.find('\n'); nl != std::string::npos) {
      *line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      if (!line->empty() && line->back() == '\r') line->pop_back();
      return Read::line;
    }
    if (buffered_.size() > kMaxLine) {
      *line = "a line of more than 1 MiB";
      return Read::error;
    }
    if (from_child_ < 0) return Read::end_of_file;
    int wait_ms = -1;
    if (timeout_s > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return Read::timed_out;
      wait_ms = static_cast<int>(std::min<long long>(left + 1, 1 << 30));
    }
    pollfd pfd{from_child_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      *line = std::string("poll: ") + std::strerror(errno);
      return Read::error;
    }
    if (ready == 0) continue;  // the deadline check above decides
    char chunk[4096];
    const ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      *line = std::string("read: ") + std::strerror(errno);
      return Read::error;
    }
    if (n == 0) {
      close_fd(&from_child_);  // its stdout is closed: it exited (or closed it; stop() tells)
      return Read::end_of_file;
    }
    buffered_.append(chunk, static_cast<std::size_t>(n));
  }
}

ProcessEnd ServerProcess::stop(double grace_s) {
  if (reaped_) return end_;
  close_fd(&to_child_);
  close_fd(&from_child_);
  int status = 0;
  pid_t got = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
  while ((got = ::waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (got == 0) {
    if (own_group_) ::kill(-pid_, SIGKILL);  // its group: the shell and the command it started
    ::kill(pid_, SIGKILL);
    while ((got = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  reaped_ = true;
  end_.started = true;
  if (got < 0) {
    end_.started = false;
    end_.error = std::string("waitpid: ") + std::strerror(errno);
  } else if (WIFSIGNALED(status)) {
    end_.signal = WTERMSIG(status);
  } else {
    end_.exit_code = WEXITSTATUS(status);
  }
  return end_;
}

}  // namespace tconv
