// Which kernel taps connect an output line to a real input line, for the custom CUDA kernels.
// Extends geometry.h (same conventions): every function is __host__ __device__, so the unit
// tests enumerate exactly the taps a GPU thread visits.
#pragma once

#include <cstdint>

#include "backends/cuda/geometry.h"

namespace tconv::cuda {

// Integer division rounding down / up, correct for negative numerators (b > 0).
TCONV_HD std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
TCONV_HD std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

TCONV_HD std::int64_t gcd(std::int64_t a, std::int64_t b) {
  while (b != 0) {
    const std::int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Taps first, first + step, ... (count of them) of one spatial axis; tap number j reads input
// line in_first - j*in_step. Only taps that land on an input line exist here: the stride-phase
// decomposition (a gather thread never multiplies an inserted zero).
struct TapRange {
  std::int64_t first = 0, step = 1, count = 0;
  std::int64_t in_first = 0, in_step = 0;
};

// The taps k of a transposed convolution with o = i*stride - pad + k*dil for output line o,
// 0 <= k < taps and 0 <= i < in_size. t = o + pad; needs k*dil == t (mod stride).
TCONV_HD TapRange landing_taps(std::int64_t o, std::int64_t pad, std::int64_t stride, std::int64_t dil,
                               std::int64_t taps, std::int64_t in_size) {
  TapRange r;
  const std::int64_t t = o + pad;
  const std::int64_t g = gcd(stride, dil);
  if (floor_div(t, g) * g != t) return r;  // no tap reaches this phase
  r.step = stride / g;
  r.in_step = dil / g;
  // The phase's first tap: r0*dil == t (mod stride), 0 <= r0 < stride/g (at most stride tries).
  std::int64_t r0 = 0;
  while (floor_div(t - r0 * dil, stride) * stride != t - r0 * dil) ++r0;
  // i = (t - k*dil)/stride must lie in [0, in_size): k <= t/dil, k >= (t - (in_size-1)*stride)/dil.
  std::int64_t lo = ceil_div(t - (in_size - 1) * stride, dil);
  std::int64_t hi = floor_div(t, dil);
  if (lo < 0) lo = 0;
  if (hi > taps - 1) hi = taps - 1;
  const std::int64_t first = lo > r0 ? r0 + ceil_div(lo - r0, r.step) * r.step : r0;
  if (first > hi) return r;
  r.first = first;
  r.count = (hi - first) / r.step + 1;
  r.in_first = (t - first * dil) / stride;
  return r;
}

// Inclusive range [lo, hi] of v with 0 <= base + v*step < size and 0 <= v < limit (empty when
// lo > hi). Serves both directions of the plain convolutions in bwd_data and bwd_weights.
struct Span {
  std::int64_t lo = 0, hi = -1;
};
TCONV_HD Span span_in_range(std::int64_t base, std::int64_t step, std::int64_t size, std::int64_t limit) {
  Span s;
  s.lo = ceil_div(-base, step);
  s.hi = floor_div(size - 1 - base, step);
  if (s.lo < 0) s.lo = 0;
  if (s.hi > limit - 1) s.hi = limit - 1;
  return s;
}

}  // namespace tconv::cuda
