// The oracle's fast loops for fwd and bwd_data when a group has many channels: one task per
// row, the channels of each pixel side by side (innermost) against a transposed weight, so
// short rows (8x8 images, 2x2 kernels) still give long vectors. Each element still receives
// its terms in the order of the definition (fwd: ci, kh, kw; bwd_data: o, kh, kw), one task
// per element, so the result is bitwise that of element_sum for any thread count.
#include <algorithm>

#include "backends/naive/oracle_parts.h"
#include "backends/naive/oracle_taps.h"

namespace tconv::oracle {

namespace {

struct PixelPlan {
  const Problem& p;
  const Index& ix;
  const Canon& c;
  RowTaps taps;
  std::int64_t block, blocks;
  std::vector<double> wt;  // fwd: [ci][kh][kw][o]; bwd_data: [co][kh][kw][i], ci = g*ig + i
};

// The weight with the channels that run side by side last: fwd [ci][kh][kw][o],
// bwd_data [co][kh][kw][i] (ci = g*ig + i).
std::vector<double> lanes_last_weights(const Problem& p, const Index& ix, const Canon& c, bool fwd) {
  std::vector<double> wt(c.w.size());
  for (std::int64_t ci = 0; ci < p.c_in; ++ci)
    for (std::int64_t o = 0; o < ix.og; ++o)
      for (std::int64_t tap = 0; tap < p.kh * p.kw; ++tap) {
        const std::int64_t co = (ci / ix.ig) * ix.og + o, i = ci % ix.ig;
        const std::int64_t at = fwd ? (ci * p.kh * p.kw + tap) * ix.og + o : (co * p.kh * p.kw + tap) * ix.ig + i;
        wt[static_cast<std::size_t>(at)] = c.w[static_cast<std::size_t>(ix.wt(ci, o, 0, 0) + tap)];
      }
  return wt;
}

// Channels per task: accumulators of 2 x row x block doubles, about L2-sized.
std::int64_t pixel_block(std::int64_t row_len, std::int64_t channels) {
  return std::clamp<std::int64_t>(8192 / std::max<std::int64_t>(row_len, 1), 8, channels);
}

// Output row oh of image n, output channels o0 .. o0+nb of group g, [ow][o] accumulators.
TCONV_ORACLE_CLONES void forward_pixel_task(const PixelPlan& f, Reference& r, double* sum, double* abs,
                                            std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const auto [n, g, oh, o0, nb] = row_block(task, ix.ho, f.blocks, f.block, ix.og, p.groups);
  std::fill(sum, sum + ix.wo * nb, 0.0);
  std::fill(abs, abs + ix.wo * nb, 0.0);
  for (std::int64_t ci = g * ix.ig; ci < (g + 1) * ix.ig; ++ci)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t ih = input_row(p, oh, kh);
      if (ih < 0) continue;
      const double* xrow = &f.c.x[static_cast<std::size_t>(ix.x(n, ci, ih, 0))];
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const TapSpan& t = f.taps.spans[static_cast<std::size_t>(kw)];
        const double* w = &f.wt[static_cast<std::size_t>(((ci * p.kh + kh) * p.kw + kw) * ix.og + o0)];
        for (std::int64_t j = t.j0; j < t.j1; ++j) {
          const std::int64_t at = (t.r + j * p.stride_w) * nb;
          multiply_add(sum + at, abs + at, w, xrow[j + t.shift], nb);
        }
      }
    }
  for (std::int64_t b = 0; b < nb; ++b) {
    const std::int64_t co = g * ix.og + o0 + b;
    const auto row = static_cast<std::size_t>(ix.y(n, co, oh, 0));
    for (std::int64_t ow = 0; ow < ix.wo; ++ow) {
      const std::size_t e = row + static_cast<std::size_t>(ow);
      const std::int64_t terms = ix.ig * f.taps.h_count[static_cast<std::size_t>(oh)] * f.taps.w_count[static_cast<std::size_t>(ow)];
      store_element(p, f.c, r, e, sum[ow * nb + b], abs[ow * nb + b], terms, co);
    }
  }
}

// Input row ih of image n, input channels g*ig + i0 .. +nb, [iw][i] accumulators.
TCONV_ORACLE_CLONES void backward_data_pixel_task(const PixelPlan& f, Reference& r, double* sum, double* abs,
                                                  std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const auto [n, g, ih, i0, nb] = row_block(task, p.h_in, f.blocks, f.block, ix.ig, p.groups);
  std::fill(sum, sum + p.w_in * nb, 0.0);
  std::fill(abs, abs + p.w_in * nb, 0.0);
  for (std::int64_t co = g * ix.og; co < (g + 1) * ix.og; ++co)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * p.stride_h - p.pad_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      const double* dyrow = &f.c.dy[static_cast<std::size_t>(ix.y(n, co, oh, 0))];
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const TapSpan& t = f.taps.spans[static_cast<std::size_t>(kw)];
        const double* w = &f.wt[static_cast<std::size_t>(((co * p.kh + kh) * p.kw + kw) * ix.ig + i0)];
        for (std::int64_t j = t.j0; j < t.j1; ++j) {
          const std::int64_t at = (j + t.shift) * nb;  // input pixel iw = j + shift, output r + j*s
          multiply_add(sum + at, abs + at, w, dyrow[t.r + j * p.stride_w], nb);
        }
      }
    }
  for (std::int64_t b = 0; b < nb; ++b) {
    const auto row = static_cast<std::size_t>(ix.x(n, g * ix.ig + i0 + b, ih, 0));
    for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
      const std::size_t e = row + static_cast<std::size_t>(iw);
      const std::int64_t terms = ix.og * f.taps.h_count[static_cast<std::size_t>(ih)] * f.taps.w_count[static_cast<std::size_t>(iw)];
      store_element(p, f.c, r, e, sum[iw * nb + b], abs[iw * nb + b], terms);
    }
  }
}

}  // namespace

void forward_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t block = pixel_block(ix.wo, ix.og);
  const PixelPlan f{p, ix, c, row_taps(p, true), block, (ix.og + block - 1) / block, lanes_last_weights(p, ix, c, true)};
  const bool threads = worth_threads(static_cast<double>(numel_y(p)) * static_cast<double>(fwd_terms(p)));
  run_tasks(f, r, p.n * p.groups * f.blocks * ix.ho, ix.wo * block, threads, forward_pixel_task);
}

void backward_data_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t block = pixel_block(p.w_in, ix.ig);
  const PixelPlan f{p, ix, c, row_taps(p, false), block, (ix.ig + block - 1) / block, lanes_last_weights(p, ix, c, false)};
  const bool threads = worth_threads(static_cast<double>(numel_x(p)) * static_cast<double>(ix.og * p.kh * p.kw));
  run_tasks(f, r, p.n * p.groups * f.blocks * p.h_in, p.w_in * block, threads, backward_data_pixel_task);
}

}  // namespace tconv::oracle
