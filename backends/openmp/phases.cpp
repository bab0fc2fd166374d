#include "backends/openmp/phases.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "backends/openmp/columns.h"

namespace tconv::openmp {

namespace {

PhaseAxis phase_axis(const Axis& a) {
  PhaseAxis r;
  r.stride = a.stride;
  std::int64_t high = 0;
  for (std::int64_t k = 0; k < a.k; ++k) {
    const std::int64_t q = k * a.dil - a.crop;  // output = stride * input + q
    const std::int64_t phase = ((q % a.stride) + a.stride) % a.stride;
    r.phase.push_back(phase);
    r.shift.push_back((q - phase) / a.stride);
    r.low = std::min(r.low, r.shift.back());
    high = std::max(high, r.shift.back());
  }
  r.padded = a.in + high - r.low;
  return r;
}

}  // namespace

std::int64_t PhaseGeometry::tap_offset(std::int64_t kh, std::int64_t kw) const {
  const auto hi = static_cast<std::size_t>(kh), wi = static_cast<std::size_t>(kw);
  const std::int64_t phase = h.phase[hi] * w.stride + w.phase[wi];
  return phase * plane + (h.shift[hi] - h.low) * w.padded + (w.shift[wi] - w.low);
}

PhaseGeometry phase_geometry(const Problem& p) {
  PhaseGeometry g;
  g.h = phase_axis(height_axis(p));
  g.w = phase_axis(width_axis(p));
  g.plane = g.h.padded * g.w.padded;
  g.per_channel = g.h.stride * g.w.stride * g.plane;
  g.pixels = p.h_in * g.w.padded;
  g.padded_pixels = (g.pixels + kPhaseTile - 1) / kPhaseTile * kPhaseTile;
  return g;
}

namespace {

// Width stride 2 with AVX-512: each dy row is read once, 32 floats at a time, and deinterleaved
// into its two phase rows (even columns to phase b = 0, odd ones to b = 1). The same values as
// the general loop below, several times faster on rows of 16 to 64 (measured on
// grouped_g4_k4s2 bwd_data, README.md).
__attribute__((target("avx512f"))) void split_phases_s2(const Problem& p, const PhaseGeometry& g, const float* dy_plane,
                                                          float* out) {
  const std::int64_t ho = p.h_out(), wo = p.w_out(), sh = g.h.stride, wp = g.w.padded, j0 = -g.w.low;
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  for (std::int64_t a = 0; a < sh; ++a)
    for (std::int64_t i = 0; i < g.h.padded; ++i) {
      float* d0 = out + (a * 2 * g.h.padded + i) * wp;  // phase (a, 0)
      float* d1 = d0 + g.h.padded * wp;                  // phase (a, 1)
      const std::int64_t oh = sh * (i + g.h.low) + a;
      // Zeros first (vector stores: the rows are short, memset calls cost more than the row).
      for (std::int64_t j = 0; j < wp; j += 16) {
        const __mmask16 m = static_cast<__mmask16>(wp - j >= 16 ? 0xFFFF : (1u << (wp - j)) - 1);
        _mm512_mask_storeu_ps(d0 + j, m, _mm512_setzero_ps());
        _mm512_mask_storeu_ps(d1 + j, m, _mm512_setzero_ps());
      }
      if (oh < 0 || oh >= ho) continue;
      // Phase b holds ow = 2 * m + b at j0 + m, for m < (wo - b + 1) / 2 (clipped to the row).
      const std::int64_t n0 = std::min((wo + 1) / 2, wp - j0), n1 = std::min(wo / 2, wp - j0);
      const float* src = dy_plane + oh * wo;
      for (std::int64_t m = 0; m < n0; m += 16) {
        const std::int64_t left = 2 * n0 - 2 * m < wo - 2 * m ? 2 * n0 - 2 * m : wo - 2 * m;  // floats of src left
        const __mmask16 lo_mask = static_cast<__mmask16>(left >= 16 ? 0xFFFF : (1u << left) - 1);
        const __mmask16 hi_mask = static_cast<__mmask16>(left >= 32 ? 0xFFFF : left > 16 ? (1u << (left - 16)) - 1 : 0);
        const __m512 lo = _mm512_maskz_loadu_ps(lo_mask, src + 2 * m);
        const __m512 hi = _mm512_maskz_loadu_ps(hi_mask, src + 2 * m + 16);
        const std::int64_t c0 = std::min<std::int64_t>(16, n0 - m), c1 = std::clamp<std::int64_t>(n1 - m, 0, 16);
        _mm512_mask_storeu_ps(d0 + j0 + m, static_cast<__mmask16>((1u << c0) - 1), _mm512_permutex2var_ps(lo, even, hi));
        _mm512_mask_storeu_ps(d1 + j0 + m, static_cast<__mmask16>((1u << c1) - 1), _mm512_permutex2var_ps(lo, odd, hi));
      }
    }
}

}  // namespace

TCONV_VECTOR_CLONES void split_phases(const Problem& p, const PhaseGeometry& g, const float* dy_plane, float* out) {
  const std::int64_t ho = p.h_out(), wo = p.w_out(), sh = g.h.stride, sw = g.w.stride;
  if (sw == 2 && g.w.low <= 0 && __builtin_cpu_supports("avx512f")) return split_phases_s2(p, g, dy_plane, out);
  for (std::int64_t b = 0; b < sw; ++b) {
    // Columns j with 0 <= ow = sw * (j + low) + b < wo: [j0, j1).
    const std::int64_t j0 = std::clamp<std::int64_t>(ceil_div(-b, sw) - g.w.low, 0, g.w.padded);
    const std::int64_t j1 = std::clamp<std::int64_t>(ceil_div(wo - b, sw) - g.w.low, j0, g.w.padded);
    for (std::int64_t a = 0; a < sh; ++a)
      for (std::int64_t i = 0; i < g.h.padded; ++i) {
        float* dst = out + ((a * sw + b) * g.h.padded + i) * g.w.padded;
        const std::int64_t oh = sh * (i + g.h.low) + a;
        if (oh < 0 || oh >= ho) {
          std::fill(dst, dst + g.w.padded, 0.0f);
          continue;
        }
        std::fill(dst, dst + j0, 0.0f);
        std::fill(dst + j1, dst + g.w.padded, 0.0f);
        const float* src = dy_plane + oh * wo + sw * (j0 + g.w.low) + b;
        const std::int64_t count = j1 - j0;
        if (sw == 1) std::memcpy(dst + j0, src, static_cast<std::size_t>(count) * 4);
        else if (sw == 2) for (std::int64_t j = 0; j < count; ++j) dst[j0 + j] = src[2 * j];  // vectorised
        else for (std::int64_t j = 0; j < count; ++j) dst[j0 + j] = src[sw * j];
      }
  }
}

void split_phases_nhwc(const Problem& p, const PhaseGeometry& g, const float* dy_image, float* out) {
  const std::int64_t ho = p.h_out(), wo = p.w_out(), sh = g.h.stride, sw = g.w.stride, ch = p.c_out;
  // One channel: the same memory as one NCHW plane, split with vector loops, not a memcpy call
  // per float (fsrcnn_k9s3 bwd_data, README.md).
  if (ch == 1) return split_phases(p, g, dy_image, out);
  for (std::int64_t a = 0; a < sh; ++a)
    for (std::int64_t b = 0; b < sw; ++b)
      for (std::int64_t i = 0; i < g.h.padded; ++i) {
        float* dst = out + ((a * sw + b) * g.h.padded + i) * g.w.padded * ch;
        const std::int64_t oh = sh * (i + g.h.low) + a;
        for (std::int64_t j = 0; j < g.w.padded; ++j) {
          const std::int64_t ow = sw * (j + g.w.low) + b;
          if (oh < 0 || oh >= ho || ow < 0 || ow >= wo) std::fill(dst + j * ch, dst + (j + 1) * ch, 0.0f);
          else std::memcpy(dst + j * ch, dy_image + (oh * wo + ow) * ch, static_cast<std::size_t>(ch) * 4);
        }
      }
}

}  // namespace tconv::openmp
