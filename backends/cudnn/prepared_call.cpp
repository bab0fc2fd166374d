#include "backends/cudnn/prepared_call.h"

#include <map>
#include <memory>

#include "backends/cudnn/find_selection.h"
#include "backends/cudnn/graph_selection.h"

namespace tconv::cudnn {

namespace {

Status prepare_legacy(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t limit,
                      PreparedCall* out) {
  auto descs = std::make_shared<ConvDescriptors>();
  TCONV_RETURN_IF_ERROR(make_descriptors(plan, requested_math(plan.dtype, v.tf32), descs.get()));
  auto algo = std::make_shared<ChosenAlgorithm>();
  if (v.find)
    TCONV_RETURN_IF_ERROR(find_fastest(ctx, *descs, v.tf32, limit, algo.get()));
  else
    TCONV_RETURN_IF_ERROR(choose_algorithm(ctx, *descs, v, limit, algo.get()));
  out->name = algo->name;
  out->workspace = algo->workspace;
  out->deterministic = algo->deterministic;
  out->bias = BiasForm::prefill;
  out->execute = [descs, algo](DeviceContext& c, const ConvPointers& p, double beta, void*) {
    return execute(c, *descs, *algo, p, beta);
  };
  return Status::Ok();
}

// Graph choices per (graph values, variant, workspace limit, device): built once per shape.
// Callers hold the device context's mutex.
std::map<std::string, std::shared_ptr<GraphChoice>>& graph_cache() {
  static std::map<std::string, std::shared_ptr<GraphChoice>> cache;
  return cache;
}

Status prepare_graph(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t limit,
                     PreparedCall* out) {
  const std::string key = describe(make_graph_plan(plan)) + (plan.bias ? " bias" : "") + " | " + v.name + " | " +
                          std::to_string(limit) + " | device " + std::to_string(ctx.device);
  std::shared_ptr<GraphChoice>& cached = graph_cache()[key];
  if (!cached) {
    auto choice = std::make_shared<GraphChoice>();
    TCONV_RETURN_IF_ERROR(choose_graph_plan(ctx, plan, v, limit, choice.get()));
    cached = std::move(choice);
  }
  std::shared_ptr<GraphChoice> choice = cached;
  const bool fused = choice->graph->fused_bias();
  out->name = choice->name + (plan.bias && plan.op == ConvOp::backward_data
                                  ? (fused ? ", bias fused" : ", bias separate")
                                  : "");
  out->workspace = choice->workspace;
  out->deterministic = graph_options(v).deterministic_only;
  out->bias = fused ? BiasForm::fused : BiasForm::separate;
  const std::size_t workspace = choice->workspace;
  out->execute = [choice, workspace](DeviceContext& c, const ConvPointers& p, double, void* bias) {
    return execute_graph_choice(c, *choice, p, bias, workspace);
  };
  return Status::Ok();
}

}  // namespace

Status prepare_call(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t limit,
                    PreparedCall* out) {
  if (v.graph != GraphSelection::none) return prepare_graph(ctx, plan, v, limit, out);
  return prepare_legacy(ctx, plan, v, limit, out);
}

}  // namespace tconv::cudnn
