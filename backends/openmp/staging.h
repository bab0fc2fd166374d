// f32 views of the data operands for one chunk. The kernels and the GEMM see only f32:
// operands already in f32 and laid out as needed are used in place; others (f16/bf16
// storage, or NCHW images that must sit side by side as one GEMM matrix) are copied into the
// workspace in independent units the callers spread over threads.
#pragma once

#include <cstdint>

#include "backends/api/tensor.h"
#include "backends/openmp/columns.h"

namespace tconv::openmp {

// An input-side tensor (x, dx: C_in channels, H_in x W_in) of one chunk as a GEMM matrix:
// NCHW [C_in][pixels], NHWC [pixels][C_in], row stride ld.
struct PixelMatrix {
  float* data = nullptr;
  std::int64_t ld = 0;
  bool staged = false;  // in the workspace: filled by pack_units / written back by unpack_units
};

bool pixel_matrix_needs_staging(const Problem& p, const Chunk& c);
// Floats of staging pixel_matrix needs for chunk c (0 when it works in place).
std::int64_t pixel_matrix_floats(const Problem& p, const Chunk& c);
// `staging` has pixel_matrix_floats(p, c) floats. dx is written through the matrix; x is
// only read (the matrix type holds a float* for both, so that overload casts const away).
PixelMatrix pixel_matrix(const Problem& p, const Chunk& c, HostTensor& dx, float* staging);
PixelMatrix pixel_matrix(const Problem& p, const Chunk& c, const HostTensor& x, float* staging);
std::int64_t pixel_matrix_units(const Problem& p, const Chunk& c);
void pack_unit(const Problem& p, const Chunk& c, const HostTensor& x, const PixelMatrix& m, std::int64_t unit);
void unpack_unit(const Problem& p, const Chunk& c, const PixelMatrix& m, HostTensor& dx, std::int64_t unit);

// 1x1 kernel, stride 1, no crop, f32: dy is its own column matrix (NHWC always; NCHW when the
// chunk is one image), so bwd_data and bwd_weights skip the im2col copy.
bool dy_is_column_matrix(const Problem& p, const Chunk& c, bool fast_paths);

// Whole output-side images (y, dy) of the chunk's images as f32: in place for f32, else a
// staging copy of the chunk's images (units of one output row each).
bool images_need_staging(const Problem& p);
std::int64_t image_floats(const Problem& p);  // one image, C_out * H_out * W_out
// y is written through the images; dy is only read (the same cast as pixel_matrix's x).
Images output_images(const Problem& p, const Chunk& c, HostTensor& y, float* staging);
Images output_images(const Problem& p, const Chunk& c, const HostTensor& dy, float* staging);
std::int64_t image_row_units(const Problem& p, const Chunk& c);  // images * H_out
void load_image_row(const Problem& p, const Chunk& c, const HostTensor& t, const Images& staged, std::int64_t unit);
void store_image_row(const Problem& p, const Chunk& c, const Images& staged, HostTensor& t, std::int64_t unit);

}  // namespace tconv::openmp
