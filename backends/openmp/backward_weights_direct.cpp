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

// NHWC: c[r][0..16V) += sum over t < count of p[offset[r] + t * ldp] * x[t * ldx .. + 16V), for
// 12 taps r, t in order (one chain per element).
constexpr std::int64_t kNhwcTaps = 12;
template <int V>
__attribute__((target("avx512f"))) void kernel_nhwc(const float* p, std::int64_t ldp, const std::int64_t* offset,
                                                       const float* x, std::int64_t ldx, std::int64_t count, float* c,
                                                       std::int64_t ldc) {
  __m512 acc[kNhwcTaps][V];
  for (int r = 0; r < kNhwcTaps; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = _mm512_loadu_ps(c + r * ldc + 16 * v);
  for (std::int64_t t = 0; t < count; ++t) {
    __m512 xv[V];
    for (int v = 0; v < V; ++v) xv[v] = _mm512_loadu_ps(x + t * ldx + 16 * v);
    for (int r = 0; r < kNhwcTaps; ++r) {
      const __m512 a = _mm512_set1_ps(p[offset[r] + t * ldp]);
      for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(a, xv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < kNhwcTaps; ++r)
    for (int v = 0; v < V; ++v) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
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
  if (p.layout == Layout::NHWC) {  // x [n][t][C_in]; partials dW^T [g][k_pad][C_in/g]
    s.ci_pad = s.cig;
    s.k_pad = (s.k_count + kNhwcTaps - 1) / kNhwcTaps * kNhwcTaps;
    s.phases = aligned_floats(static_cast<std::size_t>((p.n * s.g.per_channel + kPhaseTile) * p.c_out));
    s.x = aligned_floats(static_cast<std::size_t>(p.n * s.g.padded_pixels * p.c_in));
    s.partials = aligned_floats(static_cast<std::size_t>(p.groups * s.k_pad * s.cig));
  } else {
    s.ci_pad = (s.cig + kRows - 1) / kRows * kRows;
    s.k_pad = (s.k_count + kTaps - 1) / kTaps * kTaps;
    s.phases = aligned_floats(static_cast<std::size_t>(p.n * p.c_out * s.g.per_channel + kPhaseTile));
    s.x = aligned_floats(static_cast<std::size_t>(p.n * p.groups * s.ci_pad * s.g.padded_pixels));
    s.partials = aligned_floats(static_cast<std::size_t>(p.groups * s.ci_pad * s.k_pad * 16));
  }
  s.dw = weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0;
  return s;
}

}  // namespace

bool use_direct_backward_weights(const Problem& p, const Options& o) {
  if (!o.fast_paths || p.dtype != DType::f32) return false;
  if (p.layout == Layout::NHWC && (p.c_in / p.groups) % 16 != 0) return false;  // whole vectors of channels
  // Where the GEMMs are small: measured faster than im2col + dnnl_sgemm on fsrcnn_k9s3,
  // dcgan_rgb_32x32 and grouped_g4_k4s2 (C_in/g 32 to 64, C_out/g 1 to 32), slower on
  // dilated_k3d2 (64 and 64) (README.md).
  if (p.c_in / p.groups > 64 || p.c_out / p.groups > 32) return false;
  if (!__builtin_cpu_supports("avx512f")) return false;
  const Plan s = plan(p);
  if (p.h_in * p.w_in * 5 < s.g.padded_pixels * 4) return false;  // padding would waste too much
  return (s.phases + s.x + s.partials + s.dw) * 4 <= o.workspace_limit;
}

namespace {

// NHWC: dW^T[g][k][ci] = sum over n, t of phase(n, k)[t] (broadcast) * x[n][t][g, ci] (16 or 32
// channels a vector), k = (kh, kw, co); transposed into IHWO at the end.
Status direct_backward_weights_nhwc(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  const Plan s = plan(p);
  const PhaseGeometry& g = s.g;
  const std::int64_t cig = s.cig, cog = p.c_out / p.groups, k_count = s.k_count, k_pad = s.k_pad, ch = p.c_out;
  const std::int64_t image_phases = g.per_channel * ch, image_x = g.padded_pixels * p.c_in;
  float* phases = ws.floats(s.phases + s.x + s.partials + s.dw);
  float* xp = phases + s.phases;  // [n][padded_pixels][C_in]
  float* partials = xp + s.x;     // [g][k_pad][cig]
  float* dw = weights_need_copy(p) ? partials + s.partials : static_cast<float*>(ops.dw->data());  // IHWO f32
  std::vector<std::int64_t> offset(static_cast<std::size_t>(k_pad), 0);  // padding taps read tap 0
  for (std::int64_t kh = 0; kh < p.kh; ++kh)
    for (std::int64_t kw = 0; kw < p.kw; ++kw)
      for (std::int64_t co = 0; co < cog; ++co)
        offset[static_cast<std::size_t>((kh * p.kw + kw) * cog + co)] = g.tap_offset(kh, kw) * ch + co;
  const auto* dy = static_cast<const float*>(ops.dy->data());
  const auto* x = static_cast<const float*>(ops.x->data());
  const std::int64_t k_blocks = k_pad / kNhwcTaps, ci_blocks = (cig + 31) / 32;
  const std::int64_t units = p.groups * ci_blocks * k_blocks;

#pragma omp parallel num_threads(o.threads)
  {
#pragma omp for schedule(static) nowait
    for (std::int64_t n = 0; n < p.n; ++n) split_phases_nhwc(p, g, dy + n * p.h_out() * p.w_out() * ch, phases + n * image_phases);
#pragma omp for schedule(static) nowait
    for (std::int64_t n = 0; n < p.n; ++n) {
      float* dst = xp + n * image_x;
      std::fill(dst, dst + image_x, 0.0f);
      for (std::int64_t ih = 0; ih < p.h_in; ++ih)
        std::memcpy(dst + ih * g.w.padded * p.c_in, x + (n * p.h_in + ih) * p.w_in * p.c_in,
                    static_cast<std::size_t>(p.w_in * p.c_in) * 4);
    }
#pragma omp for schedule(static)
    for (std::size_t e = 0; e < s.partials; e += 4096) std::fill(partials + e, partials + std::min(s.partials, e + 4096), 0.0f);
    if (omp_get_thread_num() == 0) std::fill(phases + p.n * image_phases, phases + s.phases, 0.0f);
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t u = 0; u < units; ++u) {
      const std::int64_t grp = u / (ci_blocks * k_blocks), ci0 = u / k_blocks % ci_blocks * 32;
      const std::int64_t k0 = u % k_blocks * kNhwcTaps;
      float* c = partials + (grp * k_pad + k0) * cig + ci0;
      for (std::int64_t n = 0; n < p.n; ++n) {
        const float* pb = phases + n * image_phases + grp * cog;
        const float* xb = xp + n * image_x + grp * cig + ci0;
        if (cig - ci0 >= 32) kernel_nhwc<2>(pb, ch, offset.data() + k0, xb, p.c_in, g.padded_pixels, c, cig);
        else kernel_nhwc<1>(pb, ch, offset.data() + k0, xb, p.c_in, g.padded_pixels, c, cig);
      }
    }
#pragma omp for schedule(static)
    for (std::int64_t row = 0; row < p.groups * cig; ++row) {
      const std::int64_t grp = row / cig, ci = row % cig;
      for (std::int64_t k = 0; k < k_count; ++k) dw[row * k_count + k] = partials[(grp * k_pad + k) * cig + ci];
    }
  }
  if (weights_need_copy(p)) weights_from_f32(dw, gemm_weight_layout(p), p.groups, *ops.dw);
  return Status::Ok();
}

}  // namespace

Status direct_backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (p.layout == Layout::NHWC) return direct_backward_weights_nhwc(p, ops, o, ws);
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
