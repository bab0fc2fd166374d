#include "conformance/runner/supervised_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "backends/external/subprocess.h"
#include "conformance/runner/shared_arena.h"
#include "conformance/runner/fatal_signal_trace.h"

extern char** environ;

namespace tconv {

using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kWorkerFlag = "--tconv-worker";
constexpr const char* kWorkerHello = "tconv-worker-ready";
constexpr int kWorkerSocketFd = 3;
constexpr int kWorkerArenaFd = 4;
constexpr const char* kArenaFdVariable = "TCONV_WORKER_ARENA_FD";
// A frame longer than this is garbage, not a tensor (the host could not hold it anyway).
constexpr std::uint64_t kMaxFrameBytes = std::uint64_t{1} << 40;
constexpr std::size_t kStderrKeepBytes = 16 * 1024;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

enum class Io { ok, closed, timed_out };

// Whether the process at the other end still lives; null where that is not watched (the
// worker's own side).
using PeerAlive = std::function<bool()>;

// Waits for `events` on fd until the deadline (none: forever). With `alive`, it also gives up
// (Io::closed) once the peer is dead though the socket stays open: a child of the worker may
// have inherited it.
Io wait_for(int fd, short events, const Clock::time_point* deadline, const PeerAlive* alive) {
  while (true) {
    int slice = deadline ? remaining_ms(*deadline) : -1;
    if (alive && (slice < 0 || slice > 100)) slice = 100;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, slice);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) return Io::ok;
    if (r < 0) return Io::closed;
    if (deadline && Clock::now() >= *deadline) return Io::timed_out;
    if (alive && !(*alive)()) return Io::closed;
  }
}

// Writes all of data, waiting for the socket up to the deadline.
Io write_all(int fd, const char* data, std::size_t n, const Clock::time_point* deadline, const PeerAlive* alive) {
  while (n > 0) {
    if (Io io = wait_for(fd, POLLOUT, deadline, alive); io != Io::ok) return io;
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (w <= 0) return Io::closed;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return Io::ok;
}

Io read_all(int fd, char* data, std::size_t n, const Clock::time_point* deadline, const PeerAlive* alive) {
  while (n > 0) {
    if (Io io = wait_for(fd, POLLIN, deadline, alive); io != Io::ok) return io;
    const ssize_t got = ::recv(fd, data, n, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return Io::closed;
    data += got;
    n -= static_cast<std::size_t>(got);
  }
  return Io::ok;
}

// A frame's length word with this bit set: the bytes are in the shared arena, not on the socket.
constexpr std::uint64_t kInArena = std::uint64_t{1} << 63;
// Frames up to this size go by socket: one write, no copy into the arena.
constexpr std::size_t kSmallFrame = 64 * 1024;

// Big frames through the arena (where there is one), each byte copied once, straight from
// where the message points; small ones as the length and the bytes in one write (one
// wake-up of the reader, not two).
Io write_frame(int fd, const WireMessage& message, SharedArena* arena, const Clock::time_point* deadline,
               const PeerAlive* alive = nullptr) {
  const std::uint64_t n = message.size();
  if (arena != nullptr && n > kSmallFrame) {
    if (char* room = arena->reserve(n)) {
      message.copy_to(room);
      const std::uint64_t word = n | kInArena;
      return write_all(fd, reinterpret_cast<const char*>(&word), sizeof word, deadline, alive);
    }
  }
  std::string frame(sizeof n + n, '\0');
  std::memcpy(frame.data(), &n, sizeof n);
  message.copy_to(frame.data() + sizeof n);
  return write_all(fd, frame.data(), frame.size(), deadline, alive);
}

// Io::ok with *bytes viewing the arena or *storage; a length over kMaxFrameBytes, or beyond
// the arena, reads as closed with *garbage set.
Io read_frame(int fd, SharedArena* arena, std::string* storage, std::string_view* bytes,
              const Clock::time_point* deadline, bool* garbage, const PeerAlive* alive = nullptr) {
  std::uint64_t n = 0;
  if (Io r = read_all(fd, reinterpret_cast<char*>(&n), sizeof n, deadline, alive); r != Io::ok) return r;
  if (n & kInArena) {
    n &= ~kInArena;
    const char* p = arena != nullptr && n <= kMaxFrameBytes ? arena->view(n) : nullptr;
    if (p == nullptr) {
      *garbage = true;
      return Io::closed;
    }
    *bytes = std::string_view(p, n);
    return Io::ok;
  }
  if (n > kMaxFrameBytes) {
    *garbage = true;
    return Io::closed;
  }
  storage->resize(static_cast<std::size_t>(n));
  const Io r = read_all(fd, storage->data(), storage->size(), deadline, alive);
  *bytes = *storage;
  return r;
}

std::string read_file_tail(int fd, std::size_t keep) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size <= 0) return "";
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::size_t from = size > keep ? size - keep : 0;
  std::string text(size - from, '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::pread(fd, text.data() + done, text.size() - done, static_cast<off_t>(from + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

// fd itself, or a close-on-exec copy of it above the worker's fixed descriptors (which the
// spawn's dup2 calls overwrite; a dup2 onto itself would keep close-on-exec set).
int above_worker_fds(int fd) {
  if (fd < 0 || fd > kWorkerArenaFd) return fd;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  return high;
}

// Anonymous, close-on-exec, in append mode (the mode belongs to the open file, which the
// worker shares): truncating it between requests keeps only the current request's lines.
int anonymous_log() {
  int fd = ::memfd_create("tconv-worker-stderr", MFD_CLOEXEC);
  if (fd < 0) {
    char path[] = "/tmp/tconv-worker-XXXXXX";
    fd = ::mkostemp(path, O_CLOEXEC);
    if (fd >= 0) ::unlink(path);
  }
  // Above the worker's fixed descriptors, which the spawn's dup2 calls overwrite.
  fd = above_worker_fds(fd);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_APPEND);
  return fd;
}

std::string one_line(std::string s, std::size_t limit) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > limit) s = s.substr(0, limit - 3) + "...";
  return s;
}

