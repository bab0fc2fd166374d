#include "conformance/runner/runner.h"

#include <gtest/gtest.h>

#include <map>

#include "conformance/test_backends/mutants.h"
#include "conformance/test_backends/reporting.h"
#include "conformance/test_backends/test_backends.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

using test::make_case;
using test::small_problem;

std::vector<ResultRow> run(const std::vector<Case>& cases, const std::vector<std::string>& backends,
                           const RunnerOptions& options = {}, RunnerStats* stats = nullptr) {
  const Registry registry = registry_with_test_backends();
  auto chosen = select_backends(registry, backends);
  EXPECT_TRUE(chosen.ok()) << chosen.error();
  std::vector<ResultRow> rows;
  const RunnerStats s = run_cases(cases, registry, *chosen, options, [&](const ResultRow& r) { rows.push_back(r); });
  if (stats) *stats = s;
  return rows;
}

// Small problems where each planted bug shows: groups > 1, stride > 1, asymmetric crops.
std::vector<Case> bug_revealing_cases(FillSpec fill = {}) {
  Problem nhwc = small_problem();
  nhwc.layout = Layout::NHWC;
  return {make_case("grouped_strided", small_problem(2, 2), {std::begin(kAllDirections), std::end(kAllDirections)}, fill),
          make_case("nhwc", nhwc, {std::begin(kAllDirections), std::end(kAllDirections)}, fill)};
}

TEST(Runner, EveryMutantIsCaughtAsIncorrectWhileTheOraclePasses) {
  std::vector<std::string> backends = {"naive"};
  for (const auto& m : testing::mutant_names()) backends.push_back(m);
  const auto rows = run(bug_revealing_cases(), backends);
  ASSERT_EQ(rows.size(), 2u * 4u * backends.size());
  std::map<std::string, int> incorrect;
  for (const ResultRow& r : rows) {
    if (r.backend == "naive") {
      EXPECT_TRUE(r.status == Outcome::PASSED || r.status == Outcome::MISTRUSTED)
          << r.case_name << " " << to_string(r.direction) << ": " << r.reason;
    } else if (r.status == Outcome::INCORRECT) {
      ++incorrect[r.backend];
      EXPECT_FALSE(r.reason.empty());
      EXPECT_GT(*r.mismatches, 0);
      EXPECT_FALSE(r.first_mismatches.empty());
    }
  }
  for (const auto& m : testing::mutant_names()) {
    // fwd, bwd_data and bwd_weights of both cases show every planted bug.
    EXPECT_GE(incorrect[m], 6) << m;
  }
}

// The time spent on references is counted, once per case and direction, in both runners.
TEST(Runner, TheReferencesTimeIsCountedSequentialAndParallel) {
  for (int jobs : {1, 2}) {
    RunnerOptions options;
    options.jobs = jobs;
    RunnerStats stats;
    run(bug_revealing_cases(), {"naive", "openmp"}, options, &stats);
    EXPECT_GT(stats.reference_seconds, 0) << jobs << " jobs";
  }
  RunnerStats none;
  Case invalid = bug_revealing_cases()[0];
  invalid.invalid_reason = "not a problem";  // no reference is made for it
  run({invalid}, {"naive"}, {}, &none);
  EXPECT_EQ(none.reference_seconds, 0);
}

TEST(Runner, IntegerFillMakesTheOracleExact) {
  const auto rows = run(bug_revealing_cases(FillSpec{FillKind::integer, 5}), {"naive"});
  ASSERT_EQ(rows.size(), 8u);
  for (const ResultRow& r : rows) {
    ASSERT_TRUE(r.max_abs_err.has_value()) << r.reason;
    EXPECT_EQ(*r.max_abs_err, 0.0) << r.case_name << " " << to_string(r.direction);
    EXPECT_EQ(*r.mismatches, 0);
  }
}

TEST(Runner, InvalidCasesBecomeInvalidRowsForEveryBackendAndDirection) {
  Case bad = make_case("bad_groups", small_problem());
  bad.problem.c_in = 6;
  bad.problem.groups = 4;
  bad.invalid_reason = "c_in 6 is not divisible by groups 4";
  Case unchecked = make_case("zero_stride", small_problem());
  unchecked.problem.stride_h = 0;  // the runner validates even what the suite did not flag
  const auto rows = run({bad, unchecked}, {"naive", "test_crash"});
  ASSERT_EQ(rows.size(), 16u);
  for (const ResultRow& r : rows) {
    EXPECT_EQ(r.status, Outcome::INVALID);
    EXPECT_FALSE(r.reason.empty());
  }
  EXPECT_EQ(rows[0].reason, bad.invalid_reason);
}

