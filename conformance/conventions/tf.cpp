#include "conformance/conventions/tf.h"

#include <algorithm>

namespace tconv::conventions {

namespace {

const char* padding_name(TfPadding p) { return p == TfPadding::same ? "SAME" : p == TfPadding::valid ? "VALID" : "explicit"; }

}  // namespace

std::int64_t tf_first_output_length(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, TfPadding padding,
                                    std::int64_t pad_begin, std::int64_t pad_end) {
  switch (padding) {
    case TfPadding::same: return (in - 1) * s + 1;
    case TfPadding::valid: return full_length(in, k, s, d);
    case TfPadding::explicit_: return full_length(in, k, s, d) - pad_begin - pad_end;
  }
  return 0;
}

Crops tf_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t out, TfPadding padding,
               std::int64_t pad_begin, std::string* rule) {
  const std::int64_t full = full_length(in, k, s, d);
  if (padding == TfPadding::same) {
    const Crops c = same_conv_gradient_crops(full, out, rule);
    if (rule) *rule = "out " + std::to_string(out) + ", " + *rule;
    return c;
  }
  const std::int64_t begin = padding == TfPadding::valid ? 0 : pad_begin;
  if (rule)
    *rule = "out " + std::to_string(out) + (padding == TfPadding::valid ? ", begin 0" : ", begin = pad_begin = " + std::to_string(begin)) +
            ", end = (in-1)*s + k_eff - begin - out = " + std::to_string(full) + " - " + std::to_string(begin) + " - " +
            std::to_string(out) + " = " + std::to_string(full - begin - out);
  return {begin, full - begin - out};
}

Translation tf_to_problem(const TfConv2DTranspose& op) {
  Translation t;
  Problem& p = t.problem;
  const auto& in = op.input_shape;
  const auto& out = op.output_shape;
  p.n = in[0];
  p.c_in = op.nhwc ? in[3] : in[1];
  p.h_in = op.nhwc ? in[1] : in[2];
  p.w_in = op.nhwc ? in[2] : in[3];
  p.kh = op.filters_shape[0];
  p.kw = op.filters_shape[1];
  p.c_out = op.filters_shape[2];
  p.stride_h = op.strides[0];
  p.stride_w = op.strides[1];
  p.dil_h = op.dilations[0];
  p.dil_w = op.dilations[1];
  p.bias = false;
  p.dtype = op.dtype;
  p.layout = op.nhwc ? Layout::NHWC : Layout::NCHW;
  p.weight_layout = Layout::HWOI;
  const std::int64_t out_n = out[0], out_c = op.nhwc ? out[3] : out[1];
  const std::int64_t out_hw[] = {op.nhwc ? out[1] : out[2], op.nhwc ? out[2] : out[3]};
  const auto& ep = op.explicit_paddings;
  std::string rule_h, rule_w;
  const Crops h = tf_crops(p.h_in, p.kh, p.stride_h, p.dil_h, out_hw[0], op.padding, ep[0], &rule_h);
  const Crops w = tf_crops(p.w_in, p.kw, p.stride_w, p.dil_w, out_hw[1], op.padding, ep[2], &rule_w);
  t.rule = std::string("tf padding=") +
           (op.padding == TfPadding::explicit_ ? "[[0, 0], [" + std::to_string(ep[0]) + ", " + std::to_string(ep[1]) + "], [" +
                                                      std::to_string(ep[2]) + ", " + std::to_string(ep[3]) + "], [0, 0]]"
                                                : padding_name(op.padding)) +
           ": " + rule_per_dim(rule_h, rule_w);
  p.crop_top = h.begin;
  p.crop_bottom = h.end;
  p.crop_left = w.begin;
  p.crop_right = w.end;

  auto reject = [&](const std::string& r) {
    if (t.invalid_reason.empty()) t.invalid_reason = r;
  };
  if (op.filters_shape[3] != p.c_in)
    reject("tf_channels_mismatch: filters (kH, kW, C_out, C_in) have C_in " + std::to_string(op.filters_shape[3]) +
           " but the input has " + std::to_string(p.c_in) + " channels");
  if (out_n != p.n || out_c != p.c_out)
    reject("tf_output_shape_mismatch: output_shape batch " + std::to_string(out_n) + " and channels " + std::to_string(out_c) +
           " must be the input batch " + std::to_string(p.n) + " and the filters' C_out " + std::to_string(p.c_out));
  const std::int64_t ins[] = {p.h_in, p.w_in}, ks[] = {p.kh, p.kw}, ss[] = {p.stride_h, p.stride_w}, ds[] = {p.dil_h, p.dil_w};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t first = tf_first_output_length(ins[i], ks[i], ss[i], ds[i], op.padding, ep[2 * i], ep[2 * i + 1]);
    if (out_hw[i] < std::max<std::int64_t>(first, 1) || out_hw[i] > first + ss[i] - 1)
      reject(std::string("tf_output_shape_mismatch: with padding ") + padding_name(op.padding) + " TF accepts an output " +
             (i == 0 ? "height" : "width") + " of " + std::to_string(std::max<std::int64_t>(first, 1)) + ".." +
             std::to_string(first + ss[i] - 1) + " for this input, got " + std::to_string(out_hw[i]) +
             " (its check: a forward convolution of the output must give the input size back)");
  }
  return t;
}

namespace {

std::string shape4(const Problem& p, std::int64_t c, std::int64_t h, std::int64_t w) {
  return p.layout == Layout::NHWC ? std::to_string(p.n) + "," + std::to_string(h) + "," + std::to_string(w) + "," + std::to_string(c)
                                  : std::to_string(p.n) + "," + std::to_string(c) + "," + std::to_string(h) + "," + std::to_string(w);
}

}  // namespace

