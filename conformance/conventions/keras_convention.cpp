// `convention: keras`: cases written as Keras 3 / tf.keras Conv2DTranspose arguments
// (keras.h has the rules). Sizes: `input_shape` with the batch, in data_format order.
#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/keras.h"

namespace tconv::conventions {

namespace {

class KerasConvention final : public Convention {
 public:
  KerasConvention() {
    keys_ = {
        {"input_shape", ValueSpec::ints_at_least(4, 1, "[N, H, W, C] (channels_first: [N, C, H, W])"), Value{{1, 1, 1, 1}, ""}, {}},
        {"filters", ValueSpec::integer_at_least(1), Value{{1}, ""}, {}},
        pair_key("kernel_size", 1, 1),
        pair_key("strides", 1, 1),
        {"padding", ValueSpec::one_of({"valid", "same"}), Value{{}, "valid"}, {}},
        {"output_padding", ValueSpec::ints_at_least(2, 0, "[h, w]", {"None"}), Value{{}, "None"}, {"h", "w"}},
        pair_key("dilation_rate", 1, 1),
        {"data_format", ValueSpec::one_of({"channels_last", "channels_first"}), Value{{}, "channels_last"}, {}},
        {"use_bias", ValueSpec::boolean(), Value{{}, "true"}, {}},
        {"dtype", ValueSpec::one_of(dtype_names()), Value{{}, "f32"}, {}},
    };
    for (KeySpec& k : quant_keys()) keys_.push_back(std::move(k));
  }

  std::string_view name() const override { return "keras"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }

  // x and dy / y in data_format order, the kernel (kH, kW, filters, C_in), the bias (filters,).
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const override {
    const bool last = params.word("data_format") == "channels_last";
    const std::string data = last ? "channels_last [N, H, W, C]" : "channels_first [N, C, H, W]";
    const std::size_t c = last ? 3 : 1;
    if (tensor == "x") return TensorSizes{4, data, whole_shape("input_shape")};
    if (tensor == "weight")
      return TensorSizes{4, "kernel (kH, kW, filters, C_in)", {{0, "kernel_size", 0}, {1, "kernel_size", 1}, {2, "filters"}, {3, "input_shape", c}}};
    if (tensor == "bias") return TensorSizes{1, "bias (filters,)", {{0, "filters"}}};
    if (tensor == "dy" || tensor == "y") return TensorSizes{4, data, {{0, "input_shape", 0}, {c, "filters"}}};
    return std::nullopt;
  }

  Translation translate(const ParamSet& params) const override {
    KerasConv2DTranspose l;
    const auto& shape = params.ints("input_shape");
    std::copy(shape.begin(), shape.end(), l.input_shape.begin());
    l.filters = params.integer("filters");
    l.kernel_size = pair(params.ints("kernel_size"));
    l.strides = pair(params.ints("strides"));
    l.dilation_rate = pair(params.ints("dilation_rate"));
    l.same = params.word("padding") == "same";
    if (const Value* op = params.value("output_padding"); op && !op->is_word()) l.output_padding = pair(op->ints);
    l.channels_last = params.word("data_format") == "channels_last";
    l.use_bias = params.flag("use_bias");
    l.dtype = *parse_dtype(params.word("dtype"));
    Translation t = keras_to_problem(l);
    if (Translation q = apply_quant_keys(params, t.problem); t.error.empty() && !q.error.empty()) return q;
    return t;
  }

 private:
  static Pair pair(const std::vector<std::int64_t>& v) { return {v.at(0), v.at(1)}; }
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& keras_convention() {
  static const KerasConvention c;
  return c;
}

}  // namespace tconv::conventions
