#include "conformance/test_backends/correlation_form.h"

#include "conformance/test_backends/term_lists.h"

namespace tconv::testing {

namespace {

using i64 = std::int64_t;

i64 extent(i64 k, i64 dil) { return (k - 1) * dil + 1; }

// f(a, b, c, d, e) over [0, n0) x ... x [0, n4) in C order.
template <class F>
void for_each_5(i64 n0, i64 n1, i64 n2, i64 n3, i64 n4, const F& f) {
  for (i64 a = 0; a < n0; ++a)
    for (i64 b = 0; b < n1; ++b)
      for (i64 c = 0; c < n2; ++c)
        for (i64 d = 0; d < n3; ++d)
          for (i64 e = 0; e < n4; ++e) f(a, b, c, d, e);
}

}  // namespace

CorrelationForm correlation_shape(const Problem& p, Direction d) {
  CorrelationForm f;
  const bool fwd = d == Direction::fwd;
  const i64 ig = p.c_in / p.groups, og = p.c_out / p.groups;
  f.n = p.n;
  f.groups = p.groups;
  f.ic = fwd ? ig : og;
  f.oc = fwd ? og : ig;
  f.k_h = extent(p.kh, p.dil_h);
  f.k_w = extent(p.kw, p.dil_w);
  f.out_h = fwd ? p.h_out() : p.h_in;
  f.out_w = fwd ? p.w_out() : p.w_in;
  f.stride_h = fwd ? 1 : p.stride_h;
  f.stride_w = fwd ? 1 : p.stride_w;
  f.in_h = (f.out_h - 1) * f.stride_h + f.k_h;
  f.in_w = (f.out_w - 1) * f.stride_w + f.k_w;
  return f;
}

CorrelationForm correlation_form(const Problem& p, Direction d, const Operands& ops) {
  CorrelationForm f = correlation_shape(p, d);
  const bool fwd = d == Direction::fwd;
  const i64 ig = p.c_in / p.groups;
  const HostTensor& src = fwd ? *ops.x : *ops.dy;
  f.in.assign(static_cast<std::size_t>(f.n * f.groups * f.ic * f.in_h * f.in_w), 0.0f);
  for_each_5(f.n, f.groups, f.ic, f.in_h, f.in_w, [&](i64 b, i64 g, i64 c, i64 i, i64 j) {
    i64 h = 0, w = 0;
    if (fwd) {  // zero-inserted x, shifted so that out (0, 0) reads its first tap
      const i64 th = i + p.crop_top - (f.k_h - 1), tw = j + p.crop_left - (f.k_w - 1);
      if (th < 0 || tw < 0 || th % p.stride_h || tw % p.stride_w) return;
      h = th / p.stride_h, w = tw / p.stride_w;
      if (h >= p.h_in || w >= p.w_in) return;
    } else {  // dy padded by the crops
      h = i - p.crop_top, w = j - p.crop_left;
      if (h < 0 || w < 0 || h >= p.h_out() || w >= p.w_out()) return;
    }
    f.in[f.in_index(b, g, c, i, j)] = static_cast<float>(src.at({b, g * f.ic + c, h, w}));
  });

  f.kernel.assign(static_cast<std::size_t>(f.groups * f.oc * f.ic * f.k_h * f.k_w), 0.0f);
  for_each_5(f.groups, f.oc, f.ic, p.kh, p.kw, [&](i64 g, i64 o, i64 c, i64 a, i64 e) {
    // w is [C_in][C_out/g][kH][kW]: fwd reads (ci = c, o), bwd_data (ci = o, o = c).
    const i64 ci = g * ig + (fwd ? c : o), co_local = fwd ? o : c;
    const i64 u = fwd ? (p.kh - 1 - a) * p.dil_h : a * p.dil_h;
    const i64 v = fwd ? (p.kw - 1 - e) * p.dil_w : e * p.dil_w;
    f.kernel[f.tap_index(g, o, c, u, v)] = static_cast<float>(ops.w->at({ci, co_local, a, e}));
  });
  return f;
}

void store_correlation(const CorrelationForm& f, const std::vector<float>& out, const Problem& p, Direction d,
                       const Operands& ops) {
  HostTensor& t = *output_of(ops, d);
  const bool bias = d == Direction::fwd && p.bias;
  for (i64 b = 0; b < f.n; ++b)
    for (i64 g = 0; g < f.groups; ++g)
      for (i64 o = 0; o < f.oc; ++o) {
        const i64 channel = g * f.oc + o;
        const float add = bias ? static_cast<float>(ops.b->at({channel, 0, 0, 0})) : 0.0f;
        for (i64 i = 0; i < f.out_h; ++i)
          for (i64 j = 0; j < f.out_w; ++j) t.put({b, channel, i, j}, out[f.out_index(b, g, o, i, j)] + add);
      }
}

}  // namespace tconv::testing
