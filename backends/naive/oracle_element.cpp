// One element of the oracle by the definition (docs/design.md section 1), in the order oracle.h
// documents. The sampled references use it, and the fast loops are tested against it bitwise.
#include <cstdlib>

#include "backends/api/requantize.h"
#include "backends/naive/oracle_parts.h"

namespace tconv::oracle {

namespace {

// An operand's value at logical index i: read in place from the stored f32 where the caller
// asked for that (the sampled reference: no f64 copy of a large x or dy for a few elements),
// else from the canonical copy. f32 widens exactly: the same value either way.
double x_at(const Canon& c, std::int64_t i) { return c.x32 ? c.x32[i] : c.x[static_cast<std::size_t>(i)]; }
double dy_at(const Canon& c, std::int64_t i) { return c.dy32 ? c.dy32[i] : c.dy[static_cast<std::size_t>(i)]; }

// The terms of fwd output (n, co, oh, ow), in the fixed order ci, kh, kw: f(x index, w index)
// for every input pixel whose tap lands there. Shared by the float and the integer sums.
template <class F>
void for_each_fwd_term(const Problem& p, const Index& ix, std::int64_t n, std::int64_t co, std::int64_t oh,
                       std::int64_t ow, const F& f) {
  const std::int64_t g = co / ix.og, o = co % ix.og;
  for (std::int64_t ci = g * ix.ig; ci < (g + 1) * ix.ig; ++ci)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t th = oh + p.crop_top - kh * p.dil_h;  // = ih * stride_h
      if (th < 0 || th % p.stride_h) continue;
      const std::int64_t ih = th / p.stride_h;
      if (ih >= p.h_in) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t tw = ow + p.crop_left - kw * p.dil_w;
        if (tw < 0 || tw % p.stride_w) continue;
        const std::int64_t iw = tw / p.stride_w;
        if (iw >= p.w_in) continue;
        f(ix.x(n, ci, ih, iw), ix.wt(ci, o, kh, kw));
      }
    }
}

Element forward(const Problem& p, const Index& ix, const Canon& c, std::int64_t e) {
  const std::int64_t ow = e % ix.wo, oh = (e / ix.wo) % ix.ho;
  const std::int64_t co = (e / (ix.wo * ix.ho)) % p.c_out, n = e / (ix.wo * ix.ho * p.c_out);
  Element a;
  for_each_fwd_term(p, ix, n, co, oh, ow, [&](std::int64_t xi, std::int64_t wi) { a.add(x_at(c, xi), c.w[wi]); });
  if (p.bias) {
    a.pre_bias = a.value;
    a.add(c.b[co], 1.0);
  }
  return a;
}

// The quantized fwd (Quant in problem.h): an exact int64 accumulator (validate() bounds its
// worst case), then the declared requantization. Same terms and order as forward().
Element forward_integer(const Problem& p, const Index& ix, const Canon& c, std::int64_t e) {
  const std::int64_t ow = e % ix.wo, oh = (e / ix.wo) % ix.ho;
  const std::int64_t co = (e / (ix.wo * ix.ho)) % p.c_out, n = e / (ix.wo * ix.ho * p.c_out);
  const Quant& q = p.quant;
  std::int64_t acc = 0, abs = 0;
  Element a;
  for_each_fwd_term(p, ix, n, co, oh, ow, [&](std::int64_t xi, std::int64_t wi) {
    const auto xv = static_cast<std::int64_t>(c.x[xi]) - q.zp_x;
    const auto wv = static_cast<std::int64_t>(c.w[wi]) - q.zp_w;
    acc += xv * wv;
    abs += std::abs(xv * wv);
    ++a.terms;
  });
  if (p.bias) {
    const auto b = static_cast<std::int64_t>(c.b[co]);
    acc += b;
    abs += std::abs(b);
    ++a.terms;
  }
  a.value = static_cast<double>(requantize(acc, q, p.dtype));
  a.abs = static_cast<double>(abs);
  return a;
}

Element backward_data(const Problem& p, const Index& ix, const Canon& c, std::int64_t e) {
  const std::int64_t iw = e % p.w_in, ih = (e / p.w_in) % p.h_in;
  const std::int64_t ci = (e / (p.w_in * p.h_in)) % p.c_in, n = e / (p.w_in * p.h_in * p.c_in);
  const std::int64_t g = ci / ix.ig;
  Element a;
  for (std::int64_t o = 0; o < ix.og; ++o)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
        if (ow < 0 || ow >= ix.wo) continue;
        a.add(dy_at(c, ix.y(n, g * ix.og + o, oh, ow)), c.w[ix.wt(ci, o, kh, kw)]);
      }
    }
  return a;
}

Element backward_weights(const Problem& p, const Index& ix, const Canon& c, std::int64_t e) {
  const std::int64_t kw = e % p.kw, kh = (e / p.kw) % p.kh;
  const std::int64_t o = (e / (p.kw * p.kh)) % ix.og, ci = e / (p.kw * p.kh * ix.og);
  const std::int64_t co = (ci / ix.ig) * ix.og + o;
  Element a;
  for (std::int64_t n = 0; n < p.n; ++n)
    for (std::int64_t ih = 0; ih < p.h_in; ++ih) {
      const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
      if (oh < 0 || oh >= ix.ho) continue;
      for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
        const std::int64_t ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
        if (ow < 0 || ow >= ix.wo) continue;
        a.add(x_at(c, ix.x(n, ci, ih, iw)), dy_at(c, ix.y(n, co, oh, ow)));
      }
    }
  return a;
}

Element backward_bias(const Problem& p, const Index& ix, const Canon& c, std::int64_t co) {
  Element a;
  for (std::int64_t n = 0; n < p.n; ++n)
    for (std::int64_t h = 0; h < ix.ho; ++h)
      for (std::int64_t w = 0; w < ix.wo; ++w) a.add(dy_at(c, ix.y(n, co, h, w)), 1.0);
  return a;
}

}  // namespace

Element element_sum(const Problem& p, const Index& ix, const Canon& c, Direction d, std::int64_t e) {
  switch (d) {
    case Direction::fwd: return is_integer(p.dtype) ? forward_integer(p, ix, c, e) : forward(p, ix, c, e);
    case Direction::bwd_data: return backward_data(p, ix, c, e);
    case Direction::bwd_weights: return backward_weights(p, ix, c, e);
    case Direction::bwd_bias: return backward_bias(p, ix, c, e);
  }
  return {};
}

}  // namespace tconv::oracle