TEST(Runner, UnsupportedCasesAreUnsupportedEverywhereWithoutLoadingOrRunning) {
  Case deep = make_case("convtranspose_3d", small_problem());
  deep.unsupported_reason = "3-D ConvTranspose (kernel_shape [3, 3, 3]): tconv's operator is 2-D";
  deep.golden.x = "/nonexistent/x.npy";  // loading it would make the row INVALID
  deep.fill.kind = FillKind::golden;
  const auto rows = run({deep}, {"naive", "test_crash"});  // running test_crash would crash
  ASSERT_EQ(rows.size(), 8u);
  for (const ResultRow& r : rows) {
    EXPECT_EQ(r.status, Outcome::UNSUPPORTED) << r.backend << " " << to_string(r.direction) << ": " << r.reason;
    EXPECT_EQ(r.reason, deep.unsupported_reason);
  }
}

TEST(Runner, UnsupportedCarriesTheBackendsReason) {
  Problem p = small_problem();
  p.weight_layout = Layout::HWOI;  // mutant_weight_layout takes IOHW only
  const auto rows = run({make_case("hwoi", p, {Direction::fwd})}, {"mutant_weight_layout"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, Outcome::UNSUPPORTED);
  EXPECT_NE(rows[0].reason.find("weight layout"), std::string::npos) << rows[0].reason;
}

TEST(Runner, OverTheMemoryBudgetIsSkipped) {
  RunnerOptions options;
  options.max_memory_bytes = 1024;
  const auto rows = run({make_case("small", small_problem())}, {"naive"}, options);
  ASSERT_EQ(rows.size(), 4u);
  for (const ResultRow& r : rows) {
    EXPECT_EQ(r.status, Outcome::SKIPPED);
    EXPECT_NE(r.reason.find("--max-memory"), std::string::npos) << r.reason;
  }
}

TEST(Runner, ErrorStatusesAndExceptionsAreContainedAsFailed) {
  const auto rows = run({make_case("c", small_problem(), {Direction::fwd})}, {"test_error", "test_throw", "naive"});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].status, Outcome::FAILED);
  EXPECT_NE(rows[0].reason.find("planted failure"), std::string::npos) << rows[0].reason;
  EXPECT_EQ(rows[1].status, Outcome::FAILED);
  EXPECT_NE(rows[1].reason.find("planted exception"), std::string::npos) << rows[1].reason;
  EXPECT_EQ(rows[2].status, Outcome::PASSED);  // the run went on
}

TEST(Runner, IsolationTurnsCrashAndHangIntoRowsAndTheSweepCompletes) {
  RunnerOptions options;
  options.eval.isolation = Isolation::all;
  options.eval.timeout_s = 1.5;
  const std::vector<Case> cases = {make_case("a", small_problem(), {Direction::fwd}),
                                   make_case("b", small_problem(1, 1), {Direction::fwd, Direction::bwd_data})};
  const auto rows = run(cases, {"test_crash", "test_hang", "naive", "mutant_crop"}, options);
  ASSERT_EQ(rows.size(), 12u);
  for (const ResultRow& r : rows) {
    if (r.backend == "test_crash") {
      EXPECT_EQ(r.status, Outcome::CRASHED) << r.reason;
      EXPECT_FALSE(r.reason.empty());
    } else if (r.backend == "test_hang") {
      EXPECT_EQ(r.status, Outcome::TIMEOUT) << r.reason;
    } else if (r.backend == "naive") {
      // The output came back from the worker intact.
      EXPECT_EQ(r.status, Outcome::PASSED) << r.reason;
    } else {
      EXPECT_EQ(r.status, Outcome::INCORRECT) << r.reason;
    }
  }
}

