// The oracle: docs/design.md section 1's definitions, accumulating in f64 on exactly the stored
// input values. Each output element is summed in a fixed order, so the result is bitwise
// identical for any thread count. Per element, each term t = a*b is added as sum += t,
// abs += |t|, in this order (backends/naive/README.md):
//   fwd          y[n,co,oh,ow]   over ci (of co's group), kh, kw; then the bias
//   bwd_data     dx[n,ci,ih,iw]  over o (of ci's group), kh, kw
//   bwd_weights  dw[ci,o,kh,kw]  over n, ih, iw
//   bwd_bias     db[co]          over n, oh, ow
// (terms whose tap falls outside the output, or between input pixels, are absent, not zero).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/naive/reference_array.h"

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
  // Arrays that start uninitialised (reference_array.h): every producer writes each element.
  ReferenceArray<double> value;
  ReferenceArray<double> abs_sum;
  ReferenceArray<std::int32_t> terms;
  bool integer = false;
  double acc_scale = 0;
  // fwd with bias (float): the sum before the bias is added. A backend that rounds it to the
  // output type first (separate bias) pays half an ulp of it; empty otherwise.
  ReferenceArray<double> pre_bias{};
  // A sampled reference (compute_sampled_reference): the ascending flat logical indices of the
  // elements that value, abs_sum, terms and pre_bias hold, in that order; empty when they hold
  // every element.
  std::vector<std::int64_t> sampled{};
  bool is_sampled() const { return !sampled.empty(); }
  // How the values were obtained, when not plainly by compute_reference: e.g. the runner's
  // `--reference fast` check (conformance/reference_check.h). Empty otherwise.
  std::string origin{};
};

// Operands as in Backend::run (outputs may be null: only inputs are read). An integer problem
// is defined for fwd only: other directions of one give an empty Reference.
Reference compute_reference(const Problem& p, Direction d, const Operands& ops);

// Only the elements at `indices` (flat logical indices of the direction's output, each in
// range; sorted and deduplicated here), bitwise equal to the same elements of
// compute_reference. Costs one element's terms per index.
Reference compute_sampled_reference(const Problem& p, Direction d, const Operands& ops,
                                    std::vector<std::int64_t> indices);

}  // namespace tconv
