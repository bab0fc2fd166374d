// fwd and bwd_data of the transposed convolution as a plain correlation, the form FFT and
// Winograd algorithms compute (test backends transform_models.h):
//   out[n][g][oc][i][j] = sum_ic sum_u,v in[n][g][ic][i*st_h + u][j*st_w + v] * k[g][oc][ic][u][v]
// fwd: in = x with s-1 zeros inserted between pixels, padded so that output (0, 0) reads its
//      first tap; k = w flipped in both axes, dilated; stride 1. (A transposed convolution
//      with stride 1 is a correlation with the flipped kernel.)
// bwd_data: in = dy padded by the crops, k = w dilated, stride = the problem's stride.
// Everything in f32, as the algorithms being modelled compute.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/api/backend.h"

namespace tconv::testing {

struct CorrelationForm {
  std::int64_t n = 0, groups = 0, ic = 0, oc = 0;  // ic, oc per group
  std::int64_t in_h = 0, in_w = 0, k_h = 0, k_w = 0;
  std::int64_t out_h = 0, out_w = 0, stride_h = 1, stride_w = 1;
  std::vector<float> in;      // [n][groups][ic][in_h][in_w]
  std::vector<float> kernel;  // [groups][oc][ic][k_h][k_w]

  std::size_t in_index(std::int64_t b, std::int64_t g, std::int64_t c, std::int64_t i, std::int64_t j) const {
    return static_cast<std::size_t>((((b * groups + g) * ic + c) * in_h + i) * in_w + j);
  }
  std::size_t tap_index(std::int64_t g, std::int64_t o, std::int64_t c, std::int64_t u, std::int64_t v) const {
    return static_cast<std::size_t>((((g * oc + o) * ic + c) * k_h + u) * k_w + v);
  }
  float input(std::int64_t b, std::int64_t g, std::int64_t c, std::int64_t i, std::int64_t j) const {
    return in[in_index(b, g, c, i, j)];
  }
  float tap(std::int64_t g, std::int64_t o, std::int64_t c, std::int64_t u, std::int64_t v) const {
    return kernel[tap_index(g, o, c, u, v)];
  }
  std::size_t out_index(std::int64_t b, std::int64_t g, std::int64_t o, std::int64_t i, std::int64_t j) const {
    return static_cast<std::size_t>((((b * groups + g) * oc + o) * out_h + i) * out_w + j);
  }
  std::size_t out_size() const { return static_cast<std::size_t>(n * groups * oc * out_h * out_w); }
};

// The sizes only (no data). d must be fwd or bwd_data.
CorrelationForm correlation_shape(const Problem& p, Direction d);
// Sizes and data.
CorrelationForm correlation_form(const Problem& p, Direction d, const Operands& ops);

// Writes out (CorrelationForm::out_index order) into the direction's output, adding the fwd
// bias in f32 after the correlation.
void store_correlation(const CorrelationForm& f, const std::vector<float>& out, const Problem& p, Direction d,
                       const Operands& ops);

}  // namespace tconv::testing
