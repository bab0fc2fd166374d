// bwd_weights as an implicit GEMM, one per group:
//   dw[ci, o, r, s] = sum_k A[ci][k] * B[k][(o, r, s)],  k = (n, ih, iw) over N*H_in*W_in,
//   A = x[n, ci, ih, iw],  B = dy[n, co, ih*sH - crop_top + r*dH, iw*sW - crop_left + s*dW] (0 outside dy).
// Tiled through shared memory (kWgradBM x kWgradBN output tile, kWgradBK-deep K slices, 2x2
// per thread). Split-K over N*H*W: each split writes its partial tile into a workspace and a
// second kernel sums the splits in a fixed order: deterministic, no float atomics. The number
// of splits depends on the problem only (not on the device), so results repeat bitwise.
//
// Every phase of the kernel (tile loads, the multiply-accumulate of one slice, the partial
// store, the split reduction) is a __host__ __device__ function of the thread's index:
// bwd_weights_gemm_emulate.h runs a block's phases sequentially for every thread on the CPU.
#pragma once

#include <cstddef>

#include "backends/cuda/gather.h"
#include "backends/cuda/k_cursor.h"
#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

inline constexpr int kWgradBM = 32;     // rows of a tile: input channels of the group
inline constexpr int kWgradBN = 32;     // columns: (o, r, s) of the group
inline constexpr int kWgradBK = 16;     // K slice: (n, ih, iw)
inline constexpr int kWgradThreads = 256;  // 16 x 16 threads, each a 2 x 2 micro-tile
inline constexpr int kWgradTargetBlocks = 264;  // two per SM of a 132-SM H100: fixed, not queried

// The host's choice for one problem (plan_bwd_weights_gemm); the kernels follow it.
struct WgradPlan {
  std::int64_t m = 0;     // rows per group: C_in/g
  std::int64_t ncol = 0;  // columns per group: C_out/g * kH * kW
  std::int64_t k = 0;     // reduction length: N * H_in * W_in
  std::int64_t splits = 1, k_per_split = 0;  // k_per_split is a multiple of kWgradBK
  std::int64_t row_tiles = 0, col_tiles = 0;
};

WgradPlan plan_bwd_weights_gemm(const ConvGeometry& g, std::size_t max_workspace_bytes);
std::size_t bwd_weights_gemm_workspace_bytes(const ConvGeometry& g, const WgradPlan& plan);

Status bwd_weights_gemm_refuses(Direction d, const ConvGeometry& g, DType t);
// ops.x, ops.dy in, ops.dw out (device filter format); workspace of
// bwd_weights_gemm_workspace_bytes(g, plan) bytes.
Status launch_bwd_weights_gemm(const ConvGeometry& g, DType t, const DeviceOperands& ops, const WgradPlan& plan,
                               void* workspace, CUstream_st* stream);

// ---- per-thread phases (shared by the kernels and the host emulator) -----------------------

// Column (o, r, s) of the group's GEMM.
TCONV_HD std::int64_t wgrad_col(const ConvGeometry& g, std::int64_t o, std::int64_t r, std::int64_t s) {
  return (o * g.kh + r) * g.kw + s;
}

// Which (n, ih, iw) the K index k is.
TCONV_HD Coord wgrad_k_pixel(const ConvGeometry& g, std::int64_t k) {
  Coord p;
  p.w = k % g.w_in, k /= g.w_in;
  p.h = k % g.h_in, p.n = k / g.h_in, p.c = 0;
  return p;
}

// Element e of a kWgradBK x kWgrad{BM,BN} tile -> (kk, j). NCHW data: consecutive threads take
// consecutive k (consecutive iw, contiguous in x); NHWC: consecutive channels.
TCONV_HD void wgrad_tile_slot(bool nhwc, int e, int width, int* kk, int* j) {
  if (nhwc) {
    *kk = e / width, *j = e % width;
  } else {
    *kk = e % kWgradBK, *j = e / kWgradBK;
  }
}

// A thread's tile slots over the K slices of its split (k_cursor.h): slot i is element
// tid + i * kWgradThreads of each tile. Each keeps its k as digits (iw, ih, image) and moves on
// by a slice per load; the B slots' columns (o, r, s) are decoded once per block. So the loads
// do no division per slice (they did five per element: k's pixel and the column).
inline constexpr int kWgradSlots = kWgradBK * kWgradBM / kWgradThreads;
static_assert(kWgradBM == kWgradBN && kWgradSlots * kWgradThreads == kWgradBK * kWgradBM, "two slots per tile");
struct WgradWalk {
  mma::KDigits d;  // radices w_in, h_in; a step of one slice; past the split's end from d.K on
  mma::KCursor a[kWgradSlots], b[kWgradSlots];
  std::int64_t channel[kWgradSlots], r[kWgradSlots], s[kWgradSlots];  // B slot's dy channel, tap (-1: no column)
};

