// End-to-end tests of the tconv executable: exit statuses, the run directory surviving a
// SIGKILL and a Ctrl-C, --resume, shards and merge.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

const std::string kTconv = TCONV_EXE;
const std::string kTiny = std::string(TCONV_SOURCE_DIR) + "/conformance/testing/fixtures/tiny.yaml";
const std::string kTinyOther = std::string(TCONV_SOURCE_DIR) + "/conformance/testing/fixtures/tiny_other.yaml";

struct Ran {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs tconv with `args` (a shell fragment) and captures its exit status and output.
Ran tconv(const std::string& args, const std::string& scratch) {
  const std::string out = scratch + "/stdout.txt", err = scratch + "/stderr.txt";
  const int rc = std::system((kTconv + " " + args + " >" + out + " 2>" + err).c_str());
  Ran r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// Starts tconv in the background with argv, output to files in scratch.
pid_t start_tconv(const std::vector<std::string>& args, const std::string& scratch) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open((scratch + "/bg_stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> argv{const_cast<char*>(kTconv.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kTconv.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::size_t csv_rows(const std::string& path) {
  auto csv = read_results_csv(path);
  return csv.ok() ? csv->rows.size() : 0;
}

// Waits until results.csv holds at least n rows (the run is then mid-way).
bool wait_for_rows(const std::string& path, std::size_t n) {
  for (int i = 0; i < 600; ++i) {
    if (std::filesystem::exists(path) && csv_rows(path) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::set<RowKey> keys_of(const std::string& csv_path) {
  std::set<RowKey> keys;
  auto csv = read_results_csv(csv_path);
  EXPECT_TRUE(csv.ok()) << csv.error();
  if (!csv.ok()) return keys;
  for (const auto& r : csv->rows) EXPECT_TRUE(keys.insert(r.key()).second) << "duplicate row " << r.case_name;
  return keys;
}

int exit_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// tiny.yaml: 17 cases (one invalid); with fwd and bwd_bias: 34 rows per backend.
constexpr std::size_t kTinyRows = 34;
const std::vector<std::string> kSlowRun = {"run", kTiny, "--test-backends", "--backends", "test_slow",
                                           "--directions", "fwd,bwd_bias"};

TEST(Cli, CsvSurvivesSigkillAndResumeCompletesIt) {
  const std::string dir = test::fresh_dir("cli_kill");
  const std::string run_dir = dir + "/run", csv = run_dir + "/results.csv";
  auto args = kSlowRun;
  args.insert(args.end(), {"--out", run_dir});
  const pid_t pid = start_tconv(args, dir);
  ASSERT_TRUE(wait_for_rows(csv, 4));
  ::kill(pid, SIGKILL);
  EXPECT_EQ(exit_status(pid), 128 + SIGKILL);

  auto partial = read_results_csv(csv);
  ASSERT_TRUE(partial.ok()) << partial.error();
  EXPECT_FALSE(partial->dropped_partial_tail);  // each row is one write(2)
  EXPECT_GE(partial->rows.size(), 4u);
  EXPECT_LT(partial->rows.size(), kTinyRows);

  const Ran resumed = tconv("run " + kTiny + " --test-backends --backends test_slow --directions fwd,bwd_bias --out " +
                                run_dir + " --resume",
                            dir);
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  EXPECT_EQ(keys_of(csv).size(), kTinyRows);
  auto js = read_results_json(run_dir + "/results.json");
  ASSERT_TRUE(js.ok()) << js.error();
  EXPECT_EQ(js->info.state, "complete");
}

TEST(Cli, InterruptStopsAfterTheCurrentRowWithValidResults) {
  const std::string dir = test::fresh_dir("cli_sigint");
  const std::string run_dir = dir + "/run";
  auto args = kSlowRun;
  args.insert(args.end(), {"--out", run_dir});
  const pid_t pid = start_tconv(args, dir);
  ASSERT_TRUE(wait_for_rows(run_dir + "/results.csv", 2));
  ::kill(pid, SIGINT);
  EXPECT_EQ(exit_status(pid), 130);
  const std::size_t rows = csv_rows(run_dir + "/results.csv");
  EXPECT_LT(rows, kTinyRows);
  const auto j = nlohmann::json::parse(slurp(run_dir + "/results.json"));
  EXPECT_EQ(j["run"]["state"], "interrupted");
  EXPECT_EQ(j["rows"].size(), rows);
}

TEST(Cli, ShardsPartitionTheRunAndMergeBackIntoTheWhole) {
  const std::string dir = test::fresh_dir("cli_shards");
  const std::string common = " --backends naive --directions fwd,bwd_data ";
  ASSERT_EQ(tconv("run " + kTiny + common + "--out " + dir + "/whole", dir).status, 0);
  std::vector<std::string> shard_dirs;
  std::set<RowKey> united;
  std::size_t total = 0;
  for (int k = 0; k < 3; ++k) {
    const std::string d = dir + "/shard" + std::to_string(k);
    const Ran r = tconv("run " + kTiny + common + "--shard " + std::to_string(k) + "/3 --out " + d, dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto keys = keys_of(d + "/results.csv");
    total += keys.size();
    united.insert(keys.begin(), keys.end());
    shard_dirs.push_back(d);
  }
  const auto whole = keys_of(dir + "/whole/results.csv");
  EXPECT_EQ(united, whole);
  EXPECT_EQ(total, whole.size());  // disjoint

  const Ran merged = tconv("merge " + dir + "/merged " + shard_dirs[0] + " " + shard_dirs[1] + " " + shard_dirs[2], dir);
  ASSERT_EQ(merged.status, 0) << merged.err;
  EXPECT_EQ(keys_of(dir + "/merged/results.csv"), whole);

  ASSERT_EQ(tconv("run " + kTinyOther + common + "--shard 1/3 --out " + dir + "/other", dir).status, 0);
  const Ran refused = tconv("merge " + dir + "/bad " + shard_dirs[0] + " " + dir + "/other", dir);
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("suite 'tiny_other' differs from 'tiny'"), std::string::npos) << refused.err;
}

TEST(Cli, MutantsMakeTheRunFailWithExitStatusOne) {
  const std::string dir = test::fresh_dir("cli_mutant");
  const Ran r = tconv("run " + kTiny + " --test-backends --backends naive,mutant_group --out " + dir + "/run", dir);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("INCORRECT"), std::string::npos);
  EXPECT_NE(r.out.find("run directory: " + dir + "/run/"), std::string::npos) << r.out;
}

// The main job's default mode: a backend that segfaults, one that raises SIGFPE (as cuDNN
// did) and one that hangs each cost their own rows; every other row is there, the workers
// were restarted (and said so), exit status 1.
TEST(Cli, ByDefaultACrashingBackendCostsItsRowsNotTheRun) {
  const std::string dir = test::fresh_dir("cli_crash_default");
  const Ran r = tconv("run " + kTiny + " --filter 'stride_h=2' --directions fwd --test-backends"
                      " --backends naive,test_crash,test_fpe,test_hang,mutant_group --timeout 1 --out " + dir + "/run",
                      dir);
  EXPECT_EQ(r.status, 1) << r.err;
  auto csv = read_results_csv(dir + "/run/results.csv");
  ASSERT_TRUE(csv.ok()) << csv.error();
  std::map<std::string, std::map<Outcome, int>> seen;
  for (const ResultRow& row : csv->rows) ++seen[row.backend][row.status];
  // 8 cases with stride 2, fwd, per backend.
  EXPECT_EQ(csv->rows.size(), 5u * 8u);
  EXPECT_EQ(seen["naive"][Outcome::PASSED], 8);
  EXPECT_EQ(seen["test_crash"][Outcome::CRASHED], 8);
  EXPECT_EQ(seen["test_fpe"][Outcome::CRASHED], 8);
  EXPECT_EQ(seen["test_hang"][Outcome::TIMEOUT], 8);
  EXPECT_GT(seen["mutant_group"][Outcome::INCORRECT], 0);
  EXPECT_NE(r.out.find("supervised workers restarted after a crash or hang: test_crash 7, test_fpe 7, test_hang 7"),
            std::string::npos) << r.out;
  auto js = read_results_json(dir + "/run/results.json");
  ASSERT_TRUE(js.ok()) << js.error();
  EXPECT_EQ(js->info.isolation, "device");
  EXPECT_EQ(js->info.worker_restarts.at("test_fpe"), 7);
}

TEST(Cli, IsolateTakesAModeAndRepeatCheckCatchesAFalseClaim) {
  const std::string dir = test::fresh_dir("cli_isolate_modes");
  const std::string problem = "'n=1 ci=4 co=4 g=2 in=4x5 k=3x3 s=2x2 d=1x1 crop=1,0,0,1 dir=fwd,bwd_weights'";
  Ran r = tconv("repro " + problem + " --backend test_crash --test-backends --isolate=none", dir);
  EXPECT_NE(r.status, 1);  // in-process: the crash takes the repro down
  r = tconv("repro " + problem + " --backend test_crash --test-backends", dir);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("CRASHED"), std::string::npos) << r.out;
  r = tconv("repro " + problem + " --backend naive --isolate --repeat-check", dir);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("two runs bitwise identical"), std::string::npos) << r.out;
  r = tconv("repro " + problem + " --backend test_nondeterministic --test-backends --repeat-check", dir);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("not deterministic"), std::string::npos) << r.out;
  r = tconv("run " + kTiny + " --isolate=sometimes --out " + dir + "/bad", dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("none, device, all"), std::string::npos) << r.err;
}

TEST(Cli, GoldenMismatchNamesTheFrameworkTheCaseAndTheConventionRule) {
  const std::string dir = test::fresh_dir("cli_golden_rule");
  const std::string keras = std::string(TCONV_SOURCE_DIR) + "/cases/golden/keras.yaml";
  const std::string select = " --filter 'name=keras_same_k3_s2' --test-backends --backends mutant_crop --directions fwd";
  // Keras same, in 4, k 3, s 2: crops (0, 1); mutant_crop shifts the window a row up.
  const std::string rule =
      "keras padding='same', output_padding=None: H and W: out in*s = 8, total crop (in-1)*s + k_eff - out = 9 - 8 = 1, "
      "begin = max(total, 0)//2 = 0, end = total - begin = 1 (larger half at the end)";
  const Ran r = tconv("run " + keras + select + " --out " + dir + "/run", dir);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("INCORRECT keras_same_k3_s2 mutant_crop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vs keras golden "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("keras_same_k3_s2/y.npy: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; convention rule: " + rule), std::string::npos) << r.out;
  const Ran list = tconv("run " + keras + select + " --list", dir);
  EXPECT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("  rule: " + rule), std::string::npos) << list.out;
}

TEST(Cli, BadInputExitsTwoBeforeRunningAnything) {
  const std::string dir = test::fresh_dir("cli_bad");
  std::ofstream(dir + "/broken.yaml") << "suite: broken\nsweeps:\n  - name: x\n    strid: [1, 2]\n";
  struct Bad {
    std::string args, why;
  };
  const std::vector<Bad> cases = {
      {"run " + dir + "/broken.yaml --out " + dir + "/never", "broken.yaml"},
      {"run " + dir + "/missing.yaml --out " + dir + "/never", "missing.yaml"},
      {"run " + kTiny + " --backends nope --out " + dir + "/never", "unknown backend 'nope'"},
      {"run " + kTiny + " --directions sideways --out " + dir + "/never", "sideways"},
      {"run " + kTiny + " --shard 3/3 --out " + dir + "/never", "--shard"},
      {"run " + kTiny + " --filter 'strid=1' --out " + dir + "/never", "unknown filter key"},
      {"run " + kTiny + " --max-memory lots --out " + dir + "/never", "--max-memory"},
      {"run " + kTiny + " --no-such-flag", "no-such-flag"},
      {"repro 'n=abc'", "expected an integer"},
      {"repro 'n=1 ci=3 g=2'", "invalid problem"},
      {"repro 'n=1' --backend nope", "unknown backend"},
      {"merge " + dir + "/m " + dir + "/not_a_run", "results.json"},
      {"run --ceilings " + dir + "/broken_ceilings.txt " + kTiny + " --out " + dir + "/never",
       "broken_ceilings.txt:2: key 'gemm_f32': 'fast' is not a number"},
      {"run " + kTiny + " --ceilings " + dir + "/no_ceilings.txt --out " + dir + "/never", "no_ceilings.txt"},
  };
  std::ofstream(dir + "/broken_ceilings.txt") << "device cpu -\ngemm_f32 fast GFLOP/s\n";
  for (const Bad& b : cases) {
    const Ran r = tconv(b.args, dir);
    EXPECT_EQ(r.status, 2) << b.args << "\n" << r.err;
    EXPECT_NE(r.err.find(b.why), std::string::npos) << b.args << "\n" << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/never"));
}

TEST(Cli, CeilingsAreRecordedForTheBackendsOfTheirDevice) {
  const std::string dir = test::fresh_dir("cli_ceilings");
  std::ofstream(dir + "/cpu.txt") << "# measured\ndevice cpu -\ngemm_f32 200.5 GFLOP/s\ncopy_bandwidth 30 GB/s\n";
  std::ofstream(dir + "/gpu.txt") << "device Some_GPU -\ngemm_f32 50 TFLOP/s\ngemm_bf16 700 TFLOP/s\n";
  // --ceilings before the suite: each takes one file, the suite stays the suite.
  const Ran r = tconv("run --ceilings " + dir + "/cpu.txt --ceilings " + dir + "/gpu.txt " + kTiny +
                          " --perf --repeats 1 --backends naive --directions fwd --out " + dir + "/run",
                      dir);
  ASSERT_EQ(r.status, 0) << r.err;
  auto js = read_results_json(dir + "/run/results.json");
  ASSERT_TRUE(js.ok()) << js.error();
  const auto& env = js->environment;
  ASSERT_EQ(env["ceilings"].size(), 2u);
  EXPECT_EQ(env["ceilings"][0]["device"], "cpu");
  EXPECT_DOUBLE_EQ(env["ceilings"][1]["gemm_gflops"]["bf16"].get<double>(), 700000.0);
  // naive runs on the host: the CPU file's ceilings, not the GPU's.
  EXPECT_DOUBLE_EQ(env["peak_gflops"]["naive"]["f32"].get<double>(), 200.5);
  EXPECT_FALSE(env["peak_gflops"]["naive"].contains("bf16"));
  EXPECT_NE(slurp(dir + "/run/report.html").find("peak_fraction"), std::string::npos);
}

TEST(Cli, ReproRunsDumpsAndReportsMutants) {
  const std::string dir = test::fresh_dir("cli_repro");
  const std::string problem = "n=2 ci=4 co=6 g=2 in=5x4 k=3x2 s=2x1 d=1x2 crop=1,0,0,1 fill=integer seed=3";
  const Ran ok = tconv("repro '" + problem + "' --backend naive --dump " + dir + "/dump", dir);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("re-run: tconv repro"), std::string::npos) << ok.out;
  for (const char* f : {"x", "w", "b", "dy", "y", "dx", "dw", "db", "y_ref", "dx_ref", "dw_ref", "db_ref"})
    EXPECT_TRUE(std::filesystem::exists(dir + "/dump/" + f + ".npy")) << f;
  const Ran bad = tconv("repro '" + problem + "' --backend mutant_crop --test-backends --directions fwd", dir);
  EXPECT_EQ(bad.status, 1) << bad.err;
  EXPECT_NE(bad.out.find("INCORRECT"), std::string::npos) << bad.out;
  const Ran crash = tconv("repro '" + problem + "' --backend test_crash --test-backends --isolate --directions fwd", dir);
  EXPECT_EQ(crash.status, 1) << crash.err;
  EXPECT_NE(crash.out.find("CRASHED"), std::string::npos) << crash.out;
}

TEST(Cli, ListPrintsTheSelectedCasesWithoutRunning) {
  const std::string dir = test::fresh_dir("cli_list");
  const Ran r = tconv("run " + kTiny + " --list --filter 'groups=2 && stride_h=2' --out " + dir + "/never", dir);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("4 cases"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/never"));
}

}  // namespace
}  // namespace tconv
