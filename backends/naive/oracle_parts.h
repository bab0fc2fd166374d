// Pieces shared by the oracle's files (not part of its interface): canonical f64 copies of the
// operands, the index maps of docs/design.md section 1, and one element's sum by the definition.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/naive/oracle.h"

namespace tconv::oracle {

// The oracle's working copies: uninitialised, large blocks recycled (reference_array.h),
// written once by the threads that later read them.
using Doubles = ReferenceArray<double>;

// Canonical (logical C order) double copies of the inputs, so the loops index plainly.
// x32 / dy32: x / dy itself when it is f32 in logical order and the caller takes it in place
// (then x / dy is empty): loops that widen as they read (fwd rows; bwd_data's phase-major
// copy; bwd_weights' channel-last copy; depthwise bwd_weights).
struct Canon {
  Doubles x, w, b, dy;
  const float* x32 = nullptr;
  const float* dy32 = nullptr;
};
struct InPlace {
  bool x = false, dy = false;
};
Canon canonical_inputs(const Problem& p, Direction d, const Operands& ops, InPlace in_place = {});
// The values of a tensor in logical order when it stores f32 in that order, else null: the
// loops that read an operand once take it from there instead of from a copy.
const float* logical_floats(const HostTensor* t);

struct Index {
  const Problem& p;
  std::int64_t ho, wo, ig, og;  // output size, channels per group (in / out)
  explicit Index(const Problem& problem)
      : p(problem), ho(p.h_out()), wo(p.w_out()), ig(p.c_in / p.groups), og(p.c_out / p.groups) {}
  std::int64_t x(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return ((n * p.c_in + c) * p.h_in + h) * p.w_in + w;
  }
  std::int64_t y(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return ((n * p.c_out + c) * ho + h) * wo + w;
  }
  std::int64_t wt(std::int64_t ci, std::int64_t o, std::int64_t kh, std::int64_t kw) const {
    return ((ci * og + o) * p.kh + kh) * p.kw + kw;
  }
};

// One element of a Reference: its value, S = sum |a_k*b_k|, the sum before the bias (fwd with
// bias) and K. Each term is added as t = a*b; sum += t; abs += |t|: the fast loops do the same
// operations in the same order per element, so both give bitwise the same numbers.
struct Element {
  double value = 0, abs = 0, pre_bias = 0;
  std::int32_t terms = 0;
  void add(double a, double b) {
    const double t = a * b;
    value += t;
    abs += std::fabs(t);
    ++terms;
  }
};

// Stores element e of the result from its accumulated terms; fwd with bias (bias_of >= 0,
// the output channel) adds the bias as one more term, as the definition does.
inline void store_element(const Problem& p, const Canon& c, Reference& r, std::size_t e, double sum, double abs,
                          std::int64_t terms, std::int64_t bias_of = -1) {
  Element a;
  a.value = sum;
  a.abs = abs;
  a.terms = static_cast<std::int32_t>(terms);
  if (bias_of >= 0 && p.bias) {
    r.pre_bias[e] = a.value;
    a.add(c.b[static_cast<std::size_t>(bias_of)], 1.0);
  }
  r.value[e] = a.value;
  r.abs_sum[e] = a.abs;
  r.terms[e] = a.terms;
}

// Element `e` (a flat logical index into the direction's output) by the definition, in the
// documented order (oracle.h). Float and integer problems alike (integer: fwd only).
Element element_sum(const Problem& p, const Index& ix, const Canon& c, Direction d, std::int64_t e);

// The fast loops: every element of the direction's output, same sums as element_sum.
void forward_rows(const Problem& p, const Index& ix, const Canon& c, Reference& r);
void backward_data_rows(const Problem& p, const Index& ix, const Canon& c, Reference& r);
// The same with the channels of a group innermost (better when a group has many channels).
void forward_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r);
void backward_data_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r);
inline constexpr std::int64_t kChannelsInnermost = 16;
void backward_weights_channels(const Problem& p, const Index& ix, const Canon& c, Reference& r);
void backward_bias_channels(const Problem& p, const Index& ix, const Canon& c, Reference& r);
void backward_bias_floats(const Problem& p, const Index& ix, const float* dy, Reference& r);

// The hot loops, compiled for AVX2 and for the baseline and picked when the program loads.
// Both round identically: per lane IEEE multiply, add and |.|, no fused multiply-add
// (-ffp-contract=off, and the avx2 target does not enable FMA).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TCONV_ORACLE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TCONV_ORACLE_CLONES
#endif

// sum[j] += a[j]*b; abs[j] += |a[j]*b| over n elements (b broadcast, or b[j]): the terms of
// n elements side by side, one each. a may be f32 (widened exactly first).
template <class T>
inline void multiply_add(double* __restrict sum, double* __restrict abs, const T* __restrict a, double b,
                         std::int64_t n) {
  for (std::int64_t j = 0; j < n; ++j) {
    const double t = static_cast<double>(a[j]) * b;
    sum[j] += t;
    abs[j] += std::fabs(t);
  }
}
inline void multiply_add(double* __restrict sum, double* __restrict abs, const double* __restrict a,
                         const double* __restrict b, std::int64_t n) {
  for (std::int64_t j = 0; j < n; ++j) {
    const double t = a[j] * b[j];
    sum[j] += t;
    abs[j] += std::fabs(t);
  }
}

