#include "conformance/runner/evaluate.h"

#include <cstdio>
#include <cstdlib>

#include "conformance/results/row.h"

namespace tconv {

Outcome outcome_of_status(const Status& s) {
  if (s.ok()) return Outcome::PASSED;
  if (s.code == StatusCode::no_device) return Outcome::SKIPPED;
  // A backend may learn only at run time that it cannot do a problem (a library rejects a
  // configuration its check() could not foresee): that is a declared limit, not an error.
  if (s.code == StatusCode::unsupported) return Outcome::UNSUPPORTED;
  return Outcome::FAILED;
}

std::string compact_mismatches(const Comparison& c, std::size_t limit) {
  std::string s;
  for (std::size_t i = 0; i < c.first.size() && i < limit; ++i) {
    const Mismatch& m = c.first[i];
    if (!s.empty()) s += "; ";
    s += "[" + std::to_string(m.index[0]) + "," + std::to_string(m.index[1]) + "," + std::to_string(m.index[2]) +
         "," + std::to_string(m.index[3]) + "] got " + format_real(m.got) + " want " + format_real(m.expected);
  }
  return s;
}

namespace {

std::string percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * f);
  return buf;
}

// "vs keras golden FILE: SUMMARY; convention rule: RULE".
std::string golden_text(const Expected& expected, const Comparison& g) {
  std::string s = "vs " + (expected.framework.empty() ? std::string() : expected.framework + " ") + "golden " + expected.name +
                  ": " + g.summary();
  if (!expected.rule.empty()) s += "; convention rule: " + expected.rule;
  return s;
}

// Integer problems ignore the float roundoffs (compare.h): name what is actually applied.
std::string math_label(const Problem& p, const MathMode& m) {
  if (!is_integer(p.dtype)) return describe(m, p.dtype);
  return m.acc_bits > 0 ? "int acc " + std::to_string(m.acc_bits) + " bits" : "exact int acc";
}


// One call, in this process or in the backend's worker. False with e's outcome and reason set
// when the worker crashed or timed out (`which` names the run in the reason). `meanwhile`
// (optional) runs while a worker computes.
bool call_backend(Backend& backend, const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                  const EvalOptions& opt, const PerfOptions& perf, WorkerPool* supervisor, const std::string& which,
                  CallResult* call, Evaluation* e, const std::function<void()>& meanwhile = {}) {
  if (supervisor == nullptr) {
    RunContext ctx = opt.ctx;
    *call = timed_call(backend, p, d, ops, ctx, perf);
    return true;
  }
  SupervisedCall r = supervisor->run(spec, p, d, ops, opt.ctx, perf, meanwhile);
  if (r.end != WorkerEnd::completed) {
    e->outcome = r.end == WorkerEnd::timed_out ? Outcome::TIMEOUT : Outcome::CRASHED;
    e->reason = which + r.message;
    return false;
  }
  *call = std::move(r.call);
  return true;
}

std::string status_reason(const Status& s) { return std::string(to_string(s.code)) + ": " + s.message; }

}  // namespace

WorkerCommand worker_command(const EvalOptions& opt) {
  WorkerCommand c = opt.worker;
  if (!opt.perf.enabled && std::getenv("OMP_WAIT_POLICY") == nullptr) c.environment.push_back("OMP_WAIT_POLICY=passive");
  return c;
}

CheckOutcome check_backend(Backend& backend, const std::string& spec, const Problem& p, Direction d,
                           WorkerPool* supervisor, const SupervisedCheck* prefetched) {
  CheckOutcome out;
  Status s;
  if (supervisor == nullptr) {
    s = backend.check(p, d);
  } else {
    SupervisedCheck r = prefetched && prefetched->end == WorkerEnd::completed
                            ? *prefetched
                            : supervisor->check(spec, p, d);
    if (r.end != WorkerEnd::completed) {
      out.outcome = r.end == WorkerEnd::timed_out ? Outcome::TIMEOUT : Outcome::CRASHED;
      out.reason = "check(): " + r.message;
      return out;
    }
    if (!r.error.empty()) {
      out.outcome = Outcome::FAILED;
      out.reason = "isolated worker: " + r.error;
      return out;
    }
    s = r.support;
  }
  if (!s.ok()) {
    out.outcome = Outcome::UNSUPPORTED;
    out.reason = s.message;
  }
  return out;
}

