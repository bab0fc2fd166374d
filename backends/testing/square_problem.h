// A compact way for backend tests to write the same square-kernel problem list: kernel k,
// stride s, dilation d in both axes and the same crops on both axes.
#pragma once

#include <cstdint>

#include "backends/api/problem.h"

namespace tconv {

inline Problem square_problem(std::int64_t n, std::int64_t ci, std::int64_t co, std::int64_t g, std::int64_t h,
                              std::int64_t w, std::int64_t k, std::int64_t s, std::int64_t d,
                              std::int64_t crop_begin, std::int64_t crop_end) {
  Problem p;
  p.n = n; p.c_in = ci; p.c_out = co; p.groups = g; p.h_in = h; p.w_in = w;
  p.kh = p.kw = k; p.stride_h = p.stride_w = s; p.dil_h = p.dil_w = d;
  p.crop_top = p.crop_left = crop_begin; p.crop_bottom = p.crop_right = crop_end;
  return p;
}

}  // namespace tconv
