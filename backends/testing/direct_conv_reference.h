// An independent, deliberately dumb reference for the oracle's proofs (docs/design.md section 1):
//   fwd          = zero insertion (s-1 zeros between input pixels) + padding by d*(k-1) - crop
//                  per side (negative = cropping the zero-inserted input) + a stride-1
//                  convolution with the spatially flipped kernel, in/out channels swapped;
//   bwd_data     = by duality, a plain strided convolution of dy (padded by the crops) with the
//                  unflipped kernel, the transposed operator's C_in being its output channels;
//   bwd_weights  = that convolution's weight gradient (x correlated with the padded dy);
//   bwd_bias     = a plain sum.
// It builds its own plain NCHW / OIHW buffers of doubles and never calls the oracle or the
// layout offset helpers; inputs are read through HostTensor::at (logical indices).
#pragma once

#include <vector>

#include "backends/api/problem.h"
#include "backends/api/tensor.h"

namespace tconv::crosscheck {

// Values in the output's logical C order (NCHW, IOHW or [C_out]) and, per element, the sum of
// |a*b| over the products it adds (inserted zeros contribute 0), for a relative comparison.
struct DirectResult {
  std::vector<double> value;
  std::vector<double> abs_sum;
};

DirectResult direct_forward(const Problem& p, const HostTensor& x, const HostTensor& w, const HostTensor* b);
DirectResult direct_backward_data(const Problem& p, const HostTensor& dy, const HostTensor& w);
DirectResult direct_backward_weights(const Problem& p, const HostTensor& x, const HostTensor& dy);
DirectResult direct_backward_bias(const Problem& p, const HostTensor& dy);

}  // namespace tconv::crosscheck
