// Kernel family `depthwise`, version 2 ("lines"): the same runs of 4 outputs as v1
// (depthwise.h) and the same sum per element (so the same bits), with the integer work moved
// out of the per-run path:
//
//   - each block first tabulates the taps of every destination row and column in shared memory
//     (line_taps.h: h_dst + w_dst entries of 3 ints), so a run looks its taps up;
//   - a thread keeps one lane of the contiguous axis and walks its rows in mixed radix (NCHW:
//     h, channel within group, group, image; NHWC: w, h, image): the row step's digits are the
//     plan's, two or three carries per row, no division;
//   - weights and operands are addressed by strides the plan computed on the host (no cig() /
//     cog() divisions per index).
//
// The block count is capped (a few waves of the device's SMs), so every thread walks many rows
// and the table costs about one line per thread per block. Problems whose table does not fit
// in 48 KiB of shared memory keep v1.
//
// The per-thread work is the __host__ __device__ functions below; depthwise.cu's kernel calls
// them, memory_bound_emulate.h runs them block by block on the CPU.
#pragma once

#include "backends/api/problem.h"
#include "backends/cuda/line_grid.h"
#include "backends/cuda/line_taps.h"
#include "backends/cuda/row_walk.h"
#include "backends/cuda/vector_access.h"

namespace tconv::cuda {

struct LinesPlan {
  bool fwd, nhwc;
  int len, chunks;            // elements of a destination row (W or C), runs per row
  int threads;                // per block (kLinesThreads on the device; tests also use fewer)
  int lanes, rows_per_pass;   // threads per row, rows per block pass (lanes * rows <= threads)
  std::int64_t rows, blocks;  // destination rows, blocks launched
  std::int64_t row_step;      // rows a thread advances: blocks * rows_per_pass
  RowWalk walk;               // NCHW: h, channel in group, group, image; NHWC: w, h, image
  TapTable table;             // the destination's rows and columns
  int cpg_dst, cpg_src;  // channels per group of the destination, of the source
  std::int64_t src_n;                       // source image stride
  int src_c, src_h, src_w, src_group;        // strides inside an image; src_group = cpg_src * src_c
  int w_group, w_jd, w_j, w_r, w_s;          // weight offset = gi*w_group + jd*w_jd + j*w_j + r*w_r + s*w_s
  bool vector_loads;  // NHWC, one channel per group, source channels % 4 == 0
};

inline std::int64_t lines_table_bytes(Direction d, const ConvGeometry& g) {
  return tap_table_bytes(tap_table(g, d == Direction::fwd));
}

// v2 runs when its table fits and its 32-bit offsets do.
inline bool lines_fit(Direction d, const ConvGeometry& g) {
  return line_offsets_fit(g) && lines_table_bytes(d, g) <= kLinesMaxTableBytes;
}

// The plan of a direction (fwd: y from x; bwd_data: dx from dy) for at most `max_blocks` blocks
// of `threads`.
inline LinesPlan plan_depthwise_lines(Direction d, const ConvGeometry& g, std::int64_t max_blocks,
                                      int threads = kLinesThreads) {
  LinesPlan p{};
  p.threads = threads;
  p.fwd = d == Direction::fwd;
  p.nhwc = g.nhwc;
  const std::int64_t cig = g.cig(), cog = g.cog();
  const std::int64_t dst_c = p.fwd ? g.c_out : g.c_in, dst_h = p.fwd ? g.h_out : g.h_in, dst_w = p.fwd ? g.w_out : g.w_in;
  const std::int64_t src_c = p.fwd ? g.c_in : g.c_out, src_h = p.fwd ? g.h_in : g.h_out, src_w = p.fwd ? g.w_in : g.w_out;
  p.cpg_dst = static_cast<int>(p.fwd ? cog : cig);
  p.cpg_src = static_cast<int>(p.fwd ? cig : cog);
  p.len = static_cast<int>(g.nhwc ? dst_c : dst_w);
  p.chunks = (p.len + kVec - 1) / kVec;
  p.lanes = p.chunks < threads ? p.chunks : threads;
  p.rows_per_pass = threads / p.lanes;
  p.rows = g.n * dst_h * (g.nhwc ? dst_w : dst_c);
  const std::int64_t wanted = (p.rows + p.rows_per_pass - 1) / p.rows_per_pass;
  p.blocks = wanted < max_blocks ? wanted : max_blocks;
  if (p.blocks < 1) p.blocks = 1;
  p.row_step = p.blocks * p.rows_per_pass;
  // NCHW rows: ((n*G + gi)*cpg_dst + jd)*H + h. NHWC rows: (n*H + h)*W + w.
  p.walk = g.nhwc ? row_walk(dst_w, dst_h, g.n, p.row_step) : row_walk(dst_h, p.cpg_dst, g.groups, p.row_step);
  p.table = tap_table(g, p.fwd);
  p.src_c = static_cast<int>(g.nhwc ? 1 : src_h * src_w);
  p.src_w = static_cast<int>(g.nhwc ? src_c : 1);
  p.src_h = static_cast<int>(src_w * p.src_w);
  p.src_n = src_c * src_h * src_w;
  p.src_group = p.cpg_src * p.src_c;
  // Weights [c_in][c_out/g][kh][kw] (IOHW) or [c_in][kh][kw][c_out/g] (IHWO), as w_index.
  const std::int64_t w_ci = g.nhwc ? g.kh * g.kw * cog : cog * g.kh * g.kw, w_o = g.nhwc ? 1 : g.kh * g.kw;
  p.w_r = static_cast<int>(g.nhwc ? g.kw * cog : g.kw);
  p.w_s = static_cast<int>(g.nhwc ? cog : 1);
  p.w_group = static_cast<int>(cig * w_ci);
  p.w_jd = static_cast<int>(p.fwd ? w_o : w_ci);  // fwd: jd is the output channel in its group; bwd_data: the input's
  p.w_j = static_cast<int>(p.fwd ? w_ci : w_o);
  p.vector_loads = g.nhwc && cig == 1 && cog == 1 && src_c % kVec == 0;
  return p;
}

// One destination element: the taps of its row and column, then the group's source channels
// (gather's order, so gather's bits). src: the element's image and group in the source; w: its
// weights without taps and j. Offsets inside an image and inside the weights fit an int.
template <class T, class Acc>
TCONV_HD Acc lines_element(const LinesPlan& p, const T* src, const T* w, const LineTaps& th, const LineTaps& tw) {
  Acc sum = 0;
  for (int a = 0; a < th.count; ++a) {
    const int r = th.first + a * p.table.taps_h.step, sh = th.src_first - a * p.table.taps_h.src_step;
    for (int k = 0; k < tw.count; ++k) {
      const int s = tw.first + k * p.table.taps_w.step, sw = tw.src_first - k * p.table.taps_w.src_step;
      const T* pix = src + (sh * p.src_h + sw * p.src_w);
      const T* wt = w + (r * p.w_r + s * p.w_s);
      if (p.cpg_src == 1) {  // depthwise and channel multipliers: no channel loop
        sum += static_cast<Acc>(*pix) * static_cast<Acc>(*wt);
        continue;
      }
      for (int j = 0; j < p.cpg_src; ++j) sum += static_cast<Acc>(pix[j * p.src_c]) * static_cast<Acc>(wt[j * p.w_j]);
    }
  }
  return sum;
}

// NHWC with one channel per group: the run's four channels share their taps, read as vectors.
template <class T, class Acc>
TCONV_HD void lines_vector_run(const LinesPlan& p, const T* src, const T* w, const LineTaps& th, const LineTaps& tw,
                               Acc (&acc)[kVec]) {
  for (int a = 0; a < th.count; ++a) {
    const int r = th.first + a * p.table.taps_h.step, sh = th.src_first - a * p.table.taps_h.src_step;
    for (int k = 0; k < tw.count; ++k) {
      const int s = tw.first + k * p.table.taps_w.step, sw = tw.src_first - k * p.table.taps_w.src_step;
      const T* wt = w + (r * p.w_r + s * p.w_s);
      T v[kVec];
      load4(src, sh * p.src_h + sw * p.src_w, v);
      for (int e = 0; e < kVec; ++e) acc[e] += static_cast<Acc>(v[e]) * static_cast<Acc>(wt[e * p.w_group]);
    }
  }
}

// Thread t of block `block`: its lane's runs in each of its rows. bias: fwd only (or null).
// kNhwc == p.nhwc: one layout's path per kernel.
template <class T, class Acc, bool kNhwc>
TCONV_HD void lines_thread(const LinesPlan& p, const LineTaps* table, std::int64_t block, int t, const T* src,
                           const T* w, const T* bias, T* dst) {
  if (t >= p.lanes * p.rows_per_pass) return;
  const int lane = t % p.lanes;
  std::int64_t row = block * p.rows_per_pass + t / p.lanes;
  if (row >= p.rows) return;
  RowDigits d = row_digits(p.walk, row);
  for (; row < p.rows; row += p.row_step, advance_row(p.walk, d)) {
    // NCHW: d0 = h, d1 = jd, d2 = gi, d3 = n; NHWC: d0 = w, d1 = h, d2 = n.
    const LineTaps th = table[kNhwc ? d.d1 : d.d0];
    const T* image = src + (kNhwc ? d.d2 : d.d3) * p.src_n;
    for (int chunk = lane; chunk < p.chunks; chunk += p.lanes) {
      const int e0 = chunk * kVec, count = p.len - e0 < kVec ? p.len - e0 : kVec;
      Acc acc[kVec] = {0, 0, 0, 0};
      if (kNhwc && p.vector_loads && count == kVec) {
        lines_vector_run<T, Acc>(p, image + e0, w + e0 * p.w_group, th, table[p.table.h_lines + d.d0], acc);
      } else if (kNhwc) {  // the run's channels, each in its group
        int gi = e0 / p.cpg_dst, jd = e0 - gi * p.cpg_dst;
        const LineTaps tw = table[p.table.h_lines + d.d0];
        for (int e = 0; e < kVec; ++e) {  // constant bounds: acc stays in registers
          if (e >= count) continue;
          acc[e] = lines_element<T, Acc>(p, image + gi * p.src_group, w + (gi * p.w_group + jd * p.w_jd), th, tw);
          if (++jd == p.cpg_dst) jd = 0, ++gi;
        }
      } else {  // the run's columns, of the row's channel
        const T* group_src = image + d.d2 * p.src_group;
        const T* group_w = w + (d.d2 * p.w_group + d.d1 * p.w_jd);
        for (int e = 0; e < kVec; ++e)
          if (e < count) acc[e] = lines_element<T, Acc>(p, group_src, group_w, th, table[p.table.h_lines + e0 + e]);
      }
      T out[kVec];
      for (int e = 0; e < kVec; ++e) {
        if (bias != nullptr && e < count) acc[e] += static_cast<Acc>(bias[kNhwc ? e0 + e : d.d2 * p.cpg_dst + d.d1]);
        out[e] = static_cast<T>(acc[e]);
      }
      store_run(dst, row * p.len + e0, count, out);
    }
  }
}

}  // namespace tconv::cuda
