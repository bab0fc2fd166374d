#include "backends/naive/oracle.h"

#include <cmath>
#include <cstdlib>

#include "backends/api/requantize.h"

namespace tconv {

namespace {

// Canonical (logical C order) double copies of the inputs, so the loops below index plainly.
struct Canon {
  std::vector<double> x, w, b, dy;
};

struct Index {
  const Problem& p;
  std::int64_t ho, wo, ig, og;  // output size, channels per group (in / out)
  std::int64_t x(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return ((n * p.c_in + c) * p.h_in + h) * p.w_in + w;
  }
  std::int64_t y(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return ((n * p.c_out + c) * ho + h) * wo + w;
  }
  std::int64_t wt(std::int64_t ci, std::int64_t o, std::int64_t kh, std::int64_t kw) const {
    return ((ci * og + o) * p.kh + kh) * p.kw + kw;
  }
};

struct Acc {
  double sum = 0, abs = 0;
  std::int32_t terms = 0;
  void add(double a, double b) {
    const double t = a * b;
    sum += t;
    abs += std::fabs(t);
    ++terms;
  }
};

// Threads only pay off beyond some work: on a small problem, waking (and, on a loaded machine,
// spinning) OpenMP threads costs far more than the loops. Results do not depend on it.
[[maybe_unused]] bool worth_threads(std::int64_t outputs, std::int64_t terms_per_output) {
  return static_cast<double>(outputs) * static_cast<double>(terms_per_output) >= 65536.0;
}

// The terms of fwd output (n, co, oh, ow), in the fixed order ci, kh, kw: f(x index, w index)
// for every input pixel whose tap lands there. Shared by the float and the integer oracle.
template <class F>
void for_each_fwd_term(const Problem& p, const Index& ix, std::int64_t n, std::int64_t co, std::int64_t oh,
                       std::int64_t ow, const F& f) {
  const std::int64_t g = co / ix.og, o = co % ix.og;
  for (std::int64_t ci = g * ix.ig; ci < (g + 1) * ix.ig; ++ci)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t th = oh + p.pad_top - kh * p.dil_h;  // = ih * stride_h
      if (th < 0 || th % p.stride_h) continue;
      const std::int64_t ih = th / p.stride_h;
      if (ih >= p.h_in) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const std::int64_t tw = ow + p.pad_left - kw * p.dil_w;
        if (tw < 0 || tw % p.stride_w) continue;
        const std::int64_t iw = tw / p.stride_w;
        if (iw >= p.w_in) continue;
        f(ix.x(n, ci, ih, iw), ix.wt(ci, o, kh, kw));
      }
    }
}

void store(Reference& r, std::int64_t i, const Acc& a) {
  r.value[i] = a.sum;
  r.abs_sum[i] = a.abs;
  r.terms[i] = a.terms;
}

void forward(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t total = numel_y(p);
#pragma omp parallel for schedule(static) if (worth_threads(total, ix.ig * p.kh * p.kw))
  for (std::int64_t e = 0; e < total; ++e) {
    const std::int64_t ow = e % ix.wo, oh = (e / ix.wo) % ix.ho;
    const std::int64_t co = (e / (ix.wo * ix.ho)) % p.c_out, n = e / (ix.wo * ix.ho * p.c_out);
    Acc a;
    for_each_fwd_term(p, ix, n, co, oh, ow, [&](std::int64_t xi, std::int64_t wi) { a.add(c.x[xi], c.w[wi]); });
    if (p.bias) {
      r.pre_bias[e] = a.sum;
      a.add(c.b[co], 1.0);
    }
    store(r, e, a);
  }
}

void backward_data(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t total = numel_x(p);
#pragma omp parallel for schedule(static) if (worth_threads(total, ix.og * p.kh * p.kw))
  for (std::int64_t e = 0; e < total; ++e) {
    const std::int64_t iw = e % p.w_in, ih = (e / p.w_in) % p.h_in;
    const std::int64_t ci = (e / (p.w_in * p.h_in)) % p.c_in, n = e / (p.w_in * p.h_in * p.c_in);
    const std::int64_t g = ci / ix.ig;
    Acc a;
    for (std::int64_t o = 0; o < ix.og; ++o)
      for (std::int64_t kh = 0; kh < p.kh; ++kh) {
        const std::int64_t oh = ih * p.stride_h - p.pad_top + kh * p.dil_h;
        if (oh < 0 || oh >= ix.ho) continue;
        for (std::int64_t kw = 0; kw < p.kw; ++kw) {
          const std::int64_t ow = iw * p.stride_w - p.pad_left + kw * p.dil_w;
          if (ow < 0 || ow >= ix.wo) continue;
          a.add(c.dy[ix.y(n, g * ix.og + o, oh, ow)], c.w[ix.wt(ci, o, kh, kw)]);
        }
      }
    store(r, e, a);
  }
}

