// Which execution plan a graph variant runs (frontend_graph.h for the graph itself):
//   default    heuristics A (INSTANT) then the fallback list, in cuDNN's order: the first
//              config the numerics allow, deterministic, that builds, fits the workspace limit
//              and (at its first execution) runs; a config that fails to execute hands over to
//              the next (PyTorch's default mode)
//   heur_b     the same with heuristics mode B; fallback: the fallback list only
//   autotune   every config of heuristics A and the fallback list that builds and fits, each
//              timed on scratch buffers (CUDA events, 1 warm-up + 3 runs, median): the fastest,
//              whatever its determinism (PyTorch's benchmark mode)
//   engine=K   engine K with the variant's knobs (default for the others)
// Numerics: never DOWN_CONVERT_INPUTS or REDUCED_PRECISION_REDUCTION; TENSOR_CORE (TF32) for
// f32 data only with +tf32.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/frontend_graph.h"

namespace tconv::cudnn {

GraphOptions graph_options(const Variant& v);

// Host rules that need no GPU: cudnn-frontend validates the graph. "" when fine.
std::string graph_host_refusal(const ConvPlan& plan, const Variant& v);

// The configs a variant tries, in order, on a lowered graph: the heuristics of its mode
// (then the fallback list for default / heur_b / autotune) or the pinned engine. Indices of
// `graph`'s configs; `sources` names where each came from ("heuristics A #0").
struct Candidates {
  std::vector<std::int64_t> order;
  std::vector<std::string> sources;
};
Status graph_candidates(FrontendGraph& graph, const Variant& v, Candidates* out);

// A graph variant's ready plan.
struct GraphChoice {
  std::shared_ptr<FrontendGraph> graph;
  Candidates candidates;
  std::size_t position = 0;    // into candidates.order: the plan that runs
  std::size_t workspace = 0;
  std::string name;            // "engine 28 (eng28_k2=4_k3=0, heuristics A #2; notes TENSOR_CORE)"
  std::string rejected;        // why earlier candidates were passed over
};

Status choose_graph_plan(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t workspace_limit,
                         GraphChoice* out);

// `tconv repro --why` for a graph variant on a lowered graph: the configs it tries, in order,
// each with its engine and knobs as the engine=K variant that pins it, whether its plan builds
// and fits `workspace_limit` (else why not), and the one the variant takes (autotune: every
// usable one is timed at run time). Builds plans; runs nothing.
std::string explain_graph_candidates(FrontendGraph& graph, const Variant& v, std::size_t workspace_limit);

// Runs the chosen plan; if it fails to execute, builds and runs the next candidate whose
// workspace fits the buffer given (the choice moves on for later calls too).
Status execute_graph_choice(DeviceContext& ctx, GraphChoice& choice, const ConvPointers& p, void* bias,
                            std::size_t workspace_bytes);

}  // namespace tconv::cudnn
