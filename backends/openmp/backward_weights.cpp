// bwd_weights: per chunk, im2col of dy and a GEMM per fixed tile of dW, accumulated chunk
// after chunk in batch order (beta = 0 for the first). Each dW element is thus summed in an
// order fixed by the chunk plan, whatever the thread count.
//   NHWC: dW_g[ci][tap, co] += X_g^T * col_g, X_g being the NHWC input itself.
//   NCHW: both natural operands hold the pixels innermost, which makes dW = X * col^T a
//   "transposed B" GEMM that runs at two thirds of the speed of the plain one for the small
//   C_in/g of many layers (README.md). So x is transposed into the workspace ([pixel][C_in],
//   cheap: the size of x) and the GEMM computes dW_g^T[co, tap][ci] += col_g * X_g^T, plain;
//   dW^T is transposed back once at the end.
// dW accumulates in f32 and is converted into the requested layout and dtype at the end.
#include <algorithm>

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/staging.h"

namespace tconv::openmp {

namespace {

// xT[(pixel of the chunk)][ci] = x[n][ci][ih][iw] for input row (n, ih) = unit.
template <class T, class Load>
void transpose_row(const Problem& p, const Chunk& c, const T* x, const Load& load, float* xt, std::int64_t unit) {
  const std::int64_t n = c.n0 + unit / c.rows, ih = c.ih0 + unit % c.rows;
  const std::int64_t plane = p.h_in * p.w_in;
  float* dst = xt + ((n - c.n0) * c.rows + (ih - c.ih0)) * p.w_in * p.c_in;
  const T* src = x + n * p.c_in * plane + ih * p.w_in;
  for (std::int64_t ci = 0; ci < p.c_in; ++ci)
    for (std::int64_t iw = 0; iw < p.w_in; ++iw) dst[iw * p.c_in + ci] = load(src[ci * plane + iw]);
}

void transpose_input_row(const Problem& p, const Chunk& c, const HostTensor& x, float* xt, std::int64_t unit) {
  switch (p.dtype) {
    case DType::f32:
      transpose_row(p, c, static_cast<const float*>(x.data()), [](float v) { return v; }, xt, unit);
      return;
    case DType::f16:
      transpose_row(p, c, static_cast<const std::uint16_t*>(x.data()), half_to_float, xt, unit);
      return;
    case DType::bf16:
      transpose_row(p, c, static_cast<const std::uint16_t*>(x.data()), bf16_to_float, xt, unit);
      return;
    case DType::f64: return;
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
}

// dW^T [g][co, tap][ci] (NCHW) -> IOHW [g][ci][co, tap] in dw, then into the operand's
// layout and dtype unless dw is the operand itself.
void finish_weights(const Problem& p, const Options& o, float* dw, const float* dw_t, bool dw_in_place, HostTensor& out) {
  const bool nhwc = p.layout == Layout::NHWC;
  const std::int64_t cig = p.c_in / p.groups, ld_w = p.kh * p.kw * (p.c_out / p.groups);
  if (!nhwc) {  // dW^T [g][co, tap][ci] -> IOHW [g][ci][co, tap], in blocks of 32 rows of dW^T
    constexpr std::int64_t kBlock = 32;   // whose cache lines stay in L1 while ci sweeps them
    const std::int64_t blocks = (ld_w + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) num_threads(o.threads)
    for (std::int64_t u = 0; u < p.groups * blocks; ++u) {
      const std::int64_t g = u / blocks, j0 = (u % blocks) * kBlock, j1 = std::min(ld_w, j0 + kBlock);
      for (std::int64_t ci = 0; ci < cig; ++ci) {
        float* dst = dw + (g * cig + ci) * ld_w;
        const float* src = dw_t + g * ld_w * cig + ci;
        for (std::int64_t j = j0; j < j1; ++j) dst[j] = src[j * cig];
      }
    }
  }
  if (!dw_in_place) weights_from_f32(dw, gemm_weight_layout(p), p.groups, out);
}

}  // namespace

Status backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (use_depthwise_path(p, o)) return depthwise_backward_weights(p, ops, o);
  if (nhwc_gradients_as_planes(p, o)) return nhwc_planes_gradient(p, Direction::bwd_weights, ops, o, ws);
  if (use_direct_backward_weights(p, o)) return direct_backward_weights(p, ops, o, ws);
  const bool nhwc = p.layout == Layout::NHWC;
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const bool dw_in_place = !weights_need_copy(p);
  const std::size_t w_floats = aligned_floats(static_cast<std::size_t>(numel_w(p)));
  const std::int64_t ld_w = taps * cog;
  const auto tiles = nhwc ? tile_gemm(p.groups, cig, ld_w) : tile_gemm(p.groups, ld_w, cig);
  const auto n_tiles = static_cast<std::int64_t>(tiles.size());
  // A small dW gives few tiles, too few to share among threads: then each chunk's pixels are
  // also split into up to kSplit fixed blocks whose partial products are summed in block order.
  constexpr std::int64_t kSplit = 8;
  const bool split = n_tiles < kSplit;
  const std::size_t fixed = (dw_in_place ? 0 : w_floats) + (nhwc ? 0 : w_floats) +  // dW, dW^T (NCHW)
                            (split ? kSplit * w_floats : 0);                          // partial products
  const auto x_floats = [&](const Chunk& c) { return nhwc ? pixel_matrix_floats(p, c) : p.c_in * c.pixels(p.w_in); };
  const auto chunk_floats = [&](const Chunk& c) {
    const std::int64_t col = dy_is_column_matrix(p, c, o.fast_paths) ? 0 : p.c_out * taps * c.pixels(p.w_in);
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    return aligned_floats(static_cast<std::size_t>(staged_images * image_floats(p))) +
           aligned_floats(static_cast<std::size_t>(col)) + aligned_floats(static_cast<std::size_t>(x_floats(c)));
  };
  const std::size_t dw_floats = (dw_in_place ? 0 : w_floats) + (nhwc ? 0 : w_floats);
  const WeightItems items = plan_weight_items(p, o, dw_floats);
  if (items.plan.use) {
    Carver carve(ws.floats(dw_floats + items.partial_floats +
                           items.plan.per_thread_floats * static_cast<std::size_t>(items.plan.concurrency)));
    float* dw = dw_in_place ? static_cast<float*>(ops.dw->data()) : carve.take(static_cast<std::size_t>(numel_w(p)));
    float* dw_t = nhwc ? nullptr : carve.take(static_cast<std::size_t>(numel_w(p)));
    float* partials = carve.take(items.partial_floats);
    backward_weights_by_items(p, ops, o, items, nhwc ? dw : dw_t, partials, carve.take(0));
    finish_weights(p, o, dw, dw_t, dw_in_place, *ops.dw);
    return Status::Ok();
  }
  const auto plan = plan_chunk_workspace(p, fixed, chunk_floats, o.workspace_limit, chunk_pixel_cap(p, o));
  if (!plan) return Status::Error(StatusCode::out_of_memory, plan.error());

