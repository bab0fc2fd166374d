// bwd_data for batches of images, without barriers: like forward_items.cpp, a work item is
// (group, block of whole images) and one thread does its im2col into its own columns and the
// GEMM that consumes them while they are in its caches, writing its images' dx channels of
// its group. Each dx element is one GEMM dot product over the same columns as on the chunked
// path.
#include <algorithm>
#include <cstring>

#include "backends/openmp/items.h"

namespace tconv::openmp {

void backward_data_by_items(const Problem& p, const Operands& ops, const Options& o, const ItemPlan& plan,
                            const float* w, float* scratch) {
  const bool nhwc = p.layout == Layout::NHWC;
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const std::int64_t pixels_per_image = p.h_in * p.w_in, ld_w = taps * cog;
  const Images dy{const_cast<float*>(static_cast<const float*>(ops.dy->data())), 0, p.c_out * p.h_out() * p.w_out()};
  auto* dx = static_cast<float*>(ops.dx->data());

  for_each_item(p, plan, scratch, [&](const Item& item) {
    const auto& [index, g, c, pixels, col] = item;
    const std::int64_t n0 = c.n0;
    const Columns cols = item.columns(p, nhwc ? ld_w : pixels);
    const float* wg = w + g * cig * ld_w;
    if (nhwc) {  // dx[px][g, ci] = col[px][tap, co] * W_g^T[tap, co][ci]
      for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
        for (std::int64_t ih = 0; ih < p.h_in; ++ih) im2col_nhwc_row(cols, dy, n, ih);
      sgemm(o.gemm, false, true, pixels, cig, ld_w, 1.0f, col, ld_w, wg, ld_w, 0.0f,
            dx + n0 * pixels_per_image * p.c_in + g * cig, p.c_in);
      return;
    }
    for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
      for (std::int64_t r = 0; r < ld_w; ++r) im2col_nchw_row(cols, dy, n, r);
    // dx[g, ci][px] = W_g[ci][co, tap] * col[co, tap][px]; images side by side go through a
    // staging matrix, one image is written in place.
    float* dxg = dx + (n0 * p.c_in + g * cig) * pixels_per_image;
    float* out = c.images > 1 ? col + aligned_floats(static_cast<std::size_t>(ld_w * pixels)) : dxg;
    const std::int64_t ld_out = c.images > 1 ? pixels : pixels_per_image;
    sgemm(o.gemm, false, false, cig, pixels, ld_w, 1.0f, wg, ld_w, col, pixels, 0.0f, out, ld_out);
    if (c.images > 1)
      for (std::int64_t ci = 0; ci < cig; ++ci)
        for (std::int64_t i = 0; i < c.images; ++i)
          std::memcpy(dxg + (i * p.c_in + ci) * pixels_per_image, out + ci * pixels + i * pixels_per_image,
                      static_cast<std::size_t>(pixels_per_image) * 4);
  });
}

}  // namespace tconv::openmp
