// The canonical problem and one direction as the legacy cuDNN convolution that computes it:
// descriptor values and staging geometry as plain data (no cuDNN call), so every value is
// tested on the CPU. Padding and staging come from conventions::cudnn_backward_data (the same
// function `tconv explain` prints); this file adds the direction and the filter format.
//
// One convolution serves all three directions. Its "large" side is the transposed op's y/dy
// [N, C_out, Hs, Ws] (Hs x Ws = the staging geometry), its "small" side the transposed op's
// x/dx [N, C_in, H_in, W_in], its filter K = C_in, C = C_out/g, R = kH, S = kW:
//   fwd         = cudnnConvolutionBackwardData   (dy := x, dx := y)
//   bwd_data    = cudnnConvolutionForward        (x := dy, y := dx)
//   bwd_weights = cudnnConvolutionBackwardFilter (x := dy, dy := x, dw := dw)
//   bwd_bias    = a per-channel reduction of dy (no convolution)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/api/problem.h"

namespace tconv::cudnn {

enum class ConvOp : std::uint8_t { backward_data, forward, backward_filter, bias_reduction };

ConvOp conv_op_for(Direction d);
const char* cudnn_call_name(ConvOp op);  // "cudnnConvolutionBackwardData", ...

struct TensorShape {  // cudnnSetTensor4dDescriptor(n, c, h, w)
  std::int64_t n = 0, c = 0, h = 0, w = 0;
  bool operator==(const TensorShape&) const = default;
};

// One spatial dimension of the staging: output index o is staging index o + offset; output
// positions outside [0, staging) receive only the bias (fwd) / are never read (backward).
struct Window1d {
  std::int64_t staging = 0, output = 0, offset = 0;
  bool operator==(const Window1d&) const = default;
};

struct ConvPlan {
  ConvOp op = ConvOp::backward_data;
  DType dtype = DType::f32;
  Layout data_layout = Layout::NCHW;    // tensor format of every data descriptor
  Layout filter_layout = Layout::IOHW;  // KCRS (IOHW) with NCHW data, KRSC (IHWO) with NHWC data
  bool filter_converted = false;        // the problem's weights are permuted on the host
  TensorShape large;                    // [N, C_out, Hs, Ws]: dx of dgrad, x of fprop / wgrad
  TensorShape small;                    // [N, C_in, H_in, W_in]: dy of dgrad, y of fprop, dy of wgrad
  std::int64_t k = 0, c = 0, r = 0, s = 0;  // filter
  std::int64_t pad_h = 0, pad_w = 0, u = 1, v = 1, dil_h = 1, dil_w = 1, groups = 1;
  std::int64_t post_pad_h = 0, post_pad_w = 0;  // pad after the end: pad_h / pad_w unless PaddingForm::pre_post
  bool staged = false;                  // large differs from the problem's y (crop/zero-extend copy)
  std::vector<std::string> why_staged;  // what cuDNN could not express directly
  Window1d rows, cols;
  bool bias = false;                    // fwd adds b (prefilled, beta = 1)
};

// How an API pads: the legacy API takes one pad per dimension for both ends; the graph API
// takes pre and post padding apart.
enum class PaddingForm { symmetric, pre_post };

// With PaddingForm::pre_post, a dimension whose crops the symmetric pad cannot express but
// which are both >= 0 (Keras / TF "same" with an odd total crop, ONNX SAME_UPPER) is padded
// pre = begin crop, post = end crop instead of staged; a dimension the symmetric pad maps keeps
// it (as PyTorch passes it to cuDNN). Only a negative crop beyond output_padding still stages.
ConvPlan make_plan(const Problem& p, Direction d, PaddingForm form = PaddingForm::symmetric);

// The symmetric problem cuDNN computes: the canonical problem with the staging padding on both
// sides (its y is the staging buffer). Equal to p when nothing is staged.
Problem staging_problem(const Problem& p);

// Descriptor values in cuDNN's terms, one line, for messages:
// "dgrad: dy NCHW [2,8,5,5] dx NCHW [2,4,10,10] filter KCRS k=8 c=4 r=3 s=3 pad 1x1 stride 2x2 ..."
std::string describe(const ConvPlan& plan);

// The first inconsistency cuDNN would answer with CUDNN_STATUS_BAD_PARAM, in words, or "" when
// the values are consistent. Catches the classic porting mistakes: the filter's K is not the
// channels of dy, the output size does not round-trip through the forward formula, formats
// of filter and data differ.
std::string inconsistency(const ConvPlan& plan);

// Element count that cuDNN's legacy 4-d descriptors (int dims and strides) can address.
inline constexpr std::int64_t kMaxDescriptorElements = (std::int64_t{1} << 31) - 1;

}  // namespace tconv::cudnn
