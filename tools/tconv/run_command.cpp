// tconv run SUITE.yaml: the sweep, into a run directory (results.csv streamed, results.json
// and report.html at the end), with live progress and a summary table.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "tools/tconv/commands.h"
#include "tools/tconv/evaluation_flags.h"
#include "tools/tconv/user_backend_options.h"
#include "tools/tconv/interrupt.h"
#include "tools/tconv/progress.h"
#include "conformance/results/ceilings.h"
#include "conformance/results/environment.h"
#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "conformance/results/summary.h"
#include "conformance/runner/filter.h"
#include "conformance/runner/memory_budget.h"
#include "conformance/runner/repro.h"
#include "conformance/runner/runner.h"
#include "conformance/runner/shard.h"
#include "conformance/suite.h"
#include "conformance/test_backends/test_backends.h"
#include "reports/report_writer.h"

namespace tconv::cli {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
  std::string suite;
  std::string backends, directions, out, filter, shard, max_memory;
  bool perf = false, flush_cache = false, list = false, resume = false, test_backends = false;
  EvaluationFlags evaluation;
  double min_time_s = 0.2;
  int repeats = 0, jobs = 1;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string command_line;
  std::vector<std::string> ceilings;
  UserBackends user;
};

int bad_input(const std::string& message) {
  std::cerr << "tconv run: " << message << "\n";
  return kExitBadInput;
}

std::string timestamp_for_path() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

void print_case_list(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::cout << c.name << "  " << to_repro(c.problem) << " dir=" << join_directions(c.directions) << " fill="
              << to_string(c.fill.kind) << " seed=" << c.fill.seed << "  (" << c.source << ")";
    if (!c.invalid_reason.empty()) std::cout << "  INVALID: " << c.invalid_reason;
    if (!c.unsupported_reason.empty()) std::cout << "  UNSUPPORTED: " << c.unsupported_reason;
    // Golden cases compare against a framework: show the rule its convention applied.
    if (c.golden.any() && !c.convention_rule.empty()) std::cout << "  rule: " << c.convention_rule;
    std::cout << "\n";
  }
  std::cout << cases.size() << " cases\n";
}

// The first failing row of each backend:variant x direction (at most `limit`), with its repro.
void print_notable_rows(const std::vector<ResultRow>& rows, std::size_t limit) {
  std::size_t failures = 0;
  for (const ResultRow& r : rows) failures += is_failure(r.status);
  if (failures == 0) return;
  std::cout << "\nfailures: " << failures << " rows; the first of each backend and direction:\n";
  std::set<std::string> shown;
  for (const ResultRow& r : rows) {
    if (!is_failure(r.status)) continue;
    if (!shown.insert(r.backend + ":" + r.variant + " " + std::string(to_string(r.direction))).second) continue;
    if (shown.size() > limit) {
      std::cout << "  ... (all in results.csv)\n";
      break;
    }
    std::cout << "  " << to_string(r.status) << " " << r.case_name << " " << r.backend << ":" << r.variant << " "
              << to_string(r.direction) << ": " << r.reason << "\n    " << r.repro << "\n";
  }
}

// Where a run's time goes: often the reference, not the backends.
void print_reference_time(const RunnerStats& stats, const CheckMode& check) {
  const std::string how = check.sampled() ? "oracle, --check " + check.flag() : check.fast ? "--reference fast" : "oracle";
  char seconds[64];
  std::snprintf(seconds, sizeof seconds, "%.2f s, %.2f s CPU", stats.reference_seconds, stats.reference_cpu_seconds);
  std::cout << "\nreferences made in " << seconds << " (" << how << ")\n";
}

// Only when a worker was restarted: each restart is a crash, a hang or garbage of that backend.
void print_worker_restarts(const RunnerStats& stats) {
  std::string text;
  for (const auto& [name, n] : stats.worker_restarts)
    if (n > 0) text += (text.empty() ? "" : ", ") + name + " " + std::to_string(n);
  if (!text.empty()) std::cout << "\nsupervised workers restarted after a crash or hang: " << text << "\n";
}

// Each selected backend's name and whether it runs on a device (one that cannot be created
// counts as host: its rows say why it did not run). It creates the backends, so a run asks it
// once, and only when --jobs or --ceilings needs the answer.
using BackendPlaces = std::vector<std::pair<std::string, bool>>;
BackendPlaces where_backends_run(const Registry& registry, const std::vector<BackendChoice>& backends) {
  BackendPool pool(registry);
  BackendPlaces where;
  for (const BackendChoice& b : backends) {
    const Result<Backend*> be = pool.get(b);
    where.emplace_back(b.name, be.ok() && (*be)->capabilities().on_device);
  }
  return where;
}

