#include "backends/openmp/staging.h"

#include "backends/openmp/convert.h"

namespace tconv::openmp {

namespace {

std::int64_t input_image(const Problem& p) { return p.c_in * p.h_in * p.w_in; }

// Bytes offset helpers on the raw tensor storage.
const std::byte* at(const HostTensor& t, std::int64_t element) {
  return static_cast<const std::byte*>(t.data()) + element * static_cast<std::int64_t>(dtype_size(t.dtype()));
}
std::byte* at(HostTensor& t, std::int64_t element) {
  return static_cast<std::byte*>(t.data()) + element * static_cast<std::int64_t>(dtype_size(t.dtype()));
}

}  // namespace

bool pixel_matrix_needs_staging(const Problem& p, const Chunk& c) {
  return p.dtype != DType::f32 || (p.layout == Layout::NCHW && c.images > 1);
}

std::int64_t pixel_matrix_floats(const Problem& p, const Chunk& c) {
  return pixel_matrix_needs_staging(p, c) ? p.c_in * c.pixels(p.w_in) : 0;
}

PixelMatrix pixel_matrix(const Problem& p, const Chunk& c, HostTensor& dx, float* staging) {
  const bool nchw = p.layout == Layout::NCHW;
  if (pixel_matrix_needs_staging(p, c)) return {staging, nchw ? c.pixels(p.w_in) : p.c_in, true};
  float* base = dx.as<float>();
  if (nchw) return {base + c.n0 * input_image(p) + c.ih0 * p.w_in, p.h_in * p.w_in, false};
  return {base + ((c.n0 * p.h_in + c.ih0) * p.w_in) * p.c_in, p.c_in, false};
}

PixelMatrix pixel_matrix(const Problem& p, const Chunk& c, const HostTensor& x, float* staging) {
  // Read only: the GEMM takes this matrix as an input operand and never writes it.
  return pixel_matrix(p, c, const_cast<HostTensor&>(x), staging);
}

// NCHW: one unit per (channel, image), a run of rows*W_in pixels; NHWC: one per input row.
std::int64_t pixel_matrix_units(const Problem& p, const Chunk& c) {
  return p.layout == Layout::NCHW ? p.c_in * c.images : c.images * c.rows;
}

namespace {

struct Run {
  std::int64_t tensor_element, staging_element, count;
};

Run unit_run(const Problem& p, const Chunk& c, const PixelMatrix& m, std::int64_t unit) {
  const std::int64_t row = c.rows * p.w_in;
  if (p.layout == Layout::NCHW) {
    const std::int64_t ci = unit / c.images, n = c.n0 + unit % c.images;
    return {n * input_image(p) + ci * p.h_in * p.w_in + c.ih0 * p.w_in, ci * m.ld + (n - c.n0) * row, row};
  }
  const std::int64_t n = c.n0 + unit / c.rows, ih = c.ih0 + unit % c.rows;
  const std::int64_t px = (n - c.n0) * c.rows + (ih - c.ih0);
  return {((n * p.h_in + ih) * p.w_in) * p.c_in, px * p.w_in * p.c_in, p.w_in * p.c_in};
}

}  // namespace

void pack_unit(const Problem& p, const Chunk& c, const HostTensor& x, const PixelMatrix& m, std::int64_t unit) {
  const Run r = unit_run(p, c, m, unit);
  load_f32(at(x, r.tensor_element), x.dtype(), r.count, m.data + r.staging_element);
}

void unpack_unit(const Problem& p, const Chunk& c, const PixelMatrix& m, HostTensor& dx, std::int64_t unit) {
  const Run r = unit_run(p, c, m, unit);
  store_f32(m.data + r.staging_element, dx.dtype(), r.count, at(dx, r.tensor_element));
}

bool dy_is_column_matrix(const Problem& p, const Chunk& c, bool fast_paths) {
  const bool one_by_one = p.kh == 1 && p.kw == 1 && p.stride_h == 1 && p.stride_w == 1 && is_pixel_shuffle(p);
  return fast_paths && one_by_one && p.dtype == DType::f32 && (p.layout == Layout::NHWC || c.images == 1);
}

bool images_need_staging(const Problem& p) { return p.dtype != DType::f32; }

std::int64_t image_floats(const Problem& p) { return p.c_out * p.h_out() * p.w_out(); }

Images output_images(const Problem& p, const Chunk& c, HostTensor& y, float* staging) {
  if (images_need_staging(p)) return {staging, c.n0, image_floats(p)};
  return {y.as<float>(), 0, image_floats(p)};
}

Images output_images(const Problem& p, const Chunk& c, const HostTensor& dy, float* staging) {
  // Read only: dy is an input of bwd_data and bwd_weights.
  return output_images(p, c, const_cast<HostTensor&>(dy), staging);
}

// An image is split into H_out equal contiguous runs whatever the layout (each is one output
// row in NHWC, C_out/H_out planes' worth in NCHW): conversion does not care which.
std::int64_t image_row_units(const Problem& p, const Chunk& c) { return c.images * p.h_out(); }

void load_image_row(const Problem& p, const Chunk& c, const HostTensor& t, const Images& staged, std::int64_t unit) {
  const std::int64_t per = image_floats(p) / p.h_out(), n = c.n0 + unit / p.h_out(), part = unit % p.h_out();
  load_f32(at(t, n * image_floats(p) + part * per), t.dtype(), per, staged.image(n) + part * per);
}

void store_image_row(const Problem& p, const Chunk& c, const Images& staged, HostTensor& t, std::int64_t unit) {
  const std::int64_t per = image_floats(p) / p.h_out(), n = c.n0 + unit / p.h_out(), part = unit % p.h_out();
  store_f32(staged.image(n) + part * per, t.dtype(), per, at(t, n * image_floats(p) + part * per));
}

}  // namespace tconv::openmp