void backward_weights(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t total = numel_w(p);
#pragma omp parallel for schedule(static) if (worth_threads(total, p.n * p.h_in * p.w_in))
  for (std::int64_t e = 0; e < total; ++e) {
    const std::int64_t kw = e % p.kw, kh = (e / p.kw) % p.kh;
    const std::int64_t o = (e / (p.kw * p.kh)) % ix.og, ci = e / (p.kw * p.kh * ix.og);
    const std::int64_t co = (ci / ix.ig) * ix.og + o;
    Acc a;
    for (std::int64_t n = 0; n < p.n; ++n)
      for (std::int64_t ih = 0; ih < p.h_in; ++ih) {
        const std::int64_t oh = ih * p.stride_h - p.pad_top + kh * p.dil_h;
        if (oh < 0 || oh >= ix.ho) continue;
        for (std::int64_t iw = 0; iw < p.w_in; ++iw) {
          const std::int64_t ow = iw * p.stride_w - p.pad_left + kw * p.dil_w;
          if (ow < 0 || ow >= ix.wo) continue;
          a.add(c.x[ix.x(n, ci, ih, iw)], c.dy[ix.y(n, co, oh, ow)]);
        }
      }
    store(r, e, a);
  }
}

void backward_bias(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
#pragma omp parallel for schedule(static) if (worth_threads(p.c_out, p.n * ix.ho * ix.wo))
  for (std::int64_t co = 0; co < p.c_out; ++co) {
    Acc a;
    for (std::int64_t n = 0; n < p.n; ++n)
      for (std::int64_t h = 0; h < ix.ho; ++h)
        for (std::int64_t w = 0; w < ix.wo; ++w) a.add(c.dy[ix.y(n, co, h, w)], 1.0);
    store(r, co, a);
  }
}

// The quantized fwd (Quant in problem.h): an exact int64 accumulator (validate() bounds its
// worst case), then the declared requantization. Same terms and order as forward().
void forward_integer(const Problem& p, const Index& ix, const Canon& c, Reference& r) {
  const std::int64_t total = numel_y(p);
  const Quant& q = p.quant;
#pragma omp parallel for schedule(static) if (worth_threads(total, ix.ig * p.kh * p.kw))
  for (std::int64_t e = 0; e < total; ++e) {
    const std::int64_t ow = e % ix.wo, oh = (e / ix.wo) % ix.ho;
    const std::int64_t co = (e / (ix.wo * ix.ho)) % p.c_out, n = e / (ix.wo * ix.ho * p.c_out);
    std::int64_t acc = 0, abs = 0;
    std::int32_t terms = 0;
    for_each_fwd_term(p, ix, n, co, oh, ow, [&](std::int64_t xi, std::int64_t wi) {
      const auto xv = static_cast<std::int64_t>(c.x[xi]) - q.zp_x;
      const auto wv = static_cast<std::int64_t>(c.w[wi]) - q.zp_w;
      acc += xv * wv;
      abs += std::abs(xv * wv);
      ++terms;
    });
    if (p.bias) {
      const auto b = static_cast<std::int64_t>(c.b[co]);
      acc += b;
      abs += std::abs(b);
      ++terms;
    }
    r.value[e] = static_cast<double>(requantize(acc, q, p.dtype));
    r.abs_sum[e] = static_cast<double>(abs);
    r.terms[e] = terms;
  }
}

}  // namespace

Reference compute_reference(const Problem& p, Direction d, const Operands& ops) {
  const Index ix{p, p.h_out(), p.w_out(), p.c_in / p.groups, p.c_out / p.groups};
  Canon c;
  const bool reads_x = d == Direction::fwd || d == Direction::bwd_weights;
  const bool reads_w = d == Direction::fwd || d == Direction::bwd_data;
  if (reads_x && ops.x) c.x = ops.x->logical_values();
  if (reads_w && ops.w) c.w = ops.w->logical_values();
  if (d == Direction::fwd && p.bias && ops.b) c.b = ops.b->logical_values();
  if (d != Direction::fwd && ops.dy) c.dy = ops.dy->logical_values();

  Reference r;
  switch (d) {
    case Direction::fwd: r.dims = p.y_dims(); break;
    case Direction::bwd_data: r.dims = p.x_dims(); break;
    case Direction::bwd_weights: r.dims = p.w_dims(); break;
    case Direction::bwd_bias: r.dims = p.b_dims(); break;
  }
  if (is_integer(p.dtype)) {
    r.integer = true;
    r.acc_scale = std::ldexp(static_cast<double>(p.quant.multiplier), -static_cast<int>(p.quant.shift));
    if (d != Direction::fwd) {
      r.dims = {0, 0, 0, 0};
      return r;
    }
  }
  const auto count = static_cast<std::size_t>(r.dims[0] * r.dims[1] * r.dims[2] * r.dims[3]);
  r.value.assign(count, 0.0);
  r.abs_sum.assign(count, 0.0);
  r.terms.assign(count, 0);
  if (d == Direction::fwd && p.bias && !r.integer) r.pre_bias.assign(count, 0.0);
  switch (d) {
    case Direction::fwd: r.integer ? forward_integer(p, ix, c, r) : forward(p, ix, c, r); break;
    case Direction::bwd_data: backward_data(p, ix, c, r); break;
    case Direction::bwd_weights: backward_weights(p, ix, c, r); break;
    case Direction::bwd_bias: backward_bias(p, ix, c, r); break;
  }
  return r;
}

}  // namespace tconv
