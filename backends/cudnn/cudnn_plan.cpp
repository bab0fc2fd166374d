#include "backends/cudnn/cudnn_plan.h"

#include <sstream>

#include "backends/cudnn/cudnn_descriptors.h"

namespace tconv::cudnn {

ConvOp conv_op_for(Direction d) {
  switch (d) {
    case Direction::fwd: return ConvOp::backward_data;
    case Direction::bwd_data: return ConvOp::forward;
    case Direction::bwd_weights: return ConvOp::backward_filter;
    case Direction::bwd_bias: return ConvOp::bias_reduction;
  }
  return ConvOp::bias_reduction;
}

const char* cudnn_call_name(ConvOp op) {
  switch (op) {
    case ConvOp::backward_data: return "cudnnConvolutionBackwardData";
    case ConvOp::forward: return "cudnnConvolutionForward";
    case ConvOp::backward_filter: return "cudnnConvolutionBackwardFilter";
    case ConvOp::bias_reduction: return "bias reduction kernel";
  }
  return "?";
}

ConvPlan make_plan(const Problem& p, Direction d, PaddingForm form) {
  const conventions::CudnnBackwardData m = conventions::cudnn_backward_data(p);
  ConvPlan plan;
  plan.op = conv_op_for(d);
  plan.dtype = p.dtype;
  plan.data_layout = p.layout;
  // Legacy cuDNN wants the filter in the data's format; anything else is permuted on the host.
  plan.filter_layout = p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
  plan.filter_converted = p.weight_layout != plan.filter_layout;
  plan.small = {p.n, p.c_in, p.h_in, p.w_in};
  plan.large = {p.n, p.c_out, m.dx.h, m.dx.w};
  plan.k = m.k;
  plan.c = m.c;
  plan.r = m.r;
  plan.s = m.s;
  plan.pad_h = m.pad_h;
  plan.pad_w = m.pad_w;
  plan.u = m.u;
  plan.v = m.v;
  plan.dil_h = m.dilation_h;
  plan.dil_w = m.dilation_w;
  plan.groups = m.group_count;
  plan.staged = !m.direct;
  plan.why_staged = m.bad_param;
  plan.rows = {m.dx.h, m.y_h, m.row_offset};
  plan.cols = {m.dx.w, m.y_w, m.col_offset};
  plan.bias = d == Direction::fwd && p.bias;
  plan.post_pad_h = plan.pad_h;
  plan.post_pad_w = plan.pad_w;
  if (form == PaddingForm::pre_post && plan.staged) {
    const auto rows = conventions::graph_padding(p.crop_top, p.crop_bottom, p.stride_h);
    const auto cols = conventions::graph_padding(p.crop_left, p.crop_right, p.stride_w);
    if (rows && cols) {  // the problem's own y is cuDNN's large tensor
      plan.staged = false;
      plan.why_staged.clear();
      plan.pad_h = (*rows)[0], plan.post_pad_h = (*rows)[1];
      plan.pad_w = (*cols)[0], plan.post_pad_w = (*cols)[1];
      plan.large = {p.n, p.c_out, p.h_out(), p.w_out()};
      plan.rows = {p.h_out(), p.h_out(), 0};
      plan.cols = {p.w_out(), p.w_out(), 0};
    }
  }
  return plan;
}

Problem staging_problem(const Problem& p) {
  const conventions::CudnnBackwardData m = conventions::cudnn_backward_data(p);
  Problem s = p;
  if (m.direct) return s;
  s.crop_top = s.crop_bottom = m.pad_h;
  s.crop_left = s.crop_right = m.pad_w;
  return s;
}

namespace {

std::string shape_text(Layout l, const TensorShape& t) {
  std::ostringstream o;
  o << to_string(l) << " [" << t.n << "," << t.c << "," << t.h << "," << t.w << "]";
  return o.str();
}

std::int64_t k_eff(std::int64_t k, std::int64_t d) { return d * (k - 1) + 1; }

// Forward-convolution output length of an input of length `in` (cuDNN's formula).
std::int64_t forward_out(std::int64_t in, std::int64_t pre, std::int64_t post, std::int64_t k, std::int64_t d,
                         std::int64_t s) {
  const std::int64_t span = in + pre + post - k_eff(k, d);
  return span < 0 ? 0 : span / s + 1;
}

bool symmetric(const ConvPlan& pl) { return pl.post_pad_h == pl.pad_h && pl.post_pad_w == pl.pad_w; }

std::string pad_text(const ConvPlan& pl) {
  std::ostringstream o;
  o << "pad " << pl.pad_h << "x" << pl.pad_w;
  if (!symmetric(pl)) o << " (pre) " << pl.post_pad_h << "x" << pl.post_pad_w << " (post)";
  return o.str();
}

}  // namespace

std::string describe(const ConvPlan& pl) {
  std::ostringstream o;
  const Layout dl = pl.data_layout;
  switch (pl.op) {
    case ConvOp::backward_data:
      o << "dgrad: dy " << shape_text(dl, pl.small) << " dx " << shape_text(dl, pl.large);
      break;
    case ConvOp::forward:
      o << "fprop: x " << shape_text(dl, pl.large) << " y " << shape_text(dl, pl.small);
      break;
    case ConvOp::backward_filter:
      o << "wgrad: x " << shape_text(dl, pl.large) << " dy " << shape_text(dl, pl.small);
      break;
    case ConvOp::bias_reduction:
      o << "bias reduction: dy " << shape_text(dl, {pl.large.n, pl.large.c, pl.rows.output, pl.cols.output});
      return o.str();
  }
  o << " filter " << (pl.filter_layout == Layout::IHWO ? "KRSC" : "KCRS") << " k=" << pl.k << " c=" << pl.c
    << " r=" << pl.r << " s=" << pl.s << " " << pad_text(pl) << " stride " << pl.u << "x" << pl.v
    << " dilation " << pl.dil_h << "x" << pl.dil_w << " groups " << pl.groups << " " << to_string(pl.dtype);
  if (pl.staged)
    o << " (staged: output window " << pl.rows.output << "x" << pl.cols.output << " at " << pl.rows.offset << ","
      << pl.cols.offset << ")";
  return o.str();
}

std::string inconsistency(const ConvPlan& pl) {
  if (pl.op == ConvOp::bias_reduction) return "";
  // Name the operands as the cuDNN call does.
  const bool dgrad = pl.op == ConvOp::backward_data;
  const char* small_name = pl.op == ConvOp::forward ? "y" : "dy";
  const char* large_name = dgrad ? "dx" : "x";
  std::ostringstream o;
  if (pl.k != pl.small.c) {
    o << "filter K=" << pl.k << " must equal " << small_name << " channels " << pl.small.c
      << ": the filter's K and C are the transposed layer's C_in and C_out/groups";
    return o.str();
  }
  if (pl.groups < 1 || pl.c * pl.groups != pl.large.c) {
    o << "filter C=" << pl.c << " times groups " << pl.groups << " must equal " << large_name << " channels "
      << pl.large.c << ": C is the transposed layer's C_out/groups";
    return o.str();
  }
  if (pl.k % pl.groups != 0) {
    o << "filter K=" << pl.k << " is not divisible by groups " << pl.groups;
    return o.str();
  }
  if (pl.pad_h < 0 || pl.pad_w < 0 || pl.post_pad_h < 0 || pl.post_pad_w < 0) {
    o << pad_text(pl) << " is negative: cuDNN pads cannot extend the output";
    return o.str();
  }
  if ((pl.data_layout == Layout::NHWC) != (pl.filter_layout == Layout::IHWO)) {
    o << "filter format " << (pl.filter_layout == Layout::IHWO ? "KRSC (NHWC)" : "KCRS (NCHW)")
      << " differs from the data format " << to_string(pl.data_layout)
      << ": a Keras kernel (kH, kW, C_out, C_in) must be permuted to KRSC (C_in, kH, kW, C_out)";
    return o.str();
  }
  const std::int64_t fh = forward_out(pl.large.h, pl.pad_h, pl.post_pad_h, pl.r, pl.dil_h, pl.u);
  const std::int64_t fw = forward_out(pl.large.w, pl.pad_w, pl.post_pad_w, pl.s, pl.dil_w, pl.v);
  if (fh != pl.small.h || fw != pl.small.w) {
    o << large_name << " " << pl.large.h << "x" << pl.large.w << " with " << pad_text(pl)
      << " gives a forward output of " << fh << "x" << fw << ", not " << small_name << "'s " << pl.small.h << "x"
      << pl.small.w << ": cuDNN's legacy API pads both ends equally and allows at most stride-1 extra lines "
      << "(asymmetric crops need the graph API's pre / post padding or a staging buffer, output_padding >= "
      << "stride a staging buffer)";
    return o.str();
  }
  return "";
}

}  // namespace tconv::cudnn
