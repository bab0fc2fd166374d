#include "conformance/conventions/explain.h"

#include <sstream>

#include "backends/cudnn/cudnn_descriptors.h"
#include "conformance/conventions/descriptor_check.h"
#include "conformance/conventions/keras.h"
#include "backends/onednn/onednn_descriptors.h"
#include "conformance/conventions/onnx.h"
#include "conformance/conventions/param_text.h"
#include "conformance/conventions/pytorch_equivalent.h"
#include "conformance/conventions/tf.h"
#include "backends/api/weight_permutation.h"
#include "conformance/suite/did_you_mean.h"

namespace tconv::conventions {

namespace {

// Where each framework keeps its weights (tconv's names for them).
Layout framework_weight_layout(const std::string& convention) {
  return convention == "keras" || convention == "tf" ? Layout::HWOI : Layout::IOHW;
}

std::string shape_text(const Dims& d) {
  return "[" + std::to_string(d[0]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[2]) + ", " + std::to_string(d[3]) + "]";
}

// --input-shape as the convention's own keys: 3 values get a batch of 1 in front.
Result<std::string> input_shape_params(const std::string& from, const std::string& text) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',' || c == 'x' || c == ' ') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  for (const auto& p : parts)
    if (p.find_first_not_of("0123456789") != std::string::npos)
      return Result<std::string>::failure("--input-shape: '" + text + "' is not a list of sizes such as 8,8,256");
  if (parts.size() == 3) parts.insert(parts.begin(), "1");
  if (parts.size() != 4)
    return Result<std::string>::failure("--input-shape: give 3 sizes (no batch) or 4 (with the batch), got " + std::to_string(parts.size()));
  if (from == "pytorch" || from == "canonical")
    return "n=" + parts[0] + " c_in=" + parts[1] + " input=" + parts[2] + "," + parts[3];
  return "input_shape=" + parts[0] + "," + parts[1] + "," + parts[2] + "," + parts[3];
}

void print_equivalent(std::ostream& o, const Equivalent& e, const Problem& p) {
  o << "  " << e.convention << ": " << (e.exact ? "exact" : "no exact equivalent") << "\n";
  if (e.exact) {
    o << "    " << e.call << "\n";
  } else {
    o << "    why: " << e.reason << "\n";
    o << "    instead: " << e.construction << "\n";
  }
  if (!e.params.empty()) o << "    " << (e.exact ? "params: " : "params of that call: ") << e.params << "\n";
  const Layout wl = framework_weight_layout(e.convention);
  o << "    weights " << to_string(p.weight_layout) << " -> " << to_string(wl) << ": " << conversion_code(p.weight_layout, wl, p.groups) << "\n";
  for (const auto& n : e.notes) o << "    note: " << n << "\n";
}

void print_cudnn(std::ostream& o, const Problem& p) {
  const CudnnBackwardData m = cudnn_backward_data(p);
  o << "cuDNN (cudnnConvolutionBackwardData: dy = x, dx = y)\n";
  if (!m.direct) {
    o << "  the direct mapping gives CUDNN_STATUS_BAD_PARAM:\n";
    for (const auto& r : m.bad_param) o << "    " << r << "\n";
    const bool outside = m.row_offset < 0 || m.col_offset < 0 || m.row_offset + m.y_h > m.dx.h || m.col_offset + m.y_w > m.dx.w;
    o << "  so run into a staging dx and copy its " << m.y_h << "x" << m.y_w << " window at row " << m.row_offset << ", column "
      << m.col_offset << (outside ? " (window lines outside the staging buffer get only the bias)" : "") << ":\n";
  }
  o << "  cudnnSetConvolution2dDescriptor(pad_h=" << m.pad_h << ", pad_w=" << m.pad_w << ", u=" << m.u << ", v=" << m.v
    << ", dilation_h=" << m.dilation_h << ", dilation_w=" << m.dilation_w << ", " << m.mode << ", " << m.compute_type << ")\n";
  o << "  cudnnSetConvolutionGroupCount(" << m.group_count << ")\n";
  o << "  filter: cudnnSetFilter4dDescriptor(" << m.data_type << ", " << m.filter_format << ", k=" << m.k << ", c=" << m.c
    << ", r=" << m.r << ", s=" << m.s << ")  " << (m.filter_layout == Layout::IHWO ? "KRSC" : "KCRS") << " = tconv "
    << to_string(m.filter_layout) << "\n";
  o << "  weights " << to_string(p.weight_layout) << " -> " << to_string(m.filter_layout) << ": " << m.weight_conversion << "\n";
  o << "  dy: cudnnSetTensor4dDescriptor(" << m.dy.format << ", " << m.data_type << ", " << m.dy.n << ", " << m.dy.c << ", "
    << m.dy.h << ", " << m.dy.w << ")\n";
  o << "  dx: cudnnSetTensor4dDescriptor(" << m.dx.format << ", " << m.data_type << ", " << m.dx.n << ", " << m.dx.c << ", "
    << m.dx.h << ", " << m.dx.w << ")\n";
  o << "  bias: " << m.bias << "\n";
  const auto rows = graph_padding(p.crop_top, p.crop_bottom, p.stride_h);
  const auto cols = graph_padding(p.crop_left, p.crop_right, p.stride_w);
  if (!m.direct && rows && cols)
    o << "  graph API (cudnn-frontend; tconv's graph variants with +pre_post): pre_padding={" << (*rows)[0] << ", " << (*cols)[0]
      << "}, post_padding={" << (*rows)[1] << ", " << (*cols)[1] << "}, dx = y [" << p.n << ", " << p.c_out << ", "
      << p.h_out() << ", " << p.w_out() << "]: no staging\n";
}

