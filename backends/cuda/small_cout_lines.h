// Kernel family `small_cout`, version 2 ("lines"): v1's thread per output pixel with every
// output channel in registers and v1's sum per element (so v1's and gather's bits), without
// v1's integer work: v1 divided per input channel (its group, `ci / cig`) and per weight
// (`w_index`'s `c_out / groups`), 26 division call sites in its loop.
//
//   - each block tabulates the taps of every output row and column (line_taps.h);
//   - a thread walks its pixels (w, h, image) in mixed radix (row_walk.h);
//   - the input channel's group is carried along the channel loop, and operands and weights are
//     addressed by the plan's strides, as 32-bit offsets inside an image and the weights.
//
// The per-thread work is the __host__ __device__ functions below; small_cout.cu's kernel calls
// them, memory_bound_emulate.h runs them block by block on the CPU.
#pragma once

#include "backends/cuda/line_grid.h"
#include "backends/cuda/line_taps.h"
#include "backends/cuda/row_walk.h"
#include "backends/cuda/small_cout.h"

namespace tconv::cuda {

struct SmallCoutPlan {
  int threads;
  std::int64_t pixels, blocks, pixel_step;  // output pixels; a thread advances by blocks*threads
  RowWalk walk;                             // w, h, image
  TapTable table;                           // y's rows and columns
  int c_in, c_out, cig, cog;
  bool nhwc, vectors;  // vectors: NHWC with C_in and C_in/g multiples of 4 (small_cout_reads_vectors)
  std::int64_t x_n, y_n;  // image strides
  int x_c, x_h, x_w, y_c, y_h, y_w;
  int w_ci, w_o, w_r, w_s;  // weight offset = ci*w_ci + o*w_o + r*w_r + s*w_s
};

// v2 runs when y's tap table fits and its 32-bit offsets do.
inline bool small_cout_lines_fit(const ConvGeometry& g) {
  return line_offsets_fit(g) && tap_table_bytes(tap_table(g, true)) <= kLinesMaxTableBytes;
}

inline SmallCoutPlan plan_small_cout_lines(const ConvGeometry& g, std::int64_t max_blocks, int threads = kLinesThreads) {
  SmallCoutPlan p{};
  p.threads = threads;
  p.pixels = g.n * g.h_out * g.w_out;
  const std::int64_t wanted = (p.pixels + threads - 1) / threads;
  p.blocks = wanted < max_blocks ? wanted : max_blocks;
  if (p.blocks < 1) p.blocks = 1;
  p.pixel_step = p.blocks * threads;
  p.walk = row_walk(g.w_out, g.h_out, g.n, p.pixel_step);
  p.table = tap_table(g, true);
  p.c_in = static_cast<int>(g.c_in);
  p.c_out = static_cast<int>(g.c_out);
  p.cig = static_cast<int>(g.cig());
  p.cog = static_cast<int>(g.cog());
  p.nhwc = g.nhwc;
  p.vectors = small_cout_reads_vectors(g);
  p.x_n = g.c_in * g.h_in * g.w_in;
  p.y_n = g.c_out * g.h_out * g.w_out;
  p.x_c = static_cast<int>(g.nhwc ? 1 : g.h_in * g.w_in);
  p.x_w = static_cast<int>(g.nhwc ? g.c_in : 1);
  p.x_h = static_cast<int>(g.w_in * p.x_w);
  p.y_c = static_cast<int>(g.nhwc ? 1 : g.h_out * g.w_out);
  p.y_w = static_cast<int>(g.nhwc ? g.c_out : 1);
  p.y_h = static_cast<int>(g.w_out * p.y_w);
  // Weights [c_in][c_out/g][kh][kw] (IOHW) or [c_in][kh][kw][c_out/g] (IHWO), as w_index.
  p.w_ci = static_cast<int>(g.nhwc ? g.kh * g.kw * p.cog : p.cog * g.kh * g.kw);
  p.w_o = static_cast<int>(g.nhwc ? 1 : g.kh * g.kw);
  p.w_r = static_cast<int>(g.nhwc ? g.kw * p.cog : g.kw);
  p.w_s = static_cast<int>(g.nhwc ? p.cog : 1);
  return p;
}

// One landing tap of a pixel: every input channel (4 at a time with vectors) into the output
// channels of its group. pix: the tap's input pixel; wt: the tap's weights.
template <class T, class Acc>
TCONV_HD void small_cout_tap(const SmallCoutPlan& p, const T* pix, const T* wt, Acc (&acc)[kSmallCoutMax]) {
  const int step = p.vectors ? kVec : 1;
  int co0 = 0, j = 0;  // the channel's group's first output channel; its place in the group
  for (int ci = 0; ci < p.c_in; ci += step) {
    T xv[kVec];
    if (p.vectors)
      load4(pix, ci, xv);
    else
      xv[0] = pix[ci * p.x_c];
    for (int e = 0; e < kVec; ++e) {
      if (e > 0 && !p.vectors) break;
      const T* wc = wt + (ci + e) * p.w_ci - co0 * p.w_o;
      for (int co = 0; co < kSmallCoutMax; ++co)  // constant indices: acc stays in registers
        if (co >= co0 && co < co0 + p.cog) acc[co] += static_cast<Acc>(xv[e]) * static_cast<Acc>(wc[co * p.w_o]);
    }
    j += step;  // with vectors C_in/g % 4 == 0: a group never splits a vector
    if (j == p.cig) j = 0, co0 += p.cog;
  }
}

// Thread t of block `block`: its pixels, each every output channel.
template <class T, class Acc>
TCONV_HD void small_cout_lines_thread(const SmallCoutPlan& p, const LineTaps* table, std::int64_t block, int t,
                                      const T* x, const T* w, const T* b, T* y) {
  std::int64_t pixel = block * p.threads + t;
  if (pixel >= p.pixels) return;
  RowDigits d = row_digits(p.walk, pixel);  // d0 = ow, d1 = oh, d2 = n
  for (; pixel < p.pixels; pixel += p.pixel_step, advance_row(p.walk, d)) {
    const LineTaps th = table[d.d1], tw = table[p.table.h_lines + d.d0];
    const T* image = x + d.d2 * p.x_n;
    Acc acc[kSmallCoutMax] = {0, 0, 0, 0};
    for (int a = 0; a < th.count; ++a) {
      const int r = th.first + a * p.table.taps_h.step, ih = th.src_first - a * p.table.taps_h.src_step;
      for (int k = 0; k < tw.count; ++k) {
        const int s = tw.first + k * p.table.taps_w.step, iw = tw.src_first - k * p.table.taps_w.src_step;
        small_cout_tap<T, Acc>(p, image + (ih * p.x_h + iw * p.x_w), w + (r * p.w_r + s * p.w_s), acc);
      }
    }
    T out[kVec];
    for (int co = 0; co < kSmallCoutMax; ++co) {
      if (co < p.c_out && b != nullptr) acc[co] += static_cast<Acc>(b[co]);
      out[co] = static_cast<T>(acc[co]);
    }
    const std::int64_t at = d.d2 * p.y_n + (d.d1 * p.y_h + d.d0 * p.y_w);
    if (p.nhwc) {
      store_run(y, at, p.c_out, out);  // one vector store for C_out 4 (the offset is then a multiple of 4)
    } else {
      for (int co = 0; co < kSmallCoutMax; ++co)
        if (co < p.c_out) y[at + co * p.y_c] = out[co];
    }
  }
}

}  // namespace tconv::cuda
