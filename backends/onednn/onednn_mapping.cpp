#include "backends/onednn/onednn_mapping.h"

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

memory::desc input_desc(const Problem& p) {
  return {{p.n, p.c_in, p.h_in, p.w_in}, data_type(p.dtype), p.layout == Layout::NHWC ? tag::nhwc : tag::nchw};
}

memory::desc output_desc(const Problem& p) {
  return {{p.n, p.c_out, p.h_out(), p.w_out()}, data_type(p.dtype), p.layout == Layout::NHWC ? tag::nhwc : tag::nchw};
}

memory::desc weights_desc(const Problem& p, Layout layout) {
  const memory::dim ci = p.c_in, cig = p.c_in / p.groups, cog = p.c_out / p.groups, kh = p.kh, kw = p.kw;
  // Strides of (group, o, i, kh, kw) in the stored tensor, i = C_in index within the group.
  memory::dims s;
  switch (layout) {
    case Layout::IHWO: s = {cig * kh * kw * cog, 1, kh * kw * cog, kw * cog, cog}; break;
    case Layout::HWOI: s = {cig, ci, 1, kw * cog * ci, cog * ci}; break;
    default: s = {cig * cog * kh * kw, kh * kw, cog * kh * kw, kw, 1}; break;  // IOHW
  }
  if (p.groups == 1)
    return {{p.c_out, p.c_in, p.kh, p.kw}, data_type(p.dtype), {s[1], s[2], s[3], s[4]}};
  return {{p.groups, cog, cig, p.kh, p.kw}, data_type(p.dtype), s};
}

memory::desc bias_desc(const Problem& p) { return {{p.c_out}, data_type(p.dtype), tag::a}; }

memory::desc any_like(const memory::desc& d) { return {d.dims(), d.data_type(), tag::any}; }

Geometry geometry(const Problem& p) {
  return {{p.stride_h, p.stride_w}, {p.dil_h - 1, p.dil_w - 1}, {p.pad_top, p.pad_left}, {p.pad_bottom, p.pad_right}};
}

}  // namespace tconv::onednn
