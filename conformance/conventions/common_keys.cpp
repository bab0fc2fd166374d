#include "conformance/conventions/common_keys.h"

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

}  // namespace

KeySpec pair_key(const char* name, std::int64_t min, std::optional<std::int64_t> default_value) {
  KeySpec k{name, ValueSpec::ints_at_least(2, min, "[h, w]"), std::nullopt, {"h", "w"}};
  if (default_value) k.default_value = Value{{*default_value, *default_value}, ""};
  return k;
}

std::vector<KeySpec> shared_problem_keys() {
  KeySpec bias{"bias", ValueSpec::boolean(), Value{{}, "true"}, {}};
  return {
      integer_key("n", 1, 1),
      integer_key("c_in", 1, 1),
      integer_key("c_out", 1, 1),
      pair_key("input", 1, 1),
      pair_key("kernel", 1, 1),
      pair_key("stride", 1, 1),
      pair_key("dilation", 1, 1),
      integer_key("groups", 1, 1, {"depthwise"}),
      choice_key("dtype", names_of(kAllDTypes)),
      choice_key("layout", names_of(kDataLayouts)),
      choice_key("weight_layout", names_of(kWeightLayouts)),
      bias,
  };
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
