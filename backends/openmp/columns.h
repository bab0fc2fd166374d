// The column matrices of the im2col/col2im formulation and the per-row kernels that move data
// between them and the image tensors. Every kernel writes one disjoint piece (an output row,
// a column row), so the callers run them under `omp for` with no atomics, and each output
// element is summed in a fixed order (bias, then taps by kh, kw): deterministic for any
// thread count.
//
// NCHW columns are channel-major: row (co, kh, kw) = co*kH*kW + kh*kW + kw (co over all
// groups, so group g's rows start at g*(C_out/g)*kH*kW), one column per chunk pixel.
// NHWC columns are pixel-major: one row per chunk pixel, holding [g][kh][kw][co/g].
#pragma once

#include <cstdint>
#include <vector>

#include "backends/openmp/geometry.h"

// The kernels below are memory-bound loops the compiler vectorises; built for baseline x86-64
// they would use 128-bit SSE only, so GCC also compiles AVX2 and AVX-512 clones and picks
// one when the program loads (the same one on every call: results do not change).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define TCONV_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TCONV_VECTOR_CLONES
#endif

namespace tconv::openmp {

struct Columns {
  Columns(const Problem& p, const Chunk& chunk, float* data, std::int64_t ld);

  const Problem& p;
  Axis h, w;
  std::vector<Axis::Range> w_ranges;  // per kw
  Chunk chunk;
  float* data;
  std::int64_t ld;
  std::int64_t c_out_g, taps;  // C_out/g, kH*kW
  // The groups the columns hold: all by default; one when a thread builds its own (forward's
  // per-item path). NCHW rows and NHWC row segments count from group0.
  std::int64_t group0 = 0, group_count = 1;

  // NCHW: the column row of output channel co (global index), tap 0.
  std::int64_t channel_row(std::int64_t co) const { return (co - group0 * c_out_g) * taps; }

  // Column (NCHW) or row (NHWC) of input pixel (n, ih, iw) of the chunk.
  std::int64_t pixel(std::int64_t n, std::int64_t ih, std::int64_t iw) const {
    return ((n - chunk.n0) * chunk.rows + (ih - chunk.ih0)) * w.in + iw;
  }
  // The chunk's input row feeding output row oh through tap kh, or -1.
  std::int64_t input_row(std::int64_t oh, std::int64_t kh) const;
  // Output rows [first, last) the chunk's input rows reach (all of them for whole images).
  std::int64_t first_output_row() const;
  std::int64_t last_output_row() const;
};

// f32 images of a data tensor (the operand itself or a staging copy): image n starts at
// base + (n - n0) * image_stride.
struct Images {
  float* base = nullptr;
  std::int64_t n0 = 0, image_stride = 0;
  float* image(std::int64_t n) const { return base + (n - n0) * image_stride; }
};

// fwd, general: output rows [oh0, oh1) of plane (n, co) = (init ? bias : themselves) + the
// chunk's taps, added tap by tap (kh, then kw) so every element sees the same order whatever
// the band boundaries.
void col2im_nchw_band(const Columns& c, const Images& y, const float* bias, bool init, std::int64_t n,
                      std::int64_t co, std::int64_t oh0, std::int64_t oh1);
// fwd, pixel shuffle (is_pixel_shuffle): output row (n, co, oh) = bias + its one tap.
void shuffle_nchw_row(const Columns& c, const Images& y, const float* bias, std::int64_t n, std::int64_t co,
                      std::int64_t oh);
// bwd: column row r = (co, kh, kw) for image n: dy values or zeros outside the output.
void im2col_nchw_row(const Columns& c, const Images& dy, std::int64_t n, std::int64_t r);

// The same for NHWC, one output row (n, oh) with all its channels, one input row (n, ih).
void col2im_nhwc_row(const Columns& c, const Images& y, const float* bias, bool init, std::int64_t n,
                     std::int64_t oh);
void shuffle_nhwc_row(const Columns& c, const Images& y, const float* bias, std::int64_t n, std::int64_t oh);
void im2col_nhwc_row(const Columns& c, const Images& dy, std::int64_t n, std::int64_t ih);

}  // namespace tconv::openmp
