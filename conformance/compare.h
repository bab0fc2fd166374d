// Checking a backend's output against the oracle (docs/tolerance.md states every bound and
// the error analysis it rests on). Per element, S = sum |a_k*b_k| and K = terms from the
// oracle (Reference):
//   |y - y_ref| <= accumulation(K, S, u_mul, u_acc) + sum of the declared roundings + floors
// where each rounding of an intermediate m to the output type costs half an ulp of m
// (u_out*|m|) and a backend that declares no roundings is held to faithful rounding (one ulp
// of the output). FFT and Winograd classes pass on the relative L2 error of the whole output
// against a threshold from the transform and dtype; their elements are still checked and the
// worst ones reported.
//
// Integer (quantized) outputs compare exactly: any difference is a mismatch. A backend that
// declares an A-bit accumulator (MathMode::acc_bits = A > 0: it keeps A significant bits, so
// each addition may round by 2^-(A-1) relative to the partial sum) gets the tolerance mode:
//   |y - y_ref| <= floor(K * 2^-(A-1) * S * multiplier / 2^shift) + 1   output steps
// (an accumulator error E moves acc*multiplier/2^shift by E*scale, and the final rounding
// adds at most one step).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/naive/oracle.h"
#include "conformance/tolerance.h"

namespace tconv {

struct Mismatch {
  Dims index;         // logical index
  double got = 0, expected = 0, bound = 0;
};

struct Comparison {
  double max_abs_err = 0;
  double max_rel_err = 0;      // |err| / |ref| over elements with ref != 0
  double max_ulp = 0;          // max |err| in ulps of the output type at the reference value, over
                               // nonzero references (as max_rel_err)
                               // (output steps for integer outputs)
  double err_bound_ratio = 0;  // max over elements of err / bound (pass <= 1); inf for NaN;
                               // norm-wise rows: l2_err / (norm_threshold * l2_abs_sum), inf
                               // for NaN/Inf
  double elementwise_ratio = 0;  // max err / bound over elements, whatever the criterion
  std::int64_t mismatches = 0; // elements over their bound (NaN/Inf where ref is finite included)
  std::int64_t nonfinite_mismatches = 0;  // of those, a NaN/Inf where the reference differs
  double rel_l2 = 0;           // ||y - y_ref||_2 / ||y_ref||_2 over finite elements
  double l2_err = 0;           // ||y - y_ref||_2 over finite elements
  double l2_abs_sum = 0;       // ||S||_2, S = sum |a_k*b_k| per element: the magnitude transform
                               // errors scale with (no cancellation in it)
  std::optional<double> norm_threshold;  // set when the row is judged norm-wise (fft, winograd):
                                         // pass when l2_err <= norm_threshold * l2_abs_sum
  std::int64_t nan_count = 0, inf_count = 0;
  std::int64_t elements = 0;
  double zero_fraction = 0;    // fraction of reference elements that are exactly 0
  std::vector<Mismatch> first;  // up to 10, in logical order
  bool integer = false;         // exact integer comparison (bound in output steps)
  bool norm_wise() const { return norm_threshold.has_value(); }
  bool passed() const {
    return norm_wise() ? nonfinite_mismatches == 0 && l2_err <= *norm_threshold * l2_abs_sum : mismatches == 0;
  }
  bool mistrusted() const { return zero_fraction > 0.3; }  // the check is weak
  std::string summary() const;  // one line: "3 of 120 elements over bound, first at [0,1,2,3]: got .. want .."
};

// `math` is the backend's declared arithmetic, `out` its output tensor (any layout / dtype:
// u_out is the unit roundoff of out's dtype).
Comparison compare_to_reference(const Reference& ref, const HostTensor& out, const MathMode& math,
                                const CompareOptions& options = {});

// Golden comparison: an expected tensor produced by a real framework (its own rounding is
// unknown, so the bound uses u_acc = unit roundoff of the data dtype with K terms as well).
Comparison compare_to_expected(const Reference& ref, const HostTensor& expected, const HostTensor& out,
                               const MathMode& math);

}  // namespace tconv
