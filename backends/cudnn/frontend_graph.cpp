#include "backends/cudnn/frontend_graph.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include <cudnn_frontend.h>

#include "backends/cudnn/check.h"

namespace tconv::cudnn {

namespace fe = cudnn_frontend;

namespace {

fe::DataType_t fe_type(DType t) {
  switch (t) {
    case DType::f64: return fe::DataType_t::DOUBLE;
    case DType::f16: return fe::DataType_t::HALF;
    case DType::bf16: return fe::DataType_t::BFLOAT16;
    default: return fe::DataType_t::FLOAT;
  }
}

std::vector<std::int64_t> vec(const std::array<std::int64_t, 4>& a) { return {a[0], a[1], a[2], a[3]}; }
std::vector<std::int64_t> vec(const std::array<std::int64_t, 2>& a) { return {a[0], a[1]}; }

// A frontend error as a Status: what failed, the frontend's words, cuDNN's last error text.
// Graphs or configs cuDNN does not implement are `unsupported` (a row, not a failure).
Status fe_failure(fe::error_t e, const std::string& what, const std::string& graph) {
  const fe::error_code_t c = e.get_code();
  const bool unsupported = c == fe::error_code_t::GRAPH_NOT_SUPPORTED ||
                           c == fe::error_code_t::GRAPH_EXECUTION_PLAN_CREATION_FAILED ||
                           c == fe::error_code_t::HEURISTIC_QUERY_FAILED;
  std::string m = what + ": " + e.get_message();
  std::array<char, 512> last{};
  cudnnGetLastErrorString(last.data(), last.size());
  if (last[0] != '\0') m += "; cuDNN says: " + std::string(last.data());
  m += "; graph: " + graph;
  return Status::Error(unsupported ? StatusCode::unsupported : StatusCode::error, std::move(m));
}

// The convolution's attributes, the same for the three nodes.
template <class Attributes>
Attributes conv_attributes(const GraphPlan& p, const char* name, fe::DataType_t compute) {
  Attributes a;
  a.set_name(name);
  a.set_pre_padding(vec(p.pre_padding)).set_post_padding(vec(p.post_padding));
  a.set_stride(vec(p.stride)).set_dilation(vec(p.dilation)).set_compute_data_type(compute);
  return a;
}

}  // namespace

const char* to_string(HeuristicsMode m) {
  switch (m) {
    case HeuristicsMode::a: return "heuristics A";
    case HeuristicsMode::b: return "heuristics B";
    case HeuristicsMode::fallback: return "fallback";
  }
  return "?";
}

// An H200 (sm_90, 132 SMs) as cudaGetDeviceProperties describes it; the keys are those
// cuDNN 9.19 reads from CUDNN_ATTR_DEVICEPROP_JSON_REPRESENTATION.
const char* sm90_device_properties_json() {
  return R"({"deviceName":"NVIDIA H200","cudaDeviceId":0,"deviceVer":900,"driverVer":13000,)"
         R"("isTccDriver":0,"l2CacheSize":62914560,"maxBlockSize":[1024,1024,64],"maxCtasPerSM":32,)"
         R"("maxGridSize":[2147483647,65535,65535],"maxRegistersPerSM":65536,"maxSharedMemoryPerBlock":49152,)"
         R"("maxSharedMemoryPerBlockOptin":232448,"maxThreadsPerBlock":1024,"maxThreadsPerSM":2048,)"
         R"("memClockRateKHz":3201000,"multiProcessorCount":132,"pciDeviceId":0,"regsPerBlock":65536,)"
         R"("reservedSharedMemoryPerBlock":1024,"smClockRateKHz":1980000,"supportCoopLaunch":1,)"
         R"("totalGlobalMem":150754820096,"warpSize":32})";
}

// The frontend keeps each config's numerical notes (FFT, WINOGRAD, TENSOR_CORE, ...) in a
// protected member and has no public accessor for them; a derived graph reads them.
class NotedGraph : public fe::graph::Graph {
 public:
  std::vector<fe::NumericalNote_t> numerical_notes(std::int64_t i) const {
    if (i < 0 || i >= static_cast<std::int64_t>(plans.numeric_notes.size())) return {};
    return plans.numeric_notes[static_cast<std::size_t>(i)];
  }
};

struct FrontendGraph::Impl {
  GraphPlan plan;
  GraphOptions options;
  NotedGraph graph;
  std::shared_ptr<fe::DeviceProperties> device;  // deviceless target only
  std::vector<std::int64_t> engines;             // per config, after heuristics / pinned
  std::vector<std::vector<KnobChoice>> knobs;    // per config, sorted by knob type
  std::vector<bool> deterministic;

