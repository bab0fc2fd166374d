// The oracle's fast loops for bwd_weights and bwd_bias: each element is a long reduction over
// pixels (order n, h, w) that cannot be split without changing its rounding, so the loops
// run many elements side by side instead, the innermost loop over channels. One task owns
// each element, so the result is bitwise that of element_sum for any thread count.
#include <algorithm>
#include <cmath>

#include "backends/naive/oracle_parts.h"
#include "backends/naive/oracle_tile.h"

namespace tconv::oracle {

namespace {

// Input pixels [lo, hi) of one dimension whose tap t lands inside the output.
struct Range {
  std::int64_t lo = 0, hi = 0;
};
Range reaching(std::int64_t in_len, std::int64_t out_len, std::int64_t s, std::int64_t dil, std::int64_t pad,
               std::int64_t t) {
  Range r{in_len, 0};
  for (std::int64_t i = 0; i < in_len; ++i)
    if (const std::int64_t o = i * s - pad + t * dil; o >= 0 && o < out_len) {
      r.lo = std::min(r.lo, i);
      r.hi = i + 1;
    }
  return r.hi <= r.lo ? Range{} : r;
}

// Which channels run side by side (the lanes of a register tile) for one tap (kh, kw); every
// (ci, o) of a tap sees the same pixel pairs. (Depthwise problems take
// backward_weights_depthwise instead.)
enum class Inner {
  o,       // og >= ig: o of one group (dy channel-last), x of one ci broadcast
  ci,      // og <  ig: ci of one group (x channel-last), dy of one o broadcast
};

struct WeightsPlan {
  const Problem& p;
  const Index& ix;
  const Canon& c;
  Inner inner_kind;
  std::int64_t inner, tiles, outer, block, blocks;  // tiles: of kTileLanes inner channels
  std::int64_t kh_parts;        // 1 (a task takes every kernel row) or kh (one each)
  std::vector<Range> rh, rw;    // per kh / kw: the input rows / columns that reach the output
  Doubles xt{}, dyt{};  // the lanes' operand in tiles (tiled_channels_last)
};

// One tile of 16 inner channels, `nb` rows of them (ci for Inner::o, o for Inner::ci) of
// group g, kernel rows [kh0, kh1), every kw. The reduction (n, ih, iw) runs a chunk of input
// rows at a time through every row and tap, so that the chunk's lanes are read from memory
// once per task; the tiles' sums wait in sum / abs ([row][kh][kw][lane]) between chunks.
TCONV_ORACLE_CLONES void weights_task(const WeightsPlan& f, Reference& r, double* sum, double* abs, std::int64_t task) {
  const Problem& p = f.p;
  const Index& ix = f.ix;
  const std::int64_t khs = p.kh / f.kh_parts, kh0 = task % f.kh_parts * khs, kh1 = kh0 + khs;
  const std::int64_t l0 = (task / f.kh_parts) % f.tiles * kTileLanes, rest = task / (f.kh_parts * f.tiles);
  const std::int64_t g = rest % p.groups, b0 = rest / p.groups * f.block;
  const std::int64_t nb = std::min(f.block, f.outer - b0), nl = std::min(kTileLanes, f.inner - l0);
  const auto state = [&](std::int64_t b, std::int64_t kh, std::int64_t kw) {
    return ((b * khs + kh - kh0) * p.kw + kw) * kTileLanes;
  };
  std::fill(sum, sum + nb * khs * p.kw * kTileLanes, 0.0);
  std::fill(abs, abs + nb * khs * p.kw * kTileLanes, 0.0);
  Range any{p.h_in, 0};  // input rows that reach the output through some kh of the task
  for (std::int64_t kh = kh0; kh < kh1; ++kh)
    if (const Range rh = f.rh[static_cast<std::size_t>(kh)]; rh.hi > rh.lo) any = {std::min(any.lo, rh.lo), std::max(any.hi, rh.hi)};
  // Input rows q = (n, ih) in order, in chunks of about 256 pixels whose lanes stay in L1
  // while every row and tap walks them.
  const std::int64_t rows_h = std::max<std::int64_t>(any.hi - any.lo, 0), rows = p.n * rows_h;
  const std::int64_t chunk = std::max<std::int64_t>(1, 256 / std::max<std::int64_t>(p.w_in, 1));
  for (std::int64_t q0 = 0; q0 < rows; q0 += chunk) {
    const std::int64_t q1 = std::min(rows, q0 + chunk);
    for (std::int64_t b = 0; b < nb; ++b)
      for (std::int64_t kh = kh0; kh < kh1; ++kh) {
        const Range rh = f.rh[static_cast<std::size_t>(kh)];
        for (std::int64_t kw = 0; kw < p.kw; ++kw) {
          const Range rw = f.rw[static_cast<std::size_t>(kw)];
          const std::int64_t ow_lo = rw.lo * p.stride_w - p.crop_left + kw * p.dil_w, count = rw.hi - rw.lo;
          Tile16 tile;
          double* s = sum + state(b, kh, kw);
          double* a = abs + state(b, kh, kw);
          tile.load(s, a);
          for (std::int64_t q = q0; q < q1; ++q) {
            const std::int64_t n = q / rows_h, ih = any.lo + q % rows_h;
            if (ih < rh.lo || ih >= rh.hi) continue;
            const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
            switch (f.inner_kind) {
              case Inner::o: {  // x[n, ci, ih, iw] * dy[n, g*og + o, oh, ow], o the lanes
                const double* x = &f.c.x[static_cast<std::size_t>(ix.x(n, g * ix.ig + b0 + b, ih, rw.lo))];
                const std::int64_t plane = (g * f.tiles + l0 / kTileLanes) * p.n + n;
                const double* dy = &f.dyt[static_cast<std::size_t>((plane * ix.ho * ix.wo + oh * ix.wo + ow_lo) * kTileLanes)];
                for (std::int64_t j = 0; j < count; ++j, dy += p.stride_w * kTileLanes) tile.scalar_times(x[j], dy);
                break;
              }
              case Inner::ci: {  // x[n, g*ig + i, ih, iw] * dy[n, co, oh, ow], i the lanes
                const std::int64_t plane = (g * f.tiles + l0 / kTileLanes) * p.n + n;
                const double* x = &f.xt[static_cast<std::size_t>((plane * p.h_in * p.w_in + ih * p.w_in + rw.lo) * kTileLanes)];
                const double* dy = &f.c.dy[static_cast<std::size_t>(ix.y(n, g * ix.og + b0 + b, oh, ow_lo))];
                for (std::int64_t j = 0; j < count; ++j, x += kTileLanes) tile.times_scalar(x, dy[j * p.stride_w]);
                break;
              }
            }
          }
          tile.store(s, a);
        }
      }
  }
  for (std::int64_t b = 0; b < nb; ++b)
    for (std::int64_t kh = kh0; kh < kh1; ++kh)
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const Range rh = f.rh[static_cast<std::size_t>(kh)], rw = f.rw[static_cast<std::size_t>(kw)];
        const auto terms = static_cast<std::int32_t>(p.n * (rh.hi - rh.lo) * (rw.hi - rw.lo));
        for (std::int64_t l = 0; l < nl; ++l) {
          std::int64_t ci = 0, o = 0;
          switch (f.inner_kind) {
            case Inner::o: ci = g * ix.ig + b0 + b, o = l0 + l; break;
            case Inner::ci: ci = g * ix.ig + l0 + l, o = b0 + b; break;
          }
          const auto e = static_cast<std::size_t>(ix.wt(ci, o, kh, kw));
          r.value[e] = sum[state(b, kh, kw) + l];
          r.abs_sum[e] = abs[state(b, kh, kw) + l];
          r.terms[e] = terms;
        }
      }
}

// Channels co0 .. co0+nb, each summed over its own (n, h, w) in order, interleaved so that
// the additions of different channels overlap. dy: all of it, logical order.
template <class T>
__attribute__((always_inline)) inline void bias_task(const Problem& p, std::int64_t hw, const T* dy_all, Reference& r,
                                                     std::int64_t co0, std::int64_t nb) {
  constexpr std::int64_t kMax = 8;
  double sum[kMax] = {}, abs[kMax] = {};
  for (std::int64_t n = 0; n < p.n; ++n) {
    const T* dy = dy_all + (n * p.c_out + co0) * hw;
    for (std::int64_t s = 0; s < hw; ++s)
      for (std::int64_t b = 0; b < nb; ++b) {
        const double t = static_cast<double>(dy[b * hw + s]) * 1.0;
        sum[b] += t;
        abs[b] += std::fabs(t);
      }
  }
  for (std::int64_t b = 0; b < nb; ++b) {
    r.value[static_cast<std::size_t>(co0 + b)] = sum[b];
    r.abs_sum[static_cast<std::size_t>(co0 + b)] = abs[b];
    r.terms[static_cast<std::size_t>(co0 + b)] = static_cast<std::int32_t>(p.n * hw);
  }
}
TCONV_ORACLE_CLONES void bias_task_doubles(const Problem& p, std::int64_t hw, const double* dy, Reference& r,
                                           std::int64_t co0, std::int64_t nb) {
  bias_task(p, hw, dy, r, co0, nb);
}
TCONV_ORACLE_CLONES void bias_task_floats(const Problem& p, std::int64_t hw, const float* dy, Reference& r,
                                          std::int64_t co0, std::int64_t nb) {
  bias_task(p, hw, dy, r, co0, nb);
}

// Blocks of 8 channels, as many as there are, over the threads.
template <class T, class Task>
void backward_bias(const Problem& p, const Index& ix, const T* dy, Reference& r, Task task) {
  constexpr std::int64_t kBlock = 8;
  const std::int64_t hw = ix.ho * ix.wo, blocks = (p.c_out + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(dynamic, 1) if (worth_threads(static_cast<double>(p.n * p.c_out * hw)) && blocks > 1)
  for (std::int64_t blk = 0; blk < blocks; ++blk) task(p, hw, dy, r, blk * kBlock, std::min(kBlock, p.c_out - blk * kBlock));
}

// Depthwise (one channel per group): few elements per channel, so one task per channel
// walks its planes in place, tap by tap; the chain of each element is short enough.
// dy_all: all of dy in logical order (the f32 tensor itself, or its double copy).
template <class T>
__attribute__((always_inline)) inline void depthwise_weights(const Problem& p, const Index& ix, const Canon& c,
                                                             const T* dy_all, Reference& r, std::int64_t ch) {
  const std::int64_t taps = p.kh * p.kw;
  std::vector<double> sum(static_cast<std::size_t>(taps), 0.0), abs(sum.size(), 0.0);
  std::vector<Range> rh(static_cast<std::size_t>(p.kh)), rw(static_cast<std::size_t>(p.kw));
  for (std::int64_t kh = 0; kh < p.kh; ++kh)
    rh[static_cast<std::size_t>(kh)] = reaching(p.h_in, ix.ho, p.stride_h, p.dil_h, p.crop_top, kh);
  for (std::int64_t kw = 0; kw < p.kw; ++kw)
    rw[static_cast<std::size_t>(kw)] = reaching(p.w_in, ix.wo, p.stride_w, p.dil_w, p.crop_left, kw);
  for (std::int64_t n = 0; n < p.n; ++n) {
    const double* x = &c.x[static_cast<std::size_t>(ix.x(n, ch, 0, 0))];
    const T* dy = dy_all + ix.y(n, ch, 0, 0);
    for (std::int64_t tap = 0; tap < taps; ++tap) {
      const std::int64_t kh = tap / p.kw, kw = tap % p.kw;
      const Range h = rh[static_cast<std::size_t>(kh)], w = rw[static_cast<std::size_t>(kw)];
      double s = sum[static_cast<std::size_t>(tap)], a = abs[static_cast<std::size_t>(tap)];
      for (std::int64_t ih = h.lo; ih < h.hi; ++ih) {
        const double* xr = x + ih * p.w_in;
        const T* dr = dy + (ih * p.stride_h - p.crop_top + kh * p.dil_h) * ix.wo + kw * p.dil_w - p.crop_left;
        for (std::int64_t iw = w.lo; iw < w.hi; ++iw) {
          const double t = xr[iw] * static_cast<double>(dr[iw * p.stride_w]);
          s += t;
          a += std::fabs(t);
        }
      }
      sum[static_cast<std::size_t>(tap)] = s;
      abs[static_cast<std::size_t>(tap)] = a;
    }
  }
  for (std::int64_t tap = 0; tap < taps; ++tap) {
    const Range h = rh[static_cast<std::size_t>(tap / p.kw)], w = rw[static_cast<std::size_t>(tap % p.kw)];
    const auto e = static_cast<std::size_t>(ix.wt(ch, 0, 0, 0) + tap);
    r.value[e] = sum[static_cast<std::size_t>(tap)];
    r.abs_sum[e] = abs[static_cast<std::size_t>(tap)];
    r.terms[e] = static_cast<std::int32_t>(p.n * (h.hi - h.lo) * (w.hi - w.lo));
  }
}

TCONV_ORACLE_CLONES void depthwise_weights_task(const Problem& p, const Index& ix, const Canon& c, Reference& r,
                                                std::int64_t ch) {
  if (c.dy32) depthwise_weights(p, ix, c, c.dy32, r, ch);
  else depthwise_weights(p, ix, c, c.dy.data(), r, ch);
}

void backward_weights_depthwise(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
#pragma omp parallel for schedule(dynamic, 1) if (worth_threads(static_cast<double>(p.n * p.h_in * p.w_in * p.kh * p.kw)))
  for (std::int64_t ch = 0; ch < p.c_in; ++ch) depthwise_weights_task(p, ix, c, r, ch);
}

}  // namespace

void backward_weights_channels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  if (ix.ig == 1 && ix.og == 1 && p.groups > 1) return backward_weights_depthwise(p, ix, c, r);
  const Inner kind = ix.og >= ix.ig ? Inner::o : Inner::ci;
  const std::int64_t inner = kind == Inner::o ? ix.og : ix.ig, outer = kind == Inner::o ? ix.ig : ix.og;
  const std::int64_t tiles = (inner + kTileLanes - 1) / kTileLanes;
  // Blocks of rows, sized so that the waiting sums (2 x rows x kernel rows x kw x 16) stay in
  // L2. A task takes every kernel row (its input is read once) unless that leaves fewer than
  // two tasks per thread.
  const auto block_for = [&](std::int64_t khs) { return std::clamp<std::int64_t>(4096 / (khs * p.kw * kTileLanes), 1, outer); };
  const auto tasks_for = [&](std::int64_t khs) { return tiles * p.groups * ((outer + block_for(khs) - 1) / block_for(khs)); };
  const std::int64_t kh_parts = tasks_for(p.kh) >= 2 * max_threads() ? 1 : p.kh, block = block_for(p.kh / kh_parts);
  WeightsPlan f{p, ix, c, kind, inner, tiles, outer, block, (outer + block - 1) / block, kh_parts, {}, {}, {}, {}};
  for (std::int64_t kh = 0; kh < p.kh; ++kh) f.rh.push_back(reaching(p.h_in, ix.ho, p.stride_h, p.dil_h, p.crop_top, kh));
  for (std::int64_t kw = 0; kw < p.kw; ++kw) f.rw.push_back(reaching(p.w_in, ix.wo, p.stride_w, p.dil_w, p.crop_left, kw));
  if (kind == Inner::o) f.dyt = tiled_channels_last(c.dy32, c.dy, p.n, p.c_out, ix.ho * ix.wo, p.groups);
  else f.xt = tiled_channels_last(c.x32, c.x, p.n, p.c_in, p.h_in * p.w_in, p.groups);
  const double terms = static_cast<double>(numel_w(p)) * static_cast<double>(p.n * p.h_in * p.w_in);
  run_tasks(f, r, kh_parts * tiles * p.groups * f.blocks, block * (p.kh / kh_parts) * p.kw * kTileLanes, terms,
            weights_task);
}

void backward_bias_channels(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  backward_bias(p, ix, c.dy.data(), r, bias_task_doubles);
}

void backward_bias_floats(const Problem& p, const Index& ix, const float* dy, Reference& r) {
  backward_bias(p, ix, dy, r, bias_task_floats);
}

}  // namespace tconv::oracle
