#include "backends/cudnn/graph_plan.h"

#include <sstream>

namespace tconv::cudnn {

const char* graph_operation_name(ConvOp op) {
  switch (op) {
    case ConvOp::backward_data: return "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR";
    case ConvOp::forward: return "CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR";
    case ConvOp::backward_filter: return "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR";
    case ConvOp::bias_reduction: break;
  }
  return "(no graph operation for the bias reduction)";
}

std::array<std::int64_t, 4> dense_strides(const std::array<std::int64_t, 4>& d, bool channels_last) {
  const std::int64_t c = d[1], h = d[2], w = d[3];
  if (channels_last) return {h * w * c, 1, w * c, c};
  return {c * h * w, h * w, w, 1};
}

GraphPlan make_graph_plan(const ConvPlan& p) {
  GraphPlan g;
  g.op = p.op;
  g.dtype = p.dtype;
  g.compute = p.dtype == DType::f64 ? DType::f64 : DType::f32;
  const bool nhwc = p.data_layout == Layout::NHWC;
  g.x.uid = kLargeUid;
  g.x.dims = {p.large.n, p.large.c, p.large.h, p.large.w};
  g.x.strides = dense_strides(g.x.dims, nhwc);
  g.y.uid = kSmallUid;
  g.y.dims = {p.small.n, p.small.c, p.small.h, p.small.w};
  g.y.strides = dense_strides(g.y.dims, nhwc);
  // KRSC is the filter's "NHWC"; the legacy plan already chose it to match the data.
  g.w.uid = kFilterUid;
  g.w.dims = {p.k, p.c, p.r, p.s};
  g.w.strides = dense_strides(g.w.dims, p.filter_layout == Layout::IHWO);
  // Symmetric where the legacy API's one pad maps (PyTorch's values), pre / post apart where
  // only the graph API expresses the crops (make_plan with PaddingForm::pre_post).
  g.pre_padding = {p.pad_h, p.pad_w};
  g.post_padding = {p.post_pad_h, p.post_pad_w};
  g.stride = {p.u, p.v};
  g.dilation = {p.dil_h, p.dil_w};
  g.beta = p.bias ? 1.0 : 0.0;
  return g;
}

namespace {

std::string list(const std::array<std::int64_t, 4>& a) {
  std::ostringstream o;
  o << "[" << a[0] << "," << a[1] << "," << a[2] << "," << a[3] << "]";
  return o.str();
}

std::string tensor_text(const char* name, const GraphTensor& t) {
  return std::string(name) + "(uid " + std::to_string(t.uid) + ") " + list(t.dims) + " strides " + list(t.strides);
}

}  // namespace

std::string describe(const GraphPlan& g) {
  const bool bwd_data = g.op == ConvOp::backward_data, bwd_filter = g.op == ConvOp::backward_filter;
  std::ostringstream o;
  o << graph_operation_name(g.op) << ": " << tensor_text(bwd_data ? "DX" : "X", g.x) << " "
    << tensor_text(bwd_filter ? "DW" : "W", g.w) << " " << tensor_text(g.op == ConvOp::forward ? "Y" : "DY", g.y)
    << " pre padding " << g.pre_padding[0] << "x" << g.pre_padding[1] << " post padding " << g.post_padding[0] << "x"
    << g.post_padding[1] << " stride " << g.stride[0] << "x"
    << g.stride[1] << " dilation " << g.dilation[0] << "x" << g.dilation[1] << " " << to_string(g.dtype)
    << " compute " << to_string(g.compute) << " alpha " << g.alpha << " beta " << g.beta;
  return o.str();
}

}  // namespace tconv::cudnn
