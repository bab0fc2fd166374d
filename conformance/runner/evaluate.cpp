#include "conformance/runner/evaluate.h"

#include <cstdio>

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

}  // namespace

Evaluation evaluate(Backend& backend, const std::string& spec, const Problem& p, Direction d, const InputSet& in,
                    const Reference& ref, const Expected& expected, const EvalOptions& opt) {
  Evaluation e;
  e.math = math_label(p, backend.declared_math(p, d, {}));
  e.output = make_output(p, d);
  const Operands ops = with_output(in.operands(), d, e.output);

  CallResult call;
  if (opt.isolate) {
    IsolatedResult r = run_isolated(spec, p, d, ops, opt.ctx, opt.perf, opt.timeout_s, opt.worker);
    if (r.end != IsolatedEnd::completed) {
      e.outcome = r.end == IsolatedEnd::timed_out ? Outcome::TIMEOUT : Outcome::CRASHED;
      e.reason = r.message;
      return e;
    }
    call = std::move(r.call);
  } else {
    RunContext ctx = opt.ctx;
    call = timed_call(backend, p, d, ops, ctx, opt.perf);
  }
  if (!call.status.ok()) {
    e.outcome = outcome_of_status(call.status);
    e.reason = std::string(to_string(call.status.code)) + ": " + call.status.message;
    return e;
  }
  e.timing = call.timing;
  e.details = call.details;
  if (!e.details.deterministic) e.details.deterministic = backend.capabilities().deterministic;

  // The math of what actually ran (a library may pick an FFT or Winograd algorithm itself).
  const MathMode math = backend.declared_math(p, d, e.details);
  e.math = math_label(p, math);
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