Evaluation evaluate(Backend& backend, const std::string& spec, const Problem& p, Direction d, const InputSet& in,
                    const ReferenceSource& reference, const Expected& expected, const EvalOptions& opt,
                    WorkerPool* supervisor) {
  Evaluation e;
  e.math = math_label(p, backend.declared_math(p, d, {}));
  e.output = make_output(p, d);
  const Operands ops = with_output(in.operands(), d, e.output);

  CallResult call;
  // While a worker runs the backend, this process computes the reference (the two would
  // otherwise wait for each other in turn). Not in --perf mode: a timed call has the machine
  // to itself.
  std::function<void()> reference_meanwhile;
  if (!opt.perf.enabled) reference_meanwhile = [&] { reference(); };
  if (!call_backend(backend, spec, p, d, ops, opt, opt.perf, supervisor, "", &call, &e, reference_meanwhile)) return e;
  if (!call.status.ok()) {
    e.outcome = outcome_of_status(call.status);
    e.reason = status_reason(call.status);
    return e;
  }
  if (opt.repeat_check) {
    // The same inputs again, on a freshly poisoned output, untimed.
    HostTensor second = make_output(p, d);
    const Operands again_ops = with_output(in.operands(), d, second);
    CallResult again;
    const std::string which = "second run (--repeat-check): ";
    if (!call_backend(backend, spec, p, d, again_ops, opt, PerfOptions{}, supervisor, which, &again, &e)) return e;
    if (!again.status.ok()) {
      e.outcome = outcome_of_status(again.status) == Outcome::PASSED ? Outcome::FAILED : outcome_of_status(again.status);
      e.reason = which + status_reason(again.status);
      return e;
    }
    e.repeat = compare_bitwise(e.output, second);
  }
  e.timing = call.timing;
  e.details = call.details;
  if (!e.details.deterministic) e.details.deterministic = backend.capabilities().deterministic;

  // The math of what actually ran (a library may pick an FFT or Winograd algorithm itself).
  const MathMode math = backend.declared_math(p, d, e.details);
  e.math = math_label(p, math);
  const Reference& ref = reference();
  e.reference = reference_label(ref);
  e.comparison = compare_to_reference(ref, e.output, math, opt.compare);
  const Comparison& c = *e.comparison;
  // A golden case also says how the output compares with the framework's and which rule
  // of its convention made the crops, whether or not the oracle agrees.
  const std::optional<Comparison> g =
      expected.tensor ? std::optional(compare_to_expected(ref, *expected.tensor, e.output, math)) : std::nullopt;
  if (!c.passed()) {
    e.outcome = Outcome::INCORRECT;
    e.reason = c.summary();
    if (g) e.reason += "; " + golden_text(expected, *g);
    return e;
  }
  if (g && !g->passed()) {
    e.outcome = Outcome::INCORRECT;
    e.reason = "agrees with the oracle; " + golden_text(expected, *g);
    return e;
  }
  // Checked after the oracle: a wrong result is reported as wrong first.
  if (e.repeat && !e.repeat->identical() && e.details.deterministic.value_or(false)) {
    e.outcome = Outcome::INCORRECT;
    e.reason = "not deterministic: " + e.repeat->describe() + ", though the row claims determinism";
    return e;
  }
  if (c.mistrusted()) {
    e.outcome = Outcome::MISTRUSTED;
    e.reason = percent(c.zero_fraction) + " of the reference is exactly 0: the check is weak";
    return e;
  }
  e.outcome = Outcome::PASSED;
  // A norm-wise pass still names its worst elements (they are over the elementwise bound).
  if (c.norm_wise() && c.mismatches > 0) e.reason = c.summary();
  return e;
}

}  // namespace tconv
