// tconv repro "<repro string>" --backend NAME[:VARIANT]: one problem, every direction it
// names, checked against the oracle; --dump writes the operands and outputs as .npy.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/api/npy.h"
#include "tools/tconv/commands.h"
#include "tools/tconv/evaluation_flags.h"
#include "tools/tconv/user_backend_options.h"
#include "conformance/results/row.h"
#include "conformance/runner/evaluate.h"
#include "conformance/runner/repro.h"
#include "conformance/test_backends/test_backends.h"

namespace tconv::cli {

namespace {

struct ReproArgs {
  std::string repro;
  std::string backend = "naive";
  std::string dump;
  std::string directions;
  EvaluationFlags evaluation;
  bool test_backends = false;
  bool why = false;
  UserBackends user;
};

// --why: the backend's own account of how it would run each direction (kernel choice).
void print_why(const Backend& backend, const Problem& p, const std::vector<Direction>& directions) {
  for (Direction d : directions) {
    const std::string text = backend.explain_choice(p, d);
    std::cout << "why " << to_string(d) << ":" << (text.empty() ? " (the backend has no choice to explain)\n" : "\n");
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      std::cout << "  " << text.substr(start, end == std::string::npos ? std::string::npos : end - start) << "\n";
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
}

// The oracle's values (f64) in the output's layout, for y_ref.npy etc.; NaN where a sampled
// reference has no value.
HostTensor reference_tensor(const Problem& p, Direction d, const Reference& ref) {
  const HostTensor shape = make_output(p, d);
  HostTensor t(DType::f64, shape.layout(), shape.dims(), p.groups);
  if (ref.is_sampled()) t.poison();
  std::size_t e = 0, k = 0;
  std::int64_t flat = 0;
  for_each_index(ref.dims, [&](const Dims& i) {
    if (!ref.is_sampled()) t.put(i, ref.value[e++]);
    else if (k < ref.sampled.size() && ref.sampled[k] == flat) t.put(i, ref.value[k++]);
    ++flat;
  });
  return t;
}

std::string fmt(const std::optional<double>& v) { return v ? format_real(*v) : "-"; }

int repro(const ReproArgs& args) {
  auto parsed = parse_repro(args.repro);
  if (!parsed) {
    std::cerr << "tconv repro: " << parsed.error() << "\n";
    return kExitBadInput;
  }
  Repro r = *parsed;
  if (!args.directions.empty()) {
    auto ds = parse_direction_list(args.directions);
    if (!ds) {
      std::cerr << "tconv repro: --directions: " << ds.error() << "\n";
      return kExitBadInput;
    }
    r.directions = *ds;
  }
  const Problem& p = r.problem;
  if (const Status v = validate(p); !v.ok()) {
    std::cerr << "tconv repro: invalid problem: " << v.message << "\n";
    return kExitBadInput;
  }
  Registry registry;
  UserBackends user = args.user;
  user.server_timeout_s = args.evaluation.timeout_s;  // --timeout also bounds a server's replies
  if (!make_registry(args.test_backends, user, "repro", &registry)) return kExitBadInput;
  Result<std::unique_ptr<Backend>> made = registry.create(args.backend);
  if (!made.ok()) {
    std::cerr << "tconv repro: " << made.error() << "\n";
    return kExitBadInput;
  }
  std::unique_ptr<Backend> backend = std::move(made).value();
  const std::string spec = backend->name() + ":" + backend->variant();

  namespace fs = std::filesystem;
  auto dump = [&](const std::string& name, const HostTensor& t) {
    if (args.dump.empty()) return true;
    const Status s = write_npy((fs::path(args.dump) / (name + ".npy")).string(), t);
    if (!s.ok()) std::cerr << "tconv repro: --dump: " << s.message << "\n";
    return s.ok();
  };
  if (!args.dump.empty()) {
    std::error_code ec;
    fs::create_directories(args.dump, ec);
    if (ec) {
      std::cerr << "tconv repro: --dump " << args.dump << ": " << ec.message() << "\n";
      return kExitBadInput;
    }
  }

  const InputSet in = make_inputs(p, r.fill);
  bool dumped = dump("x", in.x) && dump("w", in.w) && (!p.bias || dump("b", in.b));
  bool backward = false;
  for (Direction d : r.directions) backward |= d != Direction::fwd;
  if (backward) dumped = dump("dy", in.dy) && dumped;

  std::cout << "problem: " << to_repro(p) << "  (output " << p.h_out() << "x" << p.w_out() << ")\n"
            << "backend: " << spec << "  math " << describe(backend->math(p), p.dtype) << "  fill " << to_string(r.fill.kind)
            << " seed " << r.fill.seed << "\n";
  if (args.why) print_why(*backend, p, r.directions);
  EvalOptions opt;
  if (std::string err = apply_evaluation_flags(args.evaluation, &opt); !err.empty()) {
    std::cerr << "tconv repro: " << err << "\n";
    return kExitBadInput;
  }
  opt.worker.extra_args = args.user.as_args();
  WorkerPool workers(worker_command(opt), opt.timeout_s);
  WorkerPool* supervisor = runs_supervised(opt.isolation, backend->capabilities()) ? &workers : nullptr;
  bool failed = false;
  for (Direction d : r.directions) {
    char head[64];
    std::snprintf(head, sizeof head, "%-12s", std::string(to_string(d)).c_str());
    std::cout << head;
    const CheckOutcome check =
        check_backend(*backend, spec, p, d, checks_in_worker(backend->capabilities()) ? supervisor : nullptr);
    if (!check.runs()) {
      failed |= is_failure(check.outcome);
      std::printf("%-12s", std::string(to_string(check.outcome)).c_str());
      std::cout << check.reason << "\n";
      continue;
    }
    std::optional<Reference> ref;
    const Evaluation e = evaluate(
        *backend, spec, p, d, in,
        [&]() -> const Reference& {
          if (!ref) ref = checked_reference(p, d, in.operands(), opt.check, r.fill.seed);
          return *ref;
        },
        {}, opt, supervisor);
    failed |= is_failure(e.outcome);
    std::printf("%-12s", std::string(to_string(e.outcome)).c_str());
    std::fflush(stdout);
    if (e.comparison) {
      const Comparison& c = *e.comparison;
      std::cout << "max_abs_err=" << fmt(c.max_abs_err) << " max_rel_err=" << fmt(c.max_rel_err)
                << " max_ulp=" << fmt(c.max_ulp) << " err/bound=" << fmt(c.err_bound_ratio)
                << " mismatches=" << c.mismatches << "/" << c.elements;
      if (opt.check.sampled() || opt.check.fast) std::cout << " (" << e.reference << ")";
      if (c.norm_wise())
        std::cout << " rel_l2=" << fmt(c.rel_l2) << " (norm-wise: ||err||/||S|| threshold " << fmt(*c.norm_threshold) << ")";
      if (c.nan_count || c.inf_count) std::cout << " nan=" << c.nan_count << " inf=" << c.inf_count;
      std::cout << "\n";
      if (!e.reason.empty()) std::cout << "            " << e.reason << "\n";
      if (!c.first.empty()) std::cout << "            first mismatches: " << compact_mismatches(c, 10) << "\n";
      if (e.repeat)
        std::cout << "            repeat-check: "
                  << (e.repeat->identical() ? "two runs bitwise identical" : e.repeat->describe()) << "\n";
      dumped = dump(output_name(d), e.output) && dumped;
      dumped = dump(output_name(d) + "_ref", reference_tensor(p, d, *ref)) && dumped;
    } else {
      std::cout << e.reason << "\n";
    }
  }
  std::string flags = args.test_backends ? "--test-backends" : "";
  if (!args.user.empty()) flags += (flags.empty() ? "" : " ") + args.user.as_flags();
  if (std::string e = evaluation_repro_flags(opt); !e.empty()) flags += (flags.empty() ? "" : " ") + e;
  std::cout << "re-run: " << repro_command(r, spec, flags) << "\n";
  if (!args.dump.empty() && dumped) std::cout << "dumped to " << args.dump << "/\n";
  if (!dumped) return kExitBadInput;
  return failed ? kExitFailures : kExitOk;
}

}  // namespace

Command add_repro_command(CLI::App& app) {
  auto args = std::make_shared<ReproArgs>();
  CLI::App* sub = app.add_subcommand(
      "repro", "Run one problem on one backend against the oracle (the repro string of a results.csv row)");
  sub->add_option("REPRO", args->repro,
                  "problem keys n ci co g in=HxW k=HxW s=HxW d=HxW crop=t,b,l,r bias=0|1 dt layout wl, plus "
                  "dir=fwd,bwd_data,... fill=uniform|normal|integer|exact seed=N")
      ->required();
  sub->add_option("--backend", args->backend, "NAME or NAME:VARIANT (default naive)");
  sub->add_option("--dump", args->dump,
                  "write x, w, b, dy and each direction's output (y, dx, dw, db) and oracle result (y_ref, ...) "
                  "as .npy into this directory, in the problem's layouts");
  sub->add_option("--directions", args->directions, "override the repro string's dir= (comma-separated)");
  sub->add_flag("--why", args->why,
                "before running, print how the backend would run each direction and why (cuda: every kernel "
                "family's predicted time or refusal, from the calibration table)");
  add_evaluation_flags(sub, &args->evaluation);
  sub->add_flag("--test-backends", args->test_backends, "include the test-only backends")->group("");
  add_user_backend_options(sub, &args->user);
  return [args] { return repro(*args); };
}

}  // namespace tconv::cli
