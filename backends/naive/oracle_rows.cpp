// The oracle's fast loops for fwd and bwd_data: one task per output row (and block of
// channels), vectorised along the row. Each element still receives its terms in the order of
// the definition (fwd: ci, kh, kw; bwd_data: o, kh, kw), one task per element, so the result
// is bitwise that of element_sum and independent of the thread count.
//
// A stride s splits a row into s phases (ow = r + j*s). Along a phase one kernel tap (kw)
// pairs consecutive input pixels with consecutive outputs, so rows are kept phase-major: the
// inner loops are plain contiguous multiply-adds the compiler vectorises.
#include <algorithm>
#include <cmath>

#include "backends/naive/oracle_parts.h"
#include "backends/naive/oracle_taps.h"

namespace tconv::oracle {

namespace {

// Channels per task: enough to reuse each input row from L1, few enough for the
// accumulators (2 x block x row) to stay there.
std::int64_t channel_block(std::int64_t row_len, std::int64_t channels) {
  return std::clamp<std::int64_t>(1024 / std::max<std::int64_t>(row_len, 1), 1, std::min<std::int64_t>(channels, 8));
}

// What every row task of one direction shares.
struct RowPlan {
  const Problem& p;
  const Index& ix;
  const Canon& c;
  RowTaps taps;
  std::int64_t block, blocks;
  Doubles dyp{};  // bwd_data: dy with phase-major rows
  std::vector<std::int64_t> at{};  // each output column's place in a phase-major row
};

// Output row oh of image n, channels o0 .. o0+nb of group g.
// x_all: all of x in logical order (the f32 tensor itself, or its double copy).
template <class T>
__attribute__((always_inline)) inline void forward_row(const RowPlan& f, const T* x_all, Reference& r, double* sum,
                                                       double* abs, std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const auto [n, g, oh, o0, nb] = row_block(task, ix.ho, f.blocks, f.block, ix.og, p.groups);
  const std::int64_t stride = f.taps.ph.size();
  std::fill(sum, sum + nb * stride, 0.0);
  std::fill(abs, abs + nb * stride, 0.0);
  for (std::int64_t ci = g * ix.ig; ci < (g + 1) * ix.ig; ++ci)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t ih = input_row(p, oh, kh);
      if (ih < 0) continue;
      const T* xrow = x_all + ix.x(n, ci, ih, 0);
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const TapSpan& t = f.taps.spans[static_cast<std::size_t>(kw)];
        if (t.j1 <= t.j0) continue;
        for (std::int64_t b = 0; b < nb; ++b) {
          const std::int64_t at = b * stride + t.r * f.taps.ph.phase_len + t.j0;
          multiply_add(sum + at, abs + at, xrow + t.j0 + t.shift, f.c.w[static_cast<std::size_t>(ix.wt(ci, o0 + b, kh, kw))],
                       t.j1 - t.j0);
        }
      }
    }
  for (std::int64_t b = 0; b < nb; ++b) {
    const std::int64_t co = g * ix.og + o0 + b;
    const auto row = static_cast<std::size_t>(ix.y(n, co, oh, 0));
    for (std::int64_t ow = 0; ow < ix.wo; ++ow) {
      const std::size_t e = row + static_cast<std::size_t>(ow);
      const std::int64_t at = b * stride + f.at[static_cast<std::size_t>(ow)];
      const std::int64_t terms = ix.ig * f.taps.h_count[static_cast<std::size_t>(oh)] * f.taps.w_count[static_cast<std::size_t>(ow)];
      store_element(p, f.c, r, e, sum[at], abs[at], terms, co);
    }
  }
}

TCONV_ORACLE_CLONES void forward_task(const RowPlan& f, Reference& r, double* sum, double* abs, std::int64_t task) {
  if (f.c.x32) forward_row(f, f.c.x32, r, sum, abs, task);
  else forward_row(f, f.c.x.data(), r, sum, abs, task);
}

