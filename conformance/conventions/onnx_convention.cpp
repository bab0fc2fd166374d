// `convention: onnx`: cases written as an ONNX ConvTranspose node (onnx.h has the rules).
// Sizes are the tensors' shapes: input_shape (X: N, C, H, W) and weight_shape (W: C, M/group,
// kH, kW); without weight_shape, C_out = group and the kernel is kernel_shape (default 1x1).
#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/onnx.h"

namespace tconv::conventions {

namespace {

class OnnxConvention final : public Convention {
 public:
  OnnxConvention() {
    const std::vector<std::string> dtypes = dtype_names();
    keys_ = {
        {"input_shape", ValueSpec::ints_at_least(4, 1, "[N, C, H, W]"), Value{{1, 1, 1, 1}, ""}, {"n", "c", "h", "w"}},
        {"weight_shape", ValueSpec::ints_at_least(4, 1, "[C, M/group, kH, kW]"), std::nullopt, {}},
        pair_key("kernel_shape", 1, std::nullopt),
        pair_key("strides", 1, 1),
        pair_key("dilations", 1, 1),
        {"pads", ValueSpec::ints_at_least(4, 0, "[top, left, bottom, right]"), Value{{0, 0, 0, 0}, ""}, {"top", "left", "bottom", "right"}},
        {"auto_pad", ValueSpec::one_of({"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"}), Value{{}, "NOTSET"}, {}},
        pair_key("output_shape", 1, std::nullopt),
        pair_key("output_padding", 0, 0),
        {"group", ValueSpec::integer_at_least(1), Value{{1}, ""}, {}},
        {"bias", ValueSpec::boolean(), Value{{}, "true"}, {}},
        {"dtype", ValueSpec::one_of(dtypes), Value{{}, "f32"}, {}},
    };
    for (KeySpec& k : quant_keys()) keys_.push_back(std::move(k));
  }

  std::string_view name() const override { return "onnx"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }

  // X [N, C, H, W] and W [C, M/group, kH, kW] are input_shape and weight_shape; Y gives N.
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet&) const override {
    if (tensor == "x") return TensorSizes{4, "X [N, C, H, W]", whole_shape("input_shape")};
    if (tensor == "weight") {
      TensorSizes s{4, "W [C, M/group, kH, kW]", whole_shape("weight_shape")};
      s.dims.push_back({0, "input_shape", 1});
      return s;
    }
    if (tensor == "dy" || tensor == "y") return TensorSizes{4, "Y [N, M, H, W]", {{0, "input_shape", 0}}};
    return std::nullopt;
  }

  Translation translate(const ParamSet& params) const override {
    OnnxConvTranspose node;
    const auto& x = params.ints("input_shape");
    std::copy(x.begin(), x.end(), node.input_shape.begin());
    if (const Value* w = params.value("weight_shape")) {
      node.weight_shape.emplace();
      std::copy(w->ints.begin(), w->ints.end(), node.weight_shape->begin());
    }
    if (const Value* k = params.value("kernel_shape")) node.kernel_shape = pair(k->ints);
    if (const Value* o = params.value("output_shape")) node.output_shape = pair(o->ints);
    node.strides = pair(params.ints("strides"));
    node.dilations = pair(params.ints("dilations"));
    node.output_padding = pair(params.ints("output_padding"));
    const auto& pads = params.ints("pads");
    std::copy(pads.begin(), pads.end(), node.pads.begin());
    const std::string& auto_pad = params.word("auto_pad");
    node.auto_pad = auto_pad == "SAME_UPPER"   ? OnnxAutoPad::same_upper
                    : auto_pad == "SAME_LOWER" ? OnnxAutoPad::same_lower
                    : auto_pad == "VALID"      ? OnnxAutoPad::valid
                                               : OnnxAutoPad::notset;
    node.group = params.integer("group");
    node.bias = params.flag("bias");
    node.dtype = *parse_dtype(params.word("dtype"));
    if (node.auto_pad != OnnxAutoPad::notset && params.given("pads"))
      return Translation::failure("pads", "ONNX forbids pads together with auto_pad " + auto_pad);
    if (node.auto_pad == OnnxAutoPad::valid && node.output_shape)
      return Translation::failure("output_shape", "auto_pad VALID fixes the pads at 0: give output_shape with NOTSET or SAME_*");
    Translation t = onnx_to_problem(node);
    if (Translation q = apply_quant_keys(params, t.problem); t.error.empty() && !q.error.empty()) return q;
    return t;
  }

 private:
  static Pair pair(const std::vector<std::int64_t>& v) { return {v.at(0), v.at(1)}; }
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& onnx_convention() {
  static const OnnxConvention c;
  return c;
}

}  // namespace tconv::conventions