// The default mode (--isolate=device) supervises the backends marked so: a segfault, a
// SIGFPE (as cuDNN's heuristics raised) and a hang each cost their rows only.
TEST(Runner, ByDefaultCrashesOfSupervisedBackendsAreRowsAndEveryOtherRowIsThere) {
  RunnerOptions options;
  ASSERT_EQ(options.eval.isolation, Isolation::device);
  options.eval.timeout_s = 1.5;
  const std::vector<Case> cases = {make_case("a", small_problem(), {Direction::fwd, Direction::bwd_data}),
                                   make_case("b", small_problem(1, 1), {Direction::fwd})};
  RunnerStats stats;
  const auto rows = run(cases, {"naive", "test_crash", "test_fpe", "test_hang", "mutant_crop"}, options, &stats);
  ASSERT_EQ(rows.size(), 15u);
  std::map<std::string, std::map<Outcome, int>> seen;
  for (const ResultRow& r : rows) ++seen[r.backend][r.status];
  EXPECT_EQ(seen["naive"][Outcome::PASSED], 3);
  EXPECT_EQ(seen["test_crash"][Outcome::CRASHED], 3);
  EXPECT_EQ(seen["test_fpe"][Outcome::CRASHED], 3);
  EXPECT_EQ(seen["test_hang"][Outcome::TIMEOUT], 3);
  EXPECT_EQ(seen["mutant_crop"][Outcome::INCORRECT], 3);
  for (const ResultRow& r : rows) {
    if (r.backend == "test_crash") {
      EXPECT_NE(r.reason.find("SIGSEGV"), std::string::npos) << r.reason;
    }
    if (r.backend == "test_fpe") {
      EXPECT_NE(r.reason.find("SIGFPE"), std::string::npos) << r.reason;
    }
  }
  // One worker each, replaced after every crash and hang; naive and the mutant stayed in-process.
  EXPECT_EQ(stats.worker_restarts["test_crash"], 2);
  EXPECT_EQ(stats.worker_restarts["test_fpe"], 2);
  EXPECT_EQ(stats.worker_restarts["test_hang"], 2);
  EXPECT_EQ(stats.worker_starts.count("naive"), 0u);
  EXPECT_EQ(stats.worker_starts.count("mutant_crop"), 0u);
  EXPECT_EQ(test::child_processes(), 0);  // every worker reaped: no zombie, none left running

  options.eval.isolation = Isolation::all;
  run(cases, {"naive"}, options, &stats);
  EXPECT_EQ(stats.worker_starts["naive"], 1);  // one process served all three rows
}

// A device backend without its device: every row SKIPPED with the worker's reason (after the
// first, without asking the worker again).
TEST(Runner, ADeviceBackendWithoutItsDeviceIsSkippedRowByRow) {
  RunnerStats stats;
  const auto rows = run({make_case("a", small_problem()), make_case("b", small_problem(1, 1))}, {"test_no_device"}, {},
                        &stats);
  ASSERT_EQ(rows.size(), 8u);
  for (const ResultRow& r : rows) {
    EXPECT_EQ(r.status, Outcome::SKIPPED);
    EXPECT_NE(r.reason.find("no GPU (test_no_device)"), std::string::npos) << r.reason;
  }
  EXPECT_EQ(stats.worker_starts["test_no_device"], 1);
}

// check() may crash too (cuDNN's SIGFPE was in its heuristics): the checks of a case go to
// the worker in one batch; when the batch dies, each row's check is asked alone and the row
// whose check crashed says so.
TEST(Runner, ACrashInsideCheckIsARowOfItsOwn) {
  RunnerStats stats;
  const auto rows = run({make_case("a", small_problem(), {Direction::fwd, Direction::bwd_data}),
                         make_case("b", small_problem(1, 1), {Direction::fwd})},
                        {"test_check_fpe", "naive", "test_reports_details"}, {}, &stats);
  ASSERT_EQ(rows.size(), 9u);
  for (const ResultRow& r : rows) {
    if (r.backend == "test_check_fpe") {
      EXPECT_EQ(r.status, Outcome::CRASHED);
      EXPECT_NE(r.reason.find("check(): killed by SIGFPE"), std::string::npos) << r.reason;
    } else {
      EXPECT_EQ(r.status, Outcome::PASSED) << r.backend << ": " << r.reason;
    }
  }
  EXPECT_GE(stats.worker_restarts["test_check_fpe"], 3);
  EXPECT_EQ(test::child_processes(), 0);
}

