#include "conformance/conventions/keras.h"

#include <algorithm>

namespace tconv::conventions {

std::int64_t keras_output_length(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same,
                                 std::optional<std::int64_t> op) {
  const std::int64_t ke = k_eff(k, d);
  if (same) return op ? (in - 1) * s + ke % 2 + *op : in * s;
  return op ? (in - 1) * s + ke + *op : (in - 1) * s + std::max(ke, s);
}

Crops keras_crops(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same,
                  std::optional<std::int64_t> op, std::string* rule) {
  const std::int64_t full = full_length(in, k, s, d);
  const std::int64_t out = keras_output_length(in, k, s, d, same, op);
  std::string split;
  const Crops c = same ? same_conv_gradient_crops(full, out, rule ? &split : nullptr) : Crops{0, full - out};
  if (rule) {
    const char* out_formula = same ? (op ? "(in-1)*s + k_eff%2 + op" : "in*s") : (op ? "(in-1)*s + k_eff + op" : "(in-1)*s + max(k_eff, s)");
    *rule = "out " + std::string(out_formula) + " = " + std::to_string(out) + ", " +
            (same ? split : "begin 0, end = (in-1)*s + k_eff - out = " + std::to_string(full) + " - " + std::to_string(out) +
                                " = " + std::to_string(c.end));
  }
  return c;
}

Translation keras_to_problem(const KerasConv2DTranspose& l) {
  Translation t;
  Problem& p = t.problem;
  const auto& s = l.input_shape;
  p.n = s[0];
  p.c_in = l.channels_last ? s[3] : s[1];
  p.h_in = l.channels_last ? s[1] : s[2];
  p.w_in = l.channels_last ? s[2] : s[3];
  p.c_out = l.filters;
  p.kh = l.kernel_size[0];
  p.kw = l.kernel_size[1];
  p.stride_h = l.strides[0];
  p.stride_w = l.strides[1];
  p.dil_h = l.dilation_rate[0];
  p.dil_w = l.dilation_rate[1];
  p.bias = l.use_bias;
  p.dtype = l.dtype;
  p.layout = l.channels_last ? Layout::NHWC : Layout::NCHW;
  p.weight_layout = Layout::HWOI;
  auto op = [&](int i) { return l.output_padding ? std::optional<std::int64_t>((*l.output_padding)[i]) : std::nullopt; };
  std::string rule_h, rule_w;
  const Crops h = keras_crops(p.h_in, p.kh, p.stride_h, p.dil_h, l.same, op(0), &rule_h);
  const Crops w = keras_crops(p.w_in, p.kw, p.stride_w, p.dil_w, l.same, op(1), &rule_w);
  t.rule = std::string("keras padding='") + (l.same ? "same" : "valid") + "', output_padding=" +
           (l.output_padding ? tuple_text((*l.output_padding)[0], (*l.output_padding)[1]) : "None") + ": " +
           rule_per_dim(rule_h, rule_w);
  p.crop_top = h.begin;
  p.crop_bottom = h.end;
  p.crop_left = w.begin;
  p.crop_right = w.end;

  if (l.output_padding) {
    for (int i = 0; i < 2; ++i)
      if ((*l.output_padding)[i] >= l.strides[i]) {
        t.invalid_reason = "keras_output_padding_not_below_strides: Keras requires output_padding < strides in every dimension, got output_padding " +
                           tuple_text((*l.output_padding)[0], (*l.output_padding)[1]) + ", strides " + tuple_text(l.strides[0], l.strides[1]);
        return t;
      }
  }
  if (std::max(l.strides[0], l.strides[1]) > 1 && std::max(l.dilation_rate[0], l.dilation_rate[1]) > 1)
    t.invalid_reason = "keras_strides_with_dilation: Keras rejects strides > 1 together with dilation_rate > 1, got strides " +
                       tuple_text(l.strides[0], l.strides[1]) + ", dilation_rate " + tuple_text(l.dilation_rate[0], l.dilation_rate[1]);
  return t;
}

namespace {

struct KerasChoice {
  bool same;
  std::optional<Pair> op;
};

// The first (simplest) padding / output_padding whose crops are the problem's, if any. same
// before valid: where both crop alike (kernel == stride, U-Net's up-sampling) same is how the
// layer is usually written.
std::optional<KerasChoice> find_keras_padding(const Problem& p) {
  const Crops want_h = crops_h(p), want_w = crops_w(p);
  for (bool same : {true, false}) {
    if (keras_crops(p.h_in, p.kh, p.stride_h, p.dil_h, same, std::nullopt) == want_h &&
        keras_crops(p.w_in, p.kw, p.stride_w, p.dil_w, same, std::nullopt) == want_w)
      return KerasChoice{same, std::nullopt};
  }
  for (bool same : {false, true}) {
    std::optional<std::int64_t> op_h, op_w;
    for (std::int64_t op = 0; op < p.stride_h && !op_h; ++op)
      if (keras_crops(p.h_in, p.kh, p.stride_h, p.dil_h, same, op) == want_h) op_h = op;
    for (std::int64_t op = 0; op < p.stride_w && !op_w; ++op)
      if (keras_crops(p.w_in, p.kw, p.stride_w, p.dil_w, same, op) == want_w) op_w = op;
    if (op_h && op_w) return KerasChoice{same, Pair{*op_h, *op_w}};
  }
  return std::nullopt;
}

std::string keras_params(const Problem& p, const KerasChoice& c) {
  const bool last = p.layout == Layout::NHWC;
  std::string s = "filters=" + std::to_string(p.c_out) + " kernel_size=" + pair_param(p.kh, p.kw) +
                  " strides=" + pair_param(p.stride_h, p.stride_w) + " padding=" + (c.same ? "same" : "valid");
  if (c.op) s += " output_padding=" + pair_param((*c.op)[0], (*c.op)[1]);
  if (p.dil_h != 1 || p.dil_w != 1) s += " dilation_rate=" + pair_param(p.dil_h, p.dil_w);
  if (!last) s += " data_format=channels_first";
  if (!p.bias) s += " use_bias=false";
  if (p.dtype != DType::f32) s += " dtype=" + std::string(to_string(p.dtype));
  s += " input_shape=" + std::to_string(p.n) + "," +
       (last ? std::to_string(p.h_in) + "," + std::to_string(p.w_in) + "," + std::to_string(p.c_in)
             : std::to_string(p.c_in) + "," + std::to_string(p.h_in) + "," + std::to_string(p.w_in));
  return s;
}

std::string keras_call(const Problem& p, const KerasChoice& c) {
  std::string s = "keras.layers.Conv2DTranspose(filters=" + std::to_string(p.c_out) + ", kernel_size=" + tuple_text(p.kh, p.kw) +
                  ", strides=" + tuple_text(p.stride_h, p.stride_w) + ", padding=\"" + (c.same ? "same" : "valid") + "\"";
  if (c.op) s += ", output_padding=" + tuple_text((*c.op)[0], (*c.op)[1]);
  if (p.dil_h != 1 || p.dil_w != 1) s += ", dilation_rate=" + tuple_text(p.dil_h, p.dil_w);
  if (p.layout != Layout::NHWC) s += ", data_format=\"channels_first\"";
  if (!p.bias) s += ", use_bias=False";
  return s + ")";
}

}  // namespace

Equivalent keras_equivalent(const Problem& p) {
  Equivalent e;
  e.convention = "keras";
  const bool strided = std::max(p.stride_h, p.stride_w) > 1, dilated = std::max(p.dil_h, p.dil_w) > 1;
  const std::optional<KerasChoice> choice = find_keras_padding(p);
  const KerasChoice base{false, Pair{0, 0}};  // valid, output_padding 0: no crop at all
  const std::string fixup = crop_fixup_text({0, 0}, {0, 0}, crops_h(p), crops_w(p));

  if (p.groups > 1) {
    Problem per_group = p;
    per_group.c_in /= p.groups;
    per_group.c_out /= p.groups;
    per_group.groups = 1;
    e.reason = "Keras Conv2DTranspose has no groups";
    e.construction = "split the input channels into " + std::to_string(p.groups) + " groups (keras.ops.split), one " +
                     keras_call(per_group, choice.value_or(base)) + " per group, then keras.layers.Concatenate on the channel axis" +
                     (choice ? "" : "; " + fixup + " (keras.layers.Cropping2D / ZeroPadding2D)");
    return e;
  }
  if (strided && dilated) {
    e.reason = "Keras rejects strides > 1 together with dilation_rate > 1";
    e.construction = "dilate the kernel yourself (insert dilation-1 zero taps: kernel " + hw_text(k_eff(p.kh, p.dil_h), k_eff(p.kw, p.dil_w)) +
                     ", dilation_rate 1), then padding=\"valid\", output_padding=0" + (fixup.empty() ? "" : " and " + fixup);
    return e;
  }
  if (!choice) {
    e.reason = "no padding / output_padding of Keras gives crops top " + std::to_string(p.crop_top) + ", bottom " +
               std::to_string(p.crop_bottom) + ", left " + std::to_string(p.crop_left) + ", right " + std::to_string(p.crop_right) +
               " (valid crops nothing at the begin; same puts the larger half at the end)";
    e.params = keras_params(p, base);
    e.construction = keras_call(p, base) + " (no crop), then " + fixup +
                     " (keras.layers.Cropping2D for removed lines; for added lines use_bias=False, ZeroPadding2D, then add the bias)";
    return e;
  }
  e.exact = true;
  e.params = keras_params(p, *choice);
  e.call = keras_call(p, *choice);
  return e;
}

}  // namespace tconv::conventions
