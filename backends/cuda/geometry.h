// The problem as the custom CUDA kernels see it: plain integers, and the index math every
// kernel shares. Everything here is __host__ __device__ so the unit tests run the same
// arithmetic on the CPU (host emulation) that the kernels run on the GPU.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define TCONV_HD __host__ __device__ __forceinline__
#else
#define TCONV_HD inline
#endif

namespace tconv::cuda {

// Data tensors are NCHW or NHWC. The weights are always in the data's own filter format on
// the device: IOHW ([C_in][C_out/g][kH][kW]) with NCHW, IHWO ([C_in][kH][kW][C_out/g]) with
// NHWC; the backend permutes any other weight layout on the host (as cuDNN's filter formats).
struct ConvGeometry {
  std::int64_t n, c_in, c_out, groups;
  std::int64_t h_in, w_in, kh, kw;
  std::int64_t stride_h, stride_w, dil_h, dil_w;
  std::int64_t crop_top, crop_left;  // crops at the start; may be negative
  std::int64_t h_out, w_out;
  bool nhwc;

  TCONV_HD std::int64_t cig() const { return c_in / groups; }
  TCONV_HD std::int64_t cog() const { return c_out / groups; }

  TCONV_HD std::int64_t x_index(std::int64_t in, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return nhwc ? ((in * h_in + h) * w_in + w) * c_in + c : ((in * c_in + c) * h_in + h) * w_in + w;
  }
  TCONV_HD std::int64_t y_index(std::int64_t in, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return nhwc ? ((in * h_out + h) * w_out + w) * c_out + c : ((in * c_out + c) * h_out + h) * w_out + w;
  }
  // ci: input channel (0..c_in), o: output channel within its group (0..c_out/g).
  TCONV_HD std::int64_t w_index(std::int64_t ci, std::int64_t o, std::int64_t r, std::int64_t s) const {
    return nhwc ? ((ci * kh + r) * kw + s) * cog() + o : ((ci * cog() + o) * kh + r) * kw + s;
  }

  // Element strides along one coordinate of the indices above, for loops that step pointers
  // instead of recomputing an index (and C_out/g, a division) per element.
  TCONV_HD std::int64_t x_stride_c() const { return nhwc ? 1 : h_in * w_in; }
  TCONV_HD std::int64_t x_stride_w() const { return nhwc ? c_in : 1; }
  TCONV_HD std::int64_t y_stride_c() const { return nhwc ? 1 : h_out * w_out; }
  TCONV_HD std::int64_t y_stride_w() const { return nhwc ? c_out : 1; }
  TCONV_HD std::int64_t w_stride_ci() const { return kh * kw * cog(); }  // IOHW and IHWO alike
  TCONV_HD std::int64_t w_stride_o() const { return nhwc ? 1 : kh * kw; }

  // Output row of input row ih through tap r (may fall outside [0, h_out)).
  TCONV_HD std::int64_t out_h(std::int64_t ih, std::int64_t r) const { return ih * stride_h - crop_top + r * dil_h; }
  TCONV_HD std::int64_t out_w(std::int64_t iw, std::int64_t s) const { return iw * stride_w - crop_left + s * dil_w; }
};

}  // namespace tconv::cuda
