// The oracle's fast loops for fwd and bwd_data when a group has many channels: one task per
// row; for each pixel of it, the channels of the group run side by side in register tiles
// of 16 (oracle_tile.h) over the pixel's whole reduction, against a weight transposed to put
// those channels last. Each element still receives its terms in the order of the definition
// (fwd: ci, kh, kw; bwd_data: o, kh, kw), one task per element, so the result is bitwise
// that of element_sum for any thread count.
#include <algorithm>

#include "backends/naive/oracle_parts.h"
#include "backends/naive/oracle_taps.h"
#include "backends/naive/oracle_tile.h"

namespace tconv::oracle {

namespace {

struct PixelPlan {
  const Problem& p;
  const Index& ix;
  const Canon& c;
  Doubles wt;  // fwd: [ci][kh][kw][o]; bwd_data: [co][kh][kw][i], ci = g*ig + i
};

// The weight with the channels that run side by side last: fwd [ci][kh][kw][o],
// bwd_data [co][kh][kw][i] (ci = g*ig + i); a tile's slack past the end reads zeros.
Doubles lanes_last_weights(const Problem& p, const Index& ix, const Canon& c, bool fwd) {
  Doubles wt(c.w.size() + kTileLanes);
  std::fill(wt.data() + c.w.size(), wt.data() + wt.size(), 0.0);
  for (std::int64_t ci = 0; ci < p.c_in; ++ci)
    for (std::int64_t o = 0; o < ix.og; ++o)
      for (std::int64_t tap = 0; tap < p.kh * p.kw; ++tap) {
        const std::int64_t co = (ci / ix.ig) * ix.og + o, i = ci % ix.ig;
        const std::int64_t at = fwd ? (ci * p.kh * p.kw + tap) * ix.og + o : (co * p.kh * p.kw + tap) * ix.ig + i;
        wt[static_cast<std::size_t>(at)] = c.w[static_cast<std::size_t>(ix.wt(ci, o, 0, 0) + tap)];
      }
  return wt;
}

// One (kh, kw) tap that reaches a pixel: where its scalar and its lanes are, relative to the
// reduction's outer channel.
struct Pair {
  std::int64_t a, b;
};

// Lanes l of `tile` += a[u*a_step + pair.a] * b[u*b_step + pair.b + l], over u in
// [0, outer) then the pairs: the definition's order (channel, kh, kw).
__attribute__((always_inline)) inline void reduce_pixel(Tile16& tile, const double* a, std::int64_t a_step,
                                                        const double* b, std::int64_t b_step, std::int64_t outer,
                                                        const Pair* pairs, std::int64_t n_pairs) {
  for (std::int64_t u = 0; u < outer; ++u, a += a_step, b += b_step)
    for (std::int64_t q = 0; q < n_pairs; ++q) tile.scalar_times(a[pairs[q].a], b + pairs[q].b);
}

// Stores lanes [0, nb) of a tile: element e0 + l*e_step, channel c0 + l.
inline void store_lanes(const Problem& p, const Canon& c, Reference& r, const Tile16& tile, std::int64_t nb,
                        std::int64_t e0, std::int64_t e_step, std::int64_t terms, std::int64_t bias_c0) {
  alignas(32) double sum[kTileLanes], abs[kTileLanes];
  tile.store(sum, abs);
  for (std::int64_t l = 0; l < nb; ++l)
    store_element(p, c, r, static_cast<std::size_t>(e0 + l * e_step), sum[l], abs[l], terms, bias_c0 < 0 ? -1 : bias_c0 + l);
}

// Output row oh of image n, group g: per pixel, the group's output channels in tiles.
TCONV_ORACLE_CLONES void forward_pixel_task(const PixelPlan& f, Reference& r, double*, double*, std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const std::int64_t oh = task % ix.ho, g = (task / ix.ho) % p.groups, n = task / (ix.ho * p.groups);
  const std::int64_t plane = p.h_in * p.w_in, taps = p.kh * p.kw;
  std::vector<Pair> pairs(static_cast<std::size_t>(taps));
  const double* x = &f.c.x[static_cast<std::size_t>(ix.x(n, g * ix.ig, 0, 0))];
  for (std::int64_t ow = 0; ow < ix.wo; ++ow) {
    std::int64_t np = 0;
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t ih = input_row(p, oh, kh);
      if (ih < 0) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t tw = ow + p.crop_left - kw * p.dil_w;
        if (tw < 0 || tw % p.stride_w || tw / p.stride_w >= p.w_in) continue;
        pairs[static_cast<std::size_t>(np++)] = {ih * p.w_in + tw / p.stride_w, (kh * p.kw + kw) * ix.og};
      }
    }
    for (std::int64_t o0 = 0; o0 < ix.og; o0 += kTileLanes) {
      Tile16 tile;
      reduce_pixel(tile, x, plane, &f.wt[static_cast<std::size_t>(g * ix.ig * taps * ix.og + o0)], taps * ix.og, ix.ig,
                   pairs.data(), np);
      const std::int64_t co0 = g * ix.og + o0;
      store_lanes(p, f.c, r, tile, std::min(kTileLanes, ix.og - o0), ix.y(n, co0, oh, ow), ix.ho * ix.wo, ix.ig * np, co0);
    }
  }
}

// Input row ih of image n, group g: per pixel, the group's input channels in tiles.
TCONV_ORACLE_CLONES void backward_data_pixel_task(const PixelPlan& f, Reference& r, double*, double*,
                                                  std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const std::int64_t ih = task % p.h_in, g = (task / p.h_in) % p.groups, n = task / (p.h_in * p.groups);
  const std::int64_t plane = ix.ho * ix.wo, taps = p.kh * p.kw;
  std::vector<Pair> pairs(static_cast<std::size_t>(taps));
  const double* dy = &f.c.dy[static_cast<std::size_t>(ix.y(n, g * ix.og, 0, 0))];
  for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
    std::int64_t np = 0;
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
        if (ow < 0 || ow >= ix.wo) continue;
        pairs[static_cast<std::size_t>(np++)] = {oh * ix.wo + ow, (kh * p.kw + kw) * ix.ig};
      }
    }
    for (std::int64_t i0 = 0; i0 < ix.ig; i0 += kTileLanes) {
      Tile16 tile;
      reduce_pixel(tile, dy, plane, &f.wt[static_cast<std::size_t>(g * ix.og * taps * ix.ig + i0)], taps * ix.ig, ix.og,
                   pairs.data(), np);
      store_lanes(p, f.c, r, tile, std::min(kTileLanes, ix.ig - i0), ix.x(n, g * ix.ig + i0, ih, iw), p.h_in * p.w_in,
                  ix.og * np, -1);
    }
  }
}

}  // namespace

void forward_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const PixelPlan f{p, ix, c, lanes_last_weights(p, ix, c, true)};
  const bool threads = worth_threads(static_cast<double>(numel_y(p)) * static_cast<double>(fwd_terms(p)));
  run_tasks(f, r, p.n * p.groups * ix.ho, 0, threads, forward_pixel_task);
}

void backward_data_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const PixelPlan f{p, ix, c, lanes_last_weights(p, ix, c, false)};
  const bool threads = worth_threads(static_cast<double>(numel_x(p)) * static_cast<double>(ix.og * p.kh * p.kw));
  run_tasks(f, r, p.n * p.groups * p.h_in, 0, threads, backward_data_pixel_task);
}

}  // namespace tconv::oracle
