#include "backends/openmp/transpose.h"

#include <immintrin.h>

#include <algorithm>

namespace tconv::openmp {

// dst[j * ldd + i] = src[i * lds + j] for i < rows <= 16, j < cols: 16 x 16 tiles in registers
// (masked where rows or the last tile's columns fall short). GCC 12 warns about the
// _mm512_undefined_ps() inside its unpack/shuffle intrinsics (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) void transpose16_avx512(const float* src, std::int64_t lds, std::int64_t rows,
                                                             std::int64_t cols, float* dst, std::int64_t ldd) {
  const __mmask16 row_mask = static_cast<__mmask16>((1u << rows) - 1);
  for (std::int64_t j0 = 0; j0 < cols; j0 += 16) {
    const std::int64_t width = std::min<std::int64_t>(16, cols - j0);
    const __mmask16 col_mask = static_cast<__mmask16>((1u << width) - 1);
    __m512 r[16], t[16];
    for (int i = 0; i < 16; ++i)
      r[i] = i < rows ? _mm512_maskz_loadu_ps(col_mask, src + i * lds + j0) : _mm512_setzero_ps();
    for (int i = 0; i < 8; ++i) {
      t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; ++i) {  // r[4i + m], 128-bit lane l: rows 4i..4i+3 of column 4l + m
      const __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
      const __m512d c = _mm512_castps_pd(t[4 * i + 2]), d = _mm512_castps_pd(t[4 * i + 3]);
      r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
      r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
      r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
      r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int m = 0; m < 4; ++m) {  // column 4l + m = lane l of r[m], r[4 + m], r[8 + m], r[12 + m]
      const __m512 u0 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0x44), u1 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0xEE);
      const __m512 v0 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0x44);
      const __m512 v1 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0xEE);
      t[m] = _mm512_shuffle_f32x4(u0, v0, 0x88);
      t[4 + m] = _mm512_shuffle_f32x4(u0, v0, 0xDD);
      t[8 + m] = _mm512_shuffle_f32x4(u1, v1, 0x88);
      t[12 + m] = _mm512_shuffle_f32x4(u1, v1, 0xDD);
    }
    for (std::int64_t j = 0; j < width; ++j) _mm512_mask_storeu_ps(dst + (j0 + j) * ldd, row_mask, t[j]);
  }
}
#pragma GCC diagnostic pop

}  // namespace tconv::openmp
