// A thread's walk over the rows of a tensor without divisions: the row index as up to four
// mixed-radix digits (d0 fastest; d3 unbounded), advanced by a fixed step whose digits the
// host computed, one carry per digit. The memory-bound kernels decode their first row once
// (row_digits, with divisions) and then walk (advance_row).
#pragma once

#include <cstdint>

#include "backends/cuda/geometry.h"

namespace tconv::cuda {

struct RowDigits {
  int d0, d1, d2;
  std::int64_t d3;
};

struct RowWalk {
  int radix0, radix1, radix2;
  RowDigits step;
};

TCONV_HD RowDigits row_digits(const RowWalk& w, std::int64_t row) {
  RowDigits d;
  d.d0 = static_cast<int>(row % w.radix0), row /= w.radix0;
  d.d1 = static_cast<int>(row % w.radix1), row /= w.radix1;
  d.d2 = static_cast<int>(row % w.radix2), d.d3 = row / w.radix2;
  return d;
}

// Radices (each >= 1) and the step, in rows.
TCONV_HD RowWalk row_walk(std::int64_t radix0, std::int64_t radix1, std::int64_t radix2, std::int64_t step) {
  RowWalk w;
  w.radix0 = static_cast<int>(radix0);
  w.radix1 = static_cast<int>(radix1);
  w.radix2 = static_cast<int>(radix2);
  w.step = row_digits(w, step);
  return w;
}

// d + step (each digit and the step's are below their radix, so one carry each).
TCONV_HD void advance_row(const RowWalk& w, RowDigits& d) {
  d.d0 += w.step.d0;
  int carry = d.d0 >= w.radix0;
  if (carry) d.d0 -= w.radix0;
  d.d1 += w.step.d1 + carry;
  carry = d.d1 >= w.radix1;
  if (carry) d.d1 -= w.radix1;
  d.d2 += w.step.d2 + carry;
  carry = d.d2 >= w.radix2;
  if (carry) d.d2 -= w.radix2;
  d.d3 += w.step.d3 + carry;
}

}  // namespace tconv::cuda
