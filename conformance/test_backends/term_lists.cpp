#include "conformance/test_backends/term_lists.h"

namespace tconv::testing {

namespace {

using i64 = std::int64_t;

i64 flat(const Dims& d, i64 a, i64 b, i64 c, i64 e) { return ((a * d[1] + b) * d[2] + c) * d[3] + e; }

}  // namespace

std::vector<std::vector<Term>> term_lists(const Problem& p, Direction d, const Operands& ops) {
  const Dims xd = p.x_dims(), yd = p.y_dims(), wd = p.w_dims();
  const i64 og = p.c_out / p.groups, ig = p.c_in / p.groups;
  if (d == Direction::bwd_bias) {
    const std::vector<double> dy = ops.dy->logical_values();
    std::vector<std::vector<Term>> t(static_cast<std::size_t>(p.c_out));
    for (i64 n = 0; n < yd[0]; ++n)
      for (i64 co = 0; co < yd[1]; ++co)
        for (i64 h = 0; h < yd[2]; ++h)
          for (i64 w = 0; w < yd[3]; ++w) t[co].push_back({dy[flat(yd, n, co, h, w)], 1.0});
    return t;
  }
  const std::vector<double> x = d != Direction::bwd_data ? ops.x->logical_values() : std::vector<double>{};
  const std::vector<double> w = d != Direction::bwd_weights ? ops.w->logical_values() : std::vector<double>{};
  const std::vector<double> dy = d != Direction::fwd ? ops.dy->logical_values() : std::vector<double>{};
  const Dims& od = d == Direction::fwd ? yd : d == Direction::bwd_data ? xd : wd;
  std::vector<std::vector<Term>> t(static_cast<std::size_t>(od[0] * od[1] * od[2] * od[3]));
  // Every tap: input pixel (n, ci, ih, iw) times weight (ci, o, kh, kw) lands on output pixel
  // (n, g*og + o, oh, ow) with oh = ih*s - crop_top + kh*dil (docs/design.md section 1).
  for (i64 n = 0; n < p.n; ++n)
    for (i64 ci = 0; ci < p.c_in; ++ci)
      for (i64 ih = 0; ih < p.h_in; ++ih)
        for (i64 iw = 0; iw < p.w_in; ++iw)
          for (i64 o = 0; o < og; ++o)
            for (i64 kh = 0; kh < p.kh; ++kh)
              for (i64 kw = 0; kw < p.kw; ++kw) {
                const i64 oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
                const i64 ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
                if (oh < 0 || oh >= yd[2] || ow < 0 || ow >= yd[3]) continue;
                const i64 co = ci / ig * og + o;
                const i64 xi = flat(xd, n, ci, ih, iw), wi = flat(wd, ci, o, kh, kw), yi = flat(yd, n, co, oh, ow);
                switch (d) {
                  case Direction::fwd: t[yi].push_back({x[xi], w[wi]}); break;
                  case Direction::bwd_data: t[xi].push_back({dy[yi], w[wi]}); break;
                  case Direction::bwd_weights: t[wi].push_back({x[xi], dy[yi]}); break;
                  case Direction::bwd_bias: break;
                }
              }
  return t;
}

}  // namespace tconv::testing
