#include "conformance/expr/case_keys.h"

namespace tconv {

ExprEnv problem_keys(const Problem& p) {
  auto num = [](std::int64_t v) { return ExprValue::number(v); };
  auto text = [](std::string_view v) { return ExprValue{{}, std::string(v)}; };
  return {{"n", num(p.n)},
          {"c_in", num(p.c_in)},
          {"c_out", num(p.c_out)},
          {"groups", num(p.groups)},
          {"h_in", num(p.h_in)},
          {"w_in", num(p.w_in)},
          {"kh", num(p.kh)},
          {"kw", num(p.kw)},
          {"stride_h", num(p.stride_h)},
          {"stride_w", num(p.stride_w)},
          {"dil_h", num(p.dil_h)},
          {"dil_w", num(p.dil_w)},
          {"pad_top", num(p.crop_top)},
          {"pad_bottom", num(p.crop_bottom)},
          {"pad_left", num(p.crop_left)},
          {"pad_right", num(p.crop_right)},
          {"h_out", num(p.h_out())},
          {"w_out", num(p.w_out())},
          {"bias", num(p.bias ? 1 : 0)},
          {"dtype", text(to_string(p.dtype))},
          {"layout", text(to_string(p.layout))},
          {"weight_layout", text(to_string(p.weight_layout))}};
}

ExprEnv case_keys(const Case& c) {
  ExprEnv env = problem_keys(c.problem);
  env["name"] = ExprValue{{}, c.name};
  env["source"] = ExprValue{{}, c.source};
  env["fill"] = ExprValue{{}, std::string(to_string(c.fill.kind))};
  return env;
}

const ExprKeys& case_key_kinds() {
  static const ExprKeys keys = [] {
    ExprKeys k;
    k.what = "filter key";
    for (const auto& [name, value] : case_keys(Case{})) k.kinds[name] = value.is_text() ? ExprKind::text : ExprKind::number;
    return k;
  }();
  return keys;
}

}  // namespace tconv