// Task t of a walk over (image, group, channel block, row), the row fastest: which image,
// group and row it owns, and channels c0 .. c0+nb of the group (blocks of `block` out of
// `channels` per group, `rows` rows per plane).
struct RowBlock {
  std::int64_t n, g, row, c0, nb;
};
inline RowBlock row_block(std::int64_t task, std::int64_t rows, std::int64_t blocks, std::int64_t block,
                          std::int64_t channels, std::int64_t groups) {
  RowBlock b;
  b.row = task % rows;
  b.c0 = (task / rows) % blocks * block;
  b.g = (task / (rows * blocks)) % groups;
  b.n = task / (rows * blocks * groups);
  b.nb = std::min(block, channels - b.c0);
  return b;
}

// How many threads a parallel region may use (1 without OpenMP). Only partitions depend on
// it, never results.
int max_threads();

// Threads only pay off beyond some work: on a small problem, waking (and, on a loaded machine,
// spinning) OpenMP threads costs far more than the loops. Results do not depend on it.
inline bool worth_threads(double terms) { return terms >= 65536.0; }

// [n][c][hw] -> [n][hw][c] of `v` (the f32 tensor itself, or a double copy), in tiles of
// pixels so that reads and writes both stay in cache.
template <class T>
Doubles channels_last(const T* v, std::int64_t n, std::int64_t c, std::int64_t hw) {
  const auto size = static_cast<std::size_t>(n * c * hw);
  Doubles t(size);
  constexpr std::int64_t kTile = 64;
  const std::int64_t tiles = (hw + kTile - 1) / kTile;
#pragma omp parallel for schedule(static) if (worth_threads(static_cast<double>(size)))
  for (std::int64_t job = 0; job < n * tiles; ++job) {
    const std::int64_t i = job / tiles, s0 = (job % tiles) * kTile, s1 = std::min(hw, s0 + kTile);
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t s = s0; s < s1; ++s) t[static_cast<std::size_t>((i * hw + s) * c + ch)] = v[(i * c + ch) * hw + s];
  }
  return t;
}
template <class T>
Doubles channels_last(const T* v, const Doubles& copy, std::int64_t n, std::int64_t c, std::int64_t hw) {
  return v ? channels_last(v, n, c, hw) : channels_last(copy.data(), n, c, hw);
}

// [n][c][hw] -> [g][tile][n][hw][16]: each group's channels in tiles of 16 lanes (zeros past
// the group's last channel), pixels next, so that a tile's lanes of consecutive pixels are
// consecutive memory (channel-last rows of many channels put consecutive pixels a multiple of
// 4 KiB apart, and a chunk of pixels then fought over a few L1 sets).
template <class T>
Doubles tiled_channels_last(const T* v, std::int64_t n, std::int64_t c, std::int64_t hw, std::int64_t groups) {
  constexpr std::int64_t kLanes = 16;
  const std::int64_t per_group = c / groups, tiles = (per_group + kLanes - 1) / kLanes;
  Doubles t(static_cast<std::size_t>(groups * tiles * n * hw * kLanes));
#pragma omp parallel for schedule(static) if (worth_threads(static_cast<double>(t.size())))
  for (std::int64_t job = 0; job < groups * tiles * n; ++job) {
    const std::int64_t i = job % n, tile = job / n % tiles, g = job / (n * tiles);
    const std::int64_t c0 = tile * kLanes, lanes = std::min(kLanes, per_group - c0);
    double* out = &t[static_cast<std::size_t>(job * hw * kLanes)];
    for (std::int64_t s = 0; s < hw; ++s) {
      for (std::int64_t l = 0; l < lanes; ++l) out[s * kLanes + l] = v[(i * c + g * per_group + c0 + l) * hw + s];
      for (std::int64_t l = lanes; l < kLanes; ++l) out[s * kLanes + l] = 0.0;
    }
  }
  return t;
}
template <class T>
Doubles tiled_channels_last(const T* v, const Doubles& copy, std::int64_t n, std::int64_t c, std::int64_t hw,
                            std::int64_t groups) {
  return v ? tiled_channels_last(v, n, c, hw, groups) : tiled_channels_last(copy.data(), n, c, hw, groups);
}

// Tasks per hand-out: about 2^15 terms' worth, so that dispatching (an atomic and a call per
// hand-out) does not outweigh small tasks (a depthwise row is a few hundred terms), while
// every thread still gets 16 or more hand-outs to balance with.
inline std::int64_t task_chunk(std::int64_t tasks, double terms) {
  const double per_task = std::max(terms / static_cast<double>(std::max<std::int64_t>(tasks, 1)), 1.0);
  const auto by_work = static_cast<std::int64_t>(32768.0 / per_task);
  return std::max<std::int64_t>(1, std::min(by_work, tasks / (16 * max_threads())));
}

// task(plan, r, sum, abs, t) for every t in [0, tasks) (`terms` in all), each thread with its
// own `scratch` doubles of sum and abs. Dynamic: on a shared machine a descheduled thread
// does not hold the others up, and every element is still owned by one task.
template <class Plan, class Task>
void run_tasks(const Plan& f, Reference& r, std::int64_t tasks, std::int64_t scratch, double terms, Task task) {
  const std::int64_t chunk = task_chunk(tasks, terms);
#pragma omp parallel if (worth_threads(terms))
  {
    std::vector<double> sum(static_cast<std::size_t>(scratch)), abs(sum.size());
#pragma omp for schedule(dynamic, chunk)
    for (std::int64_t t = 0; t < tasks; ++t) task(f, r, sum.data(), abs.data(), t);
  }
}

}  // namespace tconv::oracle