  Status check(fe::error_t e, const std::string& what) const {
    if (e.is_good()) return Status::Ok();
    return fe_failure(e, what, cudnn::describe(plan));
  }
};

FrontendGraph::FrontendGraph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FrontendGraph::~FrontendGraph() = default;

Status FrontendGraph::create(const ConvPlan& conv, const GraphOptions& options, std::unique_ptr<FrontendGraph>* out) {
  auto impl = std::make_unique<Impl>();
  impl->plan = make_graph_plan(conv);
  impl->options = options;
  impl->options.fused_bias = options.fused_bias && conv.bias && conv.op == ConvOp::backward_data;
  const GraphPlan& p = impl->plan;
  fe::graph::Graph& g = impl->graph;
  const fe::DataType_t compute = fe_type(p.compute);
  g.set_io_data_type(fe_type(p.dtype)).set_compute_data_type(compute).set_intermediate_data_type(compute);

  auto tensor = [&](const char* name, const GraphTensor& t) {
    return g.tensor(fe::graph::Tensor_attributes()
                        .set_name(name)
                        .set_uid(t.uid)
                        .set_dim(vec(t.dims))
                        .set_stride(vec(t.strides))
                        .set_data_type(fe_type(p.dtype)));
  };
  auto finish = [&](const std::shared_ptr<fe::graph::Tensor_attributes>& t, const GraphTensor& like) {
    t->set_output(true).set_uid(like.uid).set_dim(vec(like.dims)).set_stride(vec(like.strides)).set_data_type(
        fe_type(p.dtype));
  };
  switch (p.op) {
    case ConvOp::backward_data: {  // tconv fwd: DX (large) = dgrad(DY = x (small), W)
      auto w = tensor("W", p.w);
      auto dy = tensor("DY", p.y);
      auto dx = g.conv_dgrad(dy, w,
                             conv_attributes<fe::graph::Conv_dgrad_attributes>(p, "dgrad", compute));
      if (impl->options.fused_bias) {
        // dgrad in the compute type (virtual), + bias [1, C, 1, 1], one rounding to the output.
        dx->set_dim(vec(p.x.dims)).set_stride(vec(p.x.strides)).set_data_type(compute);
        const bool nhwc = p.x.strides[1] == 1 && p.x.dims[1] > 1;
        const std::array<std::int64_t, 4> bdims{1, p.x.dims[1], 1, 1};
        GraphTensor b{kBiasUid, bdims, dense_strides(bdims, nhwc)};
        auto bias = tensor("B", b);
        auto y = g.pointwise(dx, bias,
                             fe::graph::Pointwise_attributes()
                                 .set_name("bias")
                                 .set_mode(fe::PointwiseMode_t::ADD)
                                 .set_compute_data_type(compute));
        finish(y, p.x);
      } else {
        finish(dx, p.x);
      }
      break;
    }
    case ConvOp::forward: {  // tconv bwd_data: Y (small) = fprop(X = dy (large), W)
      auto w = tensor("W", p.w);
      auto x = tensor("X", p.x);
      auto y = g.conv_fprop(x, w,
                            conv_attributes<fe::graph::Conv_fprop_attributes>(p, "fprop", compute));
      finish(y, p.y);
      break;
    }
    case ConvOp::backward_filter: {  // tconv bwd_weights: DW = wgrad(DY = x (small), X = dy (large))
      auto x = tensor("X", p.x);
      auto dy = tensor("DY", p.y);
      auto dw = g.conv_wgrad(dy, x,
                             conv_attributes<fe::graph::Conv_wgrad_attributes>(p, "wgrad", compute));
      finish(dw, p.w);
      break;
    }
    case ConvOp::bias_reduction:
      return Status::Error(StatusCode::invalid, "the bias reduction has no cuDNN graph");
  }
  TCONV_RETURN_IF_ERROR(impl->check(g.validate(), "cudnn-frontend validate()"));
  out->reset(new FrontendGraph(std::move(impl)));
  return Status::Ok();
}

Status FrontendGraph::lower(cudnnHandle_t handle) {
  return impl_->check(impl_->graph.build_operation_graph(handle), "build_operation_graph(handle)");
}

Status FrontendGraph::lower_deviceless_sm90() {
  const std::string json = sm90_device_properties_json();
  impl_->device = std::make_shared<fe::DeviceProperties>();
  TCONV_RETURN_IF_ERROR(impl_->check(impl_->device->deserialize(std::vector<std::uint8_t>(json.begin(), json.end())),
                                     "DeviceProperties::deserialize(sm_90)"));
  impl_->graph.set_device_properties(impl_->device).set_sm_version(90).set_sm_count(132);
  return impl_->check(impl_->graph.build_operation_graph(), "build_operation_graph() for sm_90 without a device");
}

namespace {

// Never DOWN_CONVERT_INPUTS or REDUCED_PRECISION_REDUCTION; no TENSOR_CORE for strict f32 (TF32).
std::vector<fe::NumericalNote_t> refused_notes(const GraphPlan& p, const GraphOptions& o) {
  std::vector<fe::NumericalNote_t> notes{fe::NumericalNote_t::DOWN_CONVERT_INPUTS,
                                         fe::NumericalNote_t::REDUCED_PRECISION_REDUCTION};
  if (p.dtype == DType::f32 && !o.tf32) notes.push_back(fe::NumericalNote_t::TENSOR_CORE);
  if (o.deterministic_only) notes.push_back(fe::NumericalNote_t::NONDETERMINISTIC);
  return notes;
}

const char* note_name(fe::NumericalNote_t n) {
  switch (n) {
    case fe::NumericalNote_t::NOT_SET: return "";
    case fe::NumericalNote_t::TENSOR_CORE: return "TENSOR_CORE";
    case fe::NumericalNote_t::DOWN_CONVERT_INPUTS: return "DOWN_CONVERT_INPUTS";
    case fe::NumericalNote_t::REDUCED_PRECISION_REDUCTION: return "REDUCED_PRECISION_REDUCTION";
    case fe::NumericalNote_t::FFT: return "FFT";
    case fe::NumericalNote_t::NONDETERMINISTIC: return "NONDETERMINISTIC";
    case fe::NumericalNote_t::WINOGRAD: return "WINOGRAD";
    case fe::NumericalNote_t::WINOGRAD_TILE_4x4: return "WINOGRAD_TILE_4x4";
    case fe::NumericalNote_t::WINOGRAD_TILE_6x6: return "WINOGRAD_TILE_6x6";
    case fe::NumericalNote_t::WINOGRAD_TILE_13x13: return "WINOGRAD_TILE_13x13";
    case fe::NumericalNote_t::STRICT_NAN_PROP: return "STRICT_NAN_PROP";
  }
  return "UNKNOWN_NOTE";
}

}  // namespace

std::string refused_notes_text(const GraphPlan& plan, const GraphOptions& options) {
  std::string text;
  for (fe::NumericalNote_t n : refused_notes(plan, options)) text += (text.empty() ? "" : ", ") + std::string(note_name(n));
  return text;
}

Status FrontendGraph::heuristics(const std::vector<HeuristicsMode>& modes) {
  std::vector<fe::HeurMode_t> m;
  std::string names;
  for (HeuristicsMode mode : modes) {
    m.push_back(mode == HeuristicsMode::a   ? fe::HeurMode_t::A
                : mode == HeuristicsMode::b ? fe::HeurMode_t::B
                                            : fe::HeurMode_t::FALLBACK);
    names += (names.empty() ? "" : ", ") + std::string(to_string(mode));
  }
  fe::graph::Graph& g = impl_->graph;
  TCONV_RETURN_IF_ERROR(impl_->check(g.create_execution_plans(m), "create_execution_plans(" + names + ")"));
  g.deselect_numeric_notes(refused_notes(impl_->plan, impl_->options));
  // check_support fails only when no config is left; the survivors are found by build().
  (void)g.check_support();
  const std::int64_t n = g.get_execution_plan_count();
  impl_->engines.assign(static_cast<std::size_t>(n), -1);
  impl_->knobs.assign(static_cast<std::size_t>(n), {});
  for (std::int64_t i = 0; i < n; ++i) {
    std::unordered_map<fe::KnobType_t, std::int64_t> knobs;
    std::int64_t engine = -1;
    if (!g.get_engine_and_knobs_at_index(i, engine, knobs).is_good()) continue;
    impl_->engines[static_cast<std::size_t>(i)] = engine;
    auto& choices = impl_->knobs[static_cast<std::size_t>(i)];
    for (const auto& [type, choice] : knobs) choices.emplace_back(static_cast<std::int64_t>(type), choice);
    std::sort(choices.begin(), choices.end());
  }
  return Status::Ok();
}

Status FrontendGraph::pinned(std::int64_t engine, const std::vector<KnobChoice>& knobs) {
  std::unordered_map<fe::KnobType_t, std::int64_t> k;
  for (const KnobChoice& c : knobs) k[static_cast<fe::KnobType_t>(c.first)] = c.second;
  fe::graph::Graph& g = impl_->graph;
  TCONV_RETURN_IF_ERROR(impl_->check(g.create_execution_plan(engine, k),
                                     "engine " + std::to_string(engine) + " does not implement this graph"));
  // A pinned engine is what the user asked for: only the numerics rules apply (no determinism).
  GraphOptions o = impl_->options;
  o.deterministic_only = false;
  g.deselect_numeric_notes(refused_notes(impl_->plan, o));
  impl_->engines.assign(static_cast<std::size_t>(g.get_execution_plan_count()), engine);
  std::vector<KnobChoice> sorted = knobs;
  std::sort(sorted.begin(), sorted.end());
  impl_->knobs.assign(impl_->engines.size(), sorted);
  return Status::Ok();
}

std::int64_t FrontendGraph::config_count() const { return impl_->graph.get_execution_plan_count(); }

std::string FrontendGraph::config_name(std::int64_t i) const {
  std::string name;
  if (!impl_->graph.get_plan_name_at_index(i, name).is_good()) return "config " + std::to_string(i);
  return name;
}

std::int64_t FrontendGraph::engine_of(std::int64_t i) const {
  return i >= 0 && i < static_cast<std::int64_t>(impl_->engines.size()) ? impl_->engines[static_cast<std::size_t>(i)]
                                                                         : -1;
}

std::vector<std::string> FrontendGraph::numerical_notes(std::int64_t i) const {
  std::vector<std::string> names;
  for (fe::NumericalNote_t n : impl_->graph.numerical_notes(i))
    if (const std::string name = note_name(n); !name.empty() &&
        std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  return names;
}

std::vector<KnobChoice> FrontendGraph::knobs_of(std::int64_t i) const {
  return i >= 0 && i < static_cast<std::int64_t>(impl_->knobs.size()) ? impl_->knobs[static_cast<std::size_t>(i)]
                                                                       : std::vector<KnobChoice>{};
}

bool FrontendGraph::deterministic(std::int64_t) const { return impl_->options.deterministic_only; }

Status FrontendGraph::build(std::int64_t i) {
  return impl_->check(impl_->graph.build_plan_at_index(i), "build_plan_at_index(" + std::to_string(i) + ") " +
                                                               config_name(i));
}

std::size_t FrontendGraph::workspace(std::int64_t i) const {
  std::int64_t bytes = 0;
  if (!impl_->graph.get_workspace_size_plan_at_index(i, bytes).is_good()) return 0;
  return static_cast<std::size_t>(bytes);
}

Status FrontendGraph::execute(cudnnHandle_t handle, std::int64_t i, const ConvPointers& p, void* bias) const {
  std::unordered_map<std::int64_t, void*> pack{{kLargeUid, p.large}, {kFilterUid, p.filter}, {kSmallUid, p.small}};
  if (impl_->options.fused_bias && bias != nullptr) pack[kBiasUid] = bias;
  return impl_->check(impl_->graph.execute_plan_at_index(handle, pack, p.workspace, i),
                      "execute " + config_name(i));
}

const GraphPlan& FrontendGraph::plan() const { return impl_->plan; }
bool FrontendGraph::fused_bias() const { return impl_->options.fused_bias; }
std::string FrontendGraph::describe() const { return cudnn::describe(impl_->plan); }

}  // namespace tconv::cudnn
