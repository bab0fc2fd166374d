// `convention: onnx`: cases written as an ONNX ConvTranspose node (onnx.h has the rules).
// Sizes are the tensors' shapes: input_shape (X: N, C, H, W) and weight_shape (W: C, M/group,
// kH, kW); without weight_shape, C_out = group and the kernel is kernel_shape (default 1x1).
// Every list takes the length of a node of any dimensionality (kernel_shape [3, 3, 3], X of
// rank 5): a node that is not 2-D is a case whose rows are UNSUPPORTED, naming it.
#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/onnx.h"

namespace tconv::conventions {

namespace {

class OnnxConvention final : public Convention {
 public:
  OnnxConvention() {
    const std::vector<std::string> dtypes = dtype_names();
    keys_ = {
        any_length({"input_shape", ValueSpec::ints_at_least(4, 1, "[N, C, H, W]"), Value{{1, 1, 1, 1}, ""}, {"n", "c", "h", "w"}}),
        any_length({"weight_shape", ValueSpec::ints_at_least(4, 1, "[C, M/group, kH, kW]"), std::nullopt, {}}),
        any_length(pair_key("kernel_shape", 1, std::nullopt)),
        any_length(pair_key("strides", 1, 1)),
        any_length(pair_key("dilations", 1, 1)),
        any_length({"pads", ValueSpec::ints_at_least(4, 0, "[top, left, bottom, right]"), Value{{0, 0, 0, 0}, ""},
                    {"top", "left", "bottom", "right"}}),
        {"auto_pad", ValueSpec::one_of({"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"}), Value{{}, "NOTSET"}, {}},
        any_length(pair_key("output_shape", 1, std::nullopt)),
        any_length(pair_key("output_padding", 0, 0)),
        {"group", ValueSpec::integer_at_least(1), Value{{1}, ""}, {}},
        {"bias", ValueSpec::boolean(), Value{{}, "true"}, {}},
        {"dtype", ValueSpec::one_of(dtypes), Value{{}, "f32"}, {}},
    };
    for (KeySpec& k : quant_keys()) keys_.push_back(std::move(k));
  }

  std::string_view name() const override { return "onnx"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }

  // X [N, C, H, W] and W [C, M/group, kH, kW] are input_shape and weight_shape; Y gives N.
  // X and W of any rank (a 3-D node's are 5-D); Y has X's rank.
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const override {
    if (tensor == "x") return TensorSizes{0, "X [N, C, H, W]", {}, "input_shape"};
    if (tensor == "weight") return TensorSizes{0, "W [C, M/group, kH, kW]", {{0, "input_shape", 1}}, "weight_shape"};
    if (tensor == "dy" || tensor == "y") return TensorSizes{params.ints("input_shape").size(), "Y [N, M, H, W]", {{0, "input_shape", 0}}};
    return std::nullopt;
  }

  Translation translate(const ParamSet& params) const override {
    if (Translation t = not_2d(params); !t.error.empty() || !t.unsupported_reason.empty()) return t;
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
  // The node's dimensionality, from the lists given (X and W: 2 + one value per spatial
  // axis, pads: two per axis, the others: one): a load error where they disagree, UNSUPPORTED
  // unless it is 2.
  static Translation not_2d(const ParamSet& params) {
    struct Given {
      const char* key;
      std::size_t extra, per_axis;
    };
    static constexpr Given kLists[] = {{"input_shape", 2, 1}, {"weight_shape", 2, 1},    {"kernel_shape", 0, 1},
                                       {"strides", 0, 1},     {"dilations", 0, 1},       {"pads", 0, 2},
                                       {"output_padding", 0, 1}, {"output_shape", 0, 1}};
    std::string first;
    std::size_t dims = 0;
    for (const Given& g : kLists) {
      if (!params.given(g.key)) continue;
      const std::vector<std::int64_t>& v = params.ints(g.key);
      const std::string text = std::string(g.key) + " " + list_text(v);
      if (v.size() <= g.extra || (v.size() - g.extra) % g.per_axis != 0)
        return Translation::failure(g.key, text + ": " + (g.extra ? "N, C and one size per spatial axis"
                                                                  : g.per_axis == 2 ? "a begin and an end per spatial axis"
                                                                                    : "one value per spatial axis") +
                                                   " expected");
      const std::size_t d = (v.size() - g.extra) / g.per_axis;
      if (first.empty()) {
        first = text;
        dims = d;
      } else if (d != dims) {
        return Translation::failure(g.key, text + " is for a " + std::to_string(d) + "-D node, " + first + " for a " +
                                               std::to_string(dims) + "-D one");
      }
    }
    Translation t;
    if (!first.empty() && dims != 2)
      t.unsupported_reason = std::to_string(dims) + "-D ConvTranspose (" + first + "): tconv's operator is 2-D" +
                             (dims == 1 ? " (tools/import/onnx_import.py writes a 1-D node as 2-D with height 1)" : "");
    return t;
  }

  static std::string list_text(const std::vector<std::int64_t>& v) {
    std::string s;
    for (std::int64_t x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
    return "[" + s + "]";
  }

  static KeySpec any_length(KeySpec k) {
    k.spec.any_count = true;
    return k;
  }

  static Pair pair(const std::vector<std::int64_t>& v) { return {v.at(0), v.at(1)}; }
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& onnx_convention() {
  static const OnnxConvention c;
  return c;
}

}  // namespace tconv::conventions