#if TCONV_HAVE_STACKTRACE
TEST(Runner, ACrashedRowCarriesTheNativeBacktraceOfTheBackend) {
  const auto rows = run({make_case("a", small_problem(), {Direction::fwd})}, {"test_crash"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].reason.find("backtrace: #0 tconv::testing::{anon}::Misbehaving::run"), std::string::npos)
      << rows[0].reason;
}
#endif

// --repeat-check: a backend that claims determinism and differs between two runs is wrong;
// the deterministic ones pass with a difference of 0.
TEST(Runner, RepeatCheckCatchesAFalseDeterminismClaim) {
  for (Isolation mode : {Isolation::none, Isolation::all}) {
    RunnerOptions options;
    options.eval.repeat_check = true;
    options.eval.isolation = mode;
    std::vector<std::string> backends = {"naive", "test_nondeterministic"};
    if (registry_with_test_backends().find("openmp")) backends.push_back("openmp:default");
    const auto rows = run({make_case("a", small_problem(), {std::begin(kAllDirections), std::end(kAllDirections)})},
                          backends, options);
    ASSERT_EQ(rows.size(), 4u * backends.size());
    for (const ResultRow& r : rows) {
      ASSERT_TRUE(r.repeat_max_diff.has_value()) << r.backend;
      if (r.backend == "test_nondeterministic") {
        EXPECT_EQ(r.status, Outcome::INCORRECT) << r.reason;
        EXPECT_NE(r.reason.find("not deterministic"), std::string::npos) << r.reason;
        EXPECT_GT(*r.repeat_max_diff, 0);
      } else {
        EXPECT_EQ(r.status, Outcome::PASSED) << r.backend << " " << r.reason;
        EXPECT_EQ(*r.repeat_max_diff, 0);
      }
    }
  }
}

TEST(Runner, PerfModeFillsTheTimingColumns) {
  RunnerOptions options;
  options.eval.perf.enabled = true;
  options.eval.perf.repeats = 3;
  const auto rows = run({make_case("c", small_problem(), {Direction::fwd, Direction::bwd_weights})}, {"naive"}, options);
  ASSERT_EQ(rows.size(), 2u);
  for (const ResultRow& r : rows) {
    EXPECT_EQ(r.status, Outcome::PASSED);
    ASSERT_TRUE(r.time_ms && r.time_min_ms && r.time_max_ms && r.repeats);
    EXPECT_EQ(*r.repeats, 3);
    EXPECT_LE(*r.time_min_ms, *r.time_ms);
    EXPECT_LE(*r.time_ms, *r.time_max_ms);
    EXPECT_EQ(r.timer, "wall");
    if (*r.time_ms > 0) {
      EXPECT_TRUE(r.gflops && r.gbps);
    }
  }
}

// What a backend says it ran (algorithm, workspace, determinism) reaches the row, also from
// an isolated worker; a backend that reports nothing gets its declared determinism.
TEST(Runner, RowsCarryWhatTheBackendRan) {
  for (bool isolate : {false, true}) {
    RunnerOptions options;
    options.eval.isolation = isolate ? Isolation::all : Isolation::none;
    const auto rows = run({make_case("c", small_problem(), {Direction::fwd})}, {"test_reports_details", "naive", "test_error"},
                          options);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].status, Outcome::PASSED) << rows[0].reason;
    EXPECT_EQ(rows[0].algorithm, testing::kReportedAlgorithm) << "isolate=" << isolate;
    EXPECT_EQ(rows[0].workspace_bytes, testing::kReportedWorkspaceBytes) << "isolate=" << isolate;
    EXPECT_EQ(rows[0].deterministic, false) << "isolate=" << isolate;
    EXPECT_EQ(rows[1].algorithm, "");
    EXPECT_FALSE(rows[1].workspace_bytes.has_value());
    EXPECT_EQ(rows[1].deterministic, true);  // naive declares it
    EXPECT_EQ(rows[2].status, Outcome::FAILED);
    EXPECT_FALSE(rows[2].deterministic.has_value());  // nothing ran
  }
}