bool any_on_device(const BackendPlaces& where) {
  for (const auto& [name, on_device] : where)
    if (on_device) return true;
  return false;
}

// --ceilings: the measured ceilings, recorded with the run; the report holds each timed row
// against the one of its backend's device and data type.
void record_ceilings(const std::vector<MeasuredCeilings>& ceilings, const BackendPlaces& where,
                     nlohmann::ordered_json* environment) {
  if (ceilings.empty()) return;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const MeasuredCeilings& c : ceilings) list.push_back(to_json(c));
  (*environment)["ceilings"] = std::move(list);
  (*environment)["peak_gflops"] = peak_gflops_by_backend(ceilings, where);
  if (auto gbps = peak_gbps_by_backend(ceilings, where); !gbps.empty()) (*environment)["peak_gbps"] = std::move(gbps);
}

// Every setting of the run, decided once from the flags: the runner's options, which
// results.json then describes (run_info) instead of copying the flags a second time.
struct Plan {
  RunnerOptions options;
  std::optional<Shard> shard;
  CaseFilter filter;
  std::vector<MeasuredCeilings> ceilings;
};

Result<Plan> plan_run(const RunArgs& args) {
  using R = Result<Plan>;
  Plan plan;
  RunnerOptions& options = plan.options;
  if (!args.directions.empty()) {
    auto ds = parse_direction_list(args.directions);
    if (!ds) return R::failure("--directions: " + ds.error());
    options.directions = *ds;
  }
  if (!args.shard.empty()) {
    auto s = parse_shard(args.shard);
    if (!s) return R::failure(s.error());
    plan.shard = *s;
  }
  auto filter = CaseFilter::parse(args.filter);
  if (!filter) return R::failure(filter.error());
  plan.filter = std::move(filter.value());
  options.max_memory_bytes = default_memory_budget();
  if (!args.max_memory.empty()) {
    auto m = parse_memory_limit(args.max_memory, available_host_memory());
    if (!m) return R::failure(m.error());
    options.max_memory_bytes = *m;
  }
  if (args.jobs < 1) return R::failure("--jobs must be at least 1");
  if (std::string err = apply_evaluation_flags(args.evaluation, &options.eval); !err.empty()) return R::failure(err);
  if (args.min_time_s < 0 || args.repeats < 0) return R::failure("--min-time and --repeats must not be negative");
  if (args.seed_given) options.seed = args.seed;
  options.eval.perf.enabled = args.perf;
  options.eval.perf.min_time_s = args.min_time_s;
  options.eval.perf.repeats = args.repeats;
  options.eval.perf.flush_cache = args.flush_cache;
  options.suite_path = args.suite;
  options.repro_flags = args.test_backends ? "--test-backends" : "";
  if (std::string flags = evaluation_repro_flags(options.eval); !flags.empty())
    options.repro_flags += (options.repro_flags.empty() ? "" : " ") + flags;
  if (!args.user.empty()) options.repro_flags += (options.repro_flags.empty() ? "" : " ") + args.user.as_flags();
  options.eval.worker.extra_args = args.user.as_args();
  options.jobs = args.jobs;
  for (const std::string& path : args.ceilings) {
    auto c = read_ceilings(path);
    if (!c) return R::failure(c.error());
    plan.ceilings.push_back(std::move(c.value()));
  }
  if (!args.ceilings.empty() && !args.perf)
    std::cerr << "tconv run: --ceilings without --perf: recorded, but no row is timed to hold against them\n";
  return plan;
}

// One case at a time where parallel cases would disturb timings or share a device.
void limit_jobs(const BackendPlaces& where, RunnerOptions& options) {
  if (options.jobs > 1 && options.eval.perf.enabled) {
    std::cerr << "tconv run: --perf runs one case at a time (--jobs ignored): parallel cases would disturb the timings\n";
    options.jobs = 1;
  } else if (options.jobs > 1 && any_on_device(where)) {
    std::cerr << "tconv run: a selected backend runs on a device: one case at a time (--jobs ignored)\n";
    options.jobs = 1;
  }
  if (options.jobs > 1)
    options.eval.ctx.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / options.jobs);
}

