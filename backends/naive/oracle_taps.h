// Where the taps of one spatial dimension land, shared by the oracle's row loops: strides
// split an output row into phases, and along a phase a tap pairs consecutive pixels.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "backends/api/problem.h"

namespace tconv::oracle {

inline std::int64_t floor_mod(std::int64_t a, std::int64_t m) { return ((a % m) + m) % m; }

// A phase-major row of `len` positions, stride s: position r + j*s at [r*phase_len + j].
struct Phases {
  std::int64_t s, len, phase_len;
  Phases(std::int64_t stride, std::int64_t length) : s(stride), len(length), phase_len((length + stride - 1) / stride) {}
  std::int64_t count(std::int64_t r) const { return r < len ? (len - r + s - 1) / s : 0; }
  std::int64_t at(std::int64_t pos) const { return (pos % s) * phase_len + pos / s; }
  std::int64_t size() const { return s * phase_len; }
};

// Tap kw along a row: outputs r + j*s (phase r) pair with input pixels j + shift, for j in
// [j0, j1) (none when j1 <= j0). Output ow = iw*s - pad + kw*dil, for fwd and bwd_data alike.
struct TapSpan {
  std::int64_t r = 0, shift = 0, j0 = 0, j1 = 0;
};

inline std::vector<TapSpan> tap_spans(const Phases& out, std::int64_t in_len, std::int64_t k, std::int64_t dil,
                               std::int64_t pad) {
  std::vector<TapSpan> spans(static_cast<std::size_t>(k));
  for (std::int64_t kw = 0; kw < k; ++kw) {
    TapSpan& t = spans[static_cast<std::size_t>(kw)];
    const std::int64_t off = kw * dil - pad;  // ow = iw*s + off
    t.r = floor_mod(off, out.s);
    t.shift = (t.r - off) / out.s;
    t.j0 = std::max<std::int64_t>(0, -t.shift);
    t.j1 = std::min(out.count(t.r), in_len - t.shift);
  }
  return spans;
}

// How many taps reach each output position (by_output) or leave each input pixel (else).
inline std::vector<std::int32_t> tap_counts(std::int64_t out_len, std::int64_t in_len, std::int64_t k, std::int64_t s,
                                     std::int64_t dil, std::int64_t pad, bool by_output) {
  std::vector<std::int32_t> count(static_cast<std::size_t>(by_output ? out_len : in_len), 0);
  for (std::int64_t i = 0; i < in_len; ++i)
    for (std::int64_t t = 0; t < k; ++t)
      if (const std::int64_t o = i * s - pad + t * dil; o >= 0 && o < out_len)
        ++count[static_cast<std::size_t>(by_output ? o : i)];
  return count;
}

// fwd: the input row whose tap kh lands on output row oh, or -1 when none does.
inline std::int64_t input_row(const Problem& p, std::int64_t oh, std::int64_t kh) {
  const std::int64_t th = oh + p.crop_top - kh * p.dil_h;  // = ih * stride_h
  return th < 0 || th % p.stride_h || th / p.stride_h >= p.h_in ? -1 : th / p.stride_h;
}

// Both spatial dimensions of a problem: the width's phases and tap spans, and how many taps
// reach each output row / column (fwd) or leave each input row / column (bwd_data).
struct RowTaps {
  Phases ph;
  std::vector<TapSpan> spans;
  std::vector<std::int32_t> h_count, w_count;
};
inline RowTaps row_taps(const Problem& p, bool fwd) {
  const std::int64_t ho = p.h_out(), wo = p.w_out();
  const Phases ph(p.stride_w, wo);
  return {ph, tap_spans(ph, p.w_in, p.kw, p.dil_w, p.crop_left),
          tap_counts(ho, p.h_in, p.kh, p.stride_h, p.dil_h, p.crop_top, fwd),
          tap_counts(wo, p.w_in, p.kw, p.stride_w, p.dil_w, p.crop_left, fwd)};
}

}  // namespace tconv::oracle
