// The crop / zero-extend copy between the staging buffer cuDNN works on and the problem's
// tensor, as one index function shared by the device kernel and the host tests (so the
// CPU proof against the oracle covers exactly the arithmetic the GPU runs).
//
// Destination element (n, c, h, w) reads source element (n, c, h + row_shift, w + col_shift);
// where that is outside the source it gets the fill (0, or the channel's bias for fwd).
//   fwd:                 source = staging dx, destination = y,       shift = +offset, fill = bias
//   bwd_data/bwd_weights: source = dy,        destination = staging, shift = -offset, fill = 0
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define TCONV_HOST_DEVICE __host__ __device__
#else
#define TCONV_HOST_DEVICE
#endif

namespace tconv::cudnn {

struct WindowCopy {
  std::int64_t n = 0, c = 0;
  std::int64_t src_h = 0, src_w = 0, dst_h = 0, dst_w = 0;
  std::int64_t row_shift = 0, col_shift = 0;
  bool nhwc = false;

  TCONV_HOST_DEVICE std::int64_t dst_elements() const { return n * c * dst_h * dst_w; }

  // Channel of the destination element at physical offset i.
  TCONV_HOST_DEVICE std::int64_t channel_of(std::int64_t i) const {
    return nhwc ? i % c : (i / (dst_h * dst_w)) % c;
  }

  // Physical offset of the source element feeding destination offset i, or -1 (fill).
  TCONV_HOST_DEVICE std::int64_t source_offset(std::int64_t i) const {
    std::int64_t ch, h, w, b;
    if (nhwc) {
      ch = i % c;
      const std::int64_t pixel = i / c;
      w = pixel % dst_w;
      h = pixel / dst_w % dst_h;
      b = pixel / (dst_w * dst_h);
    } else {
      w = i % dst_w;
      h = i / dst_w % dst_h;
      ch = i / (dst_w * dst_h) % c;
      b = i / (dst_w * dst_h * c);
    }
    const std::int64_t sh = h + row_shift, sw = w + col_shift;
    if (sh < 0 || sh >= src_h || sw < 0 || sw >= src_w) return -1;
    return nhwc ? ((b * src_h + sh) * src_w + sw) * c + ch : ((b * c + ch) * src_h + sh) * src_w + sw;
  }
};

}  // namespace tconv::cudnn
