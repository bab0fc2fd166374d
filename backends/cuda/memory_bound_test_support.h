// Shared by the memory-bound families' emulation tests: problem shapes that take and break the
// vector paths, gather's emulated output (the bitwise peer), and a bitwise comparison.
#pragma once

#include <cuda_fp16.h>

#include <cstring>
#include <vector>

#include "backends/cuda/emulation_test_support.h"
#include "backends/cuda/gather_emulate.h"
#include "backends/cuda/line_grid.h"

namespace tconv::cuda {

inline HostTensor run_gather(const Problem& p, Direction d, const InputSet& in) {
  return run_emulated(p, d, in, [d, &p](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_gather<__half, float>(d, g, ops);
    else
      emulate_gather<float, float>(d, g, ops);
  });
}

inline bool bitwise_equal(const HostTensor& a, const HostTensor& b) {
  return a.bytes() == b.bytes() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

inline Problem shape(std::int64_t n, std::int64_t ci, std::int64_t co, std::int64_t groups, std::int64_t h, std::int64_t w,
              std::int64_t k, std::int64_t s, std::int64_t dil, std::int64_t crop_begin, std::int64_t crop_end,
              Layout layout, bool bias = true) {
  Problem p;
  p.n = n, p.c_in = ci, p.c_out = co, p.groups = groups, p.h_in = h, p.w_in = w, p.kh = k, p.kw = k;
  p.stride_h = p.stride_w = s, p.dil_h = p.dil_w = dil;
  p.crop_top = p.crop_left = crop_begin, p.crop_bottom = p.crop_right = crop_end;
  p.layout = layout, p.weight_layout = layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW, p.bias = bias;
  return p;
}

// Shapes that take the vector paths and shapes that must not (odd widths, channels % 4 != 0),
// with negative crops, dilation and channel multipliers.
inline std::vector<Problem> depthwise_edge_shapes() {
  std::vector<Problem> v;
  for (Layout l : kDataLayouts) {
    v.push_back(shape(2, 8, 8, 8, 6, 8, 3, 2, 1, 1, 0, l));      // dw k3 s2, w_out 16: aligned rows
    v.push_back(shape(2, 8, 8, 8, 5, 7, 3, 2, 1, 1, 0, l));      // odd widths: w_out 14, w_in 7
    v.push_back(shape(1, 12, 12, 12, 4, 5, 3, 3, 2, -2, 1, l));  // dilation 2, negative crop
    v.push_back(shape(1, 6, 6, 6, 5, 5, 4, 2, 1, 1, 1, l));      // 6 channels: runs of 4 + 2
    v.push_back(shape(2, 4, 8, 4, 5, 6, 3, 2, 1, 0, 1, l));      // channel multiplier 2
    v.push_back(shape(1, 8, 8, 2, 4, 4, 2, 2, 1, 0, 0, l));      // 4 channels per group in and out
    v.push_back(shape(1, 5, 5, 5, 3, 9, 5, 1, 3, -1, 2, l, false));
  }
  return v;
}

// A launch shape of the line-table kernels (line_grid.h): the block cap and the threads per block.
struct Grid {
  std::int64_t max_blocks;
  int threads;
};

// Small grids make threads walk many rows; the device's block (kLinesThreads) is among them.
inline Grid random_grid(std::mt19937_64& rng) {
  const std::int64_t caps[] = {1, 2, 3, 5, 11, 1 << 20};
  const int threads[] = {1, 7, 32, kLinesThreads};
  return {caps[rng() % 6], threads[rng() % 4]};
}

// small_cout's: C_out <= 4 with FSRCNN's and DCGAN's last layers in small, groups, dilation.
inline std::vector<Problem> small_cout_edge_shapes() {
  std::vector<Problem> v;
  for (Layout l : kDataLayouts) {
    v.push_back(shape(1, 8, 1, 1, 5, 6, 9, 3, 1, 4, 2, l));   // FSRCNN's last layer, small
    v.push_back(shape(2, 8, 3, 1, 4, 5, 4, 2, 1, 1, 1, l));   // DCGAN's last layer, small
    v.push_back(shape(1, 8, 4, 1, 3, 7, 3, 2, 2, -1, 0, l));  // C_out 4 (vector store in NHWC), dilation
    v.push_back(shape(1, 6, 2, 2, 4, 3, 3, 3, 1, -2, 1, l));  // groups, C_in % 4 != 0
    v.push_back(shape(1, 16, 4, 2, 3, 3, 2, 1, 1, 0, 0, l, false));  // groups with 8 inputs each
  }
  return v;
}

// The edge shapes and 200 random problems, every third in f16, the rest f32: for the bitwise
// comparisons on real-valued (uniform) fills.
inline std::vector<Problem> real_valued_problems(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Problem> problems = depthwise_edge_shapes();
  for (int i = 0; i < 200; ++i) problems.push_back(random_problem_of(rng, DType::f32));
  for (std::size_t i = 0; i < problems.size(); ++i) problems[i].dtype = i % 3 == 0 ? DType::f16 : DType::f32;
  return problems;
}

}  // namespace tconv::cuda
