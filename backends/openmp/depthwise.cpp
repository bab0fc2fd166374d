// Depthwise (C_in/g == C_out/g == 1) without GEMMs: through the GEMM path each group is an
// outer product with K = 1, all overhead and no arithmetic. These direct loops read each
// operand about once, so the layer runs at memory speed. Same per-element order rules as the
// column kernels: bias first, then taps by (kh, kw); reductions in a fixed order.
#include <algorithm>
#include <vector>

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"

namespace tconv::openmp {

namespace {

// Weights as [C][kh*kw] (NCHW) or [kh*kw][C] (NHWC), f32.
std::vector<float> depthwise_weights(const Problem& p, const HostTensor& w) {
  std::vector<float> v(static_cast<std::size_t>(numel_w(p)));
  weights_to_f32(w, p.groups, p.layout == Layout::NHWC ? Layout::HWOI : Layout::IOHW, v.data());
  return v;
}

struct Planes {
  const Problem& p;
  Axis h, w;
  std::vector<Axis::Range> w_ranges;
  explicit Planes(const Problem& prob) : p(prob), h(height_axis(prob)), w(width_axis(prob)) {
    for (std::int64_t kw = 0; kw < p.kw; ++kw) w_ranges.push_back(w.range(kw));
  }
  std::int64_t in_plane() const { return h.in * w.in; }
  std::int64_t out_plane() const { return h.out * w.out; }
};

// y rows [oh0, oh1) of plane (n, c) = bias + sum of taps x * w.
TCONV_VECTOR_CLONES void forward_nchw_band(const Planes& g, const float* x, const float* wt, const float* bias,
                                           float* y, std::int64_t nc, std::int64_t oh0, std::int64_t oh1) {
  const Problem& p = g.p;
  const std::int64_t c = nc % p.c_out, sh = g.h.stride, sw = g.w.stride;
  float* plane = y + nc * g.out_plane();
  const float* in = x + nc * g.in_plane();
  std::fill(plane + oh0 * g.w.out, plane + oh1 * g.w.out, bias ? bias[c] : 0.0f);
  for (std::int64_t kh = 0; kh < p.kh; ++kh) {
    const std::int64_t shift = g.h.crop - kh * g.h.dil;
    const std::int64_t ih_lo = std::max<std::int64_t>(0, ceil_div(oh0 + shift, sh));
    const std::int64_t ih_hi = std::min(g.h.in, floor_div(oh1 - 1 + shift, sh) + 1);
    for (std::int64_t kw = 0; kw < p.kw; ++kw) {
      const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
      const float wv = wt[c * p.kh * p.kw + kh * p.kw + kw];
      const std::int64_t count = r.last - r.first;
      for (std::int64_t ih = ih_lo; ih < ih_hi; ++ih) {
        float* dst = plane + (ih * sh - shift) * g.w.out + r.out_first;
        const float* src = in + ih * g.w.in + r.first;
        for (std::int64_t i = 0; i < count; ++i) dst[i * sw] += src[i] * wv;
      }
    }
  }
}

// dx rows [ih0, ih1) of plane (n, c) = sum of taps dy * w.
TCONV_VECTOR_CLONES void backward_data_nchw_band(const Planes& g, const float* dy, const float* wt, float* dx,
                                                 std::int64_t nc, std::int64_t ih0, std::int64_t ih1) {
  const Problem& p = g.p;
  const std::int64_t c = nc % p.c_in, sw = g.w.stride;
  float* plane = dx + nc * g.in_plane();
  const float* out = dy + nc * g.out_plane();
  std::fill(plane + ih0 * g.w.in, plane + ih1 * g.w.in, 0.0f);
  for (std::int64_t ih = ih0; ih < ih1; ++ih)
    for (std::int64_t kh = 0; kh < p.kh; ++kh) {
      const std::int64_t oh = ih * g.h.stride - g.h.crop + kh * g.h.dil;
      if (oh < 0 || oh >= g.h.out) continue;
      for (std::int64_t kw = 0; kw < p.kw; ++kw) {
        const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
        const float wv = wt[c * p.kh * p.kw + kh * p.kw + kw];
        float* dst = plane + ih * g.w.in + r.first;
        const float* src = out + oh * g.w.out + r.out_first;
        for (std::int64_t i = 0; i < r.last - r.first; ++i) dst[i] += src[i * sw] * wv;
      }
    }
}

// dw[c][kh][kw] = sum over n, ih, iw of x * dy, in 16 interleaved partial sums per tap (a fixed
// pattern, so the order never changes) that the compiler can keep in vector registers. All
// taps advance together row by row, so each x and dy row is read from memory once, not once
// per tap; each tap's sum still sees its terms in (n, ih, iw) order.
TCONV_VECTOR_CLONES void backward_weights_nchw_channel(const Planes& g, const float* x, const float* dy, float* dw,
                                                       std::int64_t c) {
  const Problem& p = g.p;
  const std::int64_t sw = g.w.stride;
  std::vector<float> lanes(static_cast<std::size_t>(p.kh * p.kw * 16), 0.0f);
  for (std::int64_t n = 0; n < p.n; ++n) {
    const float* xin = x + (n * p.c_in + c) * g.in_plane();
    const float* dout = dy + (n * p.c_out + c) * g.out_plane();
    for (std::int64_t ih = 0; ih < g.h.in; ++ih)
      for (std::int64_t kh = 0; kh < p.kh; ++kh) {
        const std::int64_t oh = ih * g.h.stride - g.h.crop + kh * g.h.dil;
        if (oh < 0 || oh >= g.h.out) continue;
        for (std::int64_t kw = 0; kw < p.kw; ++kw) {
          const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
          const std::int64_t count = r.last - r.first;
          const float* a = xin + ih * g.w.in + r.first;
          const float* b = dout + oh * g.w.out + r.out_first;
          float* l = lanes.data() + (kh * p.kw + kw) * 16;
          std::int64_t i = 0;
          for (; i + 16 <= count; i += 16)
            for (int j = 0; j < 16; ++j) l[j] += a[i + j] * b[(i + j) * sw];
          for (int j = 0; i + j < count; ++j) l[j] += a[i + j] * b[(i + j) * sw];
        }
      }
  }
  for (std::int64_t t = 0; t < p.kh * p.kw; ++t) {
    float sum = 0.0f;
    for (int j = 0; j < 16; ++j) sum += lanes[static_cast<std::size_t>(t * 16 + j)];
    dw[c * p.kh * p.kw + t] = sum;
  }
}

// NHWC: one output row (n, oh), every channel; weights [tap][C].
TCONV_VECTOR_CLONES void forward_nhwc_row(const Planes& g, const float* x, const float* wt, const float* bias,
                                          float* y, std::int64_t n, std::int64_t oh) {
  const Problem& p = g.p;
  const std::int64_t ch = p.c_out;
  float* row = y + (n * g.h.out + oh) * g.w.out * ch;
  for (std::int64_t ow = 0; ow < g.w.out; ++ow)
    for (std::int64_t k = 0; k < ch; ++k) row[ow * ch + k] = bias ? bias[k] : 0.0f;
  for (std::int64_t kh = 0; kh < p.kh; ++kh) {
    const std::int64_t t = oh + g.h.crop - kh * g.h.dil;
    if (t < 0 || t % g.h.stride != 0 || t / g.h.stride >= g.h.in) continue;
    const float* in_row = x + (n * g.h.in + t / g.h.stride) * g.w.in * ch;
    for (std::int64_t kw = 0; kw < p.kw; ++kw) {
      const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
      const float* wv = wt + (kh * p.kw + kw) * ch;
      for (std::int64_t iw = r.first; iw < r.last; ++iw) {
        float* dst = row + (r.out_first + (iw - r.first) * g.w.stride) * ch;
        const float* src = in_row + iw * ch;
        for (std::int64_t k = 0; k < ch; ++k) dst[k] += src[k] * wv[k];
      }
    }
  }
}

TCONV_VECTOR_CLONES void backward_data_nhwc_row(const Planes& g, const float* dy, const float* wt, float* dx,
                                                std::int64_t n, std::int64_t ih) {
  const Problem& p = g.p;
  const std::int64_t ch = p.c_in;
  float* row = dx + (n * g.h.in + ih) * g.w.in * ch;
  std::fill(row, row + g.w.in * ch, 0.0f);
  for (std::int64_t kh = 0; kh < p.kh; ++kh) {
    const std::int64_t oh = ih * g.h.stride - g.h.crop + kh * g.h.dil;
    if (oh < 0 || oh >= g.h.out) continue;
    const float* out_row = dy + (n * g.h.out + oh) * g.w.out * ch;
    for (std::int64_t kw = 0; kw < p.kw; ++kw) {
      const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
      const float* wv = wt + (kh * p.kw + kw) * ch;
      for (std::int64_t iw = r.first; iw < r.last; ++iw) {
        float* dst = row + iw * ch;
        const float* src = out_row + (r.out_first + (iw - r.first) * g.w.stride) * ch;
        for (std::int64_t k = 0; k < ch; ++k) dst[k] += src[k] * wv[k];
      }
    }
  }
}

constexpr std::int64_t kChannelBlock = 64;

// dw[tap][c0..c1) summed over n, ih, iw in that order.
TCONV_VECTOR_CLONES void backward_weights_nhwc_block(const Planes& g, const float* x, const float* dy, float* dw,
                                                     std::int64_t c0, std::int64_t c1) {
  const Problem& p = g.p;
  const std::int64_t ch = p.c_in, width = c1 - c0, taps = p.kh * p.kw;
  std::vector<float> acc(static_cast<std::size_t>(taps * kChannelBlock), 0.0f);
  for (std::int64_t n = 0; n < p.n; ++n)
    for (std::int64_t ih = 0; ih < g.h.in; ++ih)
      for (std::int64_t kh = 0; kh < p.kh; ++kh) {
        const std::int64_t oh = ih * g.h.stride - g.h.crop + kh * g.h.dil;
        if (oh < 0 || oh >= g.h.out) continue;
        for (std::int64_t kw = 0; kw < p.kw; ++kw) {
          const Axis::Range& r = g.w_ranges[static_cast<std::size_t>(kw)];
          float* a = acc.data() + (kh * p.kw + kw) * kChannelBlock;
          for (std::int64_t iw = r.first; iw < r.last; ++iw) {
            const float* xs = x + ((n * g.h.in + ih) * g.w.in + iw) * ch + c0;
            const float* ds = dy + ((n * g.h.out + oh) * g.w.out + r.out_first + (iw - r.first) * g.w.stride) * ch + c0;
            for (std::int64_t k = 0; k < width; ++k) a[k] += xs[k] * ds[k];
          }
        }
      }
  for (std::int64_t t = 0; t < taps; ++t)
    for (std::int64_t k = 0; k < width; ++k) dw[t * ch + c0 + k] = acc[static_cast<std::size_t>(t * kChannelBlock + k)];
}

}  // namespace

bool use_depthwise_path(const Problem& p, const Options& o) {
  return o.fast_paths && p.dtype == DType::f32 && p.c_in == p.groups && p.c_out == p.groups;
}

Status depthwise_forward(const Problem& p, const Operands& ops, const Options& o) {
  const Planes g(p);
  const std::vector<float> wt = depthwise_weights(p, *ops.w);
  const auto* x = static_cast<const float*>(ops.x->data());
  const float* bias = p.bias ? static_cast<const float*>(ops.b->data()) : nullptr;
  auto* y = static_cast<float*>(ops.y->data());
  if (p.layout == Layout::NHWC) {
#pragma omp parallel for schedule(static) num_threads(o.threads)
    for (std::int64_t u = 0; u < p.n * g.h.out; ++u) forward_nhwc_row(g, x, wt.data(), bias, y, u / g.h.out, u % g.h.out);
    return Status::Ok();
  }
  const std::int64_t band = std::max<std::int64_t>(1, 4096 / g.w.out), bands = (g.h.out + band - 1) / band;
#pragma omp parallel for schedule(static) num_threads(o.threads)
  for (std::int64_t u = 0; u < p.n * p.c_out * bands; ++u) {
    const std::int64_t r0 = (u % bands) * band;
    forward_nchw_band(g, x, wt.data(), bias, y, u / bands, r0, std::min(g.h.out, r0 + band));
  }
  return Status::Ok();
}

Status depthwise_backward_data(const Problem& p, const Operands& ops, const Options& o) {
  const Planes g(p);
  const std::vector<float> wt = depthwise_weights(p, *ops.w);
  const auto* dy = static_cast<const float*>(ops.dy->data());
  auto* dx = static_cast<float*>(ops.dx->data());
  if (p.layout == Layout::NHWC) {
#pragma omp parallel for schedule(static) num_threads(o.threads)
    for (std::int64_t u = 0; u < p.n * g.h.in; ++u) backward_data_nhwc_row(g, dy, wt.data(), dx, u / g.h.in, u % g.h.in);
    return Status::Ok();
  }
  const std::int64_t band = std::max<std::int64_t>(1, 4096 / g.w.in), bands = (g.h.in + band - 1) / band;
#pragma omp parallel for schedule(static) num_threads(o.threads)
  for (std::int64_t u = 0; u < p.n * p.c_in * bands; ++u) {
    const std::int64_t r0 = (u % bands) * band;
    backward_data_nchw_band(g, dy, wt.data(), dx, u / bands, r0, std::min(g.h.in, r0 + band));
  }
  return Status::Ok();
}

Status depthwise_backward_weights(const Problem& p, const Operands& ops, const Options& o) {
  const Planes g(p);
  const auto* x = static_cast<const float*>(ops.x->data());
  const auto* dy = static_cast<const float*>(ops.dy->data());
  std::vector<float> dw(static_cast<std::size_t>(numel_w(p)));
  if (p.layout == Layout::NHWC) {
    const std::int64_t blocks = (p.c_in + kChannelBlock - 1) / kChannelBlock;
#pragma omp parallel for schedule(static) num_threads(o.threads)
    for (std::int64_t b = 0; b < blocks; ++b)
      backward_weights_nhwc_block(g, x, dy, dw.data(), b * kChannelBlock, std::min(p.c_in, (b + 1) * kChannelBlock));
  } else {
#pragma omp parallel for schedule(static) num_threads(o.threads)
    for (std::int64_t c = 0; c < p.c_in; ++c) backward_weights_nchw_channel(g, x, dy, dw.data(), c);
  }
  weights_from_f32(dw.data(), p.layout == Layout::NHWC ? Layout::HWOI : Layout::IOHW, p.groups, *ops.dw);
  return Status::Ok();
}

}  // namespace tconv::openmp
