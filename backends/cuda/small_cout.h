// Kernel family `small_cout`: fwd with at most 4 output channels (FSRCNN's last layer has one,
// DCGAN's three). One thread per output pixel computes every output channel at once, so each
// input element under a landing tap is read once per pixel (not once per output channel, as
// gather does) and the tap sets are computed once per pixel; a GEMM would pad N = C_out up to
// a 64-wide tile. With NHWC the input channels are read with vector loads (C_in and C_in/g
// multiples of 4) and four output channels with one vector store.
//
// Per output element the sum is gather's order (taps, then the group's input channels):
// deterministic by construction, no atomics. small_cout_test.cpp runs the thread function for
// every pixel on the CPU against the oracle.
#pragma once

#include "backends/cuda/kernel_api.h"
#include "backends/cuda/taps.h"
#include "backends/cuda/vector_access.h"

namespace tconv::cuda {

inline constexpr std::int64_t kSmallCoutMax = 4;
inline constexpr int kSmallCoutThreads = 256;

Status small_cout_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_small_cout(const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream);

TCONV_HD bool small_cout_reads_vectors(const ConvGeometry& g) {
  return g.nhwc && g.c_in % kVec == 0 && g.cig() % kVec == 0;
}

// Thread p = output pixel (n, oh, ow) in that order; every channel of y at that pixel.
template <class T, class Acc>
TCONV_HD void small_cout_fwd_thread(const ConvGeometry& g, std::int64_t p, const T* x, const T* w, const T* b, T* y) {
  const std::int64_t ow = p % g.w_out, oh = (p / g.w_out) % g.h_out, n = p / (g.w_out * g.h_out);
  const TapRange th = landing_taps(oh, g.crop_top, g.stride_h, g.dil_h, g.kh, g.h_in);
  const TapRange tw = landing_taps(ow, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_in);
  const std::int64_t cig = g.cig(), cog = g.cog();
  const bool vectors = small_cout_reads_vectors(g);
  Acc acc[kSmallCoutMax] = {0, 0, 0, 0};
  for (std::int64_t a = 0; a < th.count; ++a) {
    const std::int64_t r = th.first + a * th.step, ih = th.in_first - a * th.in_step;
    for (std::int64_t k = 0; k < tw.count; ++k) {
      const std::int64_t s = tw.first + k * tw.step, iw = tw.in_first - k * tw.in_step;
      for (std::int64_t ci = 0; ci < g.c_in; ci += vectors ? kVec : 1) {
        T xv[kVec];
        if (vectors)
          load4(x, g.x_index(n, ci, ih, iw), xv);
        else
          xv[0] = x[g.x_index(n, ci, ih, iw)];
        const std::int64_t co0 = (ci / cig) * cog;  // the group's output channels
        for (int e = 0; e < kVec; ++e) {
          if (e > 0 && !vectors) break;
          for (std::int64_t co = 0; co < kSmallCoutMax; ++co)  // constant indices: acc stays in registers
            if (co >= co0 && co < co0 + cog)
              acc[co] += static_cast<Acc>(xv[e]) * static_cast<Acc>(w[g.w_index(ci + e, co - co0, r, s)]);
        }
      }
    }
  }
  T out[kVec];
  for (std::int64_t co = 0; co < kSmallCoutMax; ++co) {
    if (co < g.c_out && b != nullptr) acc[co] += static_cast<Acc>(b[co]);
    out[co] = static_cast<T>(acc[co]);
  }
  if (g.nhwc) {
    store_run(y, g.y_index(n, 0, oh, ow), static_cast<int>(g.c_out), out);
  } else {
    for (std::int64_t co = 0; co < kSmallCoutMax; ++co)
      if (co < g.c_out) y[g.y_index(n, co, oh, ow)] = out[co];
  }
}

}  // namespace tconv::cuda
