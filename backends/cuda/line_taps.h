// The taps of every destination line of one spatial axis, tabulated once per block so that a
// memory-bound thread looks them up instead of deriving them per run (landing_taps' gcd and
// floor divisions, span_in_range's ceil / floor divisions: 64-bit division calls, hundreds of
// instructions against a handful of multiply-adds per output element).
//
// One shape serves both directions: the taps first + j*step (j < count) of a line read source
// line src_first - j*src_step.
//   fwd:      destination y, source x:  landing_taps (step stride/g, src_step dil/g)
//   bwd_data: destination dx, source dy: the taps whose output line exists (step 1, src_step -dil)
// step and src_step are the same for every line of an axis (AxisTaps); a line keeps 3 ints.
#pragma once

#include <cstdint>

#include "backends/cuda/taps.h"

namespace tconv::cuda {

struct LineTaps {
  int first, count, src_first;
};

struct AxisTaps {
  int step = 1, src_step = 0;
};

// One axis of a direction: destination line o of `lines`, kernel taps `taps`.
struct AxisGeometry {
  std::int64_t crop, stride, dil, taps, src_size;
};

TCONV_HD AxisTaps axis_taps(const AxisGeometry& a, bool fwd) {
  AxisTaps t;
  if (fwd) {
    const std::int64_t g = gcd(a.stride, a.dil);
    t.step = static_cast<int>(a.stride / g);
    t.src_step = static_cast<int>(a.dil / g);
  } else {
    t.step = 1;
    t.src_step = static_cast<int>(-a.dil);
  }
  return t;
}

// Line o's taps (count 0: none lands). fwd: as landing_taps. bwd_data: input line o reaches
// output line o*stride - crop + r*dil through tap r; those inside the output, in tap order.
TCONV_HD LineTaps line_taps(const AxisGeometry& a, bool fwd, std::int64_t o) {
  LineTaps l{0, 0, 0};
  if (fwd) {
    const TapRange r = landing_taps(o, a.crop, a.stride, a.dil, a.taps, a.src_size);
    if (r.count > 0) l = {static_cast<int>(r.first), static_cast<int>(r.count), static_cast<int>(r.in_first)};
    return l;
  }
  const std::int64_t base = o * a.stride - a.crop;
  const Span s = span_in_range(base, a.dil, a.src_size, a.taps);
  if (s.hi >= s.lo) l = {static_cast<int>(s.lo), static_cast<int>(s.hi - s.lo + 1), static_cast<int>(base + s.lo * a.dil)};
  return l;
}

// The tables of a direction's destination rows and columns: h_lines rows, then w_lines columns.
struct TapTable {
  int h_lines, w_lines;
  AxisGeometry axis_h, axis_w;
  AxisTaps taps_h, taps_w;
};

// fwd: the rows and columns of y (taps into x); bwd_data: those of dx (taps into dy).
TCONV_HD TapTable tap_table(const ConvGeometry& g, bool fwd) {
  TapTable t;
  t.h_lines = static_cast<int>(fwd ? g.h_out : g.h_in);
  t.w_lines = static_cast<int>(fwd ? g.w_out : g.w_in);
  t.axis_h = {g.crop_top, g.stride_h, g.dil_h, g.kh, fwd ? g.h_in : g.h_out};
  t.axis_w = {g.crop_left, g.stride_w, g.dil_w, g.kw, fwd ? g.w_in : g.w_out};
  t.taps_h = axis_taps(t.axis_h, fwd);
  t.taps_w = axis_taps(t.axis_w, fwd);
  return t;
}

TCONV_HD std::int64_t tap_table_bytes(const TapTable& t) {
  return (std::int64_t{t.h_lines} + t.w_lines) * static_cast<std::int64_t>(sizeof(LineTaps));
}

// The line kernels address inside one image of x / y and inside the weights with 32-bit
// offsets (the image itself by a 64-bit pointer): true when those fit an int.
inline bool line_offsets_fit(const ConvGeometry& g) {
  const std::int64_t limit = std::int64_t{1} << 31;
  return g.c_in * g.h_in * g.w_in < limit && g.c_out * g.h_out * g.w_out < limit &&
         g.c_in * (g.c_out / g.groups) * g.kh * g.kw < limit;
}

// Thread t of `threads` fills entries t, t + threads, ...: rows first, then columns.
TCONV_HD void fill_tap_table(const TapTable& tt, bool fwd, int t, int threads, LineTaps* table) {
  for (int i = t; i < tt.h_lines + tt.w_lines; i += threads)
    table[i] = i < tt.h_lines ? line_taps(tt.axis_h, fwd, i) : line_taps(tt.axis_w, fwd, i - tt.h_lines);
}

}  // namespace tconv::cuda
