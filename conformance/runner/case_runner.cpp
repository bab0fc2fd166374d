#include "conformance/runner/case_runner.h"

#include <chrono>
#include <ctime>

#include <cstdio>
#include <map>

#include "backends/api/npy.h"
#include "conformance/runner/memory_budget.h"
#include "conformance/runner/repro.h"

namespace tconv {

namespace {

bool is_golden(const Case& c) { return c.fill.kind == FillKind::golden || c.golden.any(); }

std::string one_line(std::string s) {
  for (char& ch : s)
    if (ch == '\n' || ch == '\r') ch = ' ';
  return s;
}

std::string mib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buf;
}

std::string shell_single_quoted(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

const std::string& expected_path(const GoldenFiles& g, Direction d) {
  switch (d) {
    case Direction::fwd: return g.y;
    case Direction::bwd_data: return g.dx;
    case Direction::bwd_weights: return g.dw;
    case Direction::bwd_bias: return g.db;
  }
  return g.y;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The lazily made data of one case, shared by all its rows.
class CaseData {
 public:
  CaseData(const Case& c, FillSpec fill, CheckMode check, ReferenceTime* reference_time)
      : c_(c), p_(c.problem), fill_(fill), check_(check), reference_time_(reference_time) {}

  // The inputs, or why not (a golden file that does not load).
  Result<const InputSet*> inputs() {
    if (!tried_inputs_) {
      tried_inputs_ = true;
      load_inputs();
    }
    if (!inputs_) return Status::Invalid(input_error_);
    return &*inputs_;
  }

  const Reference& reference(Direction d) {
    auto it = refs_.find(d);
    if (it == refs_.end()) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = process_cpu_seconds();
      it = refs_.emplace(d, checked_reference(p_, d, inputs_->operands(), check_, fill_.seed)).first;
      if (reference_time_ != nullptr) {
        reference_time_->wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        reference_time_->cpu += process_cpu_seconds() - cpu_start;
      }
    }
    return it->second;
  }

  // The golden expected output of d: none when the case has none, else loaded once.
  Result<Expected> expected(Direction d) {
    const std::string& path = expected_path(c_.golden, d);
    if (path.empty()) return Expected{};
    auto it = expected_.find(d);
    if (it == expected_.end()) {
      HostTensor shape = make_output(p_, d);
      auto t = load_npy_tensor(path, p_.dtype, shape.layout(), shape.dims(), p_.groups);
      if (!t) return Status::Invalid("golden expected output: " + t.error());
      it = expected_.emplace(d, std::move(t).value()).first;
    }
    const auto convention = c_.origin.find("convention");
    return Expected{&it->second, path, convention == c_.origin.end() ? "" : convention->second, c_.convention_rule};
  }

 private:
  void load_inputs() {
    FillSpec generated = fill_;
    if (generated.kind == FillKind::golden) generated.kind = FillKind::uniform;  // operands without files
    InputSet in = make_inputs(p_, generated);
    auto load = [&](const std::string& path, HostTensor& dst, Layout layout, const Dims& dims) {
      if (path.empty() || !input_error_.empty()) return;
      auto t = load_npy_tensor(path, &dst == &in.b ? bias_dtype(p_) : p_.dtype, layout, dims, p_.groups);
      if (!t) input_error_ = "golden input: " + t.error();
      else dst = std::move(t).value();
    };
    load(c_.golden.x, in.x, p_.layout, p_.x_dims());
    load(c_.golden.weight, in.w, p_.weight_layout, p_.w_dims());
    if (p_.bias) load(c_.golden.bias, in.b, Layout::X, p_.b_dims());
    // A golden case with a bias but no bias tensor (Keras's zero-initialized bias, an ONNX
    // node without B): zeros, not generated values the framework never added.
    if (p_.bias && c_.golden.any() && c_.golden.bias.empty())
      for (std::int64_t i = 0; i < in.b.numel(); ++i) in.b.set(i, 0);
    load(c_.golden.dy, in.dy, p_.layout, p_.y_dims());
    if (input_error_.empty()) inputs_ = std::move(in);
  }

  const Case& c_;
  const Problem& p_;
  FillSpec fill_;
  CheckMode check_;
  ReferenceTime* reference_time_;
  bool tried_inputs_ = false;
  std::optional<InputSet> inputs_;
  std::string input_error_;
  std::map<Direction, Reference> refs_;
  std::map<Direction, HostTensor> expected_;
};

// Device memory a device backend needs for the call (0 for host backends or without a GPU).
double device_memory_need(const Backend& backend, const Problem& p, Direction d, const RunnerOptions& options) {
  if (device_memory_bytes() == 0 || !backend.capabilities().on_device) return 0;
  const MemoryNeed m = estimate_memory(p, d);
  return m.inputs + m.output + static_cast<double>(options.eval.ctx.workspace_limit);
}

// The checks of every supervised variant and direction of the case, one round trip per
// backend name instead of one per row (a sweep over cuDNN's 27 variants asks 27 x 4 at once).
using PrefetchedChecks = std::map<std::pair<std::string, Direction>, SupervisedCheck>;

PrefetchedChecks prefetch_checks(const Case& c, const std::vector<BackendChoice>& backends,
                                 const std::vector<Direction>& directions, BackendPool& pool, WorkerPool& workers,
                                 const RunnerOptions& options) {
  std::map<std::string, std::vector<CheckItem>> asks;  // by backend name
  for (const BackendChoice& b : backends) {
    const Result<Backend*> made = pool.get(b);
    if (!made.ok()) continue;
    Backend* backend = *made;
    const Capabilities caps = backend->capabilities();
    if (!runs_supervised(options.eval.isolation, caps) || !checks_in_worker(caps)) continue;
    for (Direction d : directions)
      if (!options.done.count(RowKey{c.name, b.name, b.variant, d})) asks[b.name].push_back(CheckItem{b.spec(), d});
  }
  PrefetchedChecks out;
  for (const auto& [name, items] : asks) {
    std::vector<SupervisedCheck> answers = workers.check(name, c.problem, items);
    for (std::size_t i = 0; i < items.size(); ++i)
      out.emplace(std::make_pair(items[i].spec, items[i].direction), std::move(answers[i]));
  }
  return out;
}

const SupervisedCheck* find_prefetched(const PrefetchedChecks& checks, const std::string& spec, Direction d) {
  const auto it = checks.find({spec, d});
  return it == checks.end() ? nullptr : &it->second;
}

void record_evaluation(const Evaluation& e, const Problem& p, Direction d, ResultRow& row) {
  row.status = e.outcome;
  row.reason = one_line(e.reason);
  row.math = e.math;
  row.reference = e.reference;
  row.algorithm = e.details.algorithm;  // empty unless the call succeeded
  row.workspace_bytes = e.details.workspace_bytes;
  row.deterministic = e.details.deterministic;
  if (e.repeat) row.repeat_max_diff = e.repeat->max_abs_diff;
  if (e.comparison) {
    const Comparison& c = *e.comparison;
    row.max_abs_err = c.max_abs_err;
    row.max_rel_err = c.max_rel_err;
    row.err_bound_ratio = c.err_bound_ratio;
    row.max_ulp = c.max_ulp;
    row.mismatches = c.mismatches;
    row.elements = c.elements;
    row.zero_fraction = c.zero_fraction;
    row.first_mismatches = compact_mismatches(c);
  }
  if (e.timing) {
    const Timing& t = *e.timing;
    row.time_ms = t.median_ms;
    row.time_min_ms = t.min_ms;
    row.time_max_ms = t.max_ms;
    row.repeats = t.repeats;
    row.timer = t.device_time ? "device" : "wall";
    row.staging_ms = t.staging_ms;
    if (t.median_ms > 0) {
      row.gflops = flops(p, d) / (t.median_ms * 1e6);
      row.gbps = bytes_moved(p, d) / (t.median_ms * 1e6);
    }
  }
}

}  // namespace

std::string row_repro(const Case& c, const FillSpec& fill, const BackendChoice& b, Direction d,
                      const RunnerOptions& options) {
  std::string cmd;
  if (is_golden(c)) {
    // source is "file.yaml:LINE": without a suite path, its file part names the suite.
    const std::string suite = options.suite_path.empty() ? c.source.substr(0, c.source.rfind(':')) : options.suite_path;
    cmd = "tconv run " + shell_single_quoted(suite) +
          " --filter " + shell_single_quoted("name=" + c.name) + " --backends " + b.spec() + " --directions " +
          std::string(to_string(d));
    if (!options.repro_flags.empty()) cmd += " " + options.repro_flags;
    return cmd;
  }
  return repro_command(Repro{c.problem, {d}, fill}, b.spec(), options.repro_flags);
}

bool run_case(const Case& c, const std::vector<BackendChoice>& backends, BackendPool& pool, WorkerPool& workers,
              const RunnerOptions& options, const std::function<void(ResultRow)>& emit, ReferenceTime* reference_time) {
  FillSpec fill = c.fill;
  if (options.seed) fill.seed = *options.seed;
  const Problem& p = c.problem;
  const std::vector<Direction> directions = case_directions(c, options);
  // A case tconv's operator does not cover (a 3-D node) only says so: nothing is loaded or run.
  const bool runnable = c.invalid_reason.empty() && c.unsupported_reason.empty();
  const Status validity = runnable ? validate(p) : Status::Ok();
  CaseData data(c, fill, options.eval.check, reference_time);
  const PrefetchedChecks prefetched = runnable && validity.ok()
                                          ? prefetch_checks(c, backends, directions, pool, workers, options)
                                          : PrefetchedChecks{};

  for (const BackendChoice& b : backends) {
    for (Direction d : directions) {
      if (options.done.count(RowKey{c.name, b.name, b.variant, d})) continue;
      if (options.stop && options.stop->load()) return false;

      ResultRow row;
      row.case_name = c.name;
      row.source = c.source;
      row.backend = b.name;
      row.variant = b.variant;
      row.direction = d;
      row.problem = p;
      try {
        row.repro = row_repro(c, fill, b, d, options);
        Result<Backend*> made = Status::Error(StatusCode::error, "not created");
        Backend* backend = nullptr;
        CheckOutcome check;
        if (!c.unsupported_reason.empty()) {
          row.status = Outcome::UNSUPPORTED;
          row.reason = one_line(c.unsupported_reason);
        } else if (!c.invalid_reason.empty() || !validity.ok()) {
          row.status = Outcome::INVALID;
          row.reason = one_line(c.invalid_reason.empty() ? validity.message : c.invalid_reason);
        } else if (!(made = pool.get(b)).ok()) {
          row.status = Outcome::FAILED;
          row.reason = one_line(made.error());
        } else if (const bool supervised = runs_supervised(options.eval.isolation, (backend = *made)->capabilities());
                   !(check = check_backend(
                         *backend, b.spec(), p, d,
                         supervised && checks_in_worker(backend->capabilities()) ? &workers : nullptr,
                         find_prefetched(prefetched, b.spec(), d)))
                        .runs()) {
          // UNSUPPORTED, or check() itself crashed, hung or failed.
          row.status = check.outcome;
          row.reason = one_line(check.reason);
        } else {
          const bool golden_expected = !expected_path(c.golden, d).empty();
          const double need = estimate_memory(p, d).total(golden_expected, supervised);
          Result<const InputSet*> in = nullptr;
          Result<Expected> expected = Expected{};
          const double device_need = device_memory_need(*backend, p, d, options);
          if (options.max_memory_bytes > 0 && need > static_cast<double>(options.max_memory_bytes)) {
            row.status = Outcome::SKIPPED;
            row.reason = "needs about " + mib(need) + " of host memory, over the budget of " +
                         mib(static_cast<double>(options.max_memory_bytes)) + " (--max-memory)";
          } else if (device_need > 0.9 * static_cast<double>(device_memory_bytes())) {
            row.status = Outcome::SKIPPED;
            row.reason = "needs about " + mib(device_need) + " of device memory, over 90% of the GPU's " +
                         mib(static_cast<double>(device_memory_bytes()));
          } else if (!(in = data.inputs()).ok()) {
            row.status = Outcome::INVALID;
            row.reason = one_line(in.error());
          } else if (!(expected = data.expected(d)).ok()) {
            row.status = Outcome::INVALID;
            row.reason = one_line(expected.error());
          } else {
            const Evaluation e = evaluate(*backend, b.spec(), p, d, **in,
                                          [&]() -> const Reference& { return data.reference(d); }, *expected,
                                          options.eval, supervised ? &workers : nullptr);
            record_evaluation(e, p, d, row);
          }
        }
      } catch (const std::bad_alloc&) {
        row.status = Outcome::FAILED;
        row.reason = "out of memory (std::bad_alloc) while running this row";
      } catch (const std::exception& e) {
        row.status = Outcome::FAILED;
        row.reason = one_line(std::string("exception: ") + e.what());
      } catch (...) {
        row.status = Outcome::FAILED;
        row.reason = "exception of unknown type";
      }
      emit(std::move(row));
    }
  }
  return true;
}

}  // namespace tconv
