#include "conformance/conventions/common_keys.h"

#include <limits>

namespace tconv::conventions {

namespace {

KeySpec integer_key(const char* name, std::int64_t min, std::int64_t default_value,
                    std::vector<std::string> keywords = {}) {
  return {name, ValueSpec::integer_at_least(min, std::move(keywords)), Value{{default_value}, ""}, {}};
}

KeySpec choice_key(const char* name, std::vector<std::string> choices) {
  std::string first = choices.front();
  return {name, ValueSpec::one_of(std::move(choices)), Value{{}, first}, {}};
}

template <class E, std::size_t N>
std::vector<std::string> names_of(const E (&values)[N]) {
  std::vector<std::string> out;
  for (E v : values) out.emplace_back(to_string(v));
  return out;
}

constexpr std::int64_t kNoMin = std::numeric_limits<std::int64_t>::min();

}  // namespace

KeySpec pair_key(const char* name, std::int64_t min, std::optional<std::int64_t> default_value) {
  KeySpec k{name, ValueSpec::ints_at_least(2, min, "[h, w]"), std::nullopt, {"h", "w"}};
  if (default_value) k.default_value = Value{{*default_value, *default_value}, ""};
  return k;
}

std::vector<KeySpec> shared_problem_keys() {
  KeySpec bias{"bias", ValueSpec::boolean(), Value{{}, "true"}, {}};
  std::vector<KeySpec> keys = {
      integer_key("n", 1, 1),
      integer_key("c_in", 1, 1),
      integer_key("c_out", 1, 1),
      pair_key("input", 1, 1),
      pair_key("kernel", 1, 1),
      pair_key("stride", 1, 1),
      pair_key("dilation", 1, 1),
      integer_key("groups", 1, 1, {"depthwise"}),
      choice_key("dtype", dtype_names()),
      choice_key("layout", names_of(kDataLayouts)),
      choice_key("weight_layout", names_of(kWeightLayouts)),
      bias,
  };
  for (KeySpec& k : quant_keys()) keys.push_back(std::move(k));
  return keys;
}

std::vector<KeySpec> quant_keys() {
  return {
      integer_key("zp_x", kNoMin, 0),
      integer_key("zp_w", kNoMin, 0),
      integer_key("zp_y", kNoMin, 0),
      integer_key("multiplier", 1, 1),
      integer_key("shift", 0, 0),
      choice_key("rounding", names_of(kAllRoundings)),
  };
}

std::vector<std::string> dtype_names() {
  std::vector<std::string> out = names_of(kAllDTypes);
  for (DType t : kIntDTypes) out.emplace_back(to_string(t));
  return out;
}

Translation apply_quant_keys(const ParamSet& params, Problem& p) {
  if (!is_integer(p.dtype)) return {};
  Quant& q = p.quant;
  q.zp_x = params.integer("zp_x");
  q.zp_w = params.integer("zp_w");
  q.zp_y = params.integer("zp_y");
  q.multiplier = params.integer("multiplier");
  q.shift = params.integer("shift");
  q.rounding = *parse_rounding(params.word("rounding"));
  const std::int64_t lo = int_min(p.dtype), hi = int_max(p.dtype);
  for (const char* key : {"zp_x", "zp_w", "zp_y"}) {
    const std::int64_t v = params.integer(key);
    if (v < lo || v > hi)
      return Translation::failure(key, std::to_string(v) + " is outside the " + std::string(to_string(p.dtype)) + " range [" +
                                           std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  if (q.multiplier > std::numeric_limits<std::int32_t>::max())
    return Translation::failure("multiplier", std::to_string(q.multiplier) + " exceeds 2^31 - 1 (an int32 fixed-point multiplier)");
  if (q.shift > 62) return Translation::failure("shift", std::to_string(q.shift) + " exceeds 62");
  return {};
}

std::vector<TensorDim> whole_shape(const char* key) { return {{0, key, 0}, {1, key, 1}, {2, key, 2}, {3, key, 3}}; }

std::optional<TensorSizes> shared_tensor_sizes(std::string_view tensor, const ParamSet& params) {
  const bool nhwc = params.word("layout") == "NHWC";
  const std::string data = nhwc ? "NHWC [N, H, W, C]" : "NCHW [N, C, H, W]";
  const std::size_t c = nhwc ? 3 : 1, h = nhwc ? 1 : 2, w = nhwc ? 2 : 3;
  if (tensor == "x") return TensorSizes{4, data, {{0, "n"}, {c, "c_in"}, {h, "input", 0}, {w, "input", 1}}};
  if (tensor == "dy" || tensor == "y") return TensorSizes{4, data, {{0, "n"}, {c, "c_out"}}};
  if (tensor == "bias") return TensorSizes{1, "X [C_out]", {{0, "c_out"}}};
  if (tensor != "weight") return std::nullopt;
  const std::string& layout = params.word("weight_layout");
  if (layout == "IHWO")
    return TensorSizes{4, "IHWO [C_in, kH, kW, C_out/groups]", {{0, "c_in"}, {1, "kernel", 0}, {2, "kernel", 1}, {3, "c_out", 0, "groups"}}};
  if (layout == "HWOI")
    return TensorSizes{4, "HWOI [kH, kW, C_out/groups, C_in]", {{3, "c_in"}, {0, "kernel", 0}, {1, "kernel", 1}, {2, "c_out", 0, "groups"}}};
  if (layout == "OIHW_FLIPPED")
    return TensorSizes{4, "OIHW_FLIPPED [C_out, C_in/groups, kH, kW]", {{1, "c_in", 0, "groups"}, {2, "kernel", 0}, {3, "kernel", 1}, {0, "c_out"}}};
  return TensorSizes{4, "IOHW [C_in, C_out/groups, kH, kW]", {{0, "c_in"}, {2, "kernel", 0}, {3, "kernel", 1}, {1, "c_out", 0, "groups"}}};
}

void apply_shared_problem_keys(const ParamSet& params, Problem& p) {
  p.n = params.integer("n");
  p.c_in = params.integer("c_in");
  p.c_out = params.integer("c_out");
  const auto& g = *params.value("groups");
  p.groups = g.word == "depthwise" ? p.c_in : g.ints.at(0);
  p.h_in = params.ints("input")[0];
  p.w_in = params.ints("input")[1];
  p.kh = params.ints("kernel")[0];
  p.kw = params.ints("kernel")[1];
  p.stride_h = params.ints("stride")[0];
  p.stride_w = params.ints("stride")[1];
  p.dil_h = params.ints("dilation")[0];
  p.dil_w = params.ints("dilation")[1];
  p.dtype = *parse_dtype(params.word("dtype"));
  p.layout = *parse_layout(params.word("layout"));
  p.weight_layout = *parse_layout(params.word("weight_layout"));
  p.bias = params.flag("bias");
}

}  // namespace tconv::conventions
