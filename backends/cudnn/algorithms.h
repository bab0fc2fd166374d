// The backend's variants, enumerated statically (no GPU needed for `tconv list-backends`):
//   default            cuDNN's heuristics (cudnnGet*Algorithm_v7), strict f32 (FMA math)
//   tf32               the same with TF32 tensor-op math allowed (f32 data only)
//   algo=<ENUM>        one pinned legacy algorithm, e.g. algo=BWD_DATA_ALGO_1 (the suffix of
//                      CUDNN_CONVOLUTION_BWD_DATA_ALGO_1); it runs the one transposed direction
//                      whose cuDNN call takes that algorithm; "+tf32" appended allows TF32.
//   find[+tf32]        legacy API, cudnnFind*Algorithm benchmark once per problem shape, fastest
//                      result whatever its determinism (find_selection.h)
//   graph[+tf32]       graph API (backend descriptors): first engine config of the heuristics
//                      (mode A), then of the fallback list, that builds and fits (graph_api.h)
//   graph:fallback     graph API, the fallback list only
//   graph:engine=K     graph API, engine of global index K with default knobs; accepted by
//                      name (not listed: the count depends on the operation graph)
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

// How a graph variant picks its engine configuration.
enum class GraphSelection : std::uint8_t { none, heuristics, fallback, engine };

struct Variant {
  std::string name;
  bool tf32 = false;
  const AlgoInfo* algo = nullptr;  // nullptr: heuristics
  bool find = false;               // legacy API, cudnnFind* benchmark selection
  GraphSelection graph = GraphSelection::none;
  std::int64_t engine = -1;        // global engine index for GraphSelection::engine
};

// nullopt with *error set for an unknown name.
std::optional<Variant> parse_variant(std::string_view name, std::string* error);
std::vector<std::string> variant_names();  // default, tf32, every algo=..., find, graph (not graph:engine=K)

// The transposed direction a cuDNN call serves ("fwd" for backward-data, ...).
Direction direction_served_by(ConvOp op);

}  // namespace tconv::cudnn