// The run as results.json records it, read from the options the runner gets.
RunInfo run_info(const RunArgs& args, const Suite& suite, std::size_t selected, const std::vector<BackendChoice>& backends,
                 const Plan& plan) {
  const RunnerOptions& options = plan.options;
  RunInfo info;
  info.suite_name = suite.name;
  info.suite_path = options.suite_path;
  info.seed = options.seed.value_or(suite.seed);
  info.cases_in_suite = static_cast<std::int64_t>(suite.cases.size());
  info.cases_selected = static_cast<std::int64_t>(selected);
  info.command_line = args.command_line;
  info.start_time = utc_now_iso8601();
  info.shard = plan.shard ? plan.shard->to_string() : "";
  info.filter = args.filter;
  for (const auto& b : backends) info.backends.push_back(b.spec());
  for (Direction d : options.directions) info.directions.emplace_back(to_string(d));
  info.perf = options.eval.perf.enabled;
  info.isolation = to_string(options.eval.isolation);
  info.repeat_check = options.eval.repeat_check;
  info.timeout_s = options.eval.timeout_s;
  info.jobs = options.jobs;
  info.max_memory_bytes = options.max_memory_bytes;
  return info;
}

int run(const RunArgs& args) {
  // Everything about the input is checked before anything runs.
  auto plan = plan_run(args);
  if (!plan) return bad_input(plan.error());
  RunnerOptions& options = plan.value().options;

  auto suite = load_suite(args.suite);
  if (!suite) {
    std::cerr << suite.error() << "\n";
    return kExitBadInput;
  }
  Registry registry;
  UserBackends user = args.user;
  user.server_timeout_s = args.evaluation.timeout_s;  // --timeout also bounds a server's replies
  if (!make_registry(args.test_backends, user, "run", &registry)) return kExitBadInput;
  auto backends = select_backends(registry, split_list(args.backends));
  if (!backends) return bad_input(backends.error());

  std::vector<Case> cases;
  for (const Case& c : suite->cases)
    if (plan->filter.matches(c)) cases.push_back(c);
  if (plan->shard) cases = take_shard(cases, *plan->shard);
  if (args.list) {
    print_case_list(cases);
    return kExitOk;
  }
  const BackendPlaces where = options.jobs > 1 || !plan->ceilings.empty() ? where_backends_run(registry, *backends)
                                                                          : BackendPlaces{};
  limit_jobs(where, options);

  // The run directory.
  const std::string out = args.out.empty() ? "runs/" + suite->name + "-" + timestamp_for_path() : args.out;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return bad_input("--out " + out + ": " + ec.message());
  const std::string csv_path = out + "/results.csv", json_path = out + "/results.json";

  RunInfo info = run_info(args, *suite, cases.size(), *backends, *plan);

  std::vector<ResultRow> rows;  // every row of the run directory, resumed ones first
  if (args.resume && fs::exists(csv_path)) {
    auto previous = read_results_csv(csv_path);
    if (!previous) return bad_input("--resume: " + previous.error());
    if (auto js = read_results_json(json_path)) {
      const RunInfo& old = js->info;
      if (old.suite_name != info.suite_name || old.seed != info.seed)
        return bad_input("--resume: " + out + " holds a run of suite '" + old.suite_name + "' seed " +
                         std::to_string(old.seed) + ", not suite '" + info.suite_name + "' seed " +
                         std::to_string(info.seed));
      if (!old.start_time.empty()) info.start_time = old.start_time;
    }
    rows = std::move(previous.value().rows);
    for (const ResultRow& r : rows) options.done.insert(r.key());
    std::cerr << "tconv run: resuming " << out << ": " << rows.size() << " rows already done"
              << (previous->dropped_partial_tail ? " (dropped a partial last record)" : "") << "\n";
  } else if (fs::exists(csv_path)) {
    std::cerr << "tconv run: replacing the previous results in " << out << " (use --resume to continue them)\n";
  }

  nlohmann::ordered_json environment = collect_environment();
  record_ceilings(plan->ceilings, where, &environment);
  ResultsCsvWriter csv;
  if (std::string err = csv.start(csv_path, rows); !err.empty()) return bad_input(err);
  if (std::string err = write_results_json(json_path, info, environment, rows); !err.empty()) return bad_input(err);

  const std::atomic<bool>& stop = install_interrupt_handler();
  options.stop = &stop;
  const std::int64_t planned = planned_rows(cases, *backends, options) - static_cast<std::int64_t>(options.done.size());
  Progress progress(std::max<std::int64_t>(planned, 0), Progress::stderr_is_terminal());
  std::string write_error;
  const RunnerStats stats = run_cases(cases, registry, *backends, options, [&](const ResultRow& row) {
    if (std::string err = csv.append(row); !err.empty() && write_error.empty()) write_error = err;
    rows.push_back(row);
    progress.add(row);
  });
  csv.close();
  progress.finish();

  info.end_time = utc_now_iso8601();
  info.worker_starts = stats.worker_starts;
  info.worker_restarts = stats.worker_restarts;
  info.state = stats.stopped ? "interrupted" : "complete";
  if (std::string err = write_results_json(json_path, info, environment, rows); !err.empty())
    std::cerr << "tconv run: " << err << "\n";
  if (!write_error.empty()) std::cerr << "tconv run: results.csv: " << write_error << "\n";
  // The report is a view of results.json: a failure to write it does not change the exit status.
  const auto report = reports::write_report(reports::RunRecord{out, info, environment, rows, {}}, out + "/report.html");
  if (!report) std::cerr << "tconv run: report.html: " << report.error() << "\n";

  const Summary summary = summarize(rows);
  std::cout << "\n" << summary_table(summary);
  print_notable_rows(rows, 20);
  print_worker_restarts(stats);
  print_reference_time(stats, options.eval.check);
  std::cout << "\nrun directory: " << out << "/  (results.csv, results.json" << (report ? ", report.html" : "") << ")\n";
  if (stats.stopped) {
    std::cout << "interrupted: continue with the same command and --resume\n";
    return kExitInterrupted;
  }
  return summary.failures() > 0 ? kExitFailures : kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& app, const std::string& command_line) {
  auto args = std::make_shared<RunArgs>();
  args->command_line = command_line;
  CLI::App* sub = app.add_subcommand("run", "Run a YAML suite over the backends and write a run directory");
  sub->add_option("SUITE", args->suite, "the suite (YAML), e.g. cases/smoke.yaml")->required();
  sub->add_option("--backends", args->backends,
                  "comma-separated NAME (every variant) or NAME:VARIANT; default: every backend of this build");
  sub->add_option("--directions", args->directions,
                  "comma-separated subset of fwd,bwd_data,bwd_weights,bwd_bias (default: each case's own)");
  sub->add_option("--out", args->out, "run directory (default runs/SUITE-YYYYmmdd-HHMMSS)");
  sub->add_flag("--perf", args->perf, "time each call: warm-up, then repeat; median/min/max, GFLOP/s, GB/s");
  sub->add_option("--min-time", args->min_time_s, "perf: repeat until this many seconds (default 0.2)");
  sub->add_option("--repeats", args->repeats, "perf: exactly this many timed repeats (overrides --min-time)");
  sub->add_flag("--flush-cache", args->flush_cache, "perf: evict the CPU caches between repeats");
  sub->add_option("--ceilings", args->ceilings,
                  "perf: measured ceilings (tools/gpu/peak.py, tconv_cpu_ceilings); the report gives each timed "
                  "row's fraction of the GEMM ceiling of its device and data type (repeatable)")
      ->allow_extra_args(false);  // one FILE per --ceilings: the suite after it stays the suite
  sub->add_option("--filter", args->filter, std::string(filter_help()));
  sub->add_flag("--list", args->list, "print the selected cases and exit without running");
  sub->add_option("--shard", args->shard,
                  "K/N: run only cases i with i mod N == K (K from 0); combine with `tconv merge`");
  add_evaluation_flags(sub, &args->evaluation);
  sub->add_option("--seed", args->seed, "fill seed for every case (default: the suite's)")
      ->each([args](const std::string&) { args->seed_given = true; });
  sub->add_option("--jobs", args->jobs, "cases in parallel (CPU backends, not with --perf; default 1)");
  sub->add_flag("--resume", args->resume, "skip the rows already in OUT/results.csv");
  sub->add_option("--max-memory", args->max_memory,
                  "host memory budget: bytes (8G, 512MiB) or a fraction of available memory (default 0.5)");
  sub->add_flag("--test-backends", args->test_backends, "include the test-only backends")->group("");
  add_user_backend_options(sub, &args->user);
  sub->footer("Exit status: 0 all rows acceptable, 1 some row INCORRECT, FAILED, TIMEOUT or CRASHED, "
              "2 bad input, 130 interrupted (finish with --resume).");
  return [args] { return run(*args); };
}

}  // namespace tconv::cli
