// The allowed error of one output element, and of a whole output judged norm-wise, from the
// backend's declared math (docs/tolerance.md states each formula and why).
#pragma once

#include <cstdint>

#include "backends/api/backend.h"

namespace tconv {

struct CompareOptions {
  // Where the backend declares one rounding from an accumulator finer than the output,
  // demand correct rounding: |y - y_ref| <= half an ulp of y_ref (plus the oracle's own error).
  bool strict_rounding = false;
  // The bound before issue 14 (half an ulp of the result whatever the declaration, no floor
  // from the largest sum, never norm-wise): kept to measure what the change loosened (the
  // mutant margins of docs/tolerance.md).
  bool legacy_bound = false;
};

// One ulp of dtype t at v (the spacing of t's numbers around v; subnormal spacing below the
// normal range). Integer dtypes: 1.
double ulp_of(double v, DType t);

// The bound of one float output element. `max_abs_sum` is the largest S of the output: the
// absolute floor scales with it so that an element whose reference is exactly 0 is not
// judged against ~1e-45.
class ElementBound {
 public:
  ElementBound(const MathMode& math, DType out, double max_abs_sum, const CompareOptions& options);
  // S, K and the reference value of the element; pre_bias is the sum before the bias (the
  // value rounded first by a separate-bias backend), or S where unknown.
  double operator()(double abs_sum, std::int32_t terms, double ref, double pre_bias) const;

 private:
  MathMode math_;
  DType out_;
  double u_out_, floor_;
  bool strict_, legacy_;
};

// T of a transform algorithm (fft, winograd): the output passes when ||y - y_ref||_2 <=
// T * ||S||_2. `plane` is the elements of one output plane (the FFT length when the backend
// declares none).
double norm_wise_threshold(const MathMode& math, DType out, std::int64_t plane);

}  // namespace tconv
