// The persistent mode end to end, in process: testing/stub_server.sh (a sh server that
// delegates each problem to the C example and logs "PID N" per request) serves several calls
// from ONE process; a server that dies, hangs or replies garbage fails that call with the
// reason and is replaced by a fresh, reaped one; a bad hello fails the load naming the command.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <vector>

#include "backends/external/external_backend.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A log file private to this test (removed first, so counts start at zero).
std::string fresh_log(const std::string& test) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/tconv-server-test-" + test + "-" +
                           std::to_string(::getpid()) + ".log";
  std::remove(path.c_str());
  return path;
}

// The stub's log: the pid of each request ("PID N" lines) and whether a shutdown came.
struct Log {
  std::vector<long> request_pids;
  int shutdowns = 0;
};
Log read_log(const std::string& path) {
  Log log;
  std::ifstream in(path);
  long pid = 0;
  std::string what;
  while (in >> pid >> what) {
    if (what == "shutdown") ++log.shutdowns;
    else log.request_pids.push_back(pid);
  }
  return log;
}

// `exec`: the stub is then tconv's own child (not the shell's), so its pid is the one tconv reaps.
std::string stub(const std::string& log, const std::string& fault = "", int at = 0) {
  return std::string("exec sh ") + TCONV_EXTERNAL_TESTING + "/stub_server.sh " + TCONV_C_EXAMPLE + " " + log +
         (fault.empty() ? "" : " " + fault + " " + std::to_string(at));
}

BackendFactory server(const std::string& command, double timeout_s = 30) {
  auto f = external_server_factory("stub=" + command, {timeout_s});
  EXPECT_TRUE(f) << f.error();
  return f ? *f : BackendFactory{};
}

Problem problem(int i) {
  Problem p;
  p.c_in = 2, p.c_out = 3, p.h_in = 3 + i, p.w_in = 4, p.kh = p.kw = 2, p.stride_h = 2;
  return p;
}

// Runs fwd of problem(i); the status, and y through *y.
Status run_fwd(Backend& b, int i, std::vector<float>* y = nullptr) {
  const Problem p = problem(i);
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor out = make_output(p, Direction::fwd);
  RunContext ctx;
  const Status s = b.run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, out), ctx);
  if (y) y->assign(static_cast<const float*>(out.data()), static_cast<const float*>(out.data()) + out.bytes() / 4);
  return s;
}

bool process_gone(long pid) { return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

TEST(ExternalServer, OneProcessServesEveryCallThenShutsDownCleanly) {
  const std::string log = fresh_log("one");
  {
    BackendFactory f = server(stub(log));
    EXPECT_EQ(f.description, "external server: " + stub(log));
    auto b = f.create("default").value_or(nullptr);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->capabilities().layouts, (std::vector<Layout>{Layout::NCHW}));  // from the hello
    auto per_call = (*external_backend_factory(std::string("c=") + TCONV_C_EXAMPLE)).create("default").value_or(nullptr);
    for (int i = 0; i < 3; ++i) {
      std::vector<float> y, expected;
      ASSERT_TRUE(run_fwd(*b, i, &y).ok());
      ASSERT_TRUE(run_fwd(*per_call, i, &expected).ok());
      EXPECT_EQ(y, expected) << "problem " << i;  // the same program computed both
      EXPECT_TRUE(b->last_device_time_ms().has_value()) << "the reply's device_time_ms was lost";
    }
  }
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 3u);
  EXPECT_EQ(std::set<long>(l.request_pids.begin(), l.request_pids.end()).size(), 1u) << "more than one process";
  EXPECT_EQ(l.shutdowns, 1);
  EXPECT_TRUE(process_gone(l.request_pids[0])) << "not reaped";
  std::remove(log.c_str());
}

TEST(ExternalServer, DeathMidRequestIsTheCallsErrorAndAFreshServerTakesOver) {
  const std::string log = fresh_log("die");
  BackendFactory f = server(stub(log, "die", 2));
  auto b = f.create("default").value_or(nullptr);
  EXPECT_TRUE(run_fwd(*b, 0).ok());
  const Status s = run_fwd(*b, 1);
  EXPECT_EQ(s.code, StatusCode::error);
  for (const char* part : {"stub: server `exec sh ", "died during request 2 (exit status 7); stderr: fpga: DMA engine stalled",
                           "a fresh one is started for the next problem"})
    EXPECT_TRUE(has(s.message, part)) << part << " not in " << s.message;
  EXPECT_TRUE(run_fwd(*b, 2).ok());
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 3u);
  EXPECT_EQ(l.request_pids[0], l.request_pids[1]);
  EXPECT_NE(l.request_pids[1], l.request_pids[2]) << "not restarted";
  EXPECT_TRUE(process_gone(l.request_pids[1])) << "the dead server is a zombie";
  std::remove(log.c_str());
}

