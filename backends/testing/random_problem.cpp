#include "backends/testing/random_problem.h"

#include <algorithm>
#include <iterator>

namespace tconv::crosscheck {

namespace {

std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// One spatial axis's crops for a "full" output of `full` pixels.
void random_crops(std::mt19937_64& rng, std::int64_t full, std::int64_t stride, std::int64_t dilation,
                  std::int64_t& begin, std::int64_t& end) {
  switch (pick(rng, 0, 4)) {
    case 0: begin = end = 0; break;
    case 1: begin = end = pick(rng, 0, 3); break;                        // symmetric
    case 2: begin = pick(rng, 0, 3); end = pick(rng, 0, 3); break;       // asymmetric
    case 3: begin = pick(rng, -2, 3); end = pick(rng, -2, 3); break;     // may extend (negative)
    default:                                                              // output_padding
      begin = pick(rng, 0, 3);
      end = begin - pick(rng, 0, std::max(stride, dilation) - 1);
      break;
  }
  // Keep at least one output pixel: give back crop from the larger side.
  while (full - begin - end < 1) (begin > end ? begin : end) -= 1;
}

}  // namespace

Problem random_problem(std::mt19937_64& rng, const RandomProblemLimits& l) {
  Problem p;
  p.n = pick(rng, 1, l.max_n);
  const bool depthwise = pick(rng, 0, 4) == 0;
  p.groups = depthwise ? pick(rng, 1, 4) : pick(rng, 1, l.max_groups);
  p.c_in = p.groups * (depthwise ? 1 : pick(rng, 1, l.max_channels_per_group));
  p.c_out = p.groups * (depthwise ? pick(rng, 1, 2) : pick(rng, 1, l.max_channels_per_group));
  p.h_in = pick(rng, 1, l.max_spatial);
  p.w_in = pick(rng, 1, l.max_spatial);
  p.kh = pick(rng, 1, l.max_kernel);
  p.kw = pick(rng, 0, 2) == 0 ? p.kh : pick(rng, 1, l.max_kernel);
  p.stride_h = pick(rng, 1, l.max_stride);
  p.stride_w = pick(rng, 0, 2) == 0 ? p.stride_h : pick(rng, 1, l.max_stride);
  p.dil_h = pick(rng, 1, l.max_dilation);
  p.dil_w = pick(rng, 0, 2) == 0 ? p.dil_h : pick(rng, 1, l.max_dilation);
  random_crops(rng, (p.h_in - 1) * p.stride_h + p.dil_h * (p.kh - 1) + 1, p.stride_h, p.dil_h, p.crop_top,
               p.crop_bottom);
  random_crops(rng, (p.w_in - 1) * p.stride_w + p.dil_w * (p.kw - 1) + 1, p.stride_w, p.dil_w, p.crop_left,
               p.crop_right);
  p.bias = pick(rng, 0, 1) == 1;
  p.layout = kDataLayouts[pick(rng, 0, std::size(kDataLayouts) - 1)];
  p.weight_layout = kWeightLayouts[pick(rng, 0, std::size(kWeightLayouts) - 1)];
  return p;
}

}  // namespace tconv::crosscheck
