// bwd_weights, NCHW f32, without columns: with dy split into its stride phases (phases.h),
//   dW[ci][k] = sum over images n and padded pixels t of x[n][ci][t] * phase(n, k)[t]
// for k = (co, kh, kw), phase(n, k) being a shifted view of one phase plane. An AVX-512 kernel
// keeps 4 channels x 6 taps of 16-lane partial sums in registers while it walks the pixels of
// x (copied with zero padding to the phase width) and of the 6 phase views; the partials live
// in a [ci][k][16] buffer between calls and are summed lane by lane, in order, at the end.
// Each dW element's sum runs in an order fixed by the problem (images, then pixels, each lane
// its own chain): the result does not depend on the thread count.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/phases.h"

namespace tconv::openmp {

namespace {

constexpr std::int64_t kRows = 4;    // input channels per kernel call
constexpr std::int64_t kTaps = 6;    // taps per kernel call
constexpr std::int64_t kRange = 24;  // taps per work item: their phase views stay in L2
constexpr std::int64_t kChunk = 1024;  // padded pixels per kernel call

// c[r][v][0..16) += sum over images i < images and t of x[i * x_image + r * ldx + t] *
// p[i * p_image + offset[v] + t], t in [0, count), count a multiple of 16.
__attribute__((target("avx512f"))) void kernel(const float* x, std::int64_t ldx, std::int64_t x_image, const float* p,
                                                  std::int64_t p_image, const std::int64_t* offset, std::int64_t images,
                                                  std::int64_t count, float* c, std::int64_t ldc) {
  __m512 acc[kRows][kTaps];
  for (int r = 0; r < kRows; ++r)
    for (int v = 0; v < kTaps; ++v) acc[r][v] = _mm512_loadu_ps(c + r * ldc + 16 * v);
  for (std::int64_t i = 0; i < images; ++i, x += x_image, p += p_image)
    for (std::int64_t t = 0; t < count; t += 16) {
      __m512 xv[kRows];
      for (int r = 0; r < kRows; ++r) xv[r] = _mm512_loadu_ps(x + r * ldx + t);
      for (int v = 0; v < kTaps; ++v) {
        const __m512 pv = _mm512_loadu_ps(p + offset[v] + t);
        for (int r = 0; r < kRows; ++r) acc[r][v] = _mm512_fmadd_ps(xv[r], pv, acc[r][v]);
      }
    }
  for (int r = 0; r < kRows; ++r)
    for (int v = 0; v < kTaps; ++v) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
}

struct Plan {
  PhaseGeometry g;
  std::int64_t cig = 0, k_count = 0, ci_pad = 0, k_pad = 0;
  std::size_t phases = 0, x = 0, partials = 0, dw = 0;
};

Plan plan(const Problem& p) {
  Plan s;
  s.g = phase_geometry(p);
  s.cig = p.c_in / p.groups;
  s.k_count = p.c_out / p.groups * p.kh * p.kw;
  s.ci_pad = (s.cig + kRows - 1) / kRows * kRows;
  s.k_pad = (s.k_count + kTaps - 1) / kTaps * kTaps;
  s.phases = aligned_floats(static_cast<std::size_t>(p.n * p.c_out * s.g.per_channel + kPhaseTile));
  s.x = aligned_floats(static_cast<std::size_t>(p.n * p.groups * s.ci_pad * s.g.padded_pixels));
  s.partials = aligned_floats(static_cast<std::size_t>(p.groups * s.ci_pad * s.k_pad * 16));
  s.dw = weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0;
  return s;
}

}  // namespace

bool use_direct_backward_weights(const Problem& p, const Options& o) {
  if (!o.fast_paths || p.dtype != DType::f32) return false;
  const bool pixel_major = (p.c_in / p.groups) % 16 == 0;  // whole vectors of channels
  if (p.layout == Layout::NHWC && !pixel_major) return false;
  // Where the GEMMs are small: measured faster than im2col + dnnl_sgemm on fsrcnn_k9s3,
  // dcgan_rgb_32x32 and grouped_g4_k4s2 (C_in/g 32 to 64, C_out/g 1 to 32); on dilated_k3d2
  // (64 and 64) the pixel-major form measured faster, the NCHW phase form slower (README.md).
  if (p.c_in / p.groups > (pixel_major ? 128 : 64) || p.c_out / p.groups > (pixel_major ? 64 : 32)) return false;
  if (!__builtin_cpu_supports("avx512f")) return false;
  if (pixel_major) return pixel_major_backward_weights_fits(p, o);  // computes real pixels only
  const Plan s = plan(p);
  if (p.h_in * p.w_in * 5 < s.g.padded_pixels * 4) return false;  // padding would waste too much
  return (s.phases + s.x + s.partials + s.dw) * 4 <= o.workspace_limit;
}

Status direct_backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (p.c_in / p.groups % 16 == 0) return pixel_major_backward_weights(p, ops, o, ws);
  const Plan s = plan(p);
  const PhaseGeometry& g = s.g;
  const std::int64_t cig = s.cig, cog = p.c_out / p.groups, k_count = s.k_count, k_pad = s.k_pad;
  const std::int64_t pixels_in = p.h_in * p.w_in, ho = p.h_out(), wo = p.w_out();
  float* phases = ws.floats(s.phases + s.x + s.partials + s.dw);
  float* xp = phases + s.phases;    // [n][g][ci_pad][padded_pixels]
  float* partials = xp + s.x;       // [g][ci_pad][k_pad][16]
  float* dw = weights_need_copy(p) ? partials + s.partials : static_cast<float*>(ops.dw->data());  // IOHW f32
  std::vector<std::int64_t> offset(static_cast<std::size_t>(k_pad), 0);  // padding taps read tap 0
  for (std::int64_t co = 0; co < cog; ++co)
    for (std::int64_t kh = 0; kh < p.kh; ++kh)
      for (std::int64_t kw = 0; kw < p.kw; ++kw)
        offset[static_cast<std::size_t>((co * p.kh + kh) * p.kw + kw)] = co * g.per_channel + g.tap_offset(kh, kw);
  const auto* dy = static_cast<const float*>(ops.dy->data());
  const auto* x = static_cast<const float*>(ops.x->data());
  const std::int64_t ci_blocks = s.ci_pad / kRows, ranges = (k_pad + kRange - 1) / kRange;
  const std::int64_t units = p.groups * ranges * ci_blocks;

#pragma omp parallel num_threads(o.threads)
  {
#pragma omp for schedule(static) nowait
    for (std::int64_t c = 0; c < p.n * p.c_out; ++c) split_phases(p, g, dy + c * ho * wo, phases + c * g.per_channel);
#pragma omp for schedule(static) nowait
    for (std::int64_t row = 0; row < p.n * p.groups * s.ci_pad; ++row) {  // x with the phases' row width
      const std::int64_t n = row / (p.groups * s.ci_pad), grp = row / s.ci_pad % p.groups, ci = row % s.ci_pad;
      float* dst = xp + row * g.padded_pixels;
      std::fill(dst, dst + g.padded_pixels, 0.0f);
      if (ci >= cig) continue;
      const float* src = x + (n * p.c_in + grp * cig + ci) * pixels_in;
      for (std::int64_t ih = 0; ih < p.h_in; ++ih)
        std::memcpy(dst + ih * g.w.padded, src + ih * p.w_in, static_cast<std::size_t>(p.w_in) * 4);
    }
#pragma omp for schedule(static)
    for (std::size_t e = 0; e < s.partials; e += 4096) std::fill(partials + e, partials + std::min(s.partials, e + 4096), 0.0f);
    if (omp_get_thread_num() == 0) std::fill(phases + p.n * p.c_out * g.per_channel, phases + s.phases, 0.0f);
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t u = 0; u < units; ++u) {
      const std::int64_t grp = u / (ranges * ci_blocks), k0 = u / ci_blocks % ranges * kRange;
      const std::int64_t ci0 = u % ci_blocks * kRows, k1 = std::min(k_pad, k0 + kRange);
      float* c = partials + (grp * s.ci_pad + ci0) * k_pad * 16;
      // Images in order, pixel chunks in order: a chunk of several small images per call.
      const std::int64_t x_image = p.groups * s.ci_pad * g.padded_pixels, p_image = p.c_out * g.per_channel;
      const std::int64_t images_per_call = std::max<std::int64_t>(1, kChunk / g.padded_pixels);
      for (std::int64_t n = 0; n < p.n; n += images_per_call) {
        const std::int64_t images = std::min(images_per_call, p.n - n);
        const float* xr = xp + ((n * p.groups + grp) * s.ci_pad + ci0) * g.padded_pixels;
        const float* pb = phases + (n * p.c_out + grp * cog) * g.per_channel;
        for (std::int64_t t0 = 0; t0 < g.padded_pixels; t0 += kChunk) {
          const std::int64_t count = std::min(kChunk, g.padded_pixels - t0);
          for (std::int64_t k = k0; k < k1; k += kTaps)
            kernel(xr + t0, g.padded_pixels, x_image, pb + t0, p_image, offset.data() + k, images, count, c + k * 16,
                   k_pad * 16);
        }
      }
    }
    // dW[g][ci][k] = the 16 lanes, in order.
#pragma omp for schedule(static)
    for (std::int64_t row = 0; row < p.groups * cig; ++row) {
      const std::int64_t grp = row / cig, ci = row % cig;
      const float* c = partials + (grp * s.ci_pad + ci) * k_pad * 16;
      for (std::int64_t k = 0; k < k_count; ++k) {
        float sum = 0.0f;
        for (int lane = 0; lane < 16; ++lane) sum += c[k * 16 + lane];
        dw[row * k_count + k] = sum;
      }
    }
  }
  if (weights_need_copy(p)) weights_from_f32(dw, gemm_weight_layout(p), p.groups, *ops.dw);
  return Status::Ok();
}

}  // namespace tconv::openmp
