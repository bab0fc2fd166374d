#include "backends/cudnn/prepared_call.h"

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
  out->execute = [descs, algo](DeviceContext& c, const ConvPointers& p, double beta) {
    return execute(c, *descs, *algo, p, beta);
  };
  return Status::Ok();
}

Status prepare_graph(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t limit,
                     PreparedCall* out) {
  auto graph = std::make_shared<OperationGraph>();
  TCONV_RETURN_IF_ERROR(build_operation_graph(plan, graph.get()));
  auto choice = std::make_shared<GraphChoice>();
  TCONV_RETURN_IF_ERROR(choose_graph_engine(ctx, *graph, v, limit, choice.get()));
  out->name = choice->name;
  out->workspace = choice->plan.workspace;
  out->deterministic = !choice->config.notes.nondeterministic;
  out->execute = [graph, choice](DeviceContext& c, const ConvPointers& p, double) {
    return execute_plan(c.handle, *graph, choice->plan, p);
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
