#include "backends/cudnn/graph_api.h"

#include <array>

namespace tconv::cudnn {

namespace {

// A failed backend call: the legacy message (status, call, file:line, descriptor values),
// then the graph's values and cuDNN's own last error text, which names the attribute or the
// engine limit that refused.
Status graph_failure(cudnnStatus_t s, const char* call, const char* file, int line, const OperationGraph* g) {
  Status st = cudnn_failure(s, call, file, line, g ? g->conv_plan : nullptr);
  if (g) st.message += "; graph: " + describe(g->plan);
  std::array<char, 512> last{};
  cudnnGetLastErrorString(last.data(), last.size());
  if (last[0] != '\0') st.message += "; cuDNN says: " + std::string(last.data());
  return st;
}

}  // namespace

#define TCONV_GRAPH_CHECK(call, graph)                                                           \
  do {                                                                                           \
    const cudnnStatus_t tconv_status_ = (call);                                                  \
    if (tconv_status_ != CUDNN_STATUS_SUCCESS)                                                   \
      return graph_failure(tconv_status_, #call, __FILE__, __LINE__, (graph));                   \
  } while (0)

namespace {

Status create(cudnnBackendDescriptorType_t type, BackendDescriptor* d, const OperationGraph* g) {
  TCONV_GRAPH_CHECK(cudnnBackendCreateDescriptor(type, d->out()), g);
  return Status::Ok();
}

template <class T>
Status set(const BackendDescriptor& d, cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type,
           std::int64_t count, const T* values, const OperationGraph* g) {
  TCONV_GRAPH_CHECK(cudnnBackendSetAttribute(d.get(), name, type, count, values), g);
  return Status::Ok();
}

Status set_descriptor(const BackendDescriptor& d, cudnnBackendAttributeName_t name, const BackendDescriptor& value,
                      const OperationGraph* g) {
  cudnnBackendDescriptor_t v = value.get();
  return set(d, name, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &v, g);
}

Status finalize(const BackendDescriptor& d, const OperationGraph* g) {
  TCONV_GRAPH_CHECK(cudnnBackendFinalize(d.get()), g);
  return Status::Ok();
}

Status make_graph_tensor(const GraphTensor& t, DType dtype, BackendDescriptor* out, const OperationGraph* g) {
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_TENSOR_DESCRIPTOR, out, g));
  const cudnnDataType_t type = cudnn_data_type(dtype);
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type, g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, t.dims.data(), g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, t.strides.data(), g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &t.uid, g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &kTensorAlignment, g));
  return finalize(*out, g);
}

Status make_graph_convolution(const GraphPlan& p, BackendDescriptor* out, const OperationGraph* g) {
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR, out, g));
  const std::int64_t dims = 2;
  const cudnnDataType_t compute = cudnn_data_type(p.compute);
  const cudnnConvolutionMode_t mode = CUDNN_CROSS_CORRELATION;
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_SPATIAL_DIMS, CUDNN_TYPE_INT64, 1, &dims, g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &compute, g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_CONV_MODE, CUDNN_TYPE_CONVOLUTION_MODE, 1, &mode, g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_PRE_PADDINGS, CUDNN_TYPE_INT64, 2, p.pre_padding.data(), g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_POST_PADDINGS, CUDNN_TYPE_INT64, 2, p.post_padding.data(), g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_DILATIONS, CUDNN_TYPE_INT64, 2, p.dilation.data(), g));
  TCONV_RETURN_IF_ERROR(set(*out, CUDNN_ATTR_CONVOLUTION_FILTER_STRIDES, CUDNN_TYPE_INT64, 2, p.stride.data(), g));
  return finalize(*out, g);
}

// The attribute names of the three tensors, alpha, beta and the conv descriptor per operation.
struct OperationAttributes {
  cudnnBackendDescriptorType_t type;
  cudnnBackendAttributeName_t x, w, y, conv, alpha, beta;
};

OperationAttributes attributes_of(ConvOp op) {
  switch (op) {
    case ConvOp::backward_data:
      return {CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DX,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_W, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DY,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_CONV_DESC, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_ALPHA,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_BETA};
    case ConvOp::backward_filter:
      return {CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_X, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DW,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DY, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_CONV_DESC,
              CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_ALPHA, CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_BETA};
    case ConvOp::forward:
    case ConvOp::bias_reduction: break;
  }
  return {CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_X,
          CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_W, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_Y,
          CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_CONV_DESC, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_ALPHA,
          CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_BETA};
}

