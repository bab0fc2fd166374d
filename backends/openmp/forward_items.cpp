// fwd for batches of images, without barriers: a work item is (group, block of whole images)
// and one thread does all of it, the GEMM into its own column buffer and the col2im right
// after, while the columns are still in its caches. Items write disjoint output (their
// images, their group's channels), and each output element gets the same terms in the same
// order (bias, then taps by kh, kw) as on the chunked path: deterministic for any thread count.
#include <algorithm>
#include <cstring>

#include "backends/openmp/items.h"

namespace tconv::openmp {

namespace {

std::int64_t x_pack_floats(const Problem& p, std::int64_t images) {
  // NCHW images side by side as one [C_in/g][pixels] matrix (x for fwd, dx for bwd_data);
  // NHWC needs no copy.
  return p.layout == Layout::NCHW && images > 1 ? p.c_in / p.groups * images * p.h_in * p.w_in : 0;
}

// col[co, tap][px] = W_g^T[co, tap][ci] * X_g[ci][px] for the item's images (chunk c) of group g.
void forward_gemm_nchw(const Problem& p, const Options& o, const Chunk& c, std::int64_t g, const float* wg,
                       const float* x, float* col) {
  const std::int64_t cig = p.c_in / p.groups, ld_w = p.c_out / p.groups * p.kh * p.kw;
  const std::int64_t pixels_per_image = p.h_in * p.w_in, pixels = c.images * pixels_per_image;
  const float* xg = x + (c.n0 * p.c_in + g * cig) * pixels_per_image;
  std::int64_t ld_x = pixels_per_image;
  if (c.images > 1) {  // this group's channels of the block's images, side by side
    float* packed = col + aligned_floats(static_cast<std::size_t>(ld_w * pixels));
    for (std::int64_t ci = 0; ci < cig; ++ci)
      for (std::int64_t i = 0; i < c.images; ++i)
        std::memcpy(packed + ci * pixels + i * pixels_per_image, xg + (i * p.c_in + ci) * pixels_per_image,
                    static_cast<std::size_t>(pixels_per_image) * 4);
    xg = packed;
    ld_x = pixels;
  }
  sgemm(o.gemm, true, false, ld_w, pixels, cig, 1.0f, wg, ld_w, xg, ld_x, 0.0f, col, pixels);
}

}  // namespace

ItemPlan plan_items(const Problem& p, const Options& o, std::size_t fixed_floats) {
  ItemPlan plan;
  if (p.dtype != DType::f32) return plan;  // staging of f16/bf16 stays on the chunked path
  const std::int64_t pixels = p.h_in * p.w_in;
  plan.images_per_item = std::max<std::int64_t>(1, chunk_pixel_cap(p, o) / pixels);
  const std::int64_t blocks = (p.n + plan.images_per_item - 1) / plan.images_per_item;
  plan.items = blocks * p.groups;
  plan.per_thread_floats =
      aligned_floats(static_cast<std::size_t>(p.c_out / p.groups * p.kh * p.kw * plan.images_per_item * pixels)) +
      aligned_floats(static_cast<std::size_t>(x_pack_floats(p, plan.images_per_item)));
  // Enough items to share, and room for eight threads' buffers: both independent of the
  // actual thread count, so the choice of path never depends on it.
  const std::size_t room = o.workspace_limit / 4 > fixed_floats ? o.workspace_limit / 4 - fixed_floats : 0;
  plan.use = plan.items >= 4 && room >= 8 * plan.per_thread_floats;
  plan.concurrency = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(o.threads),
                                                            plan.use ? room / plan.per_thread_floats : 1));
  return plan;
}

void forward_by_items(const Problem& p, const Operands& ops, const Options& o, const ItemPlan& plan,
                      const float* w, const float* bias, float* scratch) {
  const bool nhwc = p.layout == Layout::NHWC, shuffle = o.fast_paths && is_pixel_shuffle(p);
  const bool pixel_major = nhwc && !nhwc_as_planes(p, o);
  const std::int64_t taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  const std::int64_t pixels_per_image = p.h_in * p.w_in, ld_w = taps * cog;
  const std::int64_t ho = p.h_out(), wo = p.w_out();
  const std::int64_t band = std::max<std::int64_t>(1, 2048 / wo);  // NCHW rows per col2im call
  const auto* x = static_cast<const float*>(ops.x->data());
  const Images y{static_cast<float*>(ops.y->data()), 0, p.c_out * ho * wo};

  for_each_item(p, plan, scratch, [&](const Item& item) {
    const auto& [index, g, c, pixels, col] = item;
    const std::int64_t n0 = c.n0;
    const Columns cols = item.columns(p, pixel_major ? ld_w : pixels);
    const float* wg = w + g * cig * ld_w;
    if (pixel_major) {  // col[px][tap, co] = X_g[px][ci] * W_g[ci][tap, co]
      sgemm(o.gemm, false, false, pixels, ld_w, cig, 1.0f, x + n0 * pixels_per_image * p.c_in + g * cig, p.c_in, wg,
            ld_w, 0.0f, col, ld_w);
      for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
        for (std::int64_t oh = 0; oh < ho; ++oh) {
          if (shuffle) shuffle_nhwc_row(cols, y, bias, n, oh);
          else col2im_nhwc_row(cols, y, bias, true, n, oh);
        }
      return;
    }
    if (nhwc) {  // one plane (nhwc_as_planes, groups == 1): col[tap][px] = W^T[tap][ci] * X^T[ci][px]
      sgemm(o.gemm, true, true, ld_w, pixels, cig, 1.0f, wg, ld_w, x + n0 * pixels_per_image * p.c_in, p.c_in, 0.0f,
            col, pixels);
    } else {
      forward_gemm_nchw(p, o, c, g, wg, x, col);
    }
    for (std::int64_t n = c.n0; n < c.n0 + c.images; ++n)
      for (std::int64_t co = g * cog; co < (g + 1) * cog; ++co)
        for (std::int64_t r0 = 0; r0 < ho; r0 += band) {
          const std::int64_t r1 = std::min(ho, r0 + band);
          if (shuffle) {
            for (std::int64_t oh = r0; oh < r1; ++oh) shuffle_nchw_row(cols, y, bias, n, co, oh);
          } else {
            col2im_nchw_band(cols, y, bias, true, n, co, r0, r1);
          }
        }
  });
}

}  // namespace tconv::openmp
