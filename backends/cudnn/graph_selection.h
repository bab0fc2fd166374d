// Which engine configuration a graph variant runs (graph_api.h for the calls):
//   graph           heuristics mode A in cuDNN's order, then the fallback list: the first config
//                   the variant's numerics allow, deterministic, whose plan builds and whose
//                   workspace fits the limit;
//   graph:fallback  the same over the fallback list only;
//   graph:engine=K  engine K with default knobs, refused with cuDNN's reason when it does not
//                   implement the graph or the numerics forbid it (determinism not required).
// Numerics: never DOWN_CONVERT_INPUTS or REDUCED_PRECISION_REDUCTION; no TENSOR_CORE for strict
// f32 (that is the +tf32 variants' TF32).
#pragma once

#include <string>

#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/graph_api.h"

namespace tconv::cudnn {

struct GraphChoice {
  EngineConfig config;
  ExecutionPlan plan;
  std::string name;  // "engine 12 (heuristics A #0)"
};

// Host rules that need no GPU: the graph finalizes (cuDNN validates shapes, strides, padding
// and groups on the CPU) and a pinned index is below the graph's engine count. "" when fine.
std::string graph_host_refusal(const ConvPlan& plan, const Variant& v);

Status choose_graph_engine(DeviceContext& ctx, const OperationGraph& g, const Variant& v, std::size_t workspace_limit,
                           GraphChoice* out);

}  // namespace tconv::cudnn
