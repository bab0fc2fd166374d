// bwd_data (a plain strided convolution of dy): per chunk, im2col of dy, then
// dx_g = W_g * col_g by fixed tiles. Every dx element is one GEMM dot product: no
// accumulation across chunks. With a 1x1 kernel, stride 1 and no crop the columns are dy
// itself (NHWC always, NCHW one image at a time) and the copy is skipped.

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/staging.h"

namespace tconv::openmp {

Status backward_data(const Problem& p, const Operands& ops, const Options& o, Workspace& ws) {
  if (use_depthwise_path(p, o)) return depthwise_backward_data(p, ops, o);
  if (use_direct_backward_data(p, o)) return direct_backward_data(p, ops, o, ws);
  if (nhwc_gradients_as_planes(p, o)) return nhwc_planes_gradient(p, Direction::bwd_data, ops, o, ws);
  const bool nhwc = p.layout == Layout::NHWC;
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const std::size_t fixed = weights_need_copy(p) ? aligned_floats(static_cast<std::size_t>(numel_w(p))) : 0;
  const auto chunk_floats = [&](const Chunk& c) {
    const std::int64_t col = dy_is_column_matrix(p, c, o.fast_paths) ? 0 : p.c_out * taps * c.pixels(p.w_in);
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    return aligned_floats(static_cast<std::size_t>(staged_images * image_floats(p))) +
           aligned_floats(static_cast<std::size_t>(col)) +
           aligned_floats(static_cast<std::size_t>(pixel_matrix_floats(p, c)));
  };
  const ItemPlan items = plan_items(p, o, fixed);
  if (items.use && !dy_is_column_matrix(p, {0, 1, 0, p.h_in}, o.fast_paths)) {
    Carver carve(ws.floats(fixed + items.per_thread_floats * static_cast<std::size_t>(items.concurrency)));
    const float* w = static_cast<const float*>(ops.w->data());
    if (weights_need_copy(p)) {
      float* wf = carve.take(static_cast<std::size_t>(numel_w(p)));
      weights_to_f32(*ops.w, p.groups, gemm_weight_layout(p), wf);
      w = wf;
    }
    backward_data_by_items(p, ops, o, items, w, carve.take(0));
    return Status::Ok();
  }
  const auto plan = plan_chunk_workspace(p, fixed, chunk_floats, o.workspace_limit, chunk_pixel_cap(p, o));
  if (!plan) return Status::Error(StatusCode::out_of_memory, plan.error());

  Carver carve(ws.floats(fixed + plan->most_floats));
  const float* w = static_cast<const float*>(ops.w->data());
  if (weights_need_copy(p)) {
    float* wf = carve.take(static_cast<std::size_t>(numel_w(p)));
    weights_to_f32(*ops.w, p.groups, gemm_weight_layout(p), wf);
    w = wf;
  }
  float* chunk_base = carve.take(0);
  const std::int64_t ld_w = taps * cog;

  for (const Chunk& c : plan->chunks) {
    // The dy staging comes first: a row-tiled image keeps it at the same place across chunks.
    Carver chunk_carve(chunk_base);
    const std::int64_t staged_images = images_need_staging(p) ? c.images : 0;
    const Images dy = output_images(p, c, *ops.dy, chunk_carve.take(static_cast<std::size_t>(staged_images * image_floats(p))));
    const std::int64_t pixels = c.pixels(p.w_in);
    const bool identity = dy_is_column_matrix(p, c, o.fast_paths);
    float* col = identity ? nullptr : chunk_carve.take(static_cast<std::size_t>(p.c_out * taps * pixels));
    std::int64_t ld_col = nhwc ? taps * p.c_out : pixels;
    if (identity) {  // 1x1, stride 1, no crop: dy pixels are the input pixels
      col = dy.image(c.n0) + (nhwc ? c.ih0 * p.w_in * p.c_out : c.ih0 * p.w_in);
      ld_col = nhwc ? p.c_out : p.h_in * p.w_in;
    }
    const Columns cols(p, c, col, ld_col);
    const PixelMatrix dx = pixel_matrix(p, c, *ops.dx, chunk_carve.take(static_cast<std::size_t>(pixel_matrix_floats(p, c))));
    const auto tiles = nhwc ? tile_gemm(p.groups, pixels, cig) : tile_gemm(p.groups, cig, pixels);
    const auto n_tiles = static_cast<std::int64_t>(tiles.size());
    const std::int64_t col_units = nhwc ? c.images * c.rows : c.images * p.c_out * taps;

#pragma omp parallel num_threads(o.threads)
    {
      if (images_need_staging(p) && c.ih0 == 0) {
        const Chunk images{c.n0, c.images, 0, p.h_in};
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < image_row_units(p, images); ++u) load_image_row(p, images, *ops.dy, dy, u);
      }
      if (!identity) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < col_units; ++u) {
          if (nhwc) im2col_nhwc_row(cols, dy, c.n0 + u / c.rows, c.ih0 + u % c.rows);
          else im2col_nchw_row(cols, dy, c.n0 + u / (p.c_out * taps), u % (p.c_out * taps));
        }
      }
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t t = 0; t < n_tiles; ++t) {
        const Tile& tile = tiles[static_cast<std::size_t>(t)];
        const float* wg = w + tile.group * cig * ld_w;
        if (nhwc) {  // dx[px][g, ci] = col_g[px][tap, co] * W_g^T[tap, co][ci]
          sgemm(o.gemm, false, true, tile.m1 - tile.m0, tile.n1 - tile.n0, ld_w, 1.0f,
                col + tile.m0 * ld_col + tile.group * ld_w, ld_col, wg + tile.n0 * ld_w, ld_w, 0.0f,
                dx.data + tile.m0 * dx.ld + tile.group * cig + tile.n0, dx.ld);
        } else {  // dx[g, ci][px] = W_g[ci][co, tap] * col_g[co, tap][px]
          sgemm(o.gemm, false, false, tile.m1 - tile.m0, tile.n1 - tile.n0, ld_w, 1.0f, wg + tile.m0 * ld_w, ld_w,
                col + tile.group * ld_w * ld_col + tile.n0, ld_col, 0.0f,
                dx.data + (tile.group * cig + tile.m0) * dx.ld + tile.n0, dx.ld);
        }
      }
      if (dx.staged) {
#pragma omp for schedule(static)
        for (std::int64_t u = 0; u < pixel_matrix_units(p, c); ++u) unpack_unit(p, c, dx, *ops.dx, u);
      }
    }
  }
  return Status::Ok();
}

}  // namespace tconv::openmp
