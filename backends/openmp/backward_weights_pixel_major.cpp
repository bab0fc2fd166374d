// bwd_weights f32 without columns, pixel-major (both layouts, C_in/g a multiple of 16): dy copied
// onto a zero border in its own layout (NHWC [n][oh + low_h][ow + low_w][C_out], NCHW
// [n][C_out][oh + low_h][ow + low_w]) and x with the channels innermost ([n][ih][iw][C_in]: NHWC
// x as it is, NCHW x transposed). Tap (kh, kw) of input pixel (ih, iw) reads dy at
// (s_h * ih + kh * d_h - crop_top, s_w * iw + kw * d_w - crop_left), a strided view, so
//   dW^T[g][k][ci] = sum over images n and pixels (ih, iw) of dy_k[n][ih][iw] (broadcast) *
//                    x[n][ih][iw][g, ci] (16 lanes)
// for k in dW's own order ((kh, kw, co) NHWC, (co, kh, kw) NCHW): an outer product of 12 taps x
// 32 channels per pixel in registers, one chain per element (images, then rows, then pixels, in
// order), so the result does not depend on the thread count. The images are walked in blocks
// that stay in L2 while every (group, channel block, tap block) unit reads them (a barrier
// between blocks; each unit keeps its own accumulators). Neither stride phases nor im2col
// columns are built.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <vector>

#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/geometry.h"
#include "backends/openmp/transpose.h"

