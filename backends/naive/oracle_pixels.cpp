// The oracle's fast loops for fwd and bwd_data when a group has many channels: one task per
// row; for each pixel of it, the channels of the group run side by side in register tiles
// of 16 (oracle_tile.h) over the pixel's whole reduction, against a weight packed per tap and
// tile and a channel-last copy of the activation. Each element still receives its terms in
// the order of the definition (fwd: ci, kh, kw; bwd_data: o, kh, kw), one task per element,
// so the result is bitwise that of element_sum for any thread count.
#include <algorithm>

#include "backends/naive/oracle_parts.h"
#include "backends/naive/oracle_taps.h"
#include "backends/naive/oracle_tile.h"

namespace tconv::oracle {

namespace {

// Both operands are laid out so that the reduction's outer channel u advances contiguously:
// with the natural layouts consecutive u were a plane (activations) or taps x channels
// (weights) apart, often a multiple of 4 KiB, and the 100+ lines a pixel's reduction reads
// then fought over one L1 set.
struct PixelPlan {
  const Problem& p;
  const Index& ix;
  const Canon& c;
  std::int64_t outer, tiles;  // u's range (fwd: ig, bwd_data: og); tiles of 16 lanes (og, ig)
  Doubles wt;   // [g][tap][tile][u][16]: lanes past the group's channels are zeros
  Doubles act;  // channel-last x (fwd) or dy (bwd_data): [n][pixel][channel]
};

// fwd: u = ci of the group, lanes o; bwd_data: u = o, lanes ci of the group.
Doubles packed_weights(const Problem& p, const Index& ix, const Canon& c, bool fwd, std::int64_t tiles) {
  const std::int64_t taps = p.kh * p.kw, outer = fwd ? ix.ig : ix.og;
  Doubles wt(static_cast<std::size_t>(p.groups * taps * tiles * outer * kTileLanes));
  std::fill(wt.data(), wt.data() + wt.size(), 0.0);
  for (std::int64_t ci = 0; ci < p.c_in; ++ci)
    for (std::int64_t o = 0; o < ix.og; ++o)
      for (std::int64_t tap = 0; tap < taps; ++tap) {
        const std::int64_t g = ci / ix.ig, i = ci % ix.ig, u = fwd ? i : o, lane = fwd ? o : i;
        const std::int64_t at = (((g * taps + tap) * tiles + lane / kTileLanes) * outer + u) * kTileLanes + lane % kTileLanes;
        wt[static_cast<std::size_t>(at)] = c.w[static_cast<std::size_t>(ix.wt(ci, o, 0, 0) + tap)];
      }
  return wt;
}

PixelPlan pixel_plan(const Problem& p, const Index& ix, const Canon& c, bool fwd) {
  const std::int64_t lanes = fwd ? ix.og : ix.ig, tiles = (lanes + kTileLanes - 1) / kTileLanes;
  PixelPlan f{p, ix, c, fwd ? ix.ig : ix.og, tiles, packed_weights(p, ix, c, fwd, tiles), {}};
  f.act = fwd ? channels_last(c.x32, c.x, p.n, p.c_in, p.h_in * p.w_in)
              : channels_last(c.dy32, c.dy, p.n, p.c_out, ix.ho * ix.wo);
  return f;
}

// One (kh, kw) tap that reaches a pixel: where its scalar (activation) and its lanes
// (weights) start.
struct Pair {
  std::int64_t a, b;
};

// Lanes l of `tile` += a[u + pair.a] * b[u*16 + pair.b + l], over u in [0, outer) then the
// pairs: the definition's order (channel, kh, kw).
__attribute__((always_inline)) inline void reduce_pixel(Tile16& tile, const double* a, const double* b,
                                                        std::int64_t outer, const Pair* pairs, std::int64_t n_pairs) {
  for (std::int64_t u = 0; u < outer; ++u, ++a, b += kTileLanes)
    for (std::int64_t q = 0; q < n_pairs; ++q) tile.scalar_times(a[pairs[q].a], b + pairs[q].b);
}

// A row's sums wait in the task's scratch, channel-major ([channel][pixel]), and go to the
// Reference one channel row at a time: storing each tile's 16 lanes straight away wrote 16
// elements a plane apart, which share one L1 set when the plane is a multiple of 4 KiB.
inline void keep_lanes(const Tile16& tile, std::int64_t nb, double* sum, double* abs, std::int64_t c0,
                       std::int64_t pixel, std::int64_t row_len) {
  alignas(32) double s[kTileLanes], a[kTileLanes];
  tile.store(s, a);
  for (std::int64_t l = 0; l < nb; ++l) {
    sum[(c0 + l) * row_len + pixel] = s[l];
    abs[(c0 + l) * row_len + pixel] = a[l];
  }
}

// Channel rows c of the scratch to elements e0 + c*e_step + pixel, with K = per_tap * taps
// reaching the pixel; fwd adds the bias of channel bias_c0 + c.
inline void store_rows(const Problem& p, const Canon& c, Reference& r, const double* sum, const double* abs,
                       std::int64_t channels, std::int64_t row_len, const std::int32_t* taps, std::int64_t per_tap,
                       std::int64_t e0, std::int64_t e_step, std::int64_t bias_c0) {
  for (std::int64_t ch = 0; ch < channels; ++ch)
    for (std::int64_t px = 0; px < row_len; ++px)
      store_element(p, c, r, static_cast<std::size_t>(e0 + ch * e_step + px), sum[ch * row_len + px],
                    abs[ch * row_len + px], per_tap * taps[px], bias_c0 < 0 ? -1 : bias_c0 + ch);
}

// The taps (kh, kw) that reach one pixel, in the definition's order.
struct PixelTaps {
  std::vector<Pair> pairs;
  std::vector<std::int32_t> count;  // per pixel of the row
};

// Output row oh of image n, group g: per pixel, the group's output channels in tiles.
TCONV_ORACLE_CLONES void forward_pixel_task(const PixelPlan& f, Reference& r, double* sum, double* abs,
                                            std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const std::int64_t oh = task % ix.ho, g = (task / ix.ho) % p.groups, n = task / (ix.ho * p.groups);
  const std::int64_t taps = p.kh * p.kw, block = f.tiles * f.outer * kTileLanes;
  PixelTaps t{std::vector<Pair>(static_cast<std::size_t>(taps)), std::vector<std::int32_t>(static_cast<std::size_t>(ix.wo))};
  const double* x = &f.act[static_cast<std::size_t>(n * p.h_in * p.w_in * p.c_in + g * ix.ig)];  // channel-last
  const double* w = &f.wt[static_cast<std::size_t>(g * taps * block)];
  for (std::int64_t ow = 0; ow < ix.wo; ++ow) {
    std::int64_t np = 0;
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t ih = input_row(p, oh, kh);
      if (ih < 0) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t tw = ow + p.crop_left - kw * p.dil_w;
        if (tw < 0 || tw % p.stride_w || tw / p.stride_w >= p.w_in) continue;
        t.pairs[static_cast<std::size_t>(np++)] = {(ih * p.w_in + tw / p.stride_w) * p.c_in, (kh * p.kw + kw) * block};
      }
    }
    t.count[static_cast<std::size_t>(ow)] = static_cast<std::int32_t>(np);
    for (std::int64_t tile_at = 0; tile_at < f.tiles; ++tile_at) {
      Tile16 tile;
      reduce_pixel(tile, x, w + tile_at * f.outer * kTileLanes, f.outer, t.pairs.data(), np);
      const std::int64_t o0 = tile_at * kTileLanes;
      keep_lanes(tile, std::min(kTileLanes, ix.og - o0), sum, abs, o0, ow, ix.wo);
    }
  }
  store_rows(p, f.c, r, sum, abs, ix.og, ix.wo, t.count.data(), ix.ig, ix.y(n, g * ix.og, oh, 0), ix.ho * ix.wo,
             g * ix.og);
}

