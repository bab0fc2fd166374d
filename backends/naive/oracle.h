// The oracle: direct loops over DESIGN.md section 1's definitions, accumulating in f64 on
// exactly the stored input values. Each output element is summed in a fixed order, so the
// result is bitwise identical for any thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/api/backend.h"

namespace tconv {

// The exact-ish result of one direction, in the output's logical C order (NCHW for data,
// IOHW for weights, [C_out] for bias), with what the tolerance needs per element: the sum of
// |a_k*b_k| over its terms (S) and the number of terms summed (K), bias included.
//
// Integer problems (i8 / i16, fwd): value is the requantized output (an exact integer), abs_sum
// S = sum |(x - zp_x)*(w - zp_w)| + |b| in accumulator units, and acc_scale the factor
// multiplier / 2^shift from the accumulator to output steps (0 for float problems).
struct Reference {
  Dims dims{0, 0, 0, 0};
  std::vector<double> value;
  std::vector<double> abs_sum;
  std::vector<std::int32_t> terms;
  bool integer = false;
  double acc_scale = 0;
  // fwd with bias (float): the sum before the bias is added. A backend that rounds it to the
  // output type first (separate bias) pays half an ulp of it; empty otherwise.
  std::vector<double> pre_bias{};
};

// Operands as in Backend::run (outputs may be null: only inputs are read). An integer problem
// is defined for fwd only: other directions of one give an empty Reference.
Reference compute_reference(const Problem& p, Direction d, const Operands& ops);

}  // namespace tconv
