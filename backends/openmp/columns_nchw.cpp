// NCHW kernels: channel-major columns (see columns.h).
#include <algorithm>
#include <cstring>

#include "backends/openmp/columns.h"

namespace tconv::openmp {

namespace {

// Taps kw, kw+1 (stride 2, dilation 1) of input rows [ih_lo, ih_hi) into their output rows.
inline void add_tap_pair(const Columns& c, float* plane, const float* tap_a, const float* tap_b, std::int64_t n,
                         std::int64_t kw, std::int64_t ih_lo, std::int64_t ih_hi, std::int64_t shift) {
  const Axis::Range& ra = c.w_ranges[static_cast<std::size_t>(kw)];
  const Axis::Range& rb = c.w_ranges[static_cast<std::size_t>(kw + 1)];
  const std::int64_t lo = std::max(ra.first, rb.first), hi = std::min(ra.last, rb.last);
  const std::int64_t out_of_a = kw - c.w.crop;  // output column of input column iw: 2*iw + out_of_a
  for (std::int64_t ih = ih_lo; ih < ih_hi; ++ih) {
    float* row = plane + (ih * c.h.stride - shift) * c.w.out;
    const float* a = tap_a + c.pixel(n, ih, 0);
    const float* b = tap_b + c.pixel(n, ih, 0);
    for (std::int64_t iw = ra.first; iw < std::min(ra.last, lo); ++iw) row[2 * iw + out_of_a] += a[iw];
    for (std::int64_t iw = rb.first; iw < std::min(rb.last, lo); ++iw) row[2 * iw + out_of_a + 1] += b[iw];
    if (lo < hi) {
      float* dst = row + 2 * lo + out_of_a;
      const float* as = a + lo;
      const float* bs = b + lo;
      for (std::int64_t i = 0; i < hi - lo; ++i) {
        dst[2 * i] += as[i];
        dst[2 * i + 1] += bs[i];
      }
    }
    for (std::int64_t iw = std::max(ra.first, hi); iw < ra.last; ++iw) row[2 * iw + out_of_a] += a[iw];
    for (std::int64_t iw = std::max(rb.first, hi); iw < rb.last; ++iw) row[2 * iw + out_of_a + 1] += b[iw];
  }
}

}  // namespace

TCONV_VECTOR_CLONES void col2im_nchw_band(const Columns& c, const Images& y, const float* bias, bool init, std::int64_t n,
                      std::int64_t co, std::int64_t oh0, std::int64_t oh1) {
  const Problem& p = c.p;
  float* plane = y.image(n) + co * c.h.out * c.w.out;
  if (init) std::fill(plane + oh0 * c.w.out, plane + oh1 * c.w.out, bias ? bias[co] : 0.0f);
  const std::int64_t sh = c.h.stride, sw = c.w.stride;
  const std::int64_t in0 = c.chunk.ih0, in1 = c.chunk.ih0 + c.chunk.rows;
  for (std::int64_t kh = 0; kh < p.kh; ++kh) {
    // Input rows whose tap kh lands in [oh0, oh1): oh = ih*sh - shift.
    const std::int64_t shift = c.h.crop - kh * c.h.dil;
    const std::int64_t ih_lo = std::max(in0, ceil_div(oh0 + shift, sh));
    const std::int64_t ih_hi = std::min(in1, floor_div(oh1 - 1 + shift, sh) + 1);
    for (std::int64_t kw = 0; kw < p.kw;) {
      const float* tap = c.data + (c.channel_row(co) + kh * p.kw + kw) * c.ld;
      if (sw == 2 && c.w.dil == 1 && kw + 1 < p.kw) {
        // Stride 2: taps kw and kw+1 of one input pixel land on adjacent outputs, so the two
        // strided updates become one contiguous interleaved one (each output still gets its
        // terms in kw order: an output receives from kw or kw+1, never both).
        add_tap_pair(c, plane, tap, tap + c.ld, n, kw, ih_lo, ih_hi, shift);
        kw += 2;
        continue;
      }
      const Axis::Range& r = c.w_ranges[static_cast<std::size_t>(kw)];
      const std::int64_t count = r.last - r.first;
      for (std::int64_t ih = ih_lo; ih < ih_hi && count > 0; ++ih) {
        float* dst = plane + (ih * sh - shift) * c.w.out + r.out_first;
        const float* src = tap + c.pixel(n, ih, r.first);
        if (sw == 1) {
          for (std::int64_t i = 0; i < count; ++i) dst[i] += src[i];
        } else {
          for (std::int64_t i = 0; i < count; ++i) dst[i * sw] += src[i];
        }
      }
      ++kw;
    }
  }
}

TCONV_VECTOR_CLONES void shuffle_nchw_row(const Columns& c, const Images& y, const float* bias, std::int64_t n, std::int64_t co,
                      std::int64_t oh) {
  const Problem& p = c.p;
  float* out = y.image(n) + (co * c.h.out + oh) * c.w.out;
  const float b = bias ? bias[co] : 0.0f;
  const std::int64_t kh = oh % p.stride_h, ih = oh / p.stride_h, sw = p.stride_w;
  const float* row = c.data + (c.channel_row(co) + kh * p.kw) * c.ld + c.pixel(n, ih, 0);
  if (sw == 1) {
    for (std::int64_t iw = 0; iw < c.w.in; ++iw) out[iw] = row[iw] + b;
    return;
  }
  for (std::int64_t kw = 0; kw < sw; ++kw) {
    const float* src = row + kw * c.ld;
    float* dst = out + kw;
    for (std::int64_t iw = 0; iw < c.w.in; ++iw) dst[iw * sw] = src[iw] + b;
  }
}

TCONV_VECTOR_CLONES void im2col_nchw_row(const Columns& c, const Images& dy, std::int64_t n, std::int64_t r) {
  const Problem& p = c.p;
  const std::int64_t co = c.group0 * c.c_out_g + r / c.taps, kh = (r / p.kw) % p.kh, kw = r % p.kw;
  const Axis::Range& wr = c.w_ranges[static_cast<std::size_t>(kw)];
  const float* plane = dy.image(n) + co * c.h.out * c.w.out;
  const std::int64_t sw = c.w.stride;
  for (std::int64_t ih = c.chunk.ih0; ih < c.chunk.ih0 + c.chunk.rows; ++ih) {
    float* dst = c.data + r * c.ld + c.pixel(n, ih, 0);
    const std::int64_t oh = ih * c.h.stride - c.h.crop + kh * c.h.dil;
    if (oh < 0 || oh >= c.h.out || wr.first >= wr.last) {
      std::fill(dst, dst + c.w.in, 0.0f);
      continue;
    }
    std::fill(dst, dst + wr.first, 0.0f);
    std::fill(dst + wr.last, dst + c.w.in, 0.0f);
    const float* src = plane + oh * c.w.out + wr.out_first;  // dy of input column wr.first
    const std::int64_t count = wr.last - wr.first;
    if (sw == 1) {
      std::memcpy(dst + wr.first, src, static_cast<std::size_t>(count) * 4);
    } else if (sw == 2) {  // a constant stride: vectorised with shuffles instead of scalar loads
      for (std::int64_t i = 0; i < count; ++i) dst[wr.first + i] = src[2 * i];
    } else {
      for (std::int64_t i = 0; i < count; ++i) dst[wr.first + i] = src[i * sw];
    }
  }
}

}  // namespace tconv::openmp
