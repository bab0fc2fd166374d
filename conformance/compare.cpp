#include "conformance/compare.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace tconv {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kOracleRoundoff = 0x1p-53;  // the oracle sums in f64: its own error counts too

double smallest_normal(DType t) {
  switch (t) {
    case DType::f16: return 0x1p-14;
    case DType::f64: return 0x1p-1022;
    case DType::f32:
    case DType::bf16: return 0x1p-126;
    default: return 0;  // integer types are compared exactly, never through this bound
  }
  return 0x1p-126;
}

// The accumulator type is only known through its unit roundoff.
double smallest_normal_of_accumulator(double u_acc) {
  if (u_acc <= 0) return 0;
  if (u_acc <= 0x1p-53) return 0x1p-1022;
  if (u_acc <= 0x1p-24) return 0x1p-126;
  if (u_acc <= 0x1p-11) return 0x1p-14;  // f16 accumulation
  return 0x1p-126;                        // bf16 accumulation
}

// DESIGN.md section 4 for one element of K terms with S = sum |a_k*b_k|:
//   products:     each a*b rounded from inputs of unit roundoff u_mul: 2*u_mul + u_mul^2
//   accumulation: K*u_acc (first-order bound of recursive summation, any order), plus the
//                 oracle's own K*2^-53
//   storing:      u_out relative to the accumulated value (|ref| + its error)
//   floors:       K times the accumulator's smallest normal (a backend may flush subnormal
//                 products or partial sums to zero, as GPUs do), and the output's absolute
//                 rounding step at the bottom of its range: u_out * smallest normal is half
//                 the subnormal spacing, which in f16 (2^-25) dwarfs any relative term.
struct ElementBound {
  MathMode math;
  DType out;
  double operator()(double abs_sum, std::int32_t terms, double ref) const {
    const double u_out = unit_roundoff(out);
    const double k = terms;
    const double accumulated = (2 * math.u_mul + math.u_mul * math.u_mul + k * (math.u_acc + kOracleRoundoff)) * abs_sum +
                               k * smallest_normal_of_accumulator(math.u_acc);
    const double output_floor = std::max(u_out * smallest_normal(out), 0x1p-1074);
    return accumulated * (1 + u_out) + u_out * std::fabs(ref) + output_floor;
  }
};

// Allowed difference of an integer output in output steps (compare.h): 0 for an exact
// accumulator, else the A-bit accumulator's worst rounding carried through the requantization.
double integer_bound(const Reference& ref, std::size_t e, const MathMode& math) {
  if (math.acc_bits <= 0) return 0;
  const double acc_err = ref.terms[e] * std::ldexp(ref.abs_sum[e], 1 - math.acc_bits);
  return std::floor(acc_err * ref.acc_scale) + 1;
}

std::string format_index(const Dims& i) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%lld,%lld,%lld,%lld]", static_cast<long long>(i[0]),
                static_cast<long long>(i[1]), static_cast<long long>(i[2]), static_cast<long long>(i[3]));
  return buf;
}

// Nothing can be compared: every element counts as wrong; summary() names the cause.
Comparison shape_mismatch(const Reference& ref) {
  Comparison c;
  c.elements = static_cast<std::int64_t>(ref.value.size());
  c.mismatches = c.elements > 0 ? c.elements : 1;
  c.err_bound_ratio = kInf;
  return c;
}

// Walks every element in logical order; target(e, i) is the value to match and bound(e) its
// allowed error.
template <class Target, class Bound>
Comparison compare_elements(const Reference& ref, const HostTensor& out, Target&& target, Bound&& bound) {
  Comparison c;
  c.elements = static_cast<std::int64_t>(ref.value.size());
  if (out.dims() != ref.dims || out.numel() != c.elements) return shape_mismatch(ref);
  std::int64_t zeros = 0;
  std::size_t e = 0;
  for_each_index(ref.dims, [&](const Dims& i) {
    const double got = out.at(i), want = target(e, i), allowed = bound(e);
    if (ref.value[e] == 0) ++zeros;
    if (std::isnan(got)) ++c.nan_count;
    if (std::isinf(got)) ++c.inf_count;
    double ratio = 0;
    if (!std::isfinite(got) || !std::isfinite(want)) {
      // Only the identical non-finite value matches; a correctly rounded overflow of a finite
      // value (f16 beyond 65504) is the same Inf.
      const bool same = (std::isnan(got) && std::isnan(want)) || got == want ||
                        (std::isinf(got) && got == round_to(want, out.dtype()));
      ratio = same ? 0 : kInf;
    } else {
      const double err = std::fabs(got - want);
      if (err > c.max_abs_err) c.max_abs_err = err;
      if (want != 0 && err / std::fabs(want) > c.max_rel_err) c.max_rel_err = err / std::fabs(want);
      ratio = err == 0 ? 0 : allowed > 0 ? err / allowed : kInf;
    }
    if (ratio > c.err_bound_ratio) c.err_bound_ratio = ratio;
    if (ratio > 1) {
      ++c.mismatches;
      if (c.first.size() < 10) c.first.push_back({i, got, want, allowed});
    }
    ++e;
  });
  c.zero_fraction = c.elements > 0 ? static_cast<double>(zeros) / static_cast<double>(c.elements) : 0;
  return c;
}

}  // namespace