void print_onednn(std::ostream& o, const Problem& p) {
  const OnednnDeconvolution d = onednn_deconvolution(p);
  o << "oneDNN (deconvolution_forward, " << d.algorithm << ")\n";
  o << "  src " << dims_text(d.src) << " " << d.src_tag << ", dst " << dims_text(d.dst) << " " << d.dst_tag << ", bias "
    << dims_text(d.bias) << "\n";
  o << "  weights " << dims_text(d.weights) << " with strides " << dims_text(d.weights_strides) << " (" << to_string(p.weight_layout)
    << " as stored)\n";
  o << "  strides " << dims_text(d.strides) << ", dilates " << dims_text(d.dilates) << " (d - 1), padding_l " << dims_text(d.padding_l)
    << ", padding_r " << dims_text(d.padding_r) << "\n";
  for (const auto& n : d.notes) o << "  note: " << n << "\n";
}

// The canonical problem, its layer in every framework but `from`, and the library descriptors.
std::string report_problem(std::ostringstream& o, const Problem& p, std::string invalid, const std::string& from) {
  if (invalid.empty())
    if (const Status v = validate(p); !v.ok()) invalid = std::string(to_string(invalid_reason(p))) + ": " + v.message;
  o << "canonical problem\n";
  o << "  repro:   " << to_repro(p) << "\n";
  o << "  crops:   top " << p.crop_top << ", bottom " << p.crop_bottom << ", left " << p.crop_left << ", right " << p.crop_right
    << " (of the full " << full_length(p.h_in, p.kh, p.stride_h, p.dil_h) << "x" << full_length(p.w_in, p.kw, p.stride_w, p.dil_w)
    << " output; negative = extended with bias-only lines)\n";
  if (!invalid.empty()) {
    o << "  INVALID: " << invalid << "\n";
    return o.str();
  }
  o << "  x:       " << shape_text(p.x_dims()) << " (N, C, H, W), stored " << to_string(p.layout) << " as "
    << shape_text(physical_dims(p.layout, p.x_dims(), 1)) << "\n";
  o << "  y:       " << shape_text(p.y_dims()) << " (N, C, H, W), stored " << to_string(p.layout) << " as "
    << shape_text(physical_dims(p.layout, p.y_dims(), 1)) << "\n";
  o << "  weights: " << shape_text(p.w_dims()) << " (C_in, C_out/groups, kH, kW), stored " << to_string(p.weight_layout) << " as "
    << shape_text(physical_dims(p.weight_layout, p.w_dims(), p.groups)) << "\n\n";

  o << (find_convention(from) ? "in the other frameworks\n" : "in the frameworks\n");
  for (const Equivalent& e : {pytorch_equivalent(p), keras_equivalent(p), tf_equivalent(p), onnx_equivalent(p)})
    if (e.convention != from) print_equivalent(o, e, p);
  o << "\n";
  print_cudnn(o, p);
  o << "\n";
  print_onednn(o, p);
  return o.str();
}

// --from cudnn / onednn: the library's values, every rule they must keep, then the problem.
Result<std::string> explain_descriptors(const ExplainRequest& r) {
  if (!r.input_shape.empty())
    return Result<std::string>::failure("--input-shape: --from " + r.from + " takes the sizes from its own values (dy/dx, src/dst)");
  auto check = r.from == "cudnn" ? check_cudnn_values(r.params) : check_onednn_values(r.params);
  if (!check) return Result<std::string>::failure(check.error());
  std::ostringstream o;
  o << "from " << r.from << ": " << r.params << "\n\n";
  o << (r.from == "cudnn" ? "cuDNN values (cudnnConvolutionBackwardData: dy = x, dx = y)\n" : "oneDNN values (deconvolution_forward)\n");
  int broken = 0;
  for (const RuleCheck& rule : check->rules) {
    o << "  " << rule.text << ": " << (rule.ok ? "ok" : "BROKEN") << "\n";
    broken += rule.ok ? 0 : 1;
  }
  for (const std::string& n : check->notes) o << "  note: " << n << "\n";
  if (broken) {
    o << "  INVALID: these values describe no transposed convolution: " << broken << (broken == 1 ? " rule" : " rules")
      << " broken (above)\n";
    return o.str();
  }
  o << "\n";
  return report_problem(o, check->problem, "", r.from);
}

}  // namespace

Result<std::string> explain(const ExplainRequest& r) {
  if (r.from == "cudnn" || r.from == "onednn") return explain_descriptors(r);
  const Convention* c = find_convention(r.from);
  if (!c) {
    std::vector<std::string> names = convention_names();
    names.insert(names.end(), {"cudnn", "onednn"});
    return Result<std::string>::failure("--from: unknown convention '" + r.from + "'" + suite::did_you_mean(r.from, names));
  }
  std::string text = r.params;
  if (!r.input_shape.empty()) {
    auto extra = input_shape_params(r.from, r.input_shape);
    if (!extra) return Result<std::string>::failure(extra.error());
    text += " " + *extra;
  }
  auto params = parse_param_text(*c, text);
  if (!params) return Result<std::string>::failure(params.error());
  const Translation t = c->translate(*params);
  if (!t.error.empty()) return Result<std::string>::failure(t.error_key + ": " + t.error);
  std::ostringstream o;
  o << "from " << r.from << ": " << text << "\n\n";
  if (!t.unsupported_reason.empty()) return o.str() + "UNSUPPORTED: " + t.unsupported_reason + "\n";
  return report_problem(o, t.problem, t.invalid_reason, r.from);
}

}  // namespace tconv::conventions
