#include "conformance/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tconv {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

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

// The sum a separate-bias backend rounds first; without a bias it is the result itself.
double pre_bias(const Reference& ref, std::size_t e) { return ref.pre_bias.empty() ? ref.value[e] : ref.pre_bias[e]; }

double max_abs_sum(const Reference& ref) {
  double m = 0;
  for (double s : ref.abs_sum) m = std::max(m, s);
  return m;
}

// f(position in the reference's arrays, logical index) for each element the reference holds:
// every element in logical order, or a sampled reference's elements in ascending order.
template <class F>
void for_each_reference_element(const Reference& ref, F&& f) {
  if (!ref.is_sampled()) {
    std::size_t e = 0;
    for_each_index(ref.dims, [&](const Dims& i) { f(e++, i); });
    return;
  }
  const Dims& d = ref.dims;
  for (std::size_t e = 0; e < ref.sampled.size(); ++e) {
    const std::int64_t flat = ref.sampled[e];
    f(e, Dims{flat / (d[1] * d[2] * d[3]), flat / (d[2] * d[3]) % d[1], flat / d[3] % d[2], flat % d[3]});
  }
}

// Walks the reference's elements (for_each_reference_element); target(e, i) is the value to
// match and bound(e) its allowed error.
template <class Target, class Bound>
Comparison compare_elements(const Reference& ref, const HostTensor& out, Target&& target, Bound&& bound) {
  Comparison c;
  c.elements = static_cast<std::int64_t>(ref.value.size());
  if (out.dims() != ref.dims || (!ref.is_sampled() && out.numel() != c.elements)) return shape_mismatch(ref);
  std::int64_t zeros = 0;
  double err_sq = 0, want_sq = 0, abs_sum_sq = 0;
  for_each_reference_element(ref, [&](std::size_t e, const Dims& i) {
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
      if (!same) ++c.nonfinite_mismatches;
    } else {
      const double err = std::fabs(got - want);
      if (err > c.max_abs_err) c.max_abs_err = err;
      if (want != 0 && err / std::fabs(want) > c.max_rel_err) c.max_rel_err = err / std::fabs(want);
      // As max_rel_err, over nonzero references: at 0 the spacing is the smallest subnormal.
      if (want != 0 || is_integer(out.dtype())) c.max_ulp = std::max(c.max_ulp, err / ulp_of(want, out.dtype()));
      err_sq += err * err;
      want_sq += want * want;
      abs_sum_sq += ref.abs_sum[e] * ref.abs_sum[e];
      ratio = err == 0 ? 0 : allowed > 0 ? err / allowed : kInf;
    }
    if (ratio > c.err_bound_ratio) c.err_bound_ratio = ratio;
    if (ratio > 1) {
      ++c.mismatches;
      if (c.first.size() < 10) c.first.push_back({i, got, want, allowed});
    }
  });
  c.elementwise_ratio = c.err_bound_ratio;
  c.rel_l2 = err_sq == 0 ? 0 : want_sq > 0 ? std::sqrt(err_sq / want_sq) : kInf;
  c.l2_err = std::sqrt(err_sq);
  c.l2_abs_sum = std::sqrt(abs_sum_sq);
  c.zero_fraction = c.elements > 0 ? static_cast<double>(zeros) / static_cast<double>(c.elements) : 0;
  return c;
}

// FFT and Winograd: the row passes on the relative L2 error (err_bound_ratio becomes
// l2_err / (threshold * ||S||_2)); the elementwise findings stay for the summary.
void judge_norm_wise(Comparison& c, const Reference& ref, const MathMode& math, DType out) {
  if (!math.transforms() || c.elements == 0 || (c.mismatches > 0 && c.first.empty())) return;
  c.norm_threshold = norm_wise_threshold(math, out, ref.dims[2] * ref.dims[3]);
  const double allowed = *c.norm_threshold * c.l2_abs_sum;
  c.err_bound_ratio = c.nonfinite_mismatches > 0 ? kInf : c.l2_err == 0 ? 0 : allowed > 0 ? c.l2_err / allowed : kInf;
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
  if (passed() && !norm_wise()) {
    std::snprintf(buf, sizeof buf, "%lld elements within bound: max err/bound %.3g, max abs err %.3g, max rel err %.3g, max %.3g ulp%s",
                  static_cast<long long>(elements), err_bound_ratio, max_abs_err, max_rel_err, max_ulp,
                  mistrusted() ? "; weak check, reference mostly zeros" : "");
    std::string s = buf;
    if (mistrusted()) s += " (" + std::to_string(static_cast<int>(zero_pct)) + "%)";
    return s;
  }
  if (norm_wise()) {
    std::snprintf(buf, sizeof buf, "norm-wise: ||err||_2 %.3g %s %.3g * ||S||_2 (%.3g of it; relative L2 error %.3g)",
                  l2_err, passed() ? "within" : "over", *norm_threshold, err_bound_ratio * *norm_threshold, rel_l2);
    std::string s = buf;
    if (nonfinite_mismatches > 0) s += "; " + std::to_string(nonfinite_mismatches) + " NaN/Inf where the reference differs";
    if (mismatches > 0 && !first.empty()) {
      const Mismatch& m = first.front();
      std::snprintf(buf, sizeof buf,
                    "; elementwise %lld of %lld over bound (max err/bound %.3g), worst first at %s: got %.9g want %.9g "
                    "(bound %.3g); max abs err %.3g, max %.3g ulp",
                    static_cast<long long>(mismatches), static_cast<long long>(elements), elementwise_ratio,
                    format_index(m.index).c_str(), m.got, m.expected, m.bound, max_abs_err, max_ulp);
      s += buf;
    }
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
                "want %.9g (bound %.3g); max abs err %.3g, max rel err %.3g, max %.3g ulp",
                static_cast<long long>(mismatches), static_cast<long long>(elements), err_bound_ratio,
                static_cast<long long>(nan_count), static_cast<long long>(inf_count), format_index(m.index).c_str(),
                m.got, m.expected, m.bound, max_abs_err, max_rel_err, max_ulp);
  return buf;
}

Comparison compare_to_reference(const Reference& ref, const HostTensor& out, const MathMode& math,
                                const CompareOptions& options) {
  if (ref.integer) {
    Comparison c = compare_elements(
        ref, out, [&](std::size_t e, const Dims&) { return ref.value[e]; },
        [&](std::size_t e) { return integer_bound(ref, e, math); });
    c.integer = true;
    return c;
  }
  const ElementBound bound{math, out.dtype(), max_abs_sum(ref), options};
  Comparison c = compare_elements(
      ref, out, [&](std::size_t e, const Dims&) { return ref.value[e]; },
      [&](std::size_t e) { return bound(ref.abs_sum[e], ref.terms[e], ref.value[e], pre_bias(ref, e)); });
  if (!options.legacy_bound) judge_norm_wise(c, ref, math, out.dtype());
  return c;
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
  MathMode framework{"framework", u_data, u_data};
  framework.output_roundings = 1;
  const double max_s = max_abs_sum(ref);
  const ElementBound backend_bound{math, out.dtype(), max_s, {}}, framework_bound{framework, expected.dtype(), max_s, {}};
  if (expected.dims() != ref.dims) return shape_mismatch(ref);
  return compare_elements(
      ref, out, [&](std::size_t, const Dims& i) { return expected.at(i); },
      [&](std::size_t e) {
        return backend_bound(ref.abs_sum[e], ref.terms[e], ref.value[e], pre_bias(ref, e)) +
               framework_bound(ref.abs_sum[e], ref.terms[e], ref.value[e], pre_bias(ref, e));
      });
}

}  // namespace tconv