Status set_scalar(const BackendDescriptor& d, cudnnBackendAttributeName_t name, double value, DType compute,
                  const OperationGraph* g) {
  // Scaling parameters are double for double compute, float otherwise (as in the legacy API).
  if (compute == DType::f64) return set(d, name, CUDNN_TYPE_DOUBLE, 1, &value, g);
  const float f = static_cast<float>(value);
  return set(d, name, CUDNN_TYPE_FLOAT, 1, &f, g);
}

Status read_notes(const BackendDescriptor& engine, EngineNotes* n, const OperationGraph* g) {
  std::int64_t count = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(engine.get(), CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &count,
                                             &n->global_index),
                    g);
  std::array<cudnnBackendNumericalNote_t, CUDNN_NUMERICAL_NOTE_TYPE_COUNT> notes{};
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(engine.get(), CUDNN_ATTR_ENGINE_NUMERICAL_NOTE, CUDNN_TYPE_NUMERICAL_NOTE,
                                             static_cast<std::int64_t>(notes.size()), &count, notes.data()),
                    g);
  for (std::int64_t i = 0; i < count && i < static_cast<std::int64_t>(notes.size()); ++i) {
    switch (notes[static_cast<std::size_t>(i)]) {
      case CUDNN_NUMERICAL_NOTE_TENSOR_CORE: n->tensor_core = true; break;
      case CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS: n->down_convert = true; break;
      case CUDNN_NUMERICAL_NOTE_REDUCED_PRECISION_REDUCTION: n->reduced_precision = true; break;
      case CUDNN_NUMERICAL_NOTE_NONDETERMINISTIC: n->nondeterministic = true; break;
      default: break;
    }
  }
  return Status::Ok();
}

// The notes of the engine a finalized config holds.
Status notes_of_config(const BackendDescriptor& cfg, EngineNotes* n, const OperationGraph* g) {
  BackendDescriptor engine;
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_ENGINE_DESCRIPTOR, &engine, g));
  cudnnBackendDescriptor_t e = engine.get();
  std::int64_t count = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(cfg.get(), CUDNN_ATTR_ENGINECFG_ENGINE, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1,
                                             &count, &e),
                    g);
  return read_notes(engine, n, g);
}

}  // namespace

Status build_operation_graph(const ConvPlan& plan, OperationGraph* out) {
  out->plan = make_graph_plan(plan);
  out->conv_plan = &plan;
  const GraphPlan& p = out->plan;
  const OperationGraph* g = out;
  TCONV_RETURN_IF_ERROR(make_graph_tensor(p.x, p.dtype, &out->x, g));
  TCONV_RETURN_IF_ERROR(make_graph_tensor(p.w, p.dtype, &out->w, g));
  TCONV_RETURN_IF_ERROR(make_graph_tensor(p.y, p.dtype, &out->y, g));
  TCONV_RETURN_IF_ERROR(make_graph_convolution(p, &out->conv, g));

  const OperationAttributes a = attributes_of(p.op);
  TCONV_RETURN_IF_ERROR(create(a.type, &out->op, g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->op, a.x, out->x, g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->op, a.w, out->w, g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->op, a.y, out->y, g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->op, a.conv, out->conv, g));
  TCONV_RETURN_IF_ERROR(set_scalar(out->op, a.alpha, p.alpha, p.compute, g));
  TCONV_RETURN_IF_ERROR(set_scalar(out->op, a.beta, p.beta, p.compute, g));
  TCONV_RETURN_IF_ERROR(finalize(out->op, g));

  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR, &out->graph, g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, out->op, g));
  return finalize(out->graph, g);
}

Status engine_global_count(const OperationGraph& g, std::int64_t* count) {
  std::int64_t n = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(g.graph.get(), CUDNN_ATTR_OPERATIONGRAPH_ENGINE_GLOBAL_COUNT,
                                             CUDNN_TYPE_INT64, 1, &n, count),
                    &g);
  return Status::Ok();
}

std::string engine_refusal(const EngineNotes& n, bool strict_f32) {
  if (n.down_convert) return "converts its inputs to a narrower type (CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS)";
  if (n.reduced_precision)
    return "reduces in less than f32 (CUDNN_NUMERICAL_NOTE_REDUCED_PRECISION_REDUCTION)";
  if (strict_f32 && n.tensor_core)
    return "uses tensor cores, i.e. TF32 for f32 data (CUDNN_NUMERICAL_NOTE_TENSOR_CORE): use the +tf32 variant";
  return "";
}