// What the dead worker's stderr says: its last lines (a sanitizer's SUMMARY first) and the
// first frames of its backtrace.
std::string stderr_evidence(const FatalSignalReport& report) {
  std::string text;
  std::vector<std::string> lines;
  for (const std::string& l : report.lines)
    if (l.find("SUMMARY:") != std::string::npos) lines.push_back(l);
  const std::size_t keep = 3;
  for (std::size_t i = report.lines.size() > keep ? report.lines.size() - keep : 0; i < report.lines.size(); ++i)
    if (std::find(lines.begin(), lines.end(), report.lines[i]) == lines.end()) lines.push_back(report.lines[i]);
  for (const std::string& l : lines) text += (text.empty() ? "" : " | ") + one_line(l, 200);
  std::string out = text.empty() ? "" : "; stderr: " + text;
  if (!report.frames.empty()) {
    std::string frames;
    for (std::size_t i = 0; i < report.frames.size() && i < 8; ++i)
      frames += (frames.empty() ? "" : " | ") + ("#" + std::to_string(i) + " " + one_line(report.frames[i], 160));
    out += "; backtrace: " + frames;
  }
  return out;
}

}  // namespace

std::string describe_signal(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  const char* text = ::strsignal(sig);
  std::string s = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
  if (text) s += std::string(" (") + text + ")";
  return s;
}

SupervisedWorker::SupervisedWorker(WorkerCommand command)
    : command_(std::move(command)), alive_([this] { return worker_alive(); }) {}

bool SupervisedWorker::worker_alive() {
  if (exit_status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  exit_status_ = status;
  return false;
}

SupervisedWorker::~SupervisedWorker() {
  if (pid_ > 0) {
    ::close(socket_);  // the worker reads end-of-file and exits
    socket_ = -1;
    reap(5.0);
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

std::string SupervisedWorker::start() {
  if (stderr_fd_ < 0) stderr_fd_ = anonymous_log();
  if (stderr_fd_ < 0) return std::string("cannot create the worker's stderr file: ") + std::strerror(errno);
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return std::string("cannot create the worker's socket: ") + std::strerror(errno);
  const int child_end = above_worker_fds(fds[1]);
  if (!arena_) arena_ = SharedArena::create(kWorkerArenaFd + 1);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, child_end, kWorkerSocketFd);
  if (arena_) posix_spawn_file_actions_adddup2(&actions, arena_->fd(), kWorkerArenaFd);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd_, 2);
  set_default_signals(&attr, /*own_group=*/true);

  std::string exe = command_.executable, flag = kWorkerFlag, fd = std::to_string(kWorkerSocketFd);
  std::vector<std::string> extra = command_.extra_args;
  std::vector<char*> argv = {exe.data(), flag.data(), fd.data()};
  for (std::string& a : extra) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = command_.environment;
  const std::string arena_entry = std::string(kArenaFdVariable) + "=";
  if (arena_) env_text.push_back(arena_entry + std::to_string(kWorkerArenaFd));
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('=') + 1);
    const bool overridden = name == arena_entry ||
                            std::any_of(command_.environment.begin(), command_.environment.end(),
                                        [&](const std::string& o) { return o.rfind(name, 0) == 0; });
    if (!overridden) env_text.push_back(entry);
  }
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(child_end);
  if (rc != 0) {
    ::close(fds[0]);
    return "cannot start the worker " + exe + ": " + std::strerror(rc);
  }
  pid_ = pid;
  socket_ = fds[0];
  ++starts_;
  return "";
}

int SupervisedWorker::reap(double grace_s) {
  int status = exit_status_.value_or(0);  // worker_alive() may have reaped it already
  const auto deadline = Clock::now() + std::chrono::duration<double>(grace_s);
  auto nap = std::chrono::microseconds(100);
  while (!exit_status_) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) break;
    if (Clock::now() >= deadline) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(5000));
  }
  ::kill(-pid_, SIGKILL);  // whatever the worker started and left behind in its group
  pid_ = -1;
  exit_status_.reset();
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
  return status;
}

void SupervisedWorker::kill_and_reap() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);  // its whole process group
  ::kill(pid_, SIGKILL);
  reap(60.0);
}