TEST(ExternalServer, GarbageReplyIsAProtocolErrorAndARestart) {
  const std::string log = fresh_log("garbage");
  BackendFactory f = server(stub(log, "garbage", 1));
  auto b = f.create("default").value_or(nullptr);
  const Status s = run_fwd(*b, 0);
  EXPECT_TRUE(has(s.message, "broke the protocol on request 1: a reply that is not a JSON object: "
                             "\"Traceback (most recent call last):\" (stopped by tconv)"))
      << s.message;
  EXPECT_TRUE(run_fwd(*b, 1).ok());
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 2u);
  EXPECT_NE(l.request_pids[0], l.request_pids[1]);
  EXPECT_TRUE(process_gone(l.request_pids[0]));
  std::remove(log.c_str());
}

TEST(ExternalServer, MissingReplyTimesOutAndARestart) {
  const std::string log = fresh_log("hang");
  BackendFactory f = server(stub(log, "hang", 1), 0.5);
  auto b = f.create("default").value_or(nullptr);
  const Status s = run_fwd(*b, 0);
  EXPECT_TRUE(has(s.message, "gave no reply to request 1 within 0.5 s (--timeout) (stopped by tconv)")) << s.message;
  EXPECT_TRUE(run_fwd(*b, 1).ok());
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 2u);
  EXPECT_TRUE(process_gone(l.request_pids[0])) << "the hung server (or its sleep) survived";
  std::remove(log.c_str());
}

TEST(ExternalServer, ServerReportedFailureKeepsTheProcess) {
  // NHWC is outside the C example's capabilities: it fails, the stub replies {"ok": false}.
  const std::string log = fresh_log("refuse");
  BackendFactory f = server(stub(log));
  auto b = f.create("default").value_or(nullptr);
  Problem p = problem(0);
  p.layout = Layout::NHWC;
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor out = make_output(p, Direction::fwd);
  RunContext ctx;
  const Status s = b->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, out), ctx);
  EXPECT_TRUE(has(s.message, "stub: the server failed request 1: the compute command failed")) << s.message;
  EXPECT_TRUE(run_fwd(*b, 0).ok());
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 2u);
  EXPECT_EQ(l.request_pids[0], l.request_pids[1]);
  std::remove(log.c_str());
}

TEST(ExternalServer, UnsupportedReplyIsARefusalAndKeepsTheProcess) {
  const std::string log = fresh_log("unsupported");
  BackendFactory f = server(stub(log, "refuse", 1));
  auto b = f.create("default").value_or(nullptr);
  const Status refused = run_fwd(*b, 0);
  EXPECT_EQ(refused.code, StatusCode::unsupported) << refused;
  EXPECT_EQ(refused.message, "stub: this bitstream has no stride-2 kernel");
  EXPECT_TRUE(run_fwd(*b, 0).ok());
  const Log l = read_log(log);
  ASSERT_EQ(l.request_pids.size(), 2u);
  EXPECT_EQ(l.request_pids[0], l.request_pids[1]);
  std::remove(log.c_str());
}

TEST(ExternalServer, BadHelloFailsTheLoadNamingTheCommand) {
  auto error_of = [](const std::string& command, double timeout_s = 30) {
    auto f = external_server_factory("bad=" + command, {timeout_s});
    return f ? std::string("loaded") : f.error();
  };
  std::string e = error_of("echo loading bitstream; cat >/dev/null");
  EXPECT_TRUE(has(e, "--external-server bad: server `echo loading bitstream; cat >/dev/null`: "
                     "the hello line is not a JSON object: \"loading bitstream\""))
      << e;
  e = error_of("echo '{\"protocol\": \"tconv-server\", \"version\": 2}'; cat >/dev/null");
  EXPECT_TRUE(has(e, "speaks version 2 of the server protocol; this tconv speaks version 1")) << e;
  e = error_of("echo no device >&2; exit 4");
  EXPECT_TRUE(has(e, "it printed no hello line (exit status 4); stderr: no device")) << e;
  e = error_of("sleep 5", 0.3);
  EXPECT_TRUE(has(e, "it printed no hello line within 0.3 s (--timeout)")) << e;
  EXPECT_TRUE(has(error_of("nosuchcommand-tconv"), "printed no hello line (exit status 127)"));
  EXPECT_TRUE(has(external_server_factory("x", {}).error(), "--external-server \"x\": expected NAME=COMMAND"));
}

}  // namespace
}  // namespace tconv
