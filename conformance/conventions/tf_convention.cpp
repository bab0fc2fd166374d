// `convention: tf`: cases written as tf.nn.conv2d_transpose arguments (tf.h has the rules).
// Shapes are those of the tensors: input_shape and output_shape in data_format order,
// filters_shape (kH, kW, C_out, C_in). padding is SAME, VALID or TF's explicit list.
#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/tf.h"

namespace tconv::conventions {

namespace {

class TfConvention final : public Convention {
 public:
  TfConvention() {
    ValueSpec padding = ValueSpec::ints_at_least(8, 0, "[[0, 0], [top, bottom], [left, right], [0, 0]]", {"SAME", "VALID"});
    padding.flatten = true;
    const std::vector<std::string> dtypes = dtype_names();
    keys_ = {
        {"input_shape", ValueSpec::ints_at_least(4, 1, "[N, H, W, C] (NCHW: [N, C, H, W])"), Value{{1, 1, 1, 1}, ""}, {}},
        {"filters_shape", ValueSpec::ints_at_least(4, 1, "[kH, kW, C_out, C_in]"), Value{{1, 1, 1, 1}, ""}, {}},
        {"output_shape", ValueSpec::ints_at_least(4, 1, "[N, H, W, C] (NCHW: [N, C, H, W])"), std::nullopt, {}},
        pair_key("strides", 1, 1),
        {"padding", padding, Value{{}, "SAME"}, {}},
        pair_key("dilations", 1, 1),
        {"data_format", ValueSpec::one_of({"NHWC", "NCHW"}), Value{{}, "NHWC"}, {}},
        {"dtype", ValueSpec::one_of(dtypes), Value{{}, "f32"}, {}},
    };
    for (KeySpec& k : quant_keys()) keys_.push_back(std::move(k));
  }

  std::string_view name() const override { return "tf"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }

  // input and output are the tensors' shapes in data_format order, filters (kH, kW, C_out, C_in).
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const override {
    const bool nhwc = params.word("data_format") == "NHWC";
    const std::string data = nhwc ? "NHWC [N, H, W, C]" : "NCHW [N, C, H, W]";
    if (tensor == "x") return TensorSizes{4, data, whole_shape("input_shape")};
    if (tensor == "dy" || tensor == "y") return TensorSizes{4, data, whole_shape("output_shape")};
    if (tensor == "weight") {
      TensorSizes s{4, "filters (kH, kW, C_out, C_in)", whole_shape("filters_shape")};
      s.dims.push_back({3, "input_shape", nhwc ? 3u : 1u});
      return s;
    }
    return std::nullopt;
  }

  Translation translate(const ParamSet& params) const override {
    TfConv2DTranspose op;
    const Value* out = params.value("output_shape");
    if (!out) return Translation::failure("output_shape", "tf.nn.conv2d_transpose needs output_shape");
    copy4(params.ints("input_shape"), op.input_shape);
    copy4(params.ints("filters_shape"), op.filters_shape);
    copy4(out->ints, op.output_shape);
    op.strides = {params.ints("strides")[0], params.ints("strides")[1]};
    op.dilations = {params.ints("dilations")[0], params.ints("dilations")[1]};
    op.nhwc = params.word("data_format") == "NHWC";
    op.dtype = *parse_dtype(params.word("dtype"));
    const Value& pad = *params.value("padding");
    if (pad.is_word()) {
      op.padding = pad.word == "SAME" ? TfPadding::same : TfPadding::valid;
    } else {
      op.padding = TfPadding::explicit_;
      // [[0, 0], [top, bottom], [left, right], [0, 0]] for NHWC; the spatial pairs come last for NCHW.
      const std::size_t h = op.nhwc ? 2 : 4, w = op.nhwc ? 4 : 6, n = 0, c = op.nhwc ? 6 : 2;
      const auto& v = pad.ints;
      if (v[n] || v[n + 1] || v[c] || v[c + 1])
        return Translation::failure("padding", "TF allows explicit padding only in the spatial dimensions: the batch and channel pairs must be [0, 0]");
      op.explicit_paddings = {v[h], v[h + 1], v[w], v[w + 1]};
    }
    Translation t = tf_to_problem(op);
    if (Translation q = apply_quant_keys(params, t.problem); t.error.empty() && !q.error.empty()) return q;
    return t;
  }

 private:
  static void copy4(const std::vector<std::int64_t>& v, std::array<std::int64_t, 4>& out) { std::copy(v.begin(), v.end(), out.begin()); }
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& tf_convention() {
  static const TfConvention c;
  return c;
}

}  // namespace tconv::conventions
