#include "backends/cudnn/graph_selection.h"

#include <set>

#include "backends/cudnn/cudnn_info.h"

namespace tconv::cudnn {

namespace {

bool strict_f32(const OperationGraph& g, const Variant& v) { return g.plan.dtype == DType::f32 && !v.tf32; }

std::string engine_name(const EngineConfig& c) {
  return "engine " + std::to_string(c.notes.global_index) + " (" + c.source + ")";
}

Status plan_within(DeviceContext& ctx, const OperationGraph& g, EngineConfig cfg, std::size_t limit,
                   GraphChoice* out) {
  ExecutionPlan plan;
  TCONV_RETURN_IF_ERROR(make_execution_plan(ctx.handle, g, cfg, &plan));
  if (plan.workspace > limit)
    return Status::Error(StatusCode::unsupported, engine_name(cfg) + " needs " + std::to_string(plan.workspace) +
                                                      " bytes of workspace, over the limit of " +
                                                      std::to_string(limit));
  out->name = engine_name(cfg);
  out->config = std::move(cfg);
  out->plan = std::move(plan);
  return Status::Ok();
}

Status pinned(DeviceContext& ctx, const OperationGraph& g, const Variant& v, std::size_t limit, GraphChoice* out) {
  EngineConfig cfg;
  TCONV_RETURN_IF_ERROR(pinned_config(g, v.engine, &cfg));
  if (std::string why = engine_refusal(cfg.notes, strict_f32(g, v)); !why.empty())
    return Status::Error(StatusCode::unsupported, "engine " + std::to_string(v.engine) + " " + why);
  return plan_within(ctx, g, std::move(cfg), limit, out);
}

}  // namespace

std::string graph_host_refusal(const ConvPlan& plan, const Variant& v) {
  if (v.graph == GraphSelection::none || plan.op == ConvOp::bias_reduction) return "";
  OperationGraph g;
  if (Status s = build_operation_graph(plan, &g); !s.ok()) return "cuDNN refuses the operation graph: " + s.message;
  if (v.graph != GraphSelection::engine) return "";
  std::int64_t count = 0;
  if (Status s = engine_global_count(g, &count); !s.ok()) return s.message;
  if (v.engine >= count)
    return "engine " + std::to_string(v.engine) + " does not exist: cuDNN " + version_string() +
           " has engines 0.." + std::to_string(count - 1) + " for " + graph_operation_name(plan.op);
  return "";
}

Status choose_graph_engine(DeviceContext& ctx, const OperationGraph& g, const Variant& v, std::size_t limit,
                           GraphChoice* out) {
  if (v.graph == GraphSelection::engine) return pinned(ctx, g, v, limit, out);
  std::vector<EngineConfig> configs;
  std::string rejected;
  // A heuristics query that fails leaves the fallback list to try; its reason is kept.
  if (v.graph == GraphSelection::heuristics) {
    if (Status s = heuristic_configs(g, CUDNN_HEUR_MODE_A, &configs); !s.ok())
      rejected += "; heuristics A: " + s.message;
  }
  TCONV_RETURN_IF_ERROR(heuristic_configs(g, CUDNN_HEUR_MODE_FALLBACK, &configs));
  std::set<std::int64_t> tried;
  for (EngineConfig& c : configs) {
    const std::string name = engine_name(c);
    if (!tried.insert(c.notes.global_index).second) continue;  // the fallback list repeats ranked engines
    std::string why = engine_refusal(c.notes, strict_f32(g, v));
    if (why.empty() && c.notes.nondeterministic) why = "nondeterministic";
    if (!why.empty()) {
      rejected += "; " + name + ": " + why;
      continue;
    }
    Status s = plan_within(ctx, g, std::move(c), limit, out);
    if (s.ok()) return s;
    rejected += "; " + name + ": " + s.message.substr(0, s.message.find(';'));
  }
  return Status::Error(StatusCode::unsupported, "no cuDNN graph engine config fits: " +
                                                    std::to_string(configs.size()) + " configs" +
                                                    (rejected.empty() ? " (none returned)" : rejected) +
                                                    "; graph: " + describe(g.plan));
}

}  // namespace tconv::cudnn