  Carver carve(ws.floats(fixed + plan->most_floats));
  float* dw = dw_in_place ? static_cast<float*>(ops.dw->data()) : carve.take(static_cast<std::size_t>(numel_w(p)));
  float* dw_t = nhwc ? nullptr : carve.take(static_cast<std::size_t>(numel_w(p)));  // [g][co, tap][ci]
  float* partials = split ? carve.take(kSplit * w_floats) : nullptr;
  float* chunk_base = carve.take(0);
  // The accumulated matrix: dW_g [ci][tap, co] (NHWC) or dW_g^T [co, tap][ci] (NCHW).
  float* acc = nhwc ? dw : dw_t;
  const std::int64_t ld_acc = nhwc ? ld_w : cig;
  const auto tile_offset = [&](const Tile& t) { return t.group * cig * ld_w + t.m0 * ld_acc + t.n0; };

  bool first = true;
  for (const Chunk& c : plan->chunks) {
    Carver chunk_carve(chunk_base);
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    const Images dy = output_images(p, c, *ops.dy, chunk_carve.take(static_cast<std::size_t>(staged_images * image_floats(p))));
    const std::int64_t pixels = c.pixels(p.w_in);
    const bool identity = dy_is_column_matrix(p, c, o.fast_paths);
    float* col = identity ? nullptr : chunk_carve.take(static_cast<std::size_t>(p.c_out * taps * pixels));
    std::int64_t ld_col = nhwc ? taps * p.c_out : pixels;
    if (identity) {
      col = dy.image(c.n0) + (nhwc ? c.ih0 * p.w_in * p.c_out : c.ih0 * p.w_in);
      ld_col = nhwc ? p.c_out : p.h_in * p.w_in;
    }
    const Columns cols(p, c, col, ld_col);
    float* x_staging = chunk_carve.take(static_cast<std::size_t>(x_floats(c)));
    const PixelMatrix x = nhwc ? pixel_matrix(p, c, *ops.x, x_staging) : PixelMatrix{x_staging, p.c_in, true};
    const std::int64_t col_units = nhwc ? c.images * c.rows : c.images * p.c_out * taps;
    const float beta = first ? 0.0f : 1.0f;
    first = false;
    const std::int64_t blocks = split ? std::clamp<std::int64_t>(pixels / 256, 1, kSplit) : 1;
    const std::int64_t block_pixels = (pixels + blocks - 1) / blocks;

#pragma omp parallel num_threads(o.threads)
    {
      if (images_need_staging(p) && c.ih0 == 0) {
        const Chunk images{c.n0, c.images, 0, p.h_in};
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < image_row_units(p, images); ++u) load_image_row(p, images, *ops.dy, dy, u);
      }
      if (nhwc && x.staged) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < pixel_matrix_units(p, c); ++u) pack_unit(p, c, *ops.x, x, u);
      }
      if (!nhwc) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < c.images * c.rows; ++u) transpose_input_row(p, c, *ops.x, x.data, u);
      }
      if (!identity) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < col_units; ++u) {
          if (nhwc) im2col_nhwc_row(cols, dy, c.n0 + u / c.rows, c.ih0 + u % c.rows);
          else im2col_nchw_row(cols, dy, c.n0 + u / (p.c_out * taps), u % (p.c_out * taps));
        }
      }
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t item = 0; item < n_tiles * blocks; ++item) {
        const Tile& tile = tiles[static_cast<std::size_t>(item / blocks)];
        const std::int64_t b = item % blocks, p0 = b * block_pixels, p1 = std::min(pixels, p0 + block_pixels);
        float* out = (blocks > 1 ? partials + b * w_floats : acc) + tile_offset(tile);
        const float out_beta = blocks > 1 ? 0.0f : beta;
        if (nhwc) {  // dW_g[ci][tap, co] += X_g^T[ci][px] * col_g[px][tap, co]
          sgemm(o.gemm, true, false, tile.m1 - tile.m0, tile.n1 - tile.n0, p1 - p0, 1.0f,
                x.data + p0 * x.ld + tile.group * cig + tile.m0, x.ld, col + p0 * ld_col + tile.group * ld_w + tile.n0,
                ld_col, out_beta, out, ld_acc);
        } else {  // dW_g^T[co, tap][ci] += col_g[co, tap][px] * X_g^T[px][ci]
          sgemm(o.gemm, false, false, tile.m1 - tile.m0, tile.n1 - tile.n0, p1 - p0, 1.0f,
                col + (tile.group * ld_w + tile.m0) * ld_col + p0, ld_col, x.data + p0 * x.ld + tile.group * cig + tile.n0,
                x.ld, out_beta, out, ld_acc);
        }
      }
      if (blocks > 1) {  // acc (+)= the blocks' partial products, in block order
#pragma omp for schedule(static)
        for (std::int64_t t = 0; t < n_tiles; ++t) {
          const Tile& tile = tiles[static_cast<std::size_t>(t)];
          for (std::int64_t i = 0; i < tile.m1 - tile.m0; ++i) {
            float* dst = acc + tile_offset(tile) + i * ld_acc;
            for (std::int64_t j = 0; j < tile.n1 - tile.n0; ++j) {
              float v = beta == 0.0f ? 0.0f : dst[j];
              for (std::int64_t k = 0; k < blocks; ++k) v += partials[k * w_floats + tile_offset(tile) + i * ld_acc + j];
              dst[j] = v;
            }
          }
        }
      }
    }
  }
  finish_weights(p, o, dw, dw_t, dw_in_place, *ops.dw);
  return Status::Ok();
}

}  // namespace tconv::openmp
