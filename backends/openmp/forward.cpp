// fwd: per chunk of images, columns = W^T X (a GEMM per group over fixed tiles), then col2im
// gathers the columns into y by disjoint output rows, bias first. The pixel-shuffle fast path
// (k == s, no crop) replaces col2im by a copy: each output pixel has exactly one term.
#include <algorithm>

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/staging.h"

namespace tconv::openmp {

namespace {

// Unit u of an image's rows set to the bias: NHWC output row u, NCHW row (co, oh) = u.
void fill_bias_row(const Problem& p, float* image, const float* bias, std::int64_t u) {
  const std::int64_t wo = p.w_out();
  if (p.layout == Layout::NHWC) {
    float* row = image + u * wo * p.c_out;
    for (std::int64_t ow = 0; ow < wo; ++ow)
      for (std::int64_t k = 0; k < p.c_out; ++k) row[ow * p.c_out + k] = bias ? bias[k] : 0.0f;
    return;
  }
  const std::int64_t co = u / p.h_out();
  std::fill(image + u * wo, image + (u + 1) * wo, bias ? bias[co] : 0.0f);
}

// nhwc_as_planes: pixels [256u, 256u + 256) of the chunk's [pixels][C_in] x into the
// [C_in][pixels] matrix xt, so the GEMM runs in its TN form (measured faster than TT, README).
void transpose_pixel_block(const PixelMatrix& x, std::int64_t c_in, std::int64_t pixels, float* xt, std::int64_t u) {
  const std::int64_t px0 = u * 256, px1 = std::min(pixels, px0 + 256);
  for (std::int64_t ci = 0; ci < c_in; ++ci)
    for (std::int64_t px = px0; px < px1; ++px) xt[ci * pixels + px] = x.data[px * x.ld + ci];
}

}  // namespace

bool nhwc_as_planes(const Problem& p, const Options& o) {
  return o.fast_paths && p.layout == Layout::NHWC && p.c_out == 1;  // then groups == 1 and IHWO == IOHW
}

Layout gemm_weight_layout(const Problem& p) { return p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW; }

std::int64_t chunk_pixel_cap(const Problem& p, const Options& o) {
  if (o.max_chunk_pixels > 0) return o.max_chunk_pixels;
  const std::int64_t column_bytes_per_pixel = p.c_out * p.kh * p.kw * 4;
  return std::max<std::int64_t>(512, (std::int64_t{4} << 20) / column_bytes_per_pixel);
}

bool weights_need_copy(const Problem& p) { return p.dtype != DType::f32 || p.weight_layout != gemm_weight_layout(p); }

Status forward(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (use_depthwise_path(p, o)) return depthwise_forward(p, ops, o);
  const bool nhwc = p.layout == Layout::NHWC;
  const bool planes = nhwc_as_planes(p, o), pixel_major = nhwc && !planes;  // the columns' orientation
  const bool shuffle = o.fast_paths && is_pixel_shuffle(p);
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const std::int64_t ho = p.h_out();
  const std::size_t fixed = (weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0) +
                            aligned_floats(static_cast<std::size_t>(p.c_out));
  const auto chunk_floats = [&](const Chunk& c) {
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    return aligned_floats(static_cast<std::size_t>(p.c_out * taps * c.pixels(p.w_in))) +
           aligned_floats(static_cast<std::size_t>(pixel_matrix_floats(p, c))) +
           aligned_floats(static_cast<std::size_t>(staged_images * image_floats(p))) +
           aligned_floats(static_cast<std::size_t>(planes ? p.c_in * c.pixels(p.w_in) : 0));
  };
  const ItemPlan items = plan_items(p, o, fixed);
  if (items.use) {
    Carver carve(ws.floats(fixed + items.per_thread_floats * static_cast<std::size_t>(items.concurrency)));
    const float* w = static_cast<const float*>(ops.w->data());
    if (weights_need_copy(p)) {
      float* wf = carve.take(static_cast<std::size_t>(numel_w(p)));
      weights_to_f32(*ops.w, p.groups, gemm_weight_layout(p), wf);
      w = wf;
    }
    carve.take(static_cast<std::size_t>(p.c_out));  // the bias is f32 already: used in place
    const float* bias = p.bias ? static_cast<const float*>(ops.b->data()) : nullptr;
    forward_by_items(p, ops, o, items, w, bias, carve.take(0));
    return Status::Ok();
  }
  const auto plan = plan_chunk_workspace(p, fixed, chunk_floats, o.workspace_limit, chunk_pixel_cap(p, o));
  if (!plan) return Status::Error(StatusCode::out_of_memory, plan.error());

  Carver carve(ws.floats(fixed + plan->most_floats));
  const Layout wl = gemm_weight_layout(p);
  const float* w = static_cast<const float*>(ops.w->data());
  if (weights_need_copy(p)) {
    float* wf = carve.take(static_cast<std::size_t>(numel_w(p)));
    weights_to_f32(*ops.w, p.groups, wl, wf);
    w = wf;
  }
  const float* bias = nullptr;
  if (p.bias) {
    float* bf = carve.take(static_cast<std::size_t>(p.c_out));
    load_f32(ops.b->data(), p.dtype, p.c_out, bf);
    bias = bf;
  } else {
    carve.take(static_cast<std::size_t>(p.c_out));
  }
  float* col_base = carve.take(0);
  const std::int64_t ld_w = taps * cog;  // a row of IOHW ([co][kh][kw]) or IHWO ([kh][kw][co])

  for (const Chunk& c : plan->chunks) {
    // The y staging comes first: a row-tiled image keeps it at the same place across chunks.
    Carver chunk_carve(col_base);
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    const Images y = output_images(p, c, *ops.y, chunk_carve.take(static_cast<std::size_t>(staged_images * image_floats(p))));
    const std::int64_t pixels = c.pixels(p.w_in);
    float* col = chunk_carve.take(static_cast<std::size_t>(p.c_out * taps * pixels));
    const PixelMatrix x = pixel_matrix(p, c, *ops.x, chunk_carve.take(static_cast<std::size_t>(pixel_matrix_floats(p, c))));
    float* xt = planes ? chunk_carve.take(static_cast<std::size_t>(p.c_in * pixels)) : nullptr;
    const Columns cols(p, c, col, pixel_major ? taps * p.c_out : pixels);
    const auto tiles = pixel_major ? tile_gemm(p.groups, pixels, taps * cog) : tile_gemm(p.groups, taps * cog, pixels);
    const bool whole = c.rows == p.h_in;
    const bool starts_image = c.ih0 == 0, ends_image = c.ih0 + c.rows == p.h_in;
    const std::int64_t oh0 = cols.first_output_row(), oh1 = cols.last_output_row();
    const std::int64_t rows_out = oh1 - oh0;
    // NCHW work units are bands of a plane's rows, some 2K elements: enough work per unit to
    // amortise the tap arithmetic, enough units to share among threads.
    const std::int64_t band = pixel_major ? 1 : std::max<std::int64_t>(1, 2048 / p.w_out());
    const std::int64_t bands = (rows_out + band - 1) / band;
    const std::int64_t out_units = pixel_major ? c.images * rows_out : c.images * p.c_out * bands;
    const auto n_tiles = static_cast<std::int64_t>(tiles.size());

#pragma omp parallel num_threads(o.threads)
    {
      if (x.staged) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < pixel_matrix_units(p, c); ++u) pack_unit(p, c, *ops.x, x, u);
      }
      if (planes) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < (pixels + 255) / 256; ++u) transpose_pixel_block(x, p.c_in, pixels, xt, u);
      }
      if (!whole && !shuffle && starts_image) {
        // Rows of one image arrive over several chunks and overlapping taps accumulate:
        // start the image from its bias.
        const std::int64_t units = nhwc ? ho : p.c_out * ho;
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < units; ++u) fill_bias_row(p, y.image(c.n0), bias, u);
      }
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t t = 0; t < n_tiles; ++t) {
        const Tile& tile = tiles[static_cast<std::size_t>(t)];
        const float* wg = w + tile.group * cig * ld_w;
        if (pixel_major) {  // col[px][g][tap, co] = X_g[px][ci] * W_g[ci][tap, co]
          sgemm(o.gemm, false, false, tile.m1 - tile.m0, tile.n1 - tile.n0, cig, 1.0f,
                x.data + tile.m0 * x.ld + tile.group * cig, x.ld, wg + tile.n0, ld_w, 0.0f,
                col + tile.m0 * cols.ld + tile.group * ld_w + tile.n0, cols.ld);
        } else if (planes) {  // one plane: col[tap][px] = W^T[tap][ci] * xt[ci][px]
          sgemm(o.gemm, true, false, tile.m1 - tile.m0, tile.n1 - tile.n0, cig, 1.0f, wg + tile.m0, ld_w, xt + tile.n0,
                pixels, 0.0f, col + tile.m0 * cols.ld + tile.n0, cols.ld);
        } else {  // col[g, co, tap][px] = W_g^T[co, tap][ci] * X_g[ci][px]
          sgemm(o.gemm, true, false, tile.m1 - tile.m0, tile.n1 - tile.n0, cig, 1.0f, wg + tile.m0, ld_w,
                x.data + tile.group * cig * x.ld + tile.n0, x.ld, 0.0f,
                col + (tile.group * ld_w + tile.m0) * cols.ld + tile.n0, cols.ld);
        }
      }
#pragma omp for schedule(static)
      for (std::int64_t u = 0; u < out_units; ++u) {
        if (pixel_major) {
          const std::int64_t n = c.n0 + u / rows_out, oh = oh0 + u % rows_out;
          if (shuffle) shuffle_nhwc_row(cols, y, bias, n, oh);
          else col2im_nhwc_row(cols, y, bias, whole, n, oh);
          continue;
        }
        const std::int64_t co = (u / bands) % p.c_out, n = c.n0 + u / (bands * p.c_out);
        const std::int64_t r0 = oh0 + (u % bands) * band, r1 = std::min(oh1, r0 + band);
        if (shuffle) {
          for (std::int64_t oh = r0; oh < r1; ++oh) shuffle_nchw_row(cols, y, bias, n, co, oh);
        } else {
          col2im_nchw_band(cols, y, bias, whole, n, co, r0, r1);
        }
      }
      if (images_need_staging(p) && ends_image) {
        const Chunk images{c.n0, c.images, 0, p.h_in};
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < image_row_units(p, images); ++u) store_image_row(p, images, y, *ops.y, u);
      }
    }
  }
  return Status::Ok();
}

}  // namespace tconv::openmp
