#include "conformance/runner/isolate.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "backends/external/subprocess.h"
#include "conformance/fill.h"
#include "conformance/runner/wire.h"

extern char** environ;

namespace tconv {

namespace {

constexpr const char* kWorkerFlag = "--tconv-isolated-worker";
constexpr std::uint64_t kRequestMagic = 0x5145524e56434354ull;   // "TCCVNREQ"
constexpr std::uint64_t kResponseMagic = 0x5345524e56434354ull;  // "TCCVNRES"
constexpr int kRequestFd = 3, kResponseFd = 4;

// An anonymous file, close-on-exec, numbered above the worker's fixed descriptors so that
// dup2 onto 3 / 4 in the child is never a no-op (which would keep close-on-exec set).
int anonymous_file(const char* name) {
  int fd = ::memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) {
    char path[] = "/tmp/tconv-isolate-XXXXXX";
    fd = ::mkostemp(path, O_CLOEXEC);
    if (fd >= 0) ::unlink(path);
  }
  if (fd >= 0 && fd <= kResponseFd) {
    const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    fd = high;
  }
  return fd;
}

bool write_all_at(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, std::string* out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  out->assign(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out->size()) {
    const ssize_t n = ::pread(fd, out->data() + done, out->size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string encode_request(const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                           const RunContext& ctx, const PerfOptions& perf) {
  WireWriter w;
  w.u64(kRequestMagic);
  w.str(spec);
  w.str(to_repro(p));
  w.u64(static_cast<std::uint64_t>(d));
  w.u64(static_cast<std::uint64_t>(ctx.threads));
  w.u64(ctx.workspace_limit);
  w.u64(perf.enabled);
  w.f64(perf.min_time_s);
  w.u64(static_cast<std::uint64_t>(perf.repeats));
  w.u64(perf.flush_cache);
  w.u64(static_cast<std::uint64_t>(perf.warmup));
  w.u64(static_cast<std::uint64_t>(perf.max_repeats));
  for (const HostTensor* t : {ops.x, ops.w, ops.b, ops.dy}) {
    w.u64(t != nullptr);
    if (t) w.raw(t->data(), t->bytes());
    else w.raw(nullptr, 0);
  }
  return w.bytes();
}

std::string encode_response(const std::string& setup_error, const CallResult& r, const HostTensor* out) {
  WireWriter w;
  w.u64(kResponseMagic);
  w.str(setup_error);
  w.u64(static_cast<std::uint64_t>(r.status.code));
  w.str(r.status.message);
  w.u64(r.timing.has_value());
  const Timing t = r.timing.value_or(Timing{});
  w.f64(t.median_ms);
  w.f64(t.min_ms);
  w.f64(t.max_ms);
  w.u64(static_cast<std::uint64_t>(t.repeats));
  w.u64(t.device_time);
  w.str(r.details.algorithm);
  w.u64(r.details.workspace_bytes.has_value());
  w.u64(static_cast<std::uint64_t>(r.details.workspace_bytes.value_or(0)));
  w.u64(r.details.deterministic ? (*r.details.deterministic ? 2 : 1) : 0);
  if (out) w.raw(out->data(), out->bytes());
  else w.raw(nullptr, 0);
  return w.bytes();
}

// Decodes a response into *r and the output tensor; "" or why it is not a complete response.
std::string decode_response(const std::string& bytes, CallResult* r, HostTensor* out) {
  WireReader rd(bytes);
  if (rd.u64() != kResponseMagic) return "no result";
  const std::string setup_error = rd.str();
  const auto code = static_cast<StatusCode>(rd.u64());
  std::string message = rd.str();
  const bool has_timing = rd.u64() != 0;
  Timing t;
  t.median_ms = rd.f64();
  t.min_ms = rd.f64();
  t.max_ms = rd.f64();
  t.repeats = static_cast<int>(rd.u64());
  t.device_time = rd.u64() != 0;
  RunDetails details;
  details.algorithm = rd.str();
  const bool has_workspace = rd.u64() != 0;
  const auto workspace = static_cast<std::int64_t>(rd.u64());
  if (has_workspace) details.workspace_bytes = workspace;
  if (const std::uint64_t det = rd.u64(); det != 0) details.deterministic = det == 2;
  const std::string_view data = rd.block();
  if (!rd.ok()) return "a truncated result";
  if (!setup_error.empty()) {
    r->status = Status::Error(StatusCode::error, "isolated worker: " + setup_error);
    return "";
  }
  r->status = Status{code, std::move(message)};
  if (has_timing) r->timing = t;
  r->details = std::move(details);
  if (r->status.ok()) {
    if (data.size() != out->bytes())
      return "an output of " + std::to_string(data.size()) + " bytes, expected " + std::to_string(out->bytes());
    std::memcpy(out->data(), data.data(), data.size());
  }
  return "";
}

// The most telling line of a dead worker's stderr: a sanitizer's SUMMARY, else the last
// non-empty line; at most 200 characters.
std::string key_line(const std::string& text) {
  std::string best, last;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    last = line;
    if (line.find("SUMMARY:") != std::string::npos) best = line;
  }
  std::string s = best.empty() ? last : best;
  for (char& c : s)
    if (c == '\r' || c == '\t') c = ' ';
  if (s.size() > 200) s = s.substr(0, 197) + "...";
  return s;
}

// Waits for pid up to timeout_s; returns true with *status set when it exited in time.
bool wait_with_timeout(pid_t pid, double timeout_s, int* status) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration<double>(timeout_s);
  auto nap = std::chrono::microseconds(100);
  while (true) {
    const pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // no such child: nothing to wait for
    if (clock::now() >= deadline) return false;
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(5000));
  }
}

}  // namespace