Status heuristic_configs(const OperationGraph& g, cudnnBackendHeurMode_t mode, std::vector<EngineConfig>* out) {
  BackendDescriptor heur;
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR, &heur, &g));
  TCONV_RETURN_IF_ERROR(set_descriptor(heur, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, g.graph, &g));
  TCONV_RETURN_IF_ERROR(set(heur, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode, &g));
  TCONV_RETURN_IF_ERROR(finalize(heur, &g));
  std::int64_t available = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
                                             0, &available, nullptr),
                    &g);
  std::vector<BackendDescriptor> owners(static_cast<std::size_t>(available));
  std::vector<cudnnBackendDescriptor_t> raw;
  for (BackendDescriptor& d : owners) {
    TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, &d, &g));
    raw.push_back(d.get());
  }
  std::int64_t returned = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
                                             available, &returned, raw.data()),
                    &g);
  const char* label = mode == CUDNN_HEUR_MODE_FALLBACK ? "fallback #" : "heuristics A #";
  for (std::int64_t i = 0; i < returned && i < available; ++i) {
    EngineConfig c;
    c.cfg = std::move(owners[static_cast<std::size_t>(i)]);
    c.source = label + std::to_string(i);
    // A config whose engine cannot be read is skipped, not fatal: the next one may run.
    if (!notes_of_config(c.cfg, &c.notes, &g).ok()) continue;
    out->push_back(std::move(c));
  }
  return Status::Ok();
}

Status pinned_config(const OperationGraph& g, std::int64_t global_index, EngineConfig* out) {
  BackendDescriptor engine;
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_ENGINE_DESCRIPTOR, &engine, &g));
  TCONV_RETURN_IF_ERROR(set_descriptor(engine, CUDNN_ATTR_ENGINE_OPERATION_GRAPH, g.graph, &g));
  TCONV_RETURN_IF_ERROR(set(engine, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &global_index, &g));
  if (Status s = finalize(engine, &g); !s.ok()) {
    s.message = "engine " + std::to_string(global_index) + " does not implement this graph: " + s.message;
    return s;
  }
  TCONV_RETURN_IF_ERROR(read_notes(engine, &out->notes, &g));
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, &out->cfg, &g));
  TCONV_RETURN_IF_ERROR(set_descriptor(out->cfg, CUDNN_ATTR_ENGINECFG_ENGINE, engine, &g));
  TCONV_RETURN_IF_ERROR(finalize(out->cfg, &g));  // default knobs
  out->source = "pinned";
  return Status::Ok();
}

Status make_execution_plan(cudnnHandle_t handle, const OperationGraph& g, const EngineConfig& cfg,
                           ExecutionPlan* out) {
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR, &out->plan, &g));
  // The handle attribute is marked deprecated in cuDNN 9 but is still how a plan learns its
  // device when no device-property descriptor is given.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  TCONV_RETURN_IF_ERROR(set(out->plan, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &handle, &g));
#pragma GCC diagnostic pop
  TCONV_RETURN_IF_ERROR(set_descriptor(out->plan, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, cfg.cfg, &g));
  TCONV_RETURN_IF_ERROR(finalize(out->plan, &g));
  std::int64_t bytes = 0, count = 0;
  TCONV_GRAPH_CHECK(cudnnBackendGetAttribute(out->plan.get(), CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE,
                                             CUDNN_TYPE_INT64, 1, &count, &bytes),
                    &g);
  out->workspace = static_cast<std::size_t>(bytes);
  return Status::Ok();
}

Status execute_plan(cudnnHandle_t handle, const OperationGraph& g, const ExecutionPlan& plan, const ConvPointers& p) {
  const std::array<std::int64_t, 3> uids{kLargeUid, kFilterUid, kSmallUid};
  std::array<void*, 3> pointers{p.large, p.filter, p.small};
  void* workspace = p.workspace;
  BackendDescriptor pack;
  TCONV_RETURN_IF_ERROR(create(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, &pack, &g));
  TCONV_RETURN_IF_ERROR(set(pack, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, 3, uids.data(), &g));
  TCONV_RETURN_IF_ERROR(set(pack, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, 3, pointers.data(), &g));
  TCONV_RETURN_IF_ERROR(set(pack, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &workspace, &g));
  TCONV_RETURN_IF_ERROR(finalize(pack, &g));
  TCONV_GRAPH_CHECK(cudnnBackendExecute(handle, plan.plan.get(), pack.get()), &g);
  return Status::Ok();
}

}  // namespace tconv::cudnn
