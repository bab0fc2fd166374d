// Supervised workers: what a dead, hung or garbled worker becomes, that one worker serves
// many calls, that nothing is left behind, and the crash report's parsing.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "conformance/fill.h"
#include "backends/api/registry.h"
#include "conformance/runner/fatal_signal_trace.h"
#include "conformance/runner/repeat_check.h"
#include "conformance/runner/worker_pool.h"
#include "conformance/runner/supervised_worker.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

using test::child_processes;

// A stand-in worker: a shell script that ignores the worker arguments.
WorkerCommand script_worker(const std::string& name, const std::string& body) {
  const std::string dir = std::string(TCONV_TEST_TMP) + "/fake_workers";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name + ".sh";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  WorkerCommand c;
  c.executable = path;
  return c;
}

TEST(SupervisedWorker, ADeathBecomesACrashWithTheSignalAndTheLastStderrLines) {
  SupervisedWorker w(script_worker("fpe", "echo 'vendor: planning engine 7' >&2; kill -FPE $$"));
  const Exchange x = w.exchange("request", 10);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_NE(x.message.find("SIGFPE"), std::string::npos) << x.message;
  EXPECT_NE(x.message.find("vendor: planning engine 7"), std::string::npos) << x.message;
  EXPECT_EQ(w.pid(), -1);  // reaped
}

TEST(SupervisedWorker, WhatADeadWorkerStartedDiesWithIt) {
  SupervisedWorker w(script_worker("orphans", "sleep 1017 & kill -SEGV $$"));
  const Exchange x = w.exchange("request", 30);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_NE(x.message.find("SIGSEGV"), std::string::npos) << x.message;
  // The sleep, the worker's child, kept the socket open: the death was seen all the same,
  // and the sleep went with the worker's process group.
  EXPECT_EQ(std::system("pgrep -x -f 'sleep 1017' >/dev/null"), 256);
}

TEST(SupervisedWorker, AnExitWithoutAResponseSaysSo) {
  SupervisedWorker w(script_worker("exit", "echo 'cannot load libfoo.so' >&2; exit 7"));
  const Exchange x = w.exchange("request", 10);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_NE(x.message.find("status 7"), std::string::npos) << x.message;
  EXPECT_NE(x.message.find("cannot load libfoo.so"), std::string::npos) << x.message;
}

TEST(SupervisedWorker, AWorkerThatNeverSaysItIsReadyIsKilledAtTheTimeoutWithEverythingItStarted) {
  WorkerCommand hang = script_worker("hang", "sleep 1000 & sleep 1000");
  hang.min_start_timeout_s = 0;
  SupervisedWorker w(hang);
  const Exchange x = w.exchange("request", 0.5);
  EXPECT_EQ(x.end, WorkerEnd::timed_out);
  EXPECT_NE(x.message.find("--timeout"), std::string::npos) << x.message;
  EXPECT_EQ(w.pid(), -1);
  EXPECT_EQ(child_processes(), 0);
}

// A slow start (vendor libraries loading on a busy machine) is no timeout of the call.
TEST(SupervisedWorker, AStartSlowerThanTheCallsTimeoutIsGivenItsOwnFloor) {
  WorkerCommand slow = script_worker("slow_start", "sleep 1; kill -SEGV $$");
  slow.min_start_timeout_s = 20;
  SupervisedWorker w(slow);
  const Exchange x = w.exchange("request", 0.2);
  EXPECT_EQ(x.end, WorkerEnd::crashed) << x.message;  // not timed out at 0.2 s
}

TEST(SupervisedWorker, GarbageOnTheWireKillsTheWorkerAndTheNextExchangeStartsAFreshOne) {
  SupervisedWorker w(script_worker("garbage", "printf '\\377\\377\\377\\377\\377\\377\\377\\377' >&3; sleep 1000"));
  Exchange x = w.exchange("request", 10);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_NE(x.message.find("garbage"), std::string::npos) << x.message;
  x = w.exchange("request", 10);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_EQ(w.starts(), 2);
  EXPECT_EQ(w.restarts(), 1);
  EXPECT_EQ(child_processes(), 0);
}

TEST(SupervisedWorker, AMissingExecutableIsACrashNamingIt) {
  WorkerCommand missing;
  missing.executable = "/nonexistent/tconv";
  SupervisedWorker w(missing);
  const Exchange x = w.exchange("request", 10);
  EXPECT_EQ(x.end, WorkerEnd::crashed);
  EXPECT_NE(x.message.find("/nonexistent/tconv"), std::string::npos) << x.message;
}