// Input row ih of image n, group g: per pixel, the group's input channels in tiles.
TCONV_ORACLE_CLONES void backward_data_pixel_task(const PixelPlan& f, Reference& r, double* sum, double* abs,
                                                  std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const std::int64_t ih = task % p.h_in, g = (task / p.h_in) % p.groups, n = task / (p.h_in * p.groups);
  const std::int64_t taps = p.kh * p.kw, block = f.tiles * f.outer * kTileLanes;
  PixelTaps t{std::vector<Pair>(static_cast<std::size_t>(taps)), std::vector<std::int32_t>(static_cast<std::size_t>(p.w_in))};
  const double* dy = &f.act[static_cast<std::size_t>(n * ix.ho * ix.wo * p.c_out + g * ix.og)];  // channel-last
  const double* w = &f.wt[static_cast<std::size_t>(g * taps * block)];
  for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
    std::int64_t np = 0;
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
        if (ow < 0 || ow >= ix.wo) continue;
        t.pairs[static_cast<std::size_t>(np++)] = {(oh * ix.wo + ow) * p.c_out, (kh * p.kw + kw) * block};
      }
    }
    t.count[static_cast<std::size_t>(iw)] = static_cast<std::int32_t>(np);
    for (std::int64_t tile_at = 0; tile_at < f.tiles; ++tile_at) {
      Tile16 tile;
      reduce_pixel(tile, dy, w + tile_at * f.outer * kTileLanes, f.outer, t.pairs.data(), np);
      const std::int64_t i0 = tile_at * kTileLanes;
      keep_lanes(tile, std::min(kTileLanes, ix.ig - i0), sum, abs, i0, iw, p.w_in);
    }
  }
  store_rows(p, f.c, r, sum, abs, ix.ig, p.w_in, t.count.data(), ix.og, ix.x(n, g * ix.ig, ih, 0), p.h_in * p.w_in, -1);
}

}  // namespace

void forward_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const PixelPlan f = pixel_plan(p, ix, c, true);
  const double terms = static_cast<double>(numel_y(p)) * static_cast<double>(fwd_terms(p));
  run_tasks(f, r, p.n * p.groups * ix.ho, ix.og * ix.wo, terms, forward_pixel_task);
}

void backward_data_pixels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const PixelPlan f = pixel_plan(p, ix, c, false);
  const double terms = static_cast<double>(numel_x(p)) * static_cast<double>(ix.og * p.kh * p.kw);
  run_tasks(f, r, p.n * p.groups * p.h_in, ix.ig * p.w_in, terms, backward_data_pixel_task);
}

}  // namespace tconv::oracle