std::string describe_signal(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  const char* text = ::strsignal(sig);
  std::string s = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
  if (text) s += std::string(" (") + text + ")";
  return s;
}

IsolatedResult run_isolated(const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                            const RunContext& ctx, const PerfOptions& perf, double timeout_s,
                            const WorkerCommand& worker) {
  IsolatedResult result;
  auto fail = [&](std::string why) {
    result.end = IsolatedEnd::crashed;
    result.message = std::move(why);
    return result;
  };
  HostTensor* out = output_of(ops, d);
  if (out == nullptr) return fail("no output tensor for the direction");

  const int request_fd = anonymous_file("tconv-request");
  const int response_fd = anonymous_file("tconv-response");
  const int stderr_fd = anonymous_file("tconv-stderr");
  struct Closer {
    int fds[3];
    ~Closer() {
      for (int fd : fds)
        if (fd >= 0) ::close(fd);
    }
  } closer{{request_fd, response_fd, stderr_fd}};
  if (request_fd < 0 || response_fd < 0 || stderr_fd < 0)
    return fail(std::string("cannot create the worker's files: ") + std::strerror(errno));
  if (!write_all_at(request_fd, encode_request(spec, p, d, ops, ctx, perf)))
    return fail("cannot write the worker's request (out of memory?)");

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, request_fd, kRequestFd);
  posix_spawn_file_actions_adddup2(&actions, response_fd, kResponseFd);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);  // kept for the crash reason
  set_default_signals(&attr, /*own_group=*/true);

  std::string exe = worker.executable, flag = kWorkerFlag, in = std::to_string(kRequestFd),
              outfd = std::to_string(kResponseFd);
  std::vector<std::string> extra = worker.extra_args;
  std::vector<char*> argv = {exe.data(), flag.data(), in.data(), outfd.data()};
  for (std::string& a : extra) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return fail("cannot start the isolated worker " + exe + ": " + std::strerror(rc));

  int status = 0;
  if (!wait_with_timeout(pid, timeout_s, &status)) {
    ::kill(-pid, SIGKILL);  // its whole process group
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.end = IsolatedEnd::timed_out;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", timeout_s);
    result.message = std::string("no result after ") + buf + " s (--timeout): killed";
    return result;
  }

  // A complete response counts even if the worker then exited badly (e.g. a leak report).
  std::string bytes;
  std::string why = read_all(response_fd, &bytes) ? decode_response(bytes, &result.call, out) : "no result";
  if (why.empty()) return result;
  std::string err_text;
  read_all(stderr_fd, &err_text);
  const std::string said = key_line(err_text);
  const std::string tail = said.empty() ? "" : " (stderr: " + said + ")";
  if (WIFSIGNALED(status)) return fail("killed by " + describe_signal(WTERMSIG(status)) + tail);
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    return fail("the worker exited with status " + std::to_string(WEXITSTATUS(status)) + " and " + why + tail);
  return fail("the worker exited with " + why + tail);
}

std::vector<std::string> isolated_worker_extra_args(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[1], kWorkerFlag) != 0) return {};
  return std::vector<std::string>(argv + 4, argv + argc);
}

int serve_isolated_worker(int argc, char** argv, const Registry& registry) {
  if (argc < 4 || std::strcmp(argv[1], kWorkerFlag) != 0) return -1;
  const int in_fd = std::atoi(argv[2]), out_fd = std::atoi(argv[3]);
  std::string request;
  if (!read_all(in_fd, &request)) return 3;

  auto respond = [&](const std::string& setup_error, const CallResult& r, const HostTensor* out) {
    return write_all_at(out_fd, encode_response(setup_error, r, out)) ? 0 : 4;
  };
  WireReader rd(request);
  if (rd.u64() != kRequestMagic) return respond("malformed request", {}, nullptr);
  const std::string spec = rd.str();
  auto problem = parse_problem(rd.str());
  const auto d = static_cast<Direction>(rd.u64());
  RunContext ctx;
  ctx.threads = static_cast<int>(rd.u64());
  ctx.workspace_limit = rd.u64();
  PerfOptions perf;
  perf.enabled = rd.u64() != 0;
  perf.min_time_s = rd.f64();
  perf.repeats = static_cast<int>(rd.u64());
  perf.flush_cache = rd.u64() != 0;
  perf.warmup = static_cast<int>(rd.u64());
  perf.max_repeats = static_cast<int>(rd.u64());
  bool present[4];
  std::string_view data[4];
  for (int i = 0; i < 4; ++i) {
    present[i] = rd.u64() != 0;
    data[i] = rd.block();
  }
  if (!rd.ok() || !problem) return respond("malformed request", {}, nullptr);
  const Problem& p = *problem;

  std::string error;
  std::unique_ptr<Backend> backend = registry.create(spec, &error);
  if (!backend) return respond(error, {}, nullptr);

  HostTensor tensors[4] = {HostTensor(p.dtype, p.layout, p.x_dims()),
                           HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups),
                           p.bias ? HostTensor(bias_dtype(p), Layout::X, p.b_dims()) : HostTensor(),
                           HostTensor(p.dtype, p.layout, p.y_dims())};
  const HostTensor* in[4] = {nullptr, nullptr, nullptr, nullptr};
  for (int i = 0; i < 4; ++i) {
    if (!present[i]) continue;
    if (data[i].size() != tensors[i].bytes()) return respond("input size mismatch", {}, nullptr);
    std::memcpy(tensors[i].data(), data[i].data(), data[i].size());
    in[i] = &tensors[i];
  }
  HostTensor out = make_output(p, d);
  Operands ops = with_output(Operands{in[0], in[1], in[2], in[3]}, d, out);
  const CallResult r = timed_call(*backend, p, d, ops, ctx, perf);
  return respond("", r, &out);
}

}  // namespace tconv