// The real worker: this test binary re-executed (its main() serves worker invocations).
TEST(WorkerPool, OneWorkerServesEveryCallOfABackendAndIsReplacedAfterACrash) {
  const Problem p = test::small_problem();
  const InputSet in = make_inputs(p, FillSpec{});
  WorkerPool pool(WorkerCommand{}, 30);
  for (int i = 0; i < 3; ++i) {
    HostTensor out = make_output(p, Direction::fwd);
    const SupervisedCall r = pool.run("naive:default", p, Direction::fwd,
                                      with_output(in.operands(), Direction::fwd, out), RunContext{}, PerfOptions{});
    ASSERT_EQ(r.end, WorkerEnd::completed) << r.message;
    EXPECT_TRUE(r.call.status.ok()) << r.call.status.message;
    EXPECT_FALSE(std::isnan(out.get(0)));  // the output came back
  }
  const SupervisedCheck c = pool.check("naive:default", p, Direction::fwd);
  EXPECT_EQ(c.end, WorkerEnd::completed);
  EXPECT_TRUE(c.support.ok());
  EXPECT_EQ(pool.starts().at("naive"), 1);  // one process for all four requests
  EXPECT_EQ(pool.restarts().at("naive"), 0);

  for (int i = 0; i < 2; ++i) {
    HostTensor out = make_output(p, Direction::fwd);
    const SupervisedCall r = pool.run("test_crash:default", p, Direction::fwd,
                                      with_output(in.operands(), Direction::fwd, out), RunContext{}, PerfOptions{});
    EXPECT_EQ(r.end, WorkerEnd::crashed);
    EXPECT_NE(r.message.find("SIGSEGV"), std::string::npos) << r.message;
  }
  EXPECT_EQ(pool.starts().at("test_crash"), 2);
  EXPECT_EQ(pool.restarts().at("test_crash"), 1);
  const SupervisedCheck bad = pool.check("naive:nope", p, Direction::fwd);
  EXPECT_EQ(bad.end, WorkerEnd::completed);
  EXPECT_FALSE(bad.error.empty());  // the worker could not create it, and said so
}

// Tensors above the socket's small-frame size cross through the shared arena, both ways.
TEST(WorkerPool, ALargeCallGivesTheSameOutputAsInProcess) {
  Problem p = test::small_problem(1, 2);
  p.n = 4;
  p.c_in = 16;
  p.c_out = 16;
  p.h_in = 32;
  p.w_in = 32;  // x: 64K floats in, y: about 270K floats out
  const InputSet in = make_inputs(p, FillSpec{});
  HostTensor here = make_output(p, Direction::fwd);
  auto made = builtin_registry().create("naive:default");
  ASSERT_TRUE(made.ok()) << made.error();
  auto naive = std::move(made).value();
  RunContext ctx;
  ASSERT_TRUE(naive->run(p, Direction::fwd, with_output(in.operands(), Direction::fwd, here), ctx).ok());

  WorkerPool pool(WorkerCommand{}, 60);
  for (int i = 0; i < 2; ++i) {  // the second call reuses the grown arena
    HostTensor there = make_output(p, Direction::fwd);
    const SupervisedCall r = pool.run("naive:default", p, Direction::fwd,
                                      with_output(in.operands(), Direction::fwd, there), RunContext{}, PerfOptions{});
    ASSERT_EQ(r.end, WorkerEnd::completed) << r.message;
    ASSERT_TRUE(r.call.status.ok()) << r.call.status.message;
    EXPECT_TRUE(compare_bitwise(here, there).identical());
  }
}

// The caller's own work runs while the worker computes; if it throws, the worker's response
// is still taken, so the next call gets its own.
TEST(WorkerPool, WorkMeanwhileOverlapsTheCallAndAThrowLeavesThePoolInStep) {
  const Problem p = test::small_problem();
  const InputSet in = make_inputs(p, FillSpec{});
  WorkerPool pool(WorkerCommand{}, 30);
  HostTensor out = make_output(p, Direction::fwd);
  bool ran = false;
  SupervisedCall r = pool.run("naive:default", p, Direction::fwd, with_output(in.operands(), Direction::fwd, out),
                              RunContext{}, PerfOptions{}, [&] { ran = true; });
  ASSERT_EQ(r.end, WorkerEnd::completed) << r.message;
  EXPECT_TRUE(ran);

  HostTensor lost = make_output(p, Direction::bwd_bias);
  EXPECT_THROW(pool.run("naive:default", p, Direction::bwd_bias,
                        with_output(in.operands(), Direction::bwd_bias, lost), RunContext{}, PerfOptions{},
                        [] { throw std::runtime_error("reference out of memory"); }),
               std::runtime_error);
  HostTensor next = make_output(p, Direction::fwd);
  r = pool.run("naive:default", p, Direction::fwd, with_output(in.operands(), Direction::fwd, next), RunContext{},
               PerfOptions{});
  ASSERT_EQ(r.end, WorkerEnd::completed) << r.message;
  ASSERT_TRUE(r.call.status.ok()) << r.call.status.message;
  EXPECT_TRUE(compare_bitwise(out, next).identical());  // fwd's answer, not the bias's
  EXPECT_EQ(pool.restarts().at("naive"), 0);
}

TEST(FatalSignalReport, TheMarkerNamesTheSignalAndTheHandlersFramesAreDropped) {
  const std::string text =
      "cudnn: some warning\n"
      "tconv worker: fatal signal 8\n"
      "  #0 tconv::{anon}::on_fatal_signal(int)\n"
      "  #1  at ./signal/../sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c:0\n"
      "  #2 ?? \n"
      "  #3 cudnn::backend::EngineConfig::finalize_internal()\n"
      "  #4 tconv::cudnn::run_graph(tconv::Problem const&, int) at graph.cpp:12\n"
      "  #5 tconv::guarded_run(tconv::Backend&)\n"
      "  #6 main\n";
  const FatalSignalReport r = parse_fatal_signal_report(text);
  EXPECT_EQ(r.signal, 8);
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[1], "cudnn::backend::EngineConfig::finalize_internal");
  EXPECT_EQ(r.frames[2], "tconv::cudnn::run_graph at graph.cpp:12");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "cudnn: some warning");
  EXPECT_EQ(parse_fatal_signal_report("just a line\n").signal, 0);
}

}  // namespace
}  // namespace tconv
