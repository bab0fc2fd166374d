// Checking a backend's output against the oracle with the shape-aware bound of DESIGN.md
// section 4:  |y - y_ref| <= (2*u_mul + K*u_acc) * S + u_out * |y_ref| + floor
// per element, S = sum |a_k*b_k| and K = terms from the oracle (Reference).
//
// Integer (quantized) outputs compare exactly: any difference is a mismatch. A backend that
// declares an A-bit accumulator (MathMode::acc_bits = A > 0: it keeps A significant bits, so
// each addition may round by 2^-(A-1) relative to the partial sum) gets the tolerance mode:
//   |y - y_ref| <= floor(K * 2^-(A-1) * S * multiplier / 2^shift) + 1   output steps
// (an accumulator error E moves acc*multiplier/2^shift by E*scale, and the final rounding
// adds at most one step).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/naive/oracle.h"

namespace tconv {

struct Mismatch {
  Dims index;         // logical index
  double got = 0, expected = 0, bound = 0;
};

struct Comparison {
  double max_abs_err = 0;
  double max_rel_err = 0;      // |err| / |ref| over elements with ref != 0
  double err_bound_ratio = 0;  // max over elements of err / bound (pass <= 1); inf for NaN
  std::int64_t mismatches = 0; // elements over their bound (NaN/Inf where ref is finite included)
  std::int64_t nan_count = 0, inf_count = 0;
  std::int64_t elements = 0;
  double zero_fraction = 0;    // fraction of reference elements that are exactly 0
  std::vector<Mismatch> first;  // up to 10, in logical order
  bool integer = false;         // exact integer comparison (bound in output steps)
  bool passed() const { return mismatches == 0; }
  bool mistrusted() const { return zero_fraction > 0.3; }  // the check is weak
  std::string summary() const;  // one line: "3 of 120 elements over bound, first at [0,1,2,3]: got .. want .."
};

// `math` is the backend's declared arithmetic, `out` its output tensor (any layout / dtype:
// u_out is the unit roundoff of out's dtype).
Comparison compare_to_reference(const Reference& ref, const HostTensor& out, const MathMode& math);

// Golden comparison: an expected tensor produced by a real framework (its own rounding is
// unknown, so the bound uses u_acc = unit roundoff of the data dtype with K terms as well).
Comparison compare_to_expected(const Reference& ref, const HostTensor& expected, const HostTensor& out,
                               const MathMode& math);

}  // namespace tconv
