#include "conformance/conventions/onnx.h"

#include <algorithm>

namespace tconv::conventions {

Crops onnx_pad_split(std::int64_t total, bool same_upper, std::string* rule) {
  const std::int64_t half = floor_div(total, 2);
  const std::int64_t begin = same_upper ? half : total - half;
  if (rule)
    *rule = same_upper ? "begin = total/2 = " + std::to_string(begin) + ", end = total - begin = " + std::to_string(total - begin)
                       : "begin = total - total/2 = " + std::to_string(begin) + ", end = total/2 = " + std::to_string(total - begin);
  return {begin, total - begin};
}

Crops onnx_generated_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t op,
                           std::int64_t out, bool same_upper, std::string* rule) {
  const std::int64_t full = full_length(in, k, s, d), total = full + op - out;
  std::string split;
  const Crops pads = onnx_pad_split(total, same_upper, rule ? &split : nullptr);
  if (rule) {
    *rule = "total = s*(in-1) + op + k_eff - out = " + std::to_string(full + op) + " - " + std::to_string(out) + " = " +
            std::to_string(total) + ", " + split + " (floor division)";
    if (op != 0) *rule += ", end crop = end - op = " + std::to_string(pads.end - op);
  }
  return {pads.begin, pads.end - op};  // output_padding un-crops the end
}

