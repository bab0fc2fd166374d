#include "backends/testing/direct_conv_reference.h"

#include <cmath>
#include <cstdint>

namespace tconv::crosscheck {

namespace {

using i64 = std::int64_t;

// A plain row-major 4-D array of doubles, zero-initialised.
struct Grid {
  i64 d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  std::vector<double> v;
  Grid(i64 a, i64 b, i64 c, i64 d) : d0(a), d1(b), d2(c), d3(d), v(static_cast<std::size_t>(a * b * c * d), 0.0) {}
  double& operator()(i64 a, i64 b, i64 c, i64 d) { return v[static_cast<std::size_t>(((a * d1 + b) * d2 + c) * d3 + d)]; }
  double operator()(i64 a, i64 b, i64 c, i64 d) const {
    return v[static_cast<std::size_t>(((a * d1 + b) * d2 + c) * d3 + d)];
  }
};

// Copies a tensor into a Grid in its logical order (NCHW for data, IOHW for weights).
Grid read_logical(const HostTensor& t) {
  const Dims& d = t.dims();
  Grid g(d[0], d[1], d[2], d[3]);
  for (i64 a = 0; a < d[0]; ++a)
    for (i64 b = 0; b < d[1]; ++b)
      for (i64 c = 0; c < d[2]; ++c)
        for (i64 e = 0; e < d[3]; ++e) g(a, b, c, e) = t.at({a, b, c, e});
  return g;
}

// Places `src` (rows, cols) into a zero grid at an offset; parts that fall outside are dropped
// (a negative offset crops the start, a too-small destination crops the end).
Grid place(const Grid& src, i64 rows, i64 cols, i64 row_offset, i64 col_offset) {
  Grid dst(src.d0, src.d1, rows, cols);
  for (i64 a = 0; a < src.d0; ++a)
    for (i64 b = 0; b < src.d1; ++b)
      for (i64 r = 0; r < src.d2; ++r)
        for (i64 c = 0; c < src.d3; ++c) {
          const i64 rr = r + row_offset, cc = c + col_offset;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) dst(a, b, rr, cc) = src(a, b, r, c);
        }
  return dst;
}

// Inserts s-1 zeros between neighbouring pixels: (h, w) -> ((h-1)*sH + 1, (w-1)*sW + 1).
Grid insert_zeros(const Grid& x, i64 sh, i64 sw) {
  Grid z(x.d0, x.d1, (x.d2 - 1) * sh + 1, (x.d3 - 1) * sw + 1);
  for (i64 a = 0; a < x.d0; ++a)
    for (i64 b = 0; b < x.d1; ++b)
      for (i64 r = 0; r < x.d2; ++r)
        for (i64 c = 0; c < x.d3; ++c) z(a, b, r * sh, c * sw) = x(a, b, r, c);
  return z;
}

// The direct convolution's weights: [C_out][C_in/g][kH][kW], both spatial axes reversed.
Grid flip_and_swap(const Grid& w, i64 groups) {
  const i64 in_per_group = w.d0 / groups, out_per_group = w.d1;
  Grid f(out_per_group * groups, in_per_group, w.d2, w.d3);
  for (i64 co = 0; co < f.d0; ++co)
    for (i64 ci = 0; ci < in_per_group; ++ci)
      for (i64 a = 0; a < w.d2; ++a)
        for (i64 b = 0; b < w.d3; ++b) {
          const i64 group = co / out_per_group;
          f(co, ci, a, b) = w(group * in_per_group + ci, co % out_per_group, w.d2 - 1 - a, w.d3 - 1 - b);
        }
  return f;
}

DirectResult from_grid(const Grid& value, const Grid& abs_sum) { return {value.v, abs_sum.v}; }

// dy padded by the crops (negative crops cut dy), so that the transposed operator's taps read
// dy_padded[ih*s + k*d] for every input pixel and kernel tap.
Grid pad_by_crops(const Problem& p, const HostTensor& dy) {
  const Grid g = read_logical(dy);
  return place(g, g.d2 + p.crop_top + p.crop_bottom, g.d3 + p.crop_left + p.crop_right, p.crop_top, p.crop_left);
}

}  // namespace

