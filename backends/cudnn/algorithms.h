// The backend's variants, enumerated statically (no GPU needed for `tconv list-backends`).
// Graph API (cudnn-frontend, frontend_graph.h), what a PyTorch user gets:
//   default            heuristics mode A (INSTANT), then the fallback list: the first
//                      deterministic config the numerics allow that builds and runs (PyTorch
//                      without benchmark mode)
//   autotune           every config of heuristics A and the fallback list that builds, timed
//                      on the device; the fastest, cached per shape (PyTorch's benchmark=True)
//   heur_b             as default with heuristics mode B
//   fallback           the fallback list only
//   engine=K[,KNOB=v]  engine of global index K with knob choices (KNOB: a cudnn-frontend
//                      KnobType_t name, e.g. engine=28,TILE_SIZE=4); accepted by name, not
//                      listed (the engines depend on the graph)
//   +fused_bias        (fwd with bias) the bias as a pointwise add inside the graph (one
//                      rounding); otherwise it is added after the convolution, as PyTorch does
//   +pre_post          crops the symmetric pad cannot take but that are >= 0 as the graph's
//                      pre / post padding instead of a staging copy (cudnn_plan.h); not the
//                      default: fewer engines implement it (deviceless sm_90 heuristics)
// Legacy convolution API (cudnnConvolution*):
//   legacy             cuDNN's heuristics (cudnnGet*Algorithm_v7)
//   legacy_find        cudnnFind*Algorithm benchmark once per problem shape, the fastest result
//                      whatever its determinism (find_selection.h)
//   algo=<ENUM>        one pinned legacy algorithm, e.g. algo=BWD_DATA_ALGO_1; it runs the one
//                      transposed direction whose cuDNN call takes that algorithm
// "+tf32" appended allows TF32 for f32 data; f32 never uses TF32 otherwise.
// Older names still accepted (not listed): tf32 = legacy+tf32, find = legacy_find,
// graph = default, graph:fallback = fallback, graph:engine=K = engine=K.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/problem.h"
#include "backends/cudnn/cudnn_plan.h"

namespace tconv::cudnn {

struct AlgoInfo {
  ConvOp op = ConvOp::backward_data;
  int value = 0;             // the cudnnConvolution*Algo_t value
  const char* name = "";     // enum name without CUDNN_CONVOLUTION_: "BWD_DATA_ALGO_1"
  bool deterministic = true; // from cuDNN's documentation; re-checked on the GPU by running twice
};

// Every implemented legacy algorithm (BWD_FILTER_ALGO_WINOGRAD is "not implemented": left out).
std::span<const AlgoInfo> all_algorithms();
const AlgoInfo* find_algorithm(std::string_view name);

// How a graph variant picks its engine configuration (none: a legacy-API variant).
enum class GraphSelection : std::uint8_t { none, heuristics, heur_b, fallback, engine, autotune };

struct Variant {
  std::string name;
  bool tf32 = false;
  const AlgoInfo* algo = nullptr;  // nullptr: heuristics
  bool find = false;               // legacy API, cudnnFind* benchmark selection
  GraphSelection graph = GraphSelection::none;
  std::int64_t engine = -1;        // global engine index for GraphSelection::engine
  std::vector<std::pair<std::int64_t, std::int64_t>> knobs;  // (KnobType_t value, choice)
  bool fused_bias = false;         // graph variants: bias as a pointwise add in the graph
  bool pre_post = false;           // graph variants: pre / post padding instead of staging
};

// The padding a variant plans with: pre / post apart for graph variants with +pre_post,
// symmetric (staging what it cannot take) otherwise.
PaddingForm padding_form(const Variant& v);

// The cudnn-frontend KnobType_t value of a knob name ("TILE_SIZE" -> 2), or -1.
std::int64_t knob_type(std::string_view name);
const char* knob_name(std::int64_t type);  // "TILE_SIZE", or "" when unknown

// The variant that pins engine K with these knobs (KnobType_t value, choice) on the graph of
// variant `like`: "engine=28,TILE_SIZE=4,STAGES=3" with like's suffixes (+tf32, +fused_bias,
// +pre_post); parse_variant reads it back. Knobs without a name here are left out (cuDNN then
// takes their default).
std::string engine_variant_name(std::int64_t engine, const std::vector<std::pair<std::int64_t, std::int64_t>>& knobs,
                                const Variant& like);

// nullopt with *error set for an unknown name.
std::optional<Variant> parse_variant(std::string_view name, std::string* error);
std::vector<std::string> variant_names();  // every variant but engine=K and the older names

// The transposed direction a cuDNN call serves ("fwd" for backward-data, ...).
Direction direction_served_by(ConvOp op);

}  // namespace tconv::cudnn
