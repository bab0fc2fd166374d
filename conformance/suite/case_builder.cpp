#include "conformance/suite/case_builder.h"

#include "conformance/expr/case_keys.h"
#include "conformance/suite/error.h"

namespace tconv::suite {

namespace {

using conventions::ParamSet;

const char* const kDerivedNames[] = {"groups", "depthwise", "h_out", "w_out", "pad_top",
                                     "pad_bottom", "pad_left", "pad_right", "fill"};

ExprValue to_expr(const Value& v, const conventions::KeySpec& spec) {
  if (spec.spec.kind == ValueKind::boolean) return ExprValue::number(v.flag());
  if (v.is_word()) return ExprValue{{}, v.word};
  return ExprValue{v.ints, ""};
}

// The problem's keys (expr/case_keys.h), then the suite's parameters (which win where names
// meet), then the values derived from the translated problem.
ExprEnv make_env(const ParamSet& params, const Problem& p, const FillSpec& fill) {
  ExprEnv env = problem_keys(p);
  for (const auto& k : params.keys()) {
    const Value* v = params.value(k.name);
    if (!v) continue;
    env[k.name] = to_expr(*v, k);
    if (!v->is_word() && k.components.size() == v->ints.size())
      for (std::size_t i = 0; i < k.components.size(); ++i)
        env[k.name + "_" + k.components[i]] = ExprValue::number(v->ints[i]);
  }
  const Value* g = params.value("groups");
  env["depthwise"] = ExprValue::number(g && g->word == "depthwise");
  env["groups"] = ExprValue::number(p.groups);
  env["h_out"] = ExprValue::number(p.h_out());
  env["w_out"] = ExprValue::number(p.w_out());
  env["pad_top"] = ExprValue::number(p.crop_top);
  env["pad_bottom"] = ExprValue::number(p.crop_bottom);
  env["pad_left"] = ExprValue::number(p.crop_left);
  env["pad_right"] = ExprValue::number(p.crop_right);
  env["fill"] = ExprValue{{}, std::string(to_string(fill.kind))};
  return env;
}

std::string source_of(const SuiteContext& ctx, const YAML::Mark& mark) {
  return ctx.file + ":" + std::to_string(mark.is_null() ? 1 : mark.line + 1);
}

}  // namespace

std::vector<std::string> where_names(const conventions::Convention& convention) {
  std::vector<std::string> names;
  for (const auto& k : convention.keys()) {
    names.push_back(k.name);
    for (const auto& c : k.components) names.push_back(k.name + "_" + c);
  }
  for (const char* d : kDerivedNames) names.emplace_back(d);
  for (const auto& [key, value] : problem_keys(Problem{})) names.push_back(key);
  return names;
}

Case build_case(const CaseDraft& draft, const SuiteContext& ctx, ExprEnv* env) {
  const conventions::Convention& conv = *draft.convention;
  ParamSet params(&conv.keys());
  Case c;
  c.name = draft.name;
  c.source = source_of(ctx, draft.mark);
  c.golden = draft.golden;
  c.origin["convention"] = std::string(conv.name());
  c.fill = FillSpec{FillKind::uniform, ctx.seed};
  c.directions.assign(std::begin(kAllDirections), std::end(kAllDirections));

  const Setting* fill = nullptr;
  for (const auto& [key, s] : draft.settings) {
    if (key == "directions") {
      c.directions = s.directions;
    } else if (key == "fill") {
      c.fill = s.fill;
      fill = &s;
    } else {
      params.set(key, s.param);
      c.origin[key] = s.param.written;
    }
  }

  const bool golden_inputs = draft.golden.any();
  if (golden_inputs && fill && fill->fill.kind != FillKind::golden)
    fail(ctx.file, fill->param.mark, fill->param.path, "this case reads its inputs from golden files: leave `fill` out or set it to golden");
  if (!golden_inputs && c.fill.kind == FillKind::golden)
    fail(ctx.file, fill ? fill->param.mark : draft.mark, fill ? fill->param.path : draft.path,
         "fill golden needs golden inputs (x, weight, dy: .npy paths)");
  if (golden_inputs) c.fill.kind = FillKind::golden;

  conventions::Translation t = conv.translate(params);
  if (!t.error.empty()) {
    const conventions::Param* at = params.find(t.error_key);
    fail(ctx.file, at ? at->mark : draft.mark, at ? at->path : draft.path + "." + t.error_key, t.error);
  }
  c.problem = t.problem;
  c.convention_rule = t.rule;
  if (!draft.golden.bias.empty()) c.problem.bias = true;
  c.invalid_reason = t.invalid_reason;
  c.unsupported_reason = t.unsupported_reason;
  if (c.invalid_reason.empty() && c.unsupported_reason.empty()) {
    const Status v = validate(c.problem);
    if (!v.ok()) c.invalid_reason = std::string(to_string(invalid_reason(c.problem))) + ": " + v.message;
  }
  if (env) *env = make_env(params, c.problem, c.fill);
  return c;
}

}  // namespace tconv::suite