DirectResult direct_forward(const Problem& p, const HostTensor& x_tensor, const HostTensor& w_tensor,
                            const HostTensor* b_tensor) {
  const Grid zeros_inserted = insert_zeros(read_logical(x_tensor), p.stride_h, p.stride_w);
  const i64 top = p.dil_h * (p.kh - 1) - p.crop_top, bottom = p.dil_h * (p.kh - 1) - p.crop_bottom;
  const i64 left = p.dil_w * (p.kw - 1) - p.crop_left, right = p.dil_w * (p.kw - 1) - p.crop_right;
  const Grid padded = place(zeros_inserted, zeros_inserted.d2 + top + bottom, zeros_inserted.d3 + left + right, top, left);
  const Grid kernel = flip_and_swap(read_logical(w_tensor), p.groups);

  // Stride-1 dilated convolution, "valid" over the padded input.
  const i64 out_h = padded.d2 - p.dil_h * (p.kh - 1), out_w = padded.d3 - p.dil_w * (p.kw - 1);
  const i64 in_per_group = p.c_in / p.groups, out_per_group = p.c_out / p.groups;
  Grid y(p.n, p.c_out, out_h, out_w), abs_sum(p.n, p.c_out, out_h, out_w);
  for (i64 n = 0; n < p.n; ++n)
    for (i64 co = 0; co < p.c_out; ++co)
      for (i64 oh = 0; oh < out_h; ++oh)
        for (i64 ow = 0; ow < out_w; ++ow) {
          double sum = 0, mag = 0;
          for (i64 ci = 0; ci < in_per_group; ++ci)
            for (i64 a = 0; a < p.kh; ++a)
              for (i64 b = 0; b < p.kw; ++b) {
                const double t = padded(n, (co / out_per_group) * in_per_group + ci, oh + a * p.dil_h, ow + b * p.dil_w) *
                                 kernel(co, ci, a, b);
                sum += t;
                mag += std::fabs(t);
              }
          if (b_tensor) {
            const double bias = b_tensor->at({co, 0, 0, 0});
            sum += bias;
            mag += std::fabs(bias);
          }
          y(n, co, oh, ow) = sum;
          abs_sum(n, co, oh, ow) = mag;
        }
  return from_grid(y, abs_sum);
}

DirectResult direct_backward_data(const Problem& p, const HostTensor& dy, const HostTensor& w_tensor) {
  const Grid padded = pad_by_crops(p, dy);
  const Grid w = read_logical(w_tensor);  // as a convolution's [out = C_in][in = C_out/g][kH][kW]
  const i64 in_per_group = p.c_in / p.groups, out_per_group = p.c_out / p.groups;
  Grid dx(p.n, p.c_in, p.h_in, p.w_in), abs_sum(p.n, p.c_in, p.h_in, p.w_in);
  for (i64 n = 0; n < p.n; ++n)
    for (i64 ci = 0; ci < p.c_in; ++ci)
      for (i64 ih = 0; ih < p.h_in; ++ih)
        for (i64 iw = 0; iw < p.w_in; ++iw) {
          double sum = 0, mag = 0;
          for (i64 o = 0; o < out_per_group; ++o)
            for (i64 a = 0; a < p.kh; ++a)
              for (i64 b = 0; b < p.kw; ++b) {
                const double t = padded(n, (ci / in_per_group) * out_per_group + o, ih * p.stride_h + a * p.dil_h,
                                        iw * p.stride_w + b * p.dil_w) *
                                 w(ci, o, a, b);
                sum += t;
                mag += std::fabs(t);
              }
          dx(n, ci, ih, iw) = sum;
          abs_sum(n, ci, ih, iw) = mag;
        }
  return from_grid(dx, abs_sum);
}

DirectResult direct_backward_weights(const Problem& p, const HostTensor& x_tensor, const HostTensor& dy) {
  const Grid padded = pad_by_crops(p, dy);
  const Grid x = read_logical(x_tensor);
  const i64 in_per_group = p.c_in / p.groups, out_per_group = p.c_out / p.groups;
  Grid dw(p.c_in, out_per_group, p.kh, p.kw), abs_sum(p.c_in, out_per_group, p.kh, p.kw);
  for (i64 ci = 0; ci < p.c_in; ++ci)
    for (i64 o = 0; o < out_per_group; ++o)
      for (i64 a = 0; a < p.kh; ++a)
        for (i64 b = 0; b < p.kw; ++b) {
          double sum = 0, mag = 0;
          for (i64 n = 0; n < p.n; ++n)
            for (i64 ih = 0; ih < p.h_in; ++ih)
              for (i64 iw = 0; iw < p.w_in; ++iw) {
                const double t = x(n, ci, ih, iw) * padded(n, (ci / in_per_group) * out_per_group + o,
                                                           ih * p.stride_h + a * p.dil_h, iw * p.stride_w + b * p.dil_w);
                sum += t;
                mag += std::fabs(t);
              }
          dw(ci, o, a, b) = sum;
          abs_sum(ci, o, a, b) = mag;
        }
  return from_grid(dw, abs_sum);
}

DirectResult direct_backward_bias(const Problem& p, const HostTensor& dy) {
  const Grid g = read_logical(dy);
  DirectResult r{std::vector<double>(static_cast<std::size_t>(p.c_out), 0.0),
                 std::vector<double>(static_cast<std::size_t>(p.c_out), 0.0)};
  for (i64 n = 0; n < g.d0; ++n)
    for (i64 c = 0; c < g.d1; ++c)
      for (i64 h = 0; h < g.d2; ++h)
        for (i64 w = 0; w < g.d3; ++w) {
          r.value[static_cast<std::size_t>(c)] += g(n, c, h, w);
          r.abs_sum[static_cast<std::size_t>(c)] += std::fabs(g(n, c, h, w));
        }
  return r;
}

}  // namespace tconv::crosscheck
