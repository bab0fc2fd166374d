// bwd_weights for batches of images, with one barrier: a work item is (group, block of whole
// images); one thread builds its im2col (and, NCHW, its transposed input) in its own buffers
// and writes the item's partial dW_g with a plain GEMM. The partials are then summed per
// element in item order: a fixed order, whatever the thread count.
#include <algorithm>

#include "backends/openmp/items.h"

namespace tconv::openmp {

WeightItems plan_weight_items(const Problem& p, const Options& o, std::size_t fixed_floats) {
  WeightItems wi;
  if (p.dtype != DType::f32) return wi;
  const std::int64_t pixels = p.h_in * p.w_in, cig = p.c_in / p.groups;
  ItemPlan& plan = wi.plan;
  plan.images_per_item = std::max<std::int64_t>(1, chunk_pixel_cap(p, o) / pixels);
  const std::int64_t blocks = (p.n + plan.images_per_item - 1) / plan.images_per_item;
  plan.items = blocks * p.groups;
  const std::int64_t item_pixels = plan.images_per_item * pixels;
  plan.per_thread_floats = aligned_floats(static_cast<std::size_t>(p.c_out / p.groups * p.kh * p.kw * item_pixels)) +
                           aligned_floats(static_cast<std::size_t>(p.layout == Layout::NCHW ? cig * item_pixels : 0));
  wi.partial_floats = aligned_floats(static_cast<std::size_t>(blocks * numel_w(p)));
  const std::size_t limit = o.workspace_limit / 4, taken = fixed_floats + wi.partial_floats;
  const std::size_t room = limit > taken ? limit - taken : 0;
  // As for the other item paths: the choice depends on the problem and the limit only.
  plan.use = plan.items >= 4 && room >= 8 * plan.per_thread_floats;
  plan.concurrency = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(o.threads),
                                                            plan.use ? room / plan.per_thread_floats : 1));
  return wi;
}

void backward_weights_by_items(const Problem& p, const Operands& ops, const Options& o, const WeightItems& wi,
                               float* acc, float* partials, float* scratch) {
  const ItemPlan& plan = wi.plan;
  const bool nhwc = p.layout == Layout::NHWC;
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const std::int64_t pixels_per_image = p.h_in * p.w_in, ld_w = taps * cog, w_group = cig * ld_w;
  const Images dy{const_cast<float*>(static_cast<const float*>(ops.dy->data())), 0, p.c_out * p.h_out() * p.w_out()};
  const auto* x = static_cast<const float*>(ops.x->data());
  const std::int64_t blocks = plan.items / p.groups;

  for_each_item(p, plan, scratch, [&](const Item& item) {
    const auto& [index, g, c, pixels, col] = item;
    const std::int64_t n0 = c.n0;
    const Columns cols = item.columns(p, nhwc ? ld_w : pixels);
    float* partial = partials + index * w_group;
    if (nhwc) {  // dW_g[ci][tap, co] = X_g^T[ci][px] * col[px][tap, co]
      for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
        for (std::int64_t ih = 0; ih < p.h_in; ++ih) im2col_nhwc_row(cols, dy, n, ih);
      sgemm(o.gemm, true, false, cig, ld_w, pixels, 1.0f, x + n0 * pixels_per_image * p.c_in + g * cig, p.c_in, col,
            ld_w, 0.0f, partial, ld_w);
      return;
    }
    for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
      for (std::int64_t r = 0; r < ld_w; ++r) im2col_nchw_row(cols, dy, n, r);
    // dW_g^T[co, tap][ci] = col[co, tap][px] * X_g^T[px][ci], X_g^T transposed here.
    float* xt = col + aligned_floats(static_cast<std::size_t>(ld_w * pixels));
    for (std::int64_t i = 0; i < c.images; ++i)
      for (std::int64_t ci = 0; ci < cig; ++ci) {
        const float* src = x + ((n0 + i) * p.c_in + g * cig + ci) * pixels_per_image;
        float* dst = xt + i * pixels_per_image * cig + ci;
        for (std::int64_t px = 0; px < pixels_per_image; ++px) dst[px * cig] = src[px];
      }
    sgemm(o.gemm, false, false, ld_w, cig, pixels, 1.0f, col, pixels, xt, cig, 0.0f, partial, cig);
  });
  // acc_g = the partials of group g's items, in item (batch) order.
  constexpr std::int64_t kRun = 1024;
  const std::int64_t runs = (w_group + kRun - 1) / kRun;
#pragma omp parallel for schedule(static) num_threads(o.threads)
  for (std::int64_t u = 0; u < p.groups * runs; ++u) {
    const std::int64_t g = u / runs, e0 = (u % runs) * kRun, e1 = std::min(w_group, e0 + kRun);
    float* dst = acc + g * w_group;
    for (std::int64_t e = e0; e < e1; ++e) dst[e] = partials[g * w_group + e];
    for (std::int64_t b = 1; b < blocks; ++b) {
      const float* src = partials + (b * p.groups + g) * w_group;
      for (std::int64_t e = e0; e < e1; ++e) dst[e] += src[e];
    }
  }
}

}  // namespace tconv::openmp
