// Kernel family `bias_reduce`: bwd_bias (db[c] = sum of dy over n, h, w) at the copy ceiling.
// gather's bwd_bias runs one block per channel, so three output channels occupy three SMs; here
// every channel's elements are cut into a fixed number of splits (from the problem only, never
// the device), every (split, channel tile) is a block, and a second kernel adds the splits of
// each channel in split order. No atomics: the result depends only on the problem, bitwise.
//
// Pass 1, NCHW (dy as [N][C][H*W]): block (split k, channel c); thread t sums 4-element vectors
// t, t + 256, ... of the split's range of the channel's N*H*W elements (one vector load each
// when H*W % 4 == 0, else the four elements one by one).
// Pass 1, NHWC (dy as rows [N*H*W][C]): block (split k, channel tile); thread t = (row lane r,
// column j) sums rows r, r + lanes, ... of the split for its column (4 channels with one vector
// load when C % 4 == 0, else 1), so a warp reads consecutive addresses.
// Each block then sums its threads' partials in thread order (one thread per channel) into
// ws[c * splits + k]; pass 2 sums ws[c * splits + 0 .. splits) in order into db[c].
#pragma once

#include "backends/cuda/kernel_api.h"
#include "backends/cuda/vector_access.h"

namespace tconv::cuda {

inline constexpr int kBiasThreads = 256;
inline constexpr std::int64_t kBiasTargetBlocks = 528;  // four per SM of a 132-SM H100/H200: fixed, not queried
inline constexpr std::int64_t kBiasMinVectorsPerThread = 4;

Status bias_reduce_refuses(Direction d, const ConvGeometry& g, DType t);
// Partials in the accumulator type (f64 for f64, else f32).
std::size_t bias_reduce_workspace_bytes(const ConvGeometry& g, DType t);
Status launch_bias_reduce(const ConvGeometry& g, DType t, const DeviceOperands& ops, void* workspace,
                          CUstream_st* stream);

struct BiasPlan {
  bool nhwc = false;
  bool vec = false;              // 4-element vector loads
  std::int64_t per_channel = 0;  // NCHW: elements per channel (N*H*W); NHWC: rows (N*H*W)
  std::int64_t splits = 1;
  std::int64_t per_split = 0;    // elements (NCHW) or rows (NHWC) per split; a multiple of 4 (NCHW)
  std::int64_t cols = 1;         // NHWC: columns per block (each `width` channels)
  std::int64_t width = 1;        // NHWC: channels per column (4 with vectors)
  std::int64_t lanes = 1;        // NHWC: row lanes per block (cols * lanes <= kBiasThreads)
  std::int64_t tiles = 1;        // blocks along the channels (NCHW: C; NHWC: channel tiles)
  TCONV_HD std::int64_t blocks() const { return splits * tiles; }
};

// Depends only on the geometry (the reason the result is reproducible).
TCONV_HD BiasPlan plan_bias_reduce(const ConvGeometry& g) {
  BiasPlan p;
  p.nhwc = g.nhwc;
  const std::int64_t hw = g.h_out * g.w_out, rows = g.n * hw;
  std::int64_t units = 0;  // work units a split is made of: vectors (NCHW) or rows (NHWC)
  std::int64_t per_block_units = 0;
  if (!p.nhwc) {
    p.vec = hw % kVec == 0;
    p.per_channel = rows;
    p.tiles = g.c_out;
    units = (rows + kVec - 1) / kVec;
    per_block_units = kBiasThreads * kBiasMinVectorsPerThread;
  } else {
    p.vec = g.c_out % kVec == 0;
    p.width = p.vec ? kVec : 1;
    const std::int64_t columns = g.c_out / p.width;
    p.cols = columns < kBiasThreads ? columns : kBiasThreads;
    p.lanes = kBiasThreads / p.cols;
    p.tiles = (columns + p.cols - 1) / p.cols;
    p.per_channel = rows;
    units = rows;
    per_block_units = p.lanes * kBiasMinVectorsPerThread;
  }
  // Enough splits for about kBiasTargetBlocks blocks, each thread at least a few loads.
  std::int64_t splits = (kBiasTargetBlocks + p.tiles - 1) / p.tiles;
  const std::int64_t most = (units + per_block_units - 1) / per_block_units;
  if (splits > most) splits = most;
  if (splits > 65535) splits = 65535;  // grid.x
  if (splits < 1) splits = 1;
  const std::int64_t units_per_split = units > 0 ? (units + splits - 1) / splits : 1;
  p.per_split = p.nhwc ? units_per_split : units_per_split * kVec;
  p.splits = units > 0 ? (units + units_per_split - 1) / units_per_split : 1;  // no empty split
  return p;
}

// NCHW pass 1: thread t's partial for channel c, split k.
template <class T, class Acc>
TCONV_HD Acc bias_nchw_partial(const ConvGeometry& g, const BiasPlan& p, std::int64_t c, std::int64_t k, int t,
                               const T* dy) {
  const std::int64_t hw = g.h_out * g.w_out;
  const std::int64_t begin = k * p.per_split;
  const std::int64_t end = begin + p.per_split < p.per_channel ? begin + p.per_split : p.per_channel;
  Acc acc = 0;
  for (std::int64_t e = begin + std::int64_t{t} * kVec; e < end; e += std::int64_t{kBiasThreads} * kVec) {
    const std::int64_t n = e / hw, q = e % hw;
    if (p.vec) {  // e % 4 == 0 and hw % 4 == 0: the four lie in one plane, aligned
      T v[kVec];
      load4(dy, (n * g.c_out + c) * hw + q, v);
      for (int i = 0; i < kVec; ++i) acc += static_cast<Acc>(v[i]);
    } else {
      for (std::int64_t i = e; i < e + kVec && i < end; ++i)
        acc += static_cast<Acc>(dy[(i / hw * g.c_out + c) * hw + i % hw]);
    }
  }
  return acc;
}

// NHWC pass 1: thread t's partials (p.width channels) for channel tile `tile`, split k;
// false when the thread has no column (cols * lanes < kBiasThreads) or its column is past C.
template <class T, class Acc>
TCONV_HD bool bias_nhwc_partial(const ConvGeometry& g, const BiasPlan& p, std::int64_t tile, std::int64_t k, int t,
                                const T* dy, Acc (&acc)[kVec]) {
  for (int i = 0; i < kVec; ++i) acc[i] = 0;
  const std::int64_t j = t % p.cols, lane = t / p.cols;
  const std::int64_t c0 = (tile * p.cols + j) * p.width;
  if (lane >= p.lanes || c0 >= g.c_out) return false;
  const std::int64_t begin = k * p.per_split;
  const std::int64_t end = begin + p.per_split < p.per_channel ? begin + p.per_split : p.per_channel;
  for (std::int64_t row = begin + lane; row < end; row += p.lanes) {
    if (p.vec) {
      T v[kVec];
      load4(dy, row * g.c_out + c0, v);
      for (int i = 0; i < kVec; ++i) acc[i] += static_cast<Acc>(v[i]);
    } else {
      acc[0] += static_cast<Acc>(dy[row * g.c_out + c0]);
    }
  }
  return true;
}

// End of pass 1, after every thread stored its partial(s) in shared memory (partials[t] for
// NCHW, partials[t * kVec + i] for NHWC): one thread per channel adds them in thread order.
template <class Acc>
TCONV_HD void bias_nchw_block_sum(const BiasPlan& p, std::int64_t c, std::int64_t k, int t, const Acc* partials,
                                  Acc* ws) {
  if (t != 0) return;
  Acc sum = 0;
  for (int i = 0; i < kBiasThreads; ++i) sum += partials[i];
  ws[c * p.splits + k] = sum;
}

template <class Acc>
TCONV_HD void bias_nhwc_block_sum(const ConvGeometry& g, const BiasPlan& p, std::int64_t tile, std::int64_t k, int t,
                                  const Acc* partials, Acc* ws) {
  if (t >= p.cols) return;
  const std::int64_t c0 = (tile * p.cols + t) * p.width;
  for (std::int64_t i = 0; i < p.width; ++i) {
    if (c0 + i >= g.c_out) break;
    Acc sum = 0;
    for (std::int64_t lane = 0; lane < p.lanes; ++lane) sum += partials[(lane * p.cols + t) * kVec + i];
    ws[(c0 + i) * p.splits + k] = sum;
  }
}

// Pass 2: db[c] = the splits of channel c in order.
template <class T, class Acc>
TCONV_HD void bias_finish_thread(const BiasPlan& p, std::int64_t c, const Acc* ws, T* db) {
  Acc acc = 0;
  for (std::int64_t k = 0; k < p.splits; ++k) acc += ws[c * p.splits + k];
  db[c] = static_cast<T>(acc);
}

}  // namespace tconv::cuda
