// NHWC kernels: pixel-major columns (see columns.h); channel runs are contiguous in both the
// columns and the images, so the inner loops are plain vector adds and copies.
#include <algorithm>
#include <cstring>

#include "backends/openmp/columns.h"

namespace tconv::openmp {

TCONV_VECTOR_CLONES void col2im_nhwc_row(const Columns& c, const Images& y, const float* bias, bool init, std::int64_t n,
                                         std::int64_t oh) {
  const Problem& p = c.p;
  const std::int64_t co_all = p.c_out, cog = c.c_out_g, group_stride = c.taps * cog;
  const std::int64_t c0 = c.group0 * cog, width = c.group_count * cog;  // the channels written
  float* out = y.image(n) + oh * c.w.out * co_all + c0;
  if (init) {
    for (std::int64_t ow = 0; ow < c.w.out; ++ow) {
      float* px = out + ow * co_all;
      if (bias) std::copy(bias + c0, bias + c0 + width, px);
      else std::fill(px, px + width, 0.0f);
    }
  }
  const std::int64_t sw = c.w.stride;
  for (std::int64_t kh = 0; kh < p.kh; ++kh) {
    const std::int64_t ih = c.input_row(oh, kh);
    if (ih < 0) continue;
    const float* row = c.data + c.pixel(n, ih, 0) * c.ld + kh * p.kw * cog;
    for (std::int64_t kw = 0; kw < p.kw; ++kw) {
      const Axis::Range& r = c.w_ranges[static_cast<std::size_t>(kw)];
      for (std::int64_t iw = r.first; iw < r.last; ++iw) {
        float* dst = out + (r.out_first + (iw - r.first) * sw) * co_all;
        const float* src = row + iw * c.ld + kw * cog;
        if (cog == 1) {  // one channel per group (C_out = 1, depthwise-like): no inner loop
          for (std::int64_t g = 0; g < c.group_count; ++g) dst[g] += src[g * group_stride];
        } else if (c.group_count == 1) {
          for (std::int64_t k = 0; k < cog; ++k) dst[k] += src[k];
        } else {
          for (std::int64_t g = 0; g < c.group_count; ++g)
            for (std::int64_t k = 0; k < cog; ++k) dst[g * cog + k] += src[g * group_stride + k];
        }
      }
    }
  }
}

TCONV_VECTOR_CLONES void shuffle_nhwc_row(const Columns& c, const Images& y, const float* bias, std::int64_t n,
                                          std::int64_t oh) {
  const Problem& p = c.p;
  const std::int64_t co_all = p.c_out, cog = c.c_out_g, group_stride = c.taps * cog;
  const std::int64_t c0 = c.group0 * cog;
  float* out = y.image(n) + oh * c.w.out * co_all + c0;
  const float* b = bias ? bias + c0 : nullptr;
  const std::int64_t kh = oh % p.stride_h, ih = oh / p.stride_h, sw = p.stride_w;
  const float* row = c.data + c.pixel(n, ih, 0) * c.ld + kh * p.kw * cog;
  for (std::int64_t iw = 0; iw < c.w.in; ++iw) {
    const float* src_px = row + iw * c.ld;
    float* dst_px = out + iw * sw * co_all;
    if (c.group_count == 1) {
      // Taps kw = 0..s-1 of one input pixel are s runs of C_out/g contiguous floats each side.
      for (std::int64_t kw = 0; kw < sw; ++kw) {
        const float* src = src_px + kw * cog;
        float* dst = dst_px + kw * co_all;
        if (b) {
          for (std::int64_t k = 0; k < cog; ++k) dst[k] = src[k] + b[k];
        } else {
          std::memcpy(dst, src, static_cast<std::size_t>(cog) * 4);
        }
      }
      continue;
    }
    for (std::int64_t kw = 0; kw < sw; ++kw)
      for (std::int64_t g = 0; g < c.group_count; ++g)
        for (std::int64_t k = 0; k < cog; ++k)
          dst_px[kw * co_all + g * cog + k] = src_px[g * group_stride + kw * cog + k] + (b ? b[g * cog + k] : 0.0f);
  }
}

TCONV_VECTOR_CLONES void im2col_nhwc_row(const Columns& c, const Images& dy, std::int64_t n, std::int64_t ih) {
  const Problem& p = c.p;
  const std::int64_t co_all = p.c_out, cog = c.c_out_g, group_stride = c.taps * cog;
  const float* image = dy.image(n);
  for (std::int64_t iw = 0; iw < c.w.in; ++iw) {
    float* dst_px = c.data + c.pixel(n, ih, iw) * c.ld;
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * c.h.stride - c.h.crop + kh * c.h.dil;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t ow = iw * c.w.stride - c.w.crop + kw * c.w.dil;
        const bool inside = oh >= 0 && oh < c.h.out && ow >= 0 && ow < c.w.out;
        const float* src = inside ? image + (oh * c.w.out + ow) * co_all : nullptr;
        float* dst = dst_px + (kh * p.kw + kw) * cog;
        if (cog == 1) {  // one channel per group: plain assignments, no memcpy calls
          for (std::int64_t g = 0; g < c.group_count; ++g) dst[g * group_stride] = inside ? src[c.group0 + g] : 0.0f;
          continue;
        }
        for (std::int64_t g = 0; g < c.group_count; ++g) {
          const float* s = inside ? src + (c.group0 + g) * cog : nullptr;
          if (inside) std::memcpy(dst + g * group_stride, s, static_cast<std::size_t>(cog) * 4);
          else std::fill(dst + g * group_stride, dst + g * group_stride + cog, 0.0f);
        }
      }
    }
  }
}

}  // namespace tconv::openmp