Translation onnx_to_problem(const OnnxConvTranspose& node) {
  Translation t;
  Problem& p = t.problem;
  p.n = node.input_shape[0];
  p.c_in = node.input_shape[1];
  p.h_in = node.input_shape[2];
  p.w_in = node.input_shape[3];
  p.groups = node.group;
  const Pair kernel = node.weight_shape ? Pair{(*node.weight_shape)[2], (*node.weight_shape)[3]} : node.kernel_shape.value_or(Pair{1, 1});
  p.kh = kernel[0];
  p.kw = kernel[1];
  p.c_out = (node.weight_shape ? (*node.weight_shape)[1] : 1) * node.group;
  p.stride_h = node.strides[0];
  p.stride_w = node.strides[1];
  p.dil_h = node.dilations[0];
  p.dil_w = node.dilations[1];
  p.bias = node.bias;
  p.dtype = node.dtype;
  p.layout = Layout::NCHW;
  p.weight_layout = Layout::IOHW;

  const std::int64_t in[] = {p.h_in, p.w_in}, s[] = {p.stride_h, p.stride_w}, d[] = {p.dil_h, p.dil_w};
  const bool generated = node.output_shape || node.auto_pad == OnnxAutoPad::same_upper || node.auto_pad == OnnxAutoPad::same_lower;
  Crops c[2];
  std::string rule[2];
  for (int i = 0; i < 2; ++i) {
    const std::int64_t op = node.output_padding[static_cast<std::size_t>(i)];
    if (generated) {
      const std::int64_t out = node.output_shape ? (*node.output_shape)[static_cast<std::size_t>(i)] : in[i] * s[i];
      c[i] = onnx_generated_crops(in[i], kernel[static_cast<std::size_t>(i)], s[i], d[i], op, out,
                                  node.auto_pad == OnnxAutoPad::same_upper, &rule[i]);
    } else if (node.auto_pad == OnnxAutoPad::valid) {
      c[i] = {0, -op};
      rule[i] = "begin 0, end = -op = " + std::to_string(c[i].end);
    } else {
      c[i] = {node.pads[static_cast<std::size_t>(i)], node.pads[static_cast<std::size_t>(i + 2)] - op};
      rule[i] = "begin = pads_begin = " + std::to_string(c[i].begin) + ", end = pads_end - op = " + std::to_string(c[i].end);
    }
  }
  const char* auto_pad[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
  t.rule = std::string("onnx auto_pad=") + auto_pad[static_cast<int>(node.auto_pad)];
  if (node.output_shape) t.rule += ", output_shape=" + tuple_text((*node.output_shape)[0], (*node.output_shape)[1]);
  else if (generated) t.rule += " (output_shape = in*s)";
  else if (node.auto_pad == OnnxAutoPad::notset)
    t.rule += ", pads=[" + std::to_string(node.pads[0]) + ", " + std::to_string(node.pads[1]) + ", " + std::to_string(node.pads[2]) +
              ", " + std::to_string(node.pads[3]) + "]";
  t.rule += ", output_padding=" + tuple_text(node.output_padding[0], node.output_padding[1]) + ": " + rule_per_dim(rule[0], rule[1]);
  p.crop_top = c[0].begin;
  p.crop_bottom = c[0].end;
  p.crop_left = c[1].begin;
  p.crop_right = c[1].end;

  if (node.weight_shape && (*node.weight_shape)[0] != p.c_in)
    t.invalid_reason = "onnx_channels_mismatch: W has " + std::to_string((*node.weight_shape)[0]) + " input channels, X has " + std::to_string(p.c_in);
  else if (node.weight_shape && node.kernel_shape && *node.kernel_shape != kernel)
    t.invalid_reason = "onnx_kernel_shape_mismatch: kernel_shape " + tuple_text((*node.kernel_shape)[0], (*node.kernel_shape)[1]) +
                       " differs from W's spatial shape " + tuple_text(kernel[0], kernel[1]);
  return t;
}

namespace {

std::string ints_param(std::initializer_list<std::int64_t> v) {
  std::string s;
  for (std::int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

std::string ints_list(std::initializer_list<std::int64_t> v) {
  std::string s;
  for (std::int64_t x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "[" + s + "]";
}

}  // namespace

Equivalent onnx_equivalent(const Problem& p) {
  Equivalent e;
  e.convention = "onnx";
  // Non-negative crops are pads; a negative end crop is output_padding (the end extension).
  const std::int64_t op_h = std::max<std::int64_t>(-p.crop_bottom, 0), op_w = std::max<std::int64_t>(-p.crop_right, 0);
  const std::int64_t pb = std::max<std::int64_t>(p.crop_bottom, 0), pr = std::max<std::int64_t>(p.crop_right, 0);
  const std::int64_t pt = std::max<std::int64_t>(p.crop_top, 0), pl = std::max<std::int64_t>(p.crop_left, 0);
  auto params = [&](std::int64_t t, std::int64_t l, std::int64_t b, std::int64_t r, std::int64_t oh, std::int64_t ow) {
    std::string s = "input_shape=" + ints_param({p.n, p.c_in, p.h_in, p.w_in}) +
                    " weight_shape=" + ints_param({p.c_in, p.c_out / p.groups, p.kh, p.kw}) +
                    " strides=" + pair_param(p.stride_h, p.stride_w) + " pads=" + ints_param({t, l, b, r});
    if (oh || ow) s += " output_padding=" + pair_param(oh, ow);
    if (p.dil_h != 1 || p.dil_w != 1) s += " dilations=" + pair_param(p.dil_h, p.dil_w);
    if (p.groups != 1) s += " group=" + std::to_string(p.groups);
    if (!p.bias) s += " bias=false";
    if (p.dtype != DType::f32) s += " dtype=" + std::string(to_string(p.dtype));
    return s;
  };
  auto call = [&](std::int64_t t, std::int64_t l, std::int64_t b, std::int64_t r, std::int64_t oh, std::int64_t ow) {
    std::string s = std::string("onnx.helper.make_node(\"ConvTranspose\", [\"X\", \"W\"") + (p.bias ? ", \"B\"" : "") +
                    "], [\"Y\"], kernel_shape=" + ints_list({p.kh, p.kw}) + ", strides=" + ints_list({p.stride_h, p.stride_w}) +
                    ", pads=" + ints_list({t, l, b, r});
    if (oh || ow) s += ", output_padding=" + ints_list({oh, ow});
    if (p.dil_h != 1 || p.dil_w != 1) s += ", dilations=" + ints_list({p.dil_h, p.dil_w});
    if (p.groups != 1) s += ", group=" + std::to_string(p.groups);
    return s + ")";
  };
  if (p.layout != Layout::NCHW)
    e.notes.push_back("ONNX tensors are NCHW: transpose X with (0, 3, 1, 2) and Y back with (0, 2, 3, 1)");
  if (op_h >= p.stride_h || op_w >= p.stride_w)
    e.notes.push_back("output_padding >= strides: the spec allows it, some runtimes and exporters require output_padding < strides");
  if (p.crop_top >= 0 && p.crop_left >= 0) {
    e.exact = true;
    e.params = params(pt, pl, pb, pr, op_h, op_w);
    e.call = call(pt, pl, pb, pr, op_h, op_w);
    return e;
  }
  // A negative begin needs the spec's output_shape rule with a negative pad total.
  struct Generated {
    std::int64_t output_shape, output_padding;
  };
  auto generated = [&](Crops c, std::int64_t full, bool same_upper) -> std::optional<Generated> {
    for (std::int64_t total : {2 * c.begin, 2 * c.begin + 1, 2 * c.begin - 1}) {
      const Crops pads = onnx_pad_split(total, same_upper);
      const std::int64_t op = pads.end - c.end;
      if (pads.begin == c.begin && op >= 0) return Generated{full + op - total, op};
    }
    return std::nullopt;
  };
  const std::int64_t full_h = full_length(p.h_in, p.kh, p.stride_h, p.dil_h), full_w = full_length(p.w_in, p.kw, p.stride_w, p.dil_w);
  for (bool same_upper : {true, false}) {
    const auto h = generated(crops_h(p), full_h, same_upper), w = generated(crops_w(p), full_w, same_upper);
    if (!h || !w) continue;
    e.exact = true;
    const std::string mode = same_upper ? "SAME_UPPER" : "NOTSET";
    e.params = params(0, 0, 0, 0, h->output_padding, w->output_padding);
    e.params.replace(e.params.find(" pads=0,0,0,0"), 13, " output_shape=" + pair_param(h->output_shape, w->output_shape) +
                                                          (same_upper ? " auto_pad=SAME_UPPER" : ""));
    e.call = call(0, 0, 0, 0, h->output_padding, w->output_padding);
    e.call.replace(e.call.find(", pads=[0, 0, 0, 0]"), 19, ", output_shape=" + ints_list({h->output_shape, w->output_shape}) +
                                                             (same_upper ? ", auto_pad=\"SAME_UPPER\"" : ""));
    e.notes.push_back("the extension at the top/left relies on the spec's floor division of a negative pad total (auto_pad " + mode +
                      "); onnxruntime 1.31 clamps the total at 0 or rejects it, so check the runtime you deploy on");
    return e;
  }
  e.reason = "pads are >= 0 and output_padding only extends the end; output_shape's negative pad totals cannot give these crops";
  e.params = params(pt, pl, pb, pr, op_h, op_w);
  e.construction = call(pt, pl, pb, pr, op_h, op_w) + ", then " +
                   crop_fixup_text({pt, pb - op_h}, {pl, pr - op_w}, crops_h(p), crops_w(p)) +
                   " (a Pad node with constant 0 on a bias-free result, then add B)";
  return e;
}

}  // namespace tconv::conventions
