#include "backends/onednn/onednn_mapping.h"

#include "backends/onednn/onednn_descriptors.h"

namespace tconv::onednn {

using tag = memory::format_tag;

memory::data_type data_type(DType t) {
  switch (t) {
    case DType::f32: return memory::data_type::f32;
    case DType::f16: return memory::data_type::f16;
    case DType::bf16: return memory::data_type::bf16;
    case DType::f64: return memory::data_type::undef;
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
  return memory::data_type::undef;
}

namespace {

// The one mapping (onednn_descriptors.h, also printed by `tconv explain`), for weights stored in `weights`.
conventions::OnednnDeconvolution values(const Problem& p, Layout weights) {
  Problem q = p;
  q.weight_layout = weights;
  return conventions::onednn_deconvolution(q);
}

tag data_tag(const std::string& t) { return t == "nhwc" ? tag::nhwc : tag::nchw; }

}  // namespace

memory::desc input_desc(const Problem& p) {
  const auto v = values(p, p.weight_layout);
  return {v.src, data_type(p.dtype), data_tag(v.src_tag)};
}

memory::desc output_desc(const Problem& p) {
  const auto v = values(p, p.weight_layout);
  return {v.dst, data_type(p.dtype), data_tag(v.dst_tag)};
}

memory::desc weights_desc(const Problem& p, Layout layout) {
  const auto v = values(p, layout);
  return {v.weights, data_type(p.dtype), v.weights_strides};
}

memory::desc bias_desc(const Problem& p) { return {values(p, p.weight_layout).bias, data_type(p.dtype), tag::a}; }

memory::desc any_like(const memory::desc& d) { return {d.dims(), d.data_type(), tag::any}; }

Geometry geometry(const Problem& p) {
  const auto v = values(p, p.weight_layout);
  return {v.strides, v.dilates, v.padding_l, v.padding_r};
}

}  // namespace tconv::onednn