Equivalent tf_equivalent(const Problem& p) {
  Equivalent e;
  e.convention = "tf";
  const bool nhwc = p.layout == Layout::NHWC;
  if (p.groups > 1) {
    e.reason = "tf.nn.conv2d_transpose has no groups (the filters' C_in must be the input's channels)";
    e.construction = "tf.split the input and the filters into " + std::to_string(p.groups) +
                     " groups, one tf.nn.conv2d_transpose each, tf.concat on the channel axis";
    return e;
  }
  const std::int64_t ins[] = {p.h_in, p.w_in}, ks[] = {p.kh, p.kw}, ss[] = {p.stride_h, p.stride_w}, ds[] = {p.dil_h, p.dil_w};
  const std::int64_t outs[] = {p.h_out(), p.w_out()};
  const Crops want[] = {crops_h(p), crops_w(p)};
  auto fits = [&](TfPadding pad, const std::int64_t (&pads)[4]) {
    for (int i = 0; i < 2; ++i) {
      const std::int64_t first = tf_first_output_length(ins[i], ks[i], ss[i], ds[i], pad, pads[2 * i], pads[2 * i + 1]);
      if (outs[i] < first || outs[i] > first + ss[i] - 1) return false;
      if (!(tf_crops(ins[i], ks[i], ss[i], ds[i], outs[i], pad, pads[2 * i]) == want[i])) return false;
    }
    return true;
  };
  // An explicit bottom/right padding in [end, end + s - 1] passes TF's check; the smallest >= 0.
  const std::int64_t explicit_pads[] = {p.crop_top, std::max<std::int64_t>(p.crop_bottom, 0), p.crop_left,
                                        std::max<std::int64_t>(p.crop_right, 0)};
  const std::int64_t none[] = {0, 0, 0, 0};
  std::string padding_param, padding_call;
  if (fits(TfPadding::same, none)) {
    padding_param = padding_call = "SAME";
  } else if (fits(TfPadding::valid, none)) {
    padding_param = padding_call = "VALID";
  } else if (std::min(p.crop_top, p.crop_left) >= 0 && fits(TfPadding::explicit_, explicit_pads)) {
    const std::string tb = "[" + std::to_string(explicit_pads[0]) + "," + std::to_string(explicit_pads[1]) + "]";
    const std::string lr = "[" + std::to_string(explicit_pads[2]) + "," + std::to_string(explicit_pads[3]) + "]";
    padding_param = nhwc ? "[[0,0]," + tb + "," + lr + ",[0,0]]" : "[[0,0],[0,0]," + tb + "," + lr + "]";
    padding_call = padding_param;
  }
  const std::string filters = std::to_string(p.kh) + "," + std::to_string(p.kw) + "," + std::to_string(p.c_out) + "," + std::to_string(p.c_in);
  auto params = [&](const std::string& pad, std::int64_t oh, std::int64_t ow) {
    std::string s = "input_shape=" + shape4(p, p.c_in, p.h_in, p.w_in) + " filters_shape=" + filters +
                    " output_shape=" + shape4(p, p.c_out, oh, ow) + " strides=" + pair_param(p.stride_h, p.stride_w) + " padding=" + pad;
    if (p.dil_h != 1 || p.dil_w != 1) s += " dilations=" + pair_param(p.dil_h, p.dil_w);
    if (!nhwc) s += " data_format=NCHW";
    if (p.dtype != DType::f32) s += " dtype=" + std::string(to_string(p.dtype));
    return s;
  };
  auto call = [&](const std::string& pad, std::int64_t oh, std::int64_t ow) {
    std::string s = "tf.nn.conv2d_transpose(x, filters, output_shape=[" + shape4(p, p.c_out, oh, ow) + "], strides=" +
                    tuple_text(p.stride_h, p.stride_w) + ", padding=" + (pad == "SAME" || pad == "VALID" ? "\"" + pad + "\"" : pad);
    if (p.dil_h != 1 || p.dil_w != 1) s += ", dilations=" + tuple_text(p.dil_h, p.dil_w);
    if (!nhwc) s += ", data_format=\"NCHW\"";
    s += ")";
    return p.bias ? "tf.nn.bias_add(" + s + ", b" + (nhwc ? "" : ", data_format=\"NCHW\"") + ")" : s;
  };
  if (!padding_param.empty()) {
    e.exact = true;
    e.params = params(padding_param, p.h_out(), p.w_out());
    e.call = call(padding_call, p.h_out(), p.w_out());
    if (p.bias) e.notes.push_back("tf.nn.conv2d_transpose has no bias: tf.nn.bias_add adds it (the params describe the bias-free op)");
    return e;
  }
  e.reason = std::min(p.crop_top, p.crop_left) < 0
                 ? "TF cannot extend the output at the top or left (explicit paddings are >= 0, SAME/VALID never crop a negative begin)"
                 : "an end crop below 1 - stride fails TF's output-size check with every padding";
  const std::int64_t fh = full_length(p.h_in, p.kh, p.stride_h, p.dil_h), fw = full_length(p.w_in, p.kw, p.stride_w, p.dil_w);
  e.params = params("VALID", fh, fw);
  e.construction = call("VALID", fh, fw) + " (the full, uncropped output), then " +
                   crop_fixup_text({0, 0}, {0, 0}, crops_h(p), crops_w(p)) + " (slicing; tf.pad for added lines)";
  return e;
}

}  // namespace tconv::conventions