TCONV_HD WgradWalk wgrad_walk(const ConvGeometry& g, const WgradPlan& pl, std::int64_t group, std::int64_t col0,
                              std::int64_t k_begin, std::int64_t k_end, int tid) {
  WgradWalk w{};
  w.d = mma::k_digits(k_end, g.w_in, g.h_in, kWgradBK);
  const std::int64_t taps = g.kh * g.kw;
  for (int i = 0; i < kWgradSlots; ++i) {
    int kk, j;
    wgrad_tile_slot(g.nhwc, tid + i * kWgradThreads, kWgradBM, &kk, &j);
    w.a[i] = mma::k_cursor(w.d, static_cast<int>(k_begin) + kk);
    wgrad_tile_slot(g.nhwc, tid + i * kWgradThreads, kWgradBN, &kk, &j);
    w.b[i] = mma::k_cursor(w.d, static_cast<int>(k_begin) + kk);
    const std::int64_t col = col0 + j;
    w.channel[i] = col < pl.ncol ? group * g.cog() + col / taps : -1;
    w.r[i] = (col % taps) / g.kw;
    w.s[i] = col % g.kw;
  }
  return w;
}

// Thread `tid` loads its share of A (As[kk*BM + m]) and B (Bs[kk*BN + c]) for the next K slice
// of its walk (slices in order, one call each); K indices past the split and rows / columns
// past the group's edge load 0.
template <class T, class Acc>
TCONV_HD void wgrad_load_tiles(const ConvGeometry& g, const WgradPlan& pl, const T* x, const T* dy, std::int64_t group,
                               std::int64_t row0, WgradWalk& w, int tid, Acc* As, Acc* Bs) {
  for (int i = 0; i < kWgradSlots; ++i) {
    int kk, m;
    wgrad_tile_slot(g.nhwc, tid + i * kWgradThreads, kWgradBM, &kk, &m);
    const mma::KCursor& q = w.a[i];  // c = iw, tw = ih, th = image
    const std::int64_t row = row0 + m;
    Acc v = 0;
    if (q.k < w.d.K && row < pl.m) v = static_cast<Acc>(x[g.x_index(q.th, group * pl.m + row, q.tw, q.c)]);
    As[kk * kWgradBM + m] = v;
    mma::k_advance(w.d, w.a[i]);
  }
  for (int i = 0; i < kWgradSlots; ++i) {
    int kk, c;
    wgrad_tile_slot(g.nhwc, tid + i * kWgradThreads, kWgradBN, &kk, &c);
    const mma::KCursor& q = w.b[i];
    Acc v = 0;
    if (q.k < w.d.K && w.channel[i] >= 0) {
      const std::int64_t oh = g.out_h(q.tw, w.r[i]), ow = g.out_w(q.c, w.s[i]);
      if (oh >= 0 && oh < g.h_out && ow >= 0 && ow < g.w_out) v = static_cast<Acc>(dy[g.y_index(q.th, w.channel[i], oh, ow)]);
    }
    Bs[kk * kWgradBN + c] = v;
    mma::k_advance(w.d, w.b[i]);
  }
}

// Micro-tile of thread tid: rows ty + 16*a, columns tx + 16*b (a, b in {0, 1}); acc[2*a + b].
TCONV_HD int wgrad_micro_row(int tid, int a) { return tid / 16 + 16 * a; }
TCONV_HD int wgrad_micro_col(int tid, int b) { return tid % 16 + 16 * b; }

// One K slice of the thread's 2x2 micro-tile, in the fixed order kk = 0..BK-1.
template <class Acc>
TCONV_HD void wgrad_fma_slice(int tid, const Acc* As, const Acc* Bs, Acc* acc) {
  for (int kk = 0; kk < kWgradBK; ++kk)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        acc[2 * a + b] += As[kk * kWgradBM + wgrad_micro_row(tid, a)] * Bs[kk * kWgradBN + wgrad_micro_col(tid, b)];
}

// Workspace offset of (split, group, row, col).
TCONV_HD std::int64_t wgrad_ws_index(const WgradPlan& pl, std::int64_t groups, std::int64_t split, std::int64_t group,
                                     std::int64_t row, std::int64_t col) {
  return ((split * groups + group) * pl.m + row) * pl.ncol + col;
}

template <class Acc>
TCONV_HD void wgrad_store_partial(const WgradPlan& pl, std::int64_t groups, std::int64_t split, std::int64_t group,
                                  std::int64_t row0, std::int64_t col0, int tid, const Acc* acc, Acc* ws) {
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) {
      const std::int64_t row = row0 + wgrad_micro_row(tid, a), col = col0 + wgrad_micro_col(tid, b);
      if (row < pl.m && col < pl.ncol) ws[wgrad_ws_index(pl, groups, split, group, row, col)] = acc[2 * a + b];
    }
}

// The K range [begin, end) of split `split`.
TCONV_HD std::int64_t wgrad_split_begin(const WgradPlan& pl, std::int64_t split) { return split * pl.k_per_split; }
TCONV_HD std::int64_t wgrad_split_end(const WgradPlan& pl, std::int64_t split) {
  const std::int64_t e = (split + 1) * pl.k_per_split;
  return e < pl.k ? e : pl.k;
}

// Reduction thread i = dw's flat offset (device filter format): the splits summed in order.
template <class T, class Acc>
TCONV_HD void wgrad_reduce_thread(const ConvGeometry& g, const WgradPlan& pl, std::int64_t i, const Acc* ws, T* dw) {
  const Coord f = decode_filter(g, i);  // {ci, o, r, s}
  const std::int64_t group = f.n / pl.m, row = f.n % pl.m, col = wgrad_col(g, f.c, f.h, f.w);
  Acc sum = 0;
  for (std::int64_t sp = 0; sp < pl.splits; ++sp) sum += ws[wgrad_ws_index(pl, g.groups, sp, group, row, col)];
  dw[i] = static_cast<T>(sum);
}

}  // namespace tconv::cuda
