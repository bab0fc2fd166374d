#include "conformance/tolerance.h"

#include <algorithm>
#include <cmath>

namespace tconv {

namespace {

constexpr double kOracleRoundoff = 0x1p-53;  // the oracle sums in f64: its own error counts too

int min_exponent(DType t) {
  switch (t) {
    case DType::f16: return -14;
    case DType::f64: return -1022;
    default: return -126;  // f32, bf16
  }
}

double smallest_normal(DType t) {
  if (is_integer(t)) return 0;  // integer types are compared exactly, never through this bound
  return std::ldexp(1.0, min_exponent(t));
}

// The accumulator type is only known through its unit roundoff.
double smallest_normal_of_accumulator(double u_acc) {
  if (u_acc <= 0) return 0;
  if (u_acc <= 0x1p-53) return 0x1p-1022;
  if (u_acc <= 0x1p-24) return 0x1p-126;
  if (u_acc <= 0x1p-11) return 0x1p-14;  // f16 accumulation
  return 0x1p-126;                        // bf16 accumulation
}

// Truncation (round toward zero) errs by up to a whole ulp where rounding to nearest errs by half.
double effective_u_acc(const MathMode& m) { return m.truncating_acc ? 2 * m.u_acc : m.u_acc; }

// Products and `additions` roundings of unit roundoff u_acc relative to S (first order), the
// oracle's own, and K flushed subnormal products.
double accumulation(const MathMode& m, double u_acc, double additions, double k, double abs_sum) {
  return (2 * m.u_mul + m.u_mul * m.u_mul + additions * (u_acc + kOracleRoundoff)) * abs_sum +
         k * smallest_normal_of_accumulator(m.u_acc);
}

}  // namespace

double ulp_of(double v, DType t) {
  if (is_integer(t)) return 1;
  const int precision = -std::ilogb(unit_roundoff(t));  // 24 for f32: u = 2^-24
  const int e = v == 0 || !std::isfinite(v) ? min_exponent(t) : std::max(std::ilogb(v), min_exponent(t));
  return std::ldexp(1.0, e - precision + 1);
}

ElementBound::ElementBound(const MathMode& math, DType out, double max_abs_sum, const CompareOptions& options)
    : math_(math),
      out_(out),
      u_out_(unit_roundoff(out)),
      // One rounding in the accumulator at the scale of the largest sum of the output: what an
      // algorithm whose intermediates reach that scale may leave in any element, exact zeros
      // of the reference included.
      floor_(effective_u_acc(math) * max_abs_sum),
      // Correct rounding is a claim only where one rounding follows a finer accumulator.
      strict_(options.strict_rounding && math.output_roundings == 1 && math.u_acc < unit_roundoff(out)),
      legacy_(options.legacy_bound) {}

// docs/tolerance.md, "Elementwise bound", for one element of K terms with S = sum |a_k*b_k|:
//   products:     each a*b from inputs of unit roundoff u_mul: 2*u_mul + u_mul^2
//   accumulation: K*u_acc (first-order bound of recursive summation, any order; 2*u_acc when
//                 truncating), plus split_k - 1 additions of the partials, plus the oracle's K*2^-53
//   floors:       K times the accumulator's smallest normal (flushed subnormal products), the
//                 output's half subnormal spacing, and u_acc * max S (see the constructor)
//   roundings:    the final one: half an ulp of the result (u_out * magnitude) when declared, a
//                 whole ulp (faithful) when not; separate bias: half an ulp of the pre-bias sum;
//                 split-K: each partial P_j rounded to its type, sum of u_split*|P_j| <= u_split*S
double ElementBound::operator()(double abs_sum, std::int32_t terms, double ref, double pre_bias) const {
  const double k = terms;
  const double output_floor = std::max(u_out_ * smallest_normal(out_), 0x1p-1074);
  if (strict_) return 0.5 * ulp_of(ref, out_) + k * kOracleRoundoff * abs_sum + output_floor;
  if (legacy_) return accumulation(math_, math_.u_acc, k, k, abs_sum) * (1 + u_out_) + u_out_ * std::fabs(ref) + output_floor;
  const double split_additions = math_.split_k > 1 ? math_.split_k - 1 : 0;
  const double accumulated = accumulation(math_, effective_u_acc(math_), k + split_additions, k, abs_sum);
  const double split = math_.split_k > 1 ? math_.u_split * abs_sum : 0;
  const double final_ulps = math_.output_roundings == 0 ? 2 : 1;  // u_out*|m| is half an ulp of m
  double rounded = final_ulps * u_out_ * (std::fabs(ref) + accumulated + split);
  if (math_.separate_bias) rounded += u_out_ * (std::fabs(pre_bias) + accumulated + split);
  return accumulated + split + rounded + output_floor + floor_;
}

// docs/tolerance.md, "Norm-wise bound": the allowed ||y - y_ref||_2 is T * ||S||_2. Transform
// errors scale with the magnitudes of the terms (the norms of the inputs), not with the result,
// which may cancel; ||S||_2 >= ||y_ref||_2, so T is never stricter than a threshold on the
// relative L2 error. Winograd: benchdnn's thresholds (2e-5 for f32, 7e-3 for f16 weights),
// scaled for a finer accumulator by its roundoff. FFT: the roundoff of a radix-2 transform of
// N points grows like u*log2(N) (Schatzman 1996); a convolution takes a forward transform of
// each operand and an inverse one, plus the products: 4*u*log2(N). Both: plus the final
// rounding to the output type (at most one ulp, 2*u_out).
double norm_wise_threshold(const MathMode& math, DType out, std::int64_t plane) {
  const double u_acc = std::max(effective_u_acc(math), 0x1p-53);
  const double u_out = unit_roundoff(out);
  if (math.algorithm == AlgorithmClass::winograd) {
    const bool low_precision = out == DType::f16 || out == DType::bf16;
    return (low_precision ? 7e-3 : 2e-5 * std::min(1.0, u_acc / 0x1p-24)) + 2 * u_out;
  }
  const double n = static_cast<double>(math.fft_length > 0 ? math.fft_length : std::max<std::int64_t>(plane, 4));
  return 4 * u_acc * std::ceil(std::log2(n)) + 2 * u_out;
}

}  // namespace tconv
