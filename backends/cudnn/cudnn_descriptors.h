// The canonical problem as cudnnConvolutionBackwardData descriptors (docs/design.md section 2), as
// plain values: no cuDNN call, so it is tested on any machine and printed by `tconv explain`.
//
// Transposed fwd = backward-data of the convolution y -> x: dy := x [N, C_in, H_in, W_in],
// dx := y [N, C_out, H_out, W_out], filter K = C_in, C = C_out/groups, R = kH, S = kW,
// mode CUDNN_CROSS_CORRELATION (no flip), group count = groups. cuDNN's padding is one value
// per dimension (pad at both ends of dx), and cuDNN checks that the forward output size of dx
// is dy's: floor((H_out + 2*pad - k_eff)/s) + 1 == H_in. So crops (b, e) map directly iff
// pad = b >= 0 and 0 <= b - e < s (the extra b - e rows at the end are PyTorch's
// output_padding); otherwise cuDNN returns CUDNN_STATUS_BAD_PARAM and the result goes through
// a staging buffer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/api/problem.h"

namespace tconv::conventions {

struct CudnnTensor4d {  // cudnnSetTensor4dDescriptor(desc, format, data_type, n, c, h, w)
  std::string format;   // CUDNN_TENSOR_NCHW / CUDNN_TENSOR_NHWC
  std::int64_t n = 0, c = 0, h = 0, w = 0;
};

struct CudnnBackwardData {
  // cudnnSetConvolution2dDescriptor(conv, pad_h, pad_w, u, v, dilation_h, dilation_w, mode, compute_type)
  std::int64_t pad_h = 0, pad_w = 0, u = 1, v = 1, dilation_h = 1, dilation_w = 1;
  std::string mode = "CUDNN_CROSS_CORRELATION";
  std::string data_type, compute_type;  // CUDNN_DATA_FLOAT, ...
  std::int64_t group_count = 1;         // cudnnSetConvolutionGroupCount
  // cudnnSetFilter4dDescriptor(filter, data_type, format, k, c, r, s)
  std::string filter_format;            // CUDNN_TENSOR_NCHW (KCRS = IOHW) / CUDNN_TENSOR_NHWC (KRSC = IHWO)
  std::int64_t k = 0, c = 0, r = 0, s = 0;
  Layout filter_layout = Layout::IOHW;  // the tconv layout of that filter format
  std::string weight_conversion;        // numpy code from the problem's weight layout; "none (...)" when it is already one
  CudnnTensor4d dy, dx;                 // dy = the transposed op's x, dx = its y (the staging buffer when !direct)
  std::int64_t y_h = 0, y_w = 0;        // the problem's output size
  // The direct mapping above is what cuDNN computes iff `direct`; else each reason says why
  // cudnnConvolutionBackwardData / cudnnGetConvolution2dForwardOutputDim gives CUDNN_STATUS_BAD_PARAM.
  bool direct = true;
  std::vector<std::string> bad_param;
  // Not direct: pad_h/pad_w and dx above describe a staging buffer (symmetric pad = the common
  // part of both crops); the output is its y_h x y_w window at (row_offset, col_offset), and
  // window positions outside the staging buffer get only the bias.
  std::int64_t row_offset = 0, col_offset = 0;
  std::string bias;  // cudnnAddTensor with a [1, C_out, 1, 1] descriptor, or "none"
};

CudnnBackwardData cudnn_backward_data(const Problem& p);

// Whether one dimension's crops (begin, end) map onto cuDNN's one pad per dimension (the rule
// above: pad = begin >= 0 and 0 <= begin - end < stride).
bool symmetric_pad_maps(std::int64_t begin, std::int64_t end, std::int64_t stride);

// One dimension's (pre, post) padding in cuDNN's graph API, which pads the ends apart: the
// symmetric pad where it maps (as PyTorch passes it), else (begin, end) when both are >= 0;
// nullopt where only a staging buffer works (a negative crop beyond the stride's allowance).
std::optional<std::array<std::int64_t, 2>> graph_padding(std::int64_t begin, std::int64_t end, std::int64_t stride);

}  // namespace tconv::conventions