std::string SupervisedWorker::death_message(int status, const std::string& what) {
  const FatalSignalReport report = parse_fatal_signal_report(read_file_tail(stderr_fd_, kStderrKeepBytes));
  std::string how;
  // The marker names the signal even when symbolising the backtrace then timed out.
  if (report.signal != 0) how = "killed by " + describe_signal(report.signal);
  else if (WIFSIGNALED(status)) how = "killed by " + describe_signal(WTERMSIG(status));
  else if (WIFEXITED(status)) how = "the worker exited with status " + std::to_string(WEXITSTATUS(status)) + " " + what;
  else how = "the worker ended " + what;
  return how + stderr_evidence(report);
}

std::string SupervisedWorker::discard(const std::string& why) {
  kill_and_reap();
  return "the worker " + why + ": killed and restarted" + stderr_evidence(
      parse_fatal_signal_report(read_file_tail(stderr_fd_, kStderrKeepBytes)));
}

bool SupervisedWorker::send(const WireMessage& request, double timeout_s, Exchange* x) {
  // Only this request's stderr lines count (a fresh worker's start-up lines too). Best
  // effort: the tail read is bounded anyway.
  if (stderr_fd_ >= 0 && ::ftruncate(stderr_fd_, 0) != 0) {
  }
  timeout_s_ = timeout_s;
  const auto timeout = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  if (pid_ <= 0) {
    if (std::string err = start(); !err.empty()) {
      x->end = WorkerEnd::crashed;
      x->message = err;
      return false;
    }
    // Its start (loading the vendor libraries) has a --timeout of its own, so that the
    // call's time is the call's, and never less than the command's floor for a start.
    const auto start_floor = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(command_.min_start_timeout_s));
    deadline_ = Clock::now() + std::max(timeout, start_floor);
    std::string_view hello;
    bool garbage = false;
    const Io io = read_frame(socket_, arena_.get(), &reply_, &hello, &deadline_, &garbage, &alive_);
    if (io != Io::ok || hello != kWorkerHello) {
      *x = failed(io == Io::timed_out, garbage || io == Io::ok);
      x->message = "the worker did not start: " + x->message;
      return false;
    }
  }
  deadline_ = Clock::now() + timeout;
  const Io io = write_frame(socket_, request, arena_.get(), &deadline_, &alive_);
  if (io == Io::ok) return true;
  *x = failed(io == Io::timed_out, false);
  return false;
}

Exchange SupervisedWorker::receive() {
  Exchange x;
  bool garbage = false;
  const Io io = read_frame(socket_, arena_.get(), &reply_, &x.reply, &deadline_, &garbage, &alive_);
  if (io == Io::ok) return x;
  return failed(io == Io::timed_out, garbage);
}

Exchange SupervisedWorker::exchange(const WireMessage& request, double timeout_s,
                                    const std::function<void()>& meanwhile) {
  Exchange x;
  if (!send(request, timeout_s, &x)) return x;
  if (meanwhile) {
    try {
      meanwhile();
    } catch (...) {
      receive();  // the response must not be taken for the next request's
      throw;
    }
  }
  return receive();
}

Exchange SupervisedWorker::failed(bool timed_out, bool garbage) {
  Exchange x;
  if (timed_out) {
    kill_and_reap();
    x.end = WorkerEnd::timed_out;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", timeout_s_);
    x.message = std::string("no result after ") + buf + " s (--timeout): killed, a fresh worker serves the next row";
    return x;
  }
  x.end = WorkerEnd::crashed;
  if (garbage) {
    x.message = discard("sent garbage");
    return x;
  }
  // The socket closed: the worker is dying or dead. Give it a moment to finish dying.
  const int status = reap(10.0);
  x.message = death_message(status, "without a response");
  return x;
}

bool is_worker_invocation(int argc, char** argv) { return argc >= 3 && std::strcmp(argv[1], kWorkerFlag) == 0; }

int worker_socket_fd(char** argv) { return std::atoi(argv[2]); }

std::vector<std::string> worker_extra_args(int argc, char** argv) {
  if (!is_worker_invocation(argc, argv)) return {};
  return std::vector<std::string>(argv + 3, argv + argc);
}

int serve_worker_socket(int fd, const std::function<const WireMessage&(std::string_view)>& serve) {
  // Not inherited by what the backend starts (an external server): the socket must close
  // when the worker dies.
  ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
  std::unique_ptr<SharedArena> arena;
  if (const char* arena_fd = std::getenv(kArenaFdVariable)) {
    arena = SharedArena::adopt(std::atoi(arena_fd));
    ::unsetenv(kArenaFdVariable);
  }
  if (write_frame(fd, WireMessage(kWorkerHello), nullptr, nullptr) != Io::ok) return 4;
  std::string storage;
  while (true) {
    std::string_view request;
    bool garbage = false;
    const Io io = read_frame(fd, arena.get(), &storage, &request, nullptr, &garbage);
    if (io != Io::ok) return garbage ? 3 : 0;  // the runner closed the socket: done
    if (write_frame(fd, serve(request), arena.get(), nullptr) != Io::ok) return 4;
  }
}

}  // namespace tconv