// Staging copies a backend times apart (issue 16) reach the perf row's staging_ms, also from
// an isolated worker, and stay out of time_ms; a backend that stages nothing has none.
TEST(Runner, PerfRowsCarryTheStagingTimeApart) {
  for (bool isolate : {false, true}) {
    RunnerOptions options;
    options.eval.isolation = isolate ? Isolation::all : Isolation::none;
    options.eval.perf.enabled = true;
    options.eval.perf.repeats = 3;
    const auto rows = run({make_case("c", small_problem(), {Direction::fwd})}, {"test_reports_details", "naive"}, options);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].staging_ms, testing::kReportedStagingMs) << "isolate=" << isolate;
    ASSERT_TRUE(rows[0].time_ms.has_value());
    EXPECT_FALSE(rows[1].staging_ms.has_value()) << "isolate=" << isolate;
    EXPECT_TRUE(rows[1].time_ms.has_value());
  }
  // Not in perf mode: nothing is timed, staging included.
  const auto plain = run({make_case("c", small_problem(), {Direction::fwd})}, {"test_reports_details"});
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_FALSE(plain[0].staging_ms.has_value());
}

TEST(Runner, ParallelJobsGiveTheSameRowsInTheSameOrder) {
  std::vector<Case> cases;
  for (int i = 0; i < 6; ++i) cases.push_back(make_case("c" + std::to_string(i), small_problem(1 + i % 2, 1 + i % 3)));
  RunnerOptions parallel;
  parallel.jobs = 3;
  const auto a = run(cases, {"naive", "mutant_group"});
  const auto b = run(cases, {"naive", "mutant_group"}, parallel);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key(), b[i].key());
    EXPECT_EQ(a[i].status, b[i].status);
    EXPECT_EQ(a[i].max_abs_err, b[i].max_abs_err);
  }
}

TEST(Runner, DoneRowsAreSkippedAndAStopEndsAfterTheCurrentRow) {
  const std::vector<Case> cases = {make_case("a", small_problem()), make_case("b", small_problem())};
  RunnerOptions resume;
  resume.done = {RowKey{"a", "naive", "default", Direction::fwd}, RowKey{"b", "naive", "default", Direction::bwd_bias}};
  RunnerStats stats;
  const auto rows = run(cases, {"naive"}, resume, &stats);
  EXPECT_EQ(rows.size(), 6u);
  EXPECT_EQ(stats.already_done, 2);
  for (const ResultRow& r : rows) EXPECT_EQ(resume.done.count(r.key()), 0u);

  std::atomic<bool> stop{false};
  RunnerOptions stopping;
  stopping.stop = &stop;
  const Registry registry = registry_with_test_backends();
  auto chosen = select_backends(registry, {"naive"});
  int seen = 0;
  stats = run_cases(cases, registry, *chosen, stopping, [&](const ResultRow&) {
    ++seen;
    stop = true;  // as SIGINT would, during the first row
  });
  EXPECT_EQ(seen, 1);
  EXPECT_TRUE(stats.stopped);
}

TEST(Runner, DirectionsOptionIntersectsEachCasesDirections) {
  RunnerOptions options;
  options.directions = {Direction::bwd_bias, Direction::bwd_data};
  const auto rows = run({make_case("a", small_problem(), {Direction::fwd, Direction::bwd_data})}, {"naive"}, options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].direction, Direction::bwd_data);
}

TEST(Runner, ReproOfARowReRunsItsProblemAndSeed) {
  RunnerOptions options;
  options.seed = 42;
  const auto rows = run({make_case("a", small_problem(), {Direction::fwd})}, {"naive"}, options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].repro.find("seed=42"), std::string::npos) << rows[0].repro;
  EXPECT_NE(rows[0].repro.find(to_repro(small_problem())), std::string::npos) << rows[0].repro;
  EXPECT_NE(rows[0].repro.find("--backend naive:default"), std::string::npos) << rows[0].repro;
}

TEST(BackendSelection, NamesVariantsAndUnknowns) {
  const Registry registry = registry_with_test_backends();
  auto all = select_backends(registry, {});
  ASSERT_TRUE(all.ok());
  std::size_t variants = 0;
  for (const auto& f : registry.all()) variants += f.variants().size();
  EXPECT_EQ(all->size(), variants);  // a bare name selects every variant
  auto some = select_backends(registry, {"naive:default", "mutant_crop", "naive"});
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->size(), 2u);  // duplicates dropped
  EXPECT_FALSE(select_backends(registry, {"nope"}).ok());
  EXPECT_FALSE(select_backends(registry, {"naive:fast"}).ok());
}

}  // namespace
}  // namespace tconv
