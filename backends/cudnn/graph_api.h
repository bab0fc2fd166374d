// The cuDNN graph API through the backend descriptor C API (cudnnBackendCreateDescriptor /
// SetAttribute / Finalize; no cudnn-frontend): the operation graph of one GraphPlan, engine
// configurations from the heuristics (mode A) and the fallback list or pinned by global
// index, execution plans and their execution. Building the operation graph needs no handle
// and no GPU (tested on the CPU); heuristics results, plans and execution need a GPU.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cudnn.h>

#include "backends/cudnn/conv_call.h"
#include "backends/cudnn/graph_plan.h"
#include "backends/cudnn/raii.h"

namespace tconv::cudnn {

using BackendDescriptor = Owned<cudnnBackendDescriptor_t, cudnnBackendDestroyDescriptor>;

// Every descriptor the graph references, kept alive together. Not movable once built (the
// operation holds the tensors' handles, which stay valid: only the owners would move).
struct OperationGraph {
  GraphPlan plan;
  const ConvPlan* conv_plan = nullptr;  // descriptor values for messages
  BackendDescriptor x, w, y, conv, op, graph;
};

// Tensors, convolution, the direction's operation and the graph, each finalized.
Status build_operation_graph(const ConvPlan& plan, OperationGraph* out);

// CUDNN_ATTR_OPERATIONGRAPH_ENGINE_GLOBAL_COUNT: engines are numbered 0..count-1.
Status engine_global_count(const OperationGraph& g, std::int64_t* count);

// What cuDNN says about an engine; decides whether a variant may use it.
struct EngineNotes {
  std::int64_t global_index = -1;
  bool tensor_core = false;        // TF32 for f32 data
  bool down_convert = false;       // computes in a narrower type than the data
  bool reduced_precision = false;  // reduces in a narrower type than f32
  bool nondeterministic = false;
};

// Why a variant refuses an engine, or "" when it may run it. strict_f32: f32 data without TF32.
std::string engine_refusal(const EngineNotes& n, bool strict_f32);

struct EngineConfig {
  BackendDescriptor cfg;
  EngineNotes notes;
  std::string source;  // "heuristics A #0", "fallback #2", "pinned"
};

// Finalized configs in the order cuDNN ranks them (needs a GPU for any result).
Status heuristic_configs(const OperationGraph& g, cudnnBackendHeurMode_t mode, std::vector<EngineConfig>* out);
// The engine of that global index with its default knobs; unsupported with cuDNN's reason
// when the engine does not implement the graph.
Status pinned_config(const OperationGraph& g, std::int64_t global_index, EngineConfig* out);

struct ExecutionPlan {
  BackendDescriptor plan;
  std::size_t workspace = 0;
};

Status make_execution_plan(cudnnHandle_t handle, const OperationGraph& g, const EngineConfig& cfg,
                           ExecutionPlan* out);

// Runs the plan on the handle's stream; pointers in the plan's roles (large = X/DX, small =
// Y/DY, filter = W/DW), workspace of at least plan.workspace bytes. alpha/beta are in the graph.
Status execute_plan(cudnnHandle_t handle, const OperationGraph& g, const ExecutionPlan& plan, const ConvPointers& p);

}  // namespace tconv::cudnn
