#include "backends/cudnn/algorithms.h"

#include <cudnn.h>

namespace tconv::cudnn {

namespace {

constexpr AlgoInfo kAlgorithms[] = {
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_0, "BWD_DATA_ALGO_0", false},
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, "BWD_DATA_ALGO_1", true},
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT, "BWD_DATA_ALGO_FFT", true},
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT_TILING, "BWD_DATA_ALGO_FFT_TILING", true},
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD, "BWD_DATA_ALGO_WINOGRAD", true},
    {ConvOp::backward_data, CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD_NONFUSED, "BWD_DATA_ALGO_WINOGRAD_NONFUSED", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, "FWD_ALGO_IMPLICIT_GEMM", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, "FWD_ALGO_IMPLICIT_PRECOMP_GEMM", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_GEMM, "FWD_ALGO_GEMM", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_DIRECT, "FWD_ALGO_DIRECT", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_FFT, "FWD_ALGO_FFT", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING, "FWD_ALGO_FFT_TILING", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD, "FWD_ALGO_WINOGRAD", true},
    {ConvOp::forward, CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED, "FWD_ALGO_WINOGRAD_NONFUSED", true},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0, "BWD_FILTER_ALGO_0", false},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, "BWD_FILTER_ALGO_1", true},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT, "BWD_FILTER_ALGO_FFT", true},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_3, "BWD_FILTER_ALGO_3", false},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD_NONFUSED, "BWD_FILTER_ALGO_WINOGRAD_NONFUSED", true},
    {ConvOp::backward_filter, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT_TILING, "BWD_FILTER_ALGO_FFT_TILING", true},
};

constexpr std::string_view kAlgoPrefix = "algo=";
constexpr std::string_view kTf32Suffix = "+tf32";

}  // namespace

std::span<const AlgoInfo> all_algorithms() { return kAlgorithms; }

const AlgoInfo* find_algorithm(std::string_view name) {
  for (const AlgoInfo& a : kAlgorithms)
    if (name == a.name) return &a;
  return nullptr;
}

namespace {

constexpr std::string_view kEnginePrefix = "graph:engine=";

// A non-negative decimal engine index, nothing else ("3", not "+3", "03x" or "").
std::optional<std::int64_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace

std::optional<Variant> parse_variant(std::string_view name, std::string* error) {
  Variant v;
  v.name = std::string(name);
  if (name == "default") return v;
  if (name == "tf32") {
    v.tf32 = true;
    return v;
  }
  std::string_view rest = name;
  if (rest.ends_with(kTf32Suffix)) {
    v.tf32 = true;
    rest.remove_suffix(kTf32Suffix.size());
  }
  if (rest == "find") {
    v.find = true;
    return v;
  }
  if (rest == "graph" || rest == "graph:fallback") {
    v.graph = rest == "graph" ? GraphSelection::heuristics : GraphSelection::fallback;
    return v;
  }
  if (rest.starts_with(kEnginePrefix)) {
    if (std::optional<std::int64_t> k = parse_index(rest.substr(kEnginePrefix.size()))) {
      v.graph = GraphSelection::engine;
      v.engine = *k;
      return v;
    }
  }
  if (rest.starts_with(kAlgoPrefix)) {
    rest.remove_prefix(kAlgoPrefix.size());
    if ((v.algo = find_algorithm(rest)) != nullptr) return v;
  }
  if (error)
    *error = "cudnn has no variant '" + std::string(name) +
             "': use default, tf32, find, graph, graph:fallback, graph:engine=<K> (K a global engine index), "
             "or algo=<NAME> with NAME one of BWD_DATA_ALGO_*, FWD_ALGO_*, BWD_FILTER_ALGO_*; append +tf32 to any "
             "but default (tconv list-backends lists them)";
  return std::nullopt;
}

std::vector<std::string> variant_names() {
  std::vector<std::string> names{"default", "tf32"};
  for (const AlgoInfo& a : kAlgorithms) names.push_back(std::string(kAlgoPrefix) + a.name);
  for (const char* n : {"find", "find+tf32", "graph", "graph+tf32", "graph:fallback"}) names.emplace_back(n);
  return names;
}

Direction direction_served_by(ConvOp op) {
  switch (op) {
    case ConvOp::backward_data: return Direction::fwd;
    case ConvOp::forward: return Direction::bwd_data;
    case ConvOp::backward_filter: return Direction::bwd_weights;
    case ConvOp::bias_reduction: return Direction::bwd_bias;
  }
  return Direction::bwd_bias;
}

}  // namespace tconv::cudnn