namespace tconv::openmp {

namespace {

constexpr std::int64_t kTaps = 12;              // taps (broadcasts) per kernel call
constexpr std::int64_t kBlockBytes = 512 << 10;  // bordered dy and x of one image block

// c[r][0..16V) += sum over rows y < rows, pixels u < width of p[offset[r] + y * p_row + u * ldp]
// * x[y * x_row + u * ldx .. + 16V), for kTaps taps r, in that order (one chain per element).
template <int V>
__attribute__((target("avx512f"))) void kernel(const float* p, std::int64_t ldp, std::int64_t p_row,
                                                  const std::int64_t* offset, const float* x, std::int64_t ldx,
                                                  std::int64_t x_row, std::int64_t rows, std::int64_t width, float* c,
                                                  std::int64_t ldc) {
  __m512 acc[kTaps][V];
  for (int r = 0; r < kTaps; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = _mm512_loadu_ps(c + r * ldc + 16 * v);
  for (std::int64_t y = 0; y < rows; ++y, p += p_row, x += x_row)
    for (std::int64_t u = 0; u < width; ++u) {
      __m512 xv[V];
      for (int v = 0; v < V; ++v) xv[v] = _mm512_loadu_ps(x + u * ldx + 16 * v);
      for (int r = 0; r < kTaps; ++r) {
        const __m512 a = _mm512_set1_ps(p[offset[r] + u * ldp]);
        for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(a, xv[v], acc[r][v]);
      }
    }
  for (int r = 0; r < kTaps; ++r)
    for (int v = 0; v < V; ++v) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
}

// One axis of the bordered dy: output o sits at o + low; tap k of input i reads
// stride * i + k * dil - crop + low, inside [0, size) for every input and tap.
struct Border {
  std::int64_t low = 0, size = 0;
};

Border border(const Axis& a) {
  const std::int64_t lo = std::min<std::int64_t>(0, -a.crop);
  const std::int64_t hi = std::max(a.out - 1, a.stride * (a.in - 1) + (a.k - 1) * a.dil - a.crop);
  return {-lo, hi - lo + 1};
}

struct Plan {
  Axis ah, aw;
  Border bh, bw;
  std::int64_t cig = 0, cog = 0, k_count = 0, k_pad = 0;
  std::int64_t block = 1;  // images packed at a time
  std::size_t dy = 0, x = 0, partials = 0, dw = 0;
};

Plan plan(const Problem& p) {
  Plan s;
  s.ah = height_axis(p);
  s.aw = width_axis(p);
  s.bh = border(s.ah);
  s.bw = border(s.aw);
  s.cig = p.c_in / p.groups;
  s.cog = p.c_out / p.groups;
  s.k_count = s.cog * p.kh * p.kw;
  s.k_pad = (s.k_count + kTaps - 1) / kTaps * kTaps;
  const std::int64_t image_dy = s.bh.size * s.bw.size * p.c_out;
  const std::int64_t image_x = p.h_in * p.w_in * p.c_in;
  s.block = std::clamp<std::int64_t>(kBlockBytes / ((image_dy + image_x) * 4), 1, p.n);
  s.dy = aligned_floats(static_cast<std::size_t>(s.block * image_dy));
  if (p.layout == Layout::NCHW) s.x = aligned_floats(static_cast<std::size_t>(s.block * image_x));  // NHWC: x in place
  s.partials = aligned_floats(static_cast<std::size_t>(p.groups * s.k_pad * s.cig));
  s.dw = weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0;
  return s;
}

}  // namespace

bool pixel_major_backward_weights_fits(const Problem& p, const Options& o) {
  const Plan s = plan(p);  // no per-thread buffers: the same for any thread count
  return (s.dy + s.x + s.partials + s.dw) * 4 <= o.workspace_limit;
}

Status pixel_major_backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  const Plan s = plan(p);
  const bool nchw = p.layout == Layout::NCHW;
  const std::int64_t cig = s.cig, cog = s.cog, k_count = s.k_count, k_pad = s.k_pad, ch = p.c_out;
  const std::int64_t pixels_in = p.h_in * p.w_in, ho = p.h_out(), wo = p.w_out(), taps = p.kh * p.kw;
  // The bordered dy: NHWC [image][oh + low_h][ow + low_w][C_out], NCHW [image][C_out][oh + low_h][ow + low_w].
  const std::int64_t pix = nchw ? 1 : ch, row_len = s.bw.size * pix, chan = nchw ? s.bh.size * row_len : 1;
  const std::int64_t image_dy = s.bh.size * s.bw.size * ch, image_x = pixels_in * p.c_in;
  float* dyb = ws.floats(s.dy + s.x + s.partials + s.dw);
  float* xt = dyb + s.dy;      // NCHW: x transposed, [image][pixel][C_in]
  float* partials = xt + s.x;  // [g][k_pad][cig], k in dW's order: IHWO (kh, kw, co), IOHW (co, kh, kw)
  float* dw = weights_need_copy(p) ? partials + s.partials : static_cast<float*>(ops.dw->data());  // IOHW / IHWO f32
  std::vector<std::int64_t> offset(static_cast<std::size_t>(k_pad), 0);  // padding taps read tap 0
  for (std::int64_t kh = 0; kh < p.kh; ++kh)
    for (std::int64_t kw = 0; kw < p.kw; ++kw)
      for (std::int64_t co = 0; co < cog; ++co) {
        const std::int64_t tap = kh * p.kw + kw, k = nchw ? co * taps + tap : tap * cog + co;
        offset[static_cast<std::size_t>(k)] = co * chan + (kh * s.ah.dil - s.ah.crop + s.bh.low) * row_len +
                                              (kw * s.aw.dil - s.aw.crop + s.bw.low) * pix;
      }
  const auto* dy = static_cast<const float*>(ops.dy->data());
  const auto* x = static_cast<const float*>(ops.x->data());
  const std::int64_t k_blocks = k_pad / kTaps, ci_blocks = (cig + 31) / 32;
  const std::int64_t units = p.groups * ci_blocks * k_blocks;
  const std::int64_t block = s.block, ci_stage_blocks = (p.c_in + 15) / 16;
  const std::int64_t rows_per_image = nchw ? ch * s.bh.size : s.bh.size, run = nchw ? wo : wo * ch;

#pragma omp parallel num_threads(o.threads)
  {
#pragma omp for schedule(static)
    for (std::size_t e = 0; e < s.partials; e += 4096) std::fill(partials + e, partials + std::min(s.partials, e + 4096), 0.0f);
    // Blocks of images in order: packed (all threads), then every unit walks the block's images
    // in order.
    for (std::int64_t n0 = 0; n0 < p.n; n0 += block) {
      const std::int64_t images = std::min(block, p.n - n0);
      // dy on its zero border: rows above and below, columns left and right.
#pragma omp for schedule(static) nowait
      for (std::int64_t row = 0; row < images * rows_per_image; ++row) {
        float* dst = dyb + row * row_len;
        const std::int64_t plane = n0 * rows_per_image / s.bh.size + row / s.bh.size;  // NCHW: n * C_out + co
        const std::int64_t oh = row % s.bh.size - s.bh.low;
        if (oh < 0 || oh >= ho) {
          std::fill(dst, dst + row_len, 0.0f);
          continue;
        }
        std::fill(dst, dst + s.bw.low * pix, 0.0f);
        std::fill(dst + s.bw.low * pix + run, dst + row_len, 0.0f);
        std::copy(dy + (plane * ho + oh) * run, dy + (plane * ho + oh + 1) * run, dst + s.bw.low * pix);
      }
      if (nchw) {
#pragma omp for schedule(static) nowait
        for (std::int64_t u = 0; u < images * ci_stage_blocks; ++u) {
          const std::int64_t i = u / ci_stage_blocks, c0 = u % ci_stage_blocks * 16;
          const auto* src = x + ((n0 + i) * p.c_in + c0) * pixels_in;
          transpose16_avx512(src, pixels_in, std::min<std::int64_t>(16, p.c_in - c0), pixels_in, xt + i * image_x + c0,
                             p.c_in);
        }
      }
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t u = 0; u < units; ++u) {
        const std::int64_t grp = u / (ci_blocks * k_blocks), ci0 = u / k_blocks % ci_blocks * 32;
        const std::int64_t k0 = u % k_blocks * kTaps;
        float* c = partials + (grp * k_pad + k0) * cig + ci0;
        for (std::int64_t i = 0; i < images; ++i) {
          const float* pb = dyb + i * image_dy + grp * cog * chan;
          const float* xb = (nchw ? xt + i * image_x : x + (n0 + i) * image_x) + grp * cig + ci0;
          if (cig - ci0 >= 32)
            kernel<2>(pb, s.aw.stride * pix, s.ah.stride * row_len, offset.data() + k0, xb, p.c_in, p.w_in * p.c_in,
                      p.h_in, p.w_in, c, cig);
          else
            kernel<1>(pb, s.aw.stride * pix, s.ah.stride * row_len, offset.data() + k0, xb, p.c_in, p.w_in * p.c_in,
                      p.h_in, p.w_in, c, cig);
        }
      }
    }
#pragma omp for schedule(static)
    for (std::int64_t row = 0; row < p.groups * cig; ++row) {
      const float* src = partials + row / cig * k_pad * cig + row % cig;
      for (std::int64_t k = 0; k < k_count; ++k) dw[row * k_count + k] = src[k * cig];
    }
  }
  if (weights_need_copy(p)) weights_from_f32(dw, gemm_weight_layout(p), p.groups, *ops.dw);
  return Status::Ok();
}

}  // namespace tconv::openmp
