#include "backends/onednn/onednn_descriptors.h"

#include <algorithm>

namespace tconv::conventions {

std::string dims_text(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::int64_t x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "{" + s + "}";
}

OnednnDeconvolution onednn_deconvolution(const Problem& p) {
  OnednnDeconvolution o;
  const std::int64_t g = p.groups, ic_g = p.c_in / g, oc_g = p.c_out / g;
  o.src = {p.n, p.c_in, p.h_in, p.w_in};
  o.dst = {p.n, p.c_out, p.h_out(), p.w_out()};
  o.bias = {p.c_out};
  o.src_tag = o.dst_tag = p.layout == Layout::NHWC ? "nhwc" : "nchw";
  // Strides of w[ci][co'][kh][kw] in the stored layout, by the offset of a unit step in each axis.
  const Dims logical{p.c_in, oc_g, p.kh, p.kw};
  auto step = [&](const Dims& i) { return element_offset(p.weight_layout, logical, g, i) - element_offset(p.weight_layout, logical, g, {0, 0, 0, 0}); };
  const std::int64_t s_ic = step({1, 0, 0, 0}), s_oc = step({0, 1, 0, 0}), s_kh = step({0, 0, 1, 0}), s_kw = step({0, 0, 0, 1});
  if (g == 1) {
    o.weights = {p.c_out, p.c_in, p.kh, p.kw};
    o.weights_strides = {s_oc, s_ic, s_kh, s_kw};
  } else {
    o.weights = {g, oc_g, ic_g, p.kh, p.kw};
    o.weights_strides = {step({ic_g, 0, 0, 0}), s_oc, s_ic, s_kh, s_kw};  // group step: the first input channel of group 1
  }
  o.strides = {p.stride_h, p.stride_w};
  o.dilates = {p.dil_h - 1, p.dil_w - 1};
  o.padding_l = {p.crop_top, p.crop_left};
  o.padding_r = {p.crop_bottom, p.crop_right};
  if (p.weight_layout == Layout::OIHW_FLIPPED)
    o.notes.push_back("OIHW_FLIPPED weights step backwards in kh, kw (negative strides): oneDNN cannot describe them, flip into IOHW first");
  if (std::min({p.crop_top, p.crop_bottom, p.crop_left, p.crop_right}) < 0)
    o.notes.push_back("negative padding_l / padding_r (an extended output): oneDNN rejects it; compute with the negative sides at 0 and add bias-only lines");
  return o;
}

}  // namespace tconv::conventions
