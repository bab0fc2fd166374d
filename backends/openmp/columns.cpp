#include "backends/openmp/columns.h"

#include <algorithm>

namespace tconv::openmp {

Columns::Columns(const Problem& prob, const Chunk& ch, float* d, std::int64_t leading)
    : p(prob), h(height_axis(prob)), w(width_axis(prob)), chunk(ch), data(d), ld(leading),
      c_out_g(prob.c_out / prob.groups), taps(prob.kh * prob.kw), group_count(prob.groups) {
  w_ranges.reserve(static_cast<std::size_t>(p.kw));
  for (std::int64_t kw = 0; kw < p.kw; ++kw) w_ranges.push_back(w.range(kw));
}

std::int64_t Columns::input_row(std::int64_t oh, std::int64_t kh) const {
  const std::int64_t t = oh + h.crop - kh * h.dil;  // = ih * stride
  if (t < 0 || t % h.stride != 0) return -1;
  const std::int64_t ih = t / h.stride;
  return ih >= chunk.ih0 && ih < chunk.ih0 + chunk.rows ? ih : -1;
}

std::int64_t Columns::first_output_row() const {
  if (chunk.rows == h.in) return 0;
  return std::max<std::int64_t>(0, chunk.ih0 * h.stride - h.crop);
}

std::int64_t Columns::last_output_row() const {
  if (chunk.rows == h.in) return h.out;
  return std::min(h.out, (chunk.ih0 + chunk.rows - 1) * h.stride - h.crop + (h.k - 1) * h.dil + 1);
}

}  // namespace tconv::openmp