std::string Comparison::summary() const {
  char buf[512];
  if (mismatches > 0 && first.empty())
    return "output shape differs from the reference: " + std::to_string(elements) + " elements not compared";
  const double zero_pct = 100 * zero_fraction;
  if (passed() && integer && err_bound_ratio == 0) {
    std::snprintf(buf, sizeof buf, "%lld integer elements bit-exact%s", static_cast<long long>(elements),
                  mistrusted() ? "; weak check, reference mostly zeros" : "");
    return buf;
  }
  if (passed()) {
    std::snprintf(buf, sizeof buf, "%lld elements within bound: max err/bound %.3g, max abs err %.3g, max rel err %.3g%s",
                  static_cast<long long>(elements), err_bound_ratio, max_abs_err, max_rel_err,
                  mistrusted() ? "; weak check, reference mostly zeros" : "");
    std::string s = buf;
    if (mistrusted()) s += " (" + std::to_string(static_cast<int>(zero_pct)) + "%)";
    return s;
  }
  const Mismatch& m = first.front();
  if (integer) {
    std::snprintf(buf, sizeof buf, "%lld of %lld integer elements differ (allowed %.0f step%s), first at %s: got %.0f want %.0f; max abs err %.0f",
                  static_cast<long long>(mismatches), static_cast<long long>(elements), m.bound, m.bound == 1 ? "" : "s",
                  format_index(m.index).c_str(), m.got, m.expected, max_abs_err);
    return buf;
  }
  std::snprintf(buf, sizeof buf,
                "%lld of %lld elements over bound (max err/bound %.3g, %lld NaN, %lld Inf), first at %s: got %.9g "
                "want %.9g (bound %.3g); max abs err %.3g, max rel err %.3g",
                static_cast<long long>(mismatches), static_cast<long long>(elements), err_bound_ratio,
                static_cast<long long>(nan_count), static_cast<long long>(inf_count), format_index(m.index).c_str(),
                m.got, m.expected, m.bound, max_abs_err, max_rel_err);
  return buf;
}

Comparison compare_to_reference(const Reference& ref, const HostTensor& out, const MathMode& math) {
  if (ref.integer) {
    Comparison c = compare_elements(
        ref, out, [&](std::size_t e, const Dims&) { return ref.value[e]; },
        [&](std::size_t e) { return integer_bound(ref, e, math); });
    c.integer = true;
    return c;
  }
  const ElementBound bound{math, out.dtype()};
  return compare_elements(
      ref, out, [&](std::size_t e, const Dims&) { return ref.value[e]; },
      [&](std::size_t e) { return bound(ref.abs_sum[e], ref.terms[e], ref.value[e]); });
}

// The framework's arithmetic is unknown: assume inputs and accumulator of the data dtype's
// roundoff, but never finer than f32's for low-precision data (frameworks accumulate f32 data
// in f32, and fp16 ones may accumulate in fp16). Golden f32 data must be produced without TF32.
// |out - expected| <= |out - exact| + |expected - exact|: the two bounds add.
Comparison compare_to_expected(const Reference& ref, const HostTensor& expected, const HostTensor& out,
                               const MathMode& math) {
  if (ref.integer) {  // a framework's quantized output is as exact as the oracle's
    if (expected.dims() != ref.dims) return shape_mismatch(ref);
    Comparison c = compare_elements(
        ref, out, [&](std::size_t, const Dims& i) { return expected.at(i); },
        [&](std::size_t e) { return integer_bound(ref, e, math); });
    c.integer = true;
    return c;
  }
  const DType t = expected.dtype();
  const double u_data = t == DType::f64 ? unit_roundoff(t) : std::max(unit_roundoff(t), 0x1p-24);
  const MathMode framework{"framework", u_data, u_data};
  const ElementBound backend_bound{math, out.dtype()}, framework_bound{framework, expected.dtype()};
  if (expected.dims() != ref.dims) return shape_mismatch(ref);
  return compare_elements(
      ref, out, [&](std::size_t, const Dims& i) { return expected.at(i); },
      [&](std::size_t e) {
        return backend_bound(ref.abs_sum[e], ref.terms[e], ref.value[e]) +
               framework_bound(ref.abs_sum[e], ref.terms[e], ref.value[e]);
      });
}

}  // namespace tconv