// Input row ih of image n, channels ci0 .. ci0+nb (of one group).
TCONV_ORACLE_CLONES void backward_data_task(const RowPlan& f, Reference& r, double* sum, double* abs, std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const auto [n, g, ih, c0, nb] = row_block(task, p.h_in, f.blocks, f.block, ix.ig, p.groups);
  const std::int64_t ci0 = g * ix.ig + c0;
  std::fill(sum, sum + nb * p.w_in, 0.0);
  std::fill(abs, abs + nb * p.w_in, 0.0);
  for (std::int64_t o = 0; o < ix.og; ++o)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      const double* row = &f.dyp[static_cast<std::size_t>(((n * p.c_out + g * ix.og + o) * ix.ho + oh) * f.taps.ph.size())];
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const TapSpan& t = f.taps.spans[static_cast<std::size_t>(kw)];
        if (t.j1 <= t.j0) continue;
        for (std::int64_t b = 0; b < nb; ++b) {
          const std::int64_t at = b * p.w_in + t.j0 + t.shift;  // input pixel j + shift
          multiply_add(sum + at, abs + at, row + t.r * f.taps.ph.phase_len + t.j0,
                       f.c.w[static_cast<std::size_t>(ix.wt(ci0 + b, o, kh, kw))], t.j1 - t.j0);
        }
      }
    }
  for (std::int64_t b = 0; b < nb; ++b) {
    const auto row = static_cast<std::size_t>(ix.x(n, ci0 + b, ih, 0));
    for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
      const std::size_t e = row + static_cast<std::size_t>(iw);
      const std::int64_t terms = ix.og * f.taps.h_count[static_cast<std::size_t>(ih)] * f.taps.w_count[static_cast<std::size_t>(iw)];
      store_element(p, f.c, r, e, sum[b * p.w_in + iw], abs[b * p.w_in + iw], terms);
    }
  }
}

}  // namespace

void forward_rows(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t block = channel_block(ix.wo, ix.og);
  RowPlan f{p, ix, c, row_taps(p, true), block, (ix.og + block - 1) / block};
  const Phases& ph = f.taps.ph;
  for (std::int64_t ow = 0; ow < ix.wo; ++ow) f.at.push_back(ph.at(ow));
  const double terms = static_cast<double>(numel_y(p)) * static_cast<double>(fwd_terms(p));
  run_tasks(f, r, p.n * p.groups * f.blocks * ix.ho, block * ph.size(), terms, forward_task);
}

void backward_data_rows(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t block = channel_block(p.w_in, ix.ig);
  RowPlan f{p, ix, c, row_taps(p, false), block, (ix.ig + block - 1) / block};
  const Phases& ph = f.taps.ph;
  // dy rows phase-major, so tap kw of consecutive input pixels reads consecutive dy.
  const std::int64_t rows = p.n * p.c_out * ix.ho;
  f.dyp = Doubles(static_cast<std::size_t>(rows * ph.size()));
  for (std::int64_t ow = 0; ow < ix.wo; ++ow) f.at.push_back(ph.at(ow));
#pragma omp parallel for schedule(static) if (worth_threads(static_cast<double>(rows * ph.size())))
  for (std::int64_t row = 0; row < rows; ++row) {
    double* out = &f.dyp[static_cast<std::size_t>(row * ph.size())];
    std::fill(out, out + ph.size(), 0.0);  // the phases' unused tails
    if (c.dy32)
      for (std::int64_t ow = 0; ow < ix.wo; ++ow) out[f.at[static_cast<std::size_t>(ow)]] = c.dy32[row * ix.wo + ow];
    else
      for (std::int64_t ow = 0; ow < ix.wo; ++ow) out[f.at[static_cast<std::size_t>(ow)]] = c.dy[static_cast<std::size_t>(row * ix.wo + ow)];
  }
  const double terms = static_cast<double>(numel_x(p)) * static_cast<double>(ix.og * p.kh * p.kw);
  run_tasks(f, r, p.n * p.groups * f.blocks * p.h_in, block * p.w_in, terms, backward_data_task);
}

}  // namespace tconv::oracle
