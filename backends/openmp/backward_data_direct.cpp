// bwd_data, f32, without columns: dy is split once into its stride phases (phases.h), which
// turns every tap (kh, kw) into a shifted view of one phase plane (a block of images at a time,
// whose phases stay in L2 until the kernels have read them). Then
//   dx[ci][t] = sum over k = (co, kh, kw) of W[ci][k] * phase(co, kh, kw)[t + shift(kh, kw)]
// on padded pixels t = ih * Wp + iw, computed by AVX-512 register-blocked kernels that read the
// phases directly (NCHW: 12 input channels x 32 pixels per call; NHWC: 8 pixels x 32 channels,
// rows padded to whole vectors): the im2col columns (taps/s^2 copies of dy) and the GEMM's own
// packing of them are never written. Each dx element is one sum over k in order, in one
// accumulator (continued through memory from one tap block to the next: the same bits), so
// the result does not depend on the thread count.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <vector>

#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/geometry.h"
#include "backends/openmp/phases.h"

namespace tconv::openmp {

namespace {

constexpr std::int64_t kRows = 12;    // input channels per kernel call
constexpr std::int64_t kVectors = 2;  // 16-float vectors of pixels per kernel call
constexpr std::int64_t kTile = 16 * kVectors;
static_assert(kPhaseTile % kTile == 0 && kPhaseTile % 8 == 0, "padded pixels are whole tiles");
// Taps per pass over a tile: the tile's dy (kBlock x 192 bytes) stays in L1/L2 while every
// channel block of the weights streams past it.
constexpr std::int64_t kBlock = 256;
// Tiles per work item: one channel block's weights (kBlock x 12 floats, packed) stay in L1
// across them, their dy (8 x 32 KiB) in L2.
constexpr std::int64_t kSpan = 8;

// out[r][16v .. 16v + 16) = (first ? 0 : out[r]) + sum over k of a[k * lda + r] *
// b[offset[k] + v * second .. + 16), for r < R, v < 2, k in order: continuing a sum through out
// gives the same bits as one call. The two vectors are two runs of 16 pixels anywhere in a row
// or in two rows (second = the distance between them).
template <int R>
__attribute__((target("avx512f"))) void kernel(const float* a, std::int64_t lda, const float* b, std::int64_t second,
                                                  const std::int64_t* offset, std::int64_t k_count, bool first,
                                                  float* out, std::int64_t ld_out) {
  __m512 acc[R][kVectors];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < kVectors; ++v) acc[r][v] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(out + r * ld_out + 16 * v);
  for (std::int64_t k = 0; k < k_count; ++k) {
    const float* bk = b + offset[k];
    __m512 bv[kVectors];
    for (int v = 0; v < kVectors; ++v) bv[v] = _mm512_loadu_ps(bk + v * second);
    const float* ak = a + k * lda;
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(ak[r]);
      for (int v = 0; v < kVectors; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < kVectors; ++v) _mm512_storeu_ps(out + r * ld_out + 16 * v, acc[r][v]);
}

// NHWC: out[r][0..16V) = (first ? 0 : out[r]) + sum over k of a[offset[k] + r * lda] * b[k * ldb ..
// + 16V), for 8 pixel rows r, k in order.
template <int V>
__attribute__((target("avx512f"))) void kernel_nhwc(const float* a, std::int64_t lda, const std::int64_t* offset,
                                                       const float* b, std::int64_t ldb, std::int64_t k_count, bool first,
                                                       float* out, std::int64_t ld_out) {
  constexpr int R = 8;
  __m512 acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(out + r * ld_out + 16 * v);
  for (std::int64_t k = 0; k < k_count; ++k) {
    const float* bk = b + k * ldb;
    __m512 bv[V];
    for (int v = 0; v < V; ++v) bv[v] = _mm512_loadu_ps(bk + 16 * v);
    const float* ak = a + offset[k];
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(ak[r * lda]);
      for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) _mm512_storeu_ps(out + r * ld_out + 16 * v, acc[r][v]);
}
constexpr std::int64_t kNhwcRows = 8;

// dst[r * ld_dst .. + count) = src[r * ld_src .. + count) for r < rows: the results of a slot
// into dx, with vector moves instead of memcpy calls of 32 to 256 bytes (whose call overhead
// showed in the profile of dcgan_rgb_32x32; README.md).
__attribute__((target("avx512f"))) void copy_rows(float* dst, std::int64_t ld_dst, const float* src,
                                                     std::int64_t ld_src, std::int64_t rows, std::int64_t count) {
  const __mmask16 tail = static_cast<__mmask16>((1u << (count % 16)) - 1);
  for (std::int64_t r = 0; r < rows; ++r, dst += ld_dst, src += ld_src) {
    std::int64_t c = 0;
    for (; c + 16 <= count; c += 16) _mm512_storeu_ps(dst + c, _mm512_loadu_ps(src + c));
    if (c < count) _mm512_mask_storeu_ps(dst + c, tail, _mm512_maskz_loadu_ps(tail, src + c));
  }
}

using Kernel = void (*)(const float*, std::int64_t, const float*, std::int64_t, const std::int64_t*, std::int64_t, bool,
                        float*, std::int64_t);
constexpr Kernel kKernels[kRows] = {kernel<1>, kernel<2>, kernel<3>, kernel<4>,  kernel<5>,  kernel<6>,
                                    kernel<7>, kernel<8>, kernel<9>, kernel<10>, kernel<11>, kernel<12>};

std::int64_t padded_channels(const Problem& p) { return (p.c_in / p.groups + 15) / 16 * 16; }

// Images whose phases are split at a time: they stay in L2 (1 MiB per core here) until the
// kernels have read them (a barrier between the split and the kernels of each block).
constexpr std::int64_t kBlockBytes = 512 << 10;
constexpr std::int64_t kMinUnits = 16;

// Work items (runs of pixels) per image and group: NCHW kSpan tiles of two 16-pixel slots,
// NHWC kSpan * kTile / kNhwcRows slots of kNhwcRows pixels; rows of w_in in whole slots.
std::int64_t spans_per_image(const Problem& p) {
  if (p.layout == Layout::NHWC) {
    const std::int64_t slots = p.h_in * ((p.w_in + kNhwcRows - 1) / kNhwcRows), span = kSpan * kTile / kNhwcRows;
    return (slots + span - 1) / span;
  }
  const std::int64_t tiles = (p.h_in * ((p.w_in + 15) / 16) + 1) / 2;
  return (tiles + kSpan - 1) / kSpan;
}

struct Sizes {
  std::int64_t block = 1;  // images per block
  std::size_t phases = 0, weights = 0, converted = 0, out_per_thread = 0;
};

Sizes sizes(const Problem& p, const PhaseGeometry& g) {
  Sizes s;
  s.block = std::clamp<std::int64_t>(kBlockBytes / (p.c_out * g.per_channel * 4), 1, p.n);
  // At least kMinUnits work items per block, so that every thread has work in every block
  // (one item per 16x16 image on dcgan_128_16x16 left the second thread idle: 2-thread wall
  // time 0.79 -> 0.47 of oneDNN before this floor).
  const std::int64_t units_per_image = p.groups * spans_per_image(p);
  s.block = std::min(p.n, std::max(s.block, (kMinUnits + units_per_image - 1) / units_per_image));
  s.phases = aligned_floats(static_cast<std::size_t>(s.block * p.c_out * g.per_channel + kTile * p.c_out));
  // NHWC rows of channels padded to whole vectors (zero weights in the padding).
  const std::int64_t channels = p.layout == Layout::NHWC ? padded_channels(p) : p.c_in / p.groups;
  s.weights = aligned_floats(static_cast<std::size_t>(p.groups * channels * p.c_out / p.groups * p.kh * p.kw));
  s.converted = weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0;  // f32 first
  s.out_per_thread = aligned_floats(static_cast<std::size_t>(channels * kTile * kSpan));
  return s;
}

}  // namespace

bool use_direct_backward_data(const Problem& p, const Options& o) {
  if (!o.fast_paths || p.dtype != DType::f32) return false;
  // Few input channels per group: there the GEMM's M (C_in/g) is small and this path measured
  // faster than im2col + dnnl_sgemm (grouped_g4_k4s2, dcgan_rgb_32x32, dilated_k3d2,
  // fsrcnn_k9s3: C_in/g of 32 to 64; dcgan_128_16x16: 128, since it computes real pixels
  // only); with 256 to 512 channels it measured even or slower (README.md).
  if (p.c_in / p.groups > 128) return false;
  if (!__builtin_cpu_supports("avx512f")) return false;
  const PhaseGeometry g = phase_geometry(p);
  // Padded pixels (row ends, the last tile) are computed and dropped: worth it only when most
  // pixels are real (not for the 4x4 and 8x8 images of the benchmark shapes).
  if (p.h_in * p.w_in * 5 < g.padded_pixels * 4) return false;
  const Sizes s = sizes(p, g);
  // Room for eight threads' buffers, so the choice never depends on the thread count.
  return (s.phases + s.weights + s.converted + 8 * s.out_per_thread) * 4 <= o.workspace_limit;
}

namespace {

Status direct_backward_data_nhwc(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  const PhaseGeometry g = phase_geometry(p);
  const Sizes s = sizes(p, g);
  const std::int64_t cig = p.c_in / p.groups, cog = p.c_out / p.groups, taps = p.kh * p.kw, ch = p.c_out;
  const std::int64_t k_count = cog * taps, image_phases = g.per_channel * ch, cp = padded_channels(p);
  float* phases = ws.floats(s.phases + s.weights + s.converted + static_cast<std::size_t>(o.threads) * s.out_per_thread);
  float* wt = phases + s.phases;  // wt[g][k][ci < cp] = W[g][ci][k] (0 for ci >= C_in/g), k = (kh, kw, co)
  float* out_base = wt + s.weights + s.converted;
  const float* w = static_cast<const float*>(ops.w->data());
  if (weights_need_copy(p)) {
    weights_to_f32(*ops.w, p.groups, gemm_weight_layout(p), wt + s.weights);
    w = wt + s.weights;
  }
  std::fill(phases + s.block * image_phases, phases + s.block * image_phases + kTile * ch, 0.0f);
  // offset[k] of tap k = (kh, kw, co) within one image's phases, from its group's first channel.
  std::vector<std::int64_t> offset(static_cast<std::size_t>(k_count));
  for (std::int64_t kh = 0; kh < p.kh; ++kh)
    for (std::int64_t kw = 0; kw < p.kw; ++kw)
      for (std::int64_t co = 0; co < cog; ++co) {
        const std::int64_t pixel = g.tap_offset(kh, kw);
        offset[static_cast<std::size_t>((kh * p.kw + kw) * cog + co)] = pixel * ch + co;
      }
  const auto* dy = static_cast<const float*>(ops.dy->data());
  auto* dx = static_cast<float*>(ops.dx->data());
  // Slots: runs of kNhwcRows real pixels (rows of w_in padded to whole slots only, not to the
  // phase width), kSpan * kTile pixels' worth per work item.
  const std::int64_t per_row = (p.w_in + kNhwcRows - 1) / kNhwcRows, slots = p.h_in * per_row;
  const std::int64_t span_slots = kSpan * kTile / kNhwcRows, spans = (slots + span_slots - 1) / span_slots;

#pragma omp parallel num_threads(o.threads)
  {
#pragma omp for schedule(static)
    for (std::int64_t grp = 0; grp < p.groups; ++grp)
      for (std::int64_t k = 0; k < k_count; ++k)
        for (std::int64_t ci = 0; ci < cp; ++ci)
          wt[(grp * k_count + k) * cp + ci] = ci < cig ? w[(grp * cig + ci) * k_count + k] : 0.0f;
    float* out = out_base + static_cast<std::size_t>(omp_get_thread_num()) * s.out_per_thread;  // [t][cp]
    for (std::int64_t n0 = 0; n0 < p.n; n0 += s.block) {
      const std::int64_t images = std::min(s.block, p.n - n0), units = images * p.groups * spans;
#pragma omp for schedule(static)
      for (std::int64_t i = 0; i < images; ++i)
        split_phases_nhwc(p, g, dy + (n0 + i) * p.h_out() * p.w_out() * ch, phases + i * image_phases);
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t u = 0; u < units; ++u) {
        const std::int64_t i = u / (p.groups * spans), n = n0 + i, grp = u / spans % p.groups;
        const std::int64_t s_begin = u % spans * span_slots, s_end = std::min(slots, s_begin + span_slots);
        const float* a = phases + i * image_phases + grp * cog;
        for (std::int64_t k0 = 0; k0 < k_count; k0 += kBlock) {
          const std::int64_t kb = std::min(kBlock, k_count - k0);
          for (std::int64_t ci0 = 0; ci0 < cp; ci0 += 32) {
            const float* b = wt + (grp * k_count + k0) * cp + ci0;
            for (std::int64_t sl = s_begin; sl < s_end; ++sl) {
              const float* a_t = a + (sl / per_row * g.w.padded + sl % per_row * kNhwcRows) * ch;
              float* o_t = out + (sl - s_begin) * kNhwcRows * cp + ci0;
              if (cp - ci0 >= 32) kernel_nhwc<2>(a_t, ch, offset.data() + k0, b, cp, kb, k0 == 0, o_t, cp);
              else kernel_nhwc<1>(a_t, ch, offset.data() + k0, b, cp, kb, k0 == 0, o_t, cp);
            }
          }
        }
        // The real pixels of each slot into dx, C_in/g channels each.
        for (std::int64_t sl = s_begin; sl < s_end; ++sl) {
          const std::int64_t ih = sl / per_row, iw = sl % per_row * kNhwcRows;
          copy_rows(dx + ((n * p.h_in + ih) * p.w_in + iw) * p.c_in + grp * cig, p.c_in,
                    out + (sl - s_begin) * kNhwcRows * cp, cp, std::min(kNhwcRows, p.w_in - iw), cig);
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status direct_backward_data(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (p.layout == Layout::NHWC) return direct_backward_data_nhwc(p, ops, o, ws);
  const PhaseGeometry g = phase_geometry(p);
  const Sizes s = sizes(p, g);
  const std::int64_t cig = p.c_in / p.groups, cog = p.c_out / p.groups, taps = p.kh * p.kw;
  const std::int64_t k_count = cog * taps, ci_blocks = (cig + kRows - 1) / kRows;
  const std::int64_t ho = p.h_out(), wo = p.w_out();
  float* phases = ws.floats(s.phases + s.weights + s.converted + static_cast<std::size_t>(o.threads) * s.out_per_thread);
  // wt: per group, per channel block [ci0, ci0 + rows): [k][rows] from ci0 * K on, so a
  // kernel call reads its weights as one contiguous stream.
  float* wt = phases + s.phases;
  float* out_base = wt + s.weights + s.converted;
  const float* w = static_cast<const float*>(ops.w->data());
  if (weights_need_copy(p)) {
    weights_to_f32(*ops.w, p.groups, gemm_weight_layout(p), wt + s.weights);
    w = wt + s.weights;
  }
  std::fill(phases + s.block * p.c_out * g.per_channel, phases + s.block * p.c_out * g.per_channel + kTile, 0.0f);
  // offset[k] of tap k = (co, kh, kw) within one group's phases.
  std::vector<std::int64_t> offset(static_cast<std::size_t>(k_count));
  for (std::int64_t co = 0; co < cog; ++co)
    for (std::int64_t kh = 0; kh < p.kh; ++kh)
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        offset[static_cast<std::size_t>((co * p.kh + kh) * p.kw + kw)] = co * g.per_channel + g.tap_offset(kh, kw);
      }
  const auto* dy = static_cast<const float*>(ops.dy->data());
  auto* dx = static_cast<float*>(ops.dx->data());
  // Slots: runs of 16 real pixels (ih, 16j .. 16j + 16), rows of w_in padded to whole slots
  // only (not to the phase width); a tile is two slots (the last one repeated when the count is
  // odd).
  const std::int64_t per_row = (p.w_in + 15) / 16, slots = p.h_in * per_row;
  const auto slot_pixel = [&](std::int64_t sl) { return sl / per_row * g.w.padded + sl % per_row * 16; };
  const std::int64_t tiles = (slots + 1) / 2, spans = (tiles + kSpan - 1) / kSpan;
  const std::int64_t ld_out = kTile * kSpan;
  // Channel blocks as even as possible, never more than kRows channels.
  const auto block = [&](std::int64_t blk) { return std::pair{blk * cig / ci_blocks, (blk + 1) * cig / ci_blocks}; };

#pragma omp parallel num_threads(o.threads)
  {
#pragma omp for schedule(static)
    for (std::int64_t gb = 0; gb < p.groups * ci_blocks; ++gb) {
      const std::int64_t grp = gb / ci_blocks;
      const auto [ci0, ci1] = block(gb % ci_blocks);
      float* dst = wt + grp * k_count * cig + ci0 * k_count;
      for (std::int64_t k = 0; k < k_count; ++k)
        for (std::int64_t ci = ci0; ci < ci1; ++ci) *dst++ = w[(grp * cig + ci) * k_count + k];
    }
    float* out = out_base + static_cast<std::size_t>(omp_get_thread_num()) * s.out_per_thread;  // [ci][ld_out]
    for (std::int64_t n0 = 0; n0 < p.n; n0 += s.block) {
      const std::int64_t images = std::min(s.block, p.n - n0), units = images * p.groups * spans;
#pragma omp for schedule(static)
      for (std::int64_t c = 0; c < images * p.c_out; ++c)
        split_phases(p, g, dy + (n0 * p.c_out + c) * ho * wo, phases + c * g.per_channel);
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t u = 0; u < units; ++u) {
        const std::int64_t i = u / (p.groups * spans), n = n0 + i, grp = u / spans % p.groups;
        const std::int64_t first_tile = u % spans * kSpan, tile_count = std::min(kSpan, tiles - first_tile);
        const float* b = phases + (i * p.c_out + grp * cog) * g.per_channel;
        for (std::int64_t k0 = 0; k0 < k_count; k0 += kBlock) {
          const std::int64_t kb = std::min(kBlock, k_count - k0);
          for (std::int64_t blk = 0; blk < ci_blocks; ++blk) {
            const auto [ci0, ci1] = block(blk);
            const float* a = wt + grp * k_count * cig + ci0 * k_count + k0 * (ci1 - ci0);
            for (std::int64_t t = 0; t < tile_count; ++t) {
              const std::int64_t s0 = 2 * (first_tile + t), s1 = std::min(s0 + 1, slots - 1);
              const std::int64_t t0 = slot_pixel(s0);
              kKernels[ci1 - ci0 - 1](a, ci1 - ci0, b + t0, slot_pixel(s1) - t0, offset.data() + k0, kb, k0 == 0,
                                      out + ci0 * ld_out + t * kTile, ld_out);
            }
          }
        }
        // The real pixels of each slot into dx.
        for (std::int64_t sl = 2 * first_tile; sl < std::min(slots, 2 * (first_tile + tile_count)); ++sl) {
          const std::int64_t ih = sl / per_row, iw = sl % per_row * 16, count = std::min<std::int64_t>(16, p.w_in - iw);
          copy_rows(dx + ((n * p.c_in + grp * cig) * p.h_in + ih) * p.w_in + iw, p.h_in * p.w_in,
                    out + (sl - 2 * first_tile) * 16, ld_out, cig, count);
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace tconv::openmp
