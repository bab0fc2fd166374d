// The cuDNN graph API through NVIDIA's cudnn-frontend (header-only; only frontend_graph.cpp
// includes it): the operation graph of one GraphPlan (conv dgrad for fwd, conv fprop for
// bwd_data, conv wgrad for bwd_weights; for fwd with bias optionally a fused pointwise add),
// lowered for a target device, engine configs from heuristics mode A / B / the fallback list
// or one engine with its knobs, check_support, plan building and execution with a variant
// pack.
//
// The target is the real device (its cuDNN handle: the plans carry its SM version and count)
// or, without a GPU, explicit device properties of an sm_90 part (H200), so that heuristics
// and plan building are tested on the CPU. A graph lowered without either has "smVersion":0:
// that was the hand-written graph's bug (issue 16).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cudnn.h>

#include "backends/cudnn/conv_call.h"
#include "backends/cudnn/graph_plan.h"

namespace tconv::cudnn {

enum class HeuristicsMode : std::uint8_t { a, b, fallback };
const char* to_string(HeuristicsMode m);  // "heuristics A", "heuristics B", "fallback"

struct GraphOptions {
  bool tf32 = false;             // f32 data may use tensor cores (TF32); never otherwise
  bool deterministic_only = true;  // drop engines with CUDNN_NUMERICAL_NOTE_NONDETERMINISTIC
  bool fused_bias = false;       // fwd with bias: conv + pointwise add in one graph
};

// Bias tensor uid of the fused graph (the conv's own uids are in graph_plan.h).
inline constexpr std::int64_t kBiasUid = 4;

// A knob of an engine: the frontend's KnobType_t value and the choice.
using KnobChoice = std::pair<std::int64_t, std::int64_t>;

class FrontendGraph {
 public:
  ~FrontendGraph();
  FrontendGraph(const FrontendGraph&) = delete;
  FrontendGraph& operator=(const FrontendGraph&) = delete;

  // Builds the graph and validates it (no GPU, no handle: cuDNN's frontend checks shapes,
  // strides, padding, groups on the CPU). Precondition: plan.op is a convolution.
  static Status create(const ConvPlan& plan, const GraphOptions& options, std::unique_ptr<FrontendGraph>* out);

  // Lowers to cuDNN's backend operation graph for the device of `handle`.
  Status lower(cudnnHandle_t handle);
  // Lowers for an sm_90 H200 without a device (cuDNN >= 9.8 device properties from JSON).
  Status lower_deviceless_sm90();

  // Engine configs of the heuristics modes, in order (numerics filters applied, check_support
  // run; filtered configs stay listed and fail in build()).
  Status heuristics(const std::vector<HeuristicsMode>& modes);
  // One engine with the given knobs (default for knobs not given).
  Status pinned(std::int64_t engine, const std::vector<KnobChoice>& knobs);

  std::int64_t config_count() const;
  // "eng0_k2=1_k3=0": the frontend's name of the engine config (engine and knob choices).
  std::string config_name(std::int64_t i) const;
  // Engine global index of config i (-1 when unknown) and its knob choices.
  std::int64_t engine_of(std::int64_t i) const;
  std::vector<KnobChoice> knobs_of(std::int64_t i) const;
  // cuDNN's numerical notes of config i, by name: "TENSOR_CORE", "FFT", "WINOGRAD_TILE_4x4", ...
  std::vector<std::string> numerical_notes(std::int64_t i) const;
  bool deterministic(std::int64_t i) const;
  // Builds config i's execution plan; an error when it was filtered out or does not build.
  Status build(std::int64_t i);
  std::size_t workspace(std::int64_t i) const;  // of a built plan
  // Runs plan i on the handle's stream. Pointers in the plan's roles (large = X/DX, small =
  // Y/DY, filter = W/DW), bias only for the fused graph.
  Status execute(cudnnHandle_t handle, std::int64_t i, const ConvPointers& p, void* bias) const;

  const GraphPlan& plan() const;
  bool fused_bias() const;
  std::string describe() const;  // the GraphPlan's values, for messages

 private:
  struct Impl;
  explicit FrontendGraph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The numerical notes whose configs are deselected for a graph with these options, as text:
// "DOWN_CONVERT_INPUTS, REDUCED_PRECISION_REDUCTION, TENSOR_CORE, ...".
std::string refused_notes_text(const GraphPlan& plan, const GraphOptions& options);

// The sm_90 device properties used deviceless (JSON of CUDNN_ATTR_DEVICEPROP_JSON_REPRESENTATION).
const char* sm90_device_properties_json();

}  // namespace tconv::cudnn
