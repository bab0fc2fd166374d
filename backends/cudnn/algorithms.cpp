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

// The cudnn-frontend KnobType_t names and values (knobs.h: the values are its persisted
// contract, append-only), without the frontend-only band.
constexpr const char* kKnobNames[] = {
    "",          "SWIZZLE",     "TILE_SIZE",  "EDGE",        "MULTIPLY",   "SPLIT_K_BUF",       "TILEK",
    "STAGES",    "REDUCTION_MODE", "SPLIT_K_SLC", "IDX_MODE", "SPECFILT",   "KERNEL_CFG",        "WORKSPACE",
    "TILE_CGA_M", "TILE_CGA_N", "BLOCK_SIZE", "OCCUPANCY",   "ARRAY_SIZE_PER_THREAD", "SPLIT_COLS", "TILE_ROWS",
    "TILE_COLS", "LOAD_SIZE",   "CTA_COUNT",  "STREAM_K",    "SPLIT_P_SLC", "TILE_M",            "TILE_N",
    "WARP_SPEC_CFG", "SWAP_AB", "INPUT_TMA_ENABLE", "OUTPUT_TMA_ENABLE", "TILE_CGA"};

constexpr std::string_view kEnginePrefix = "engine=";

// A non-negative decimal, nothing else ("3", not "+3", "03x" or "").
std::optional<std::int64_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// "K" or "K,NAME=v,NAME=v" (a knob choice may be negative: some knobs take -1).
bool parse_engine(std::string_view s, Variant* v) {
  std::size_t comma = s.find(',');
  std::optional<std::int64_t> k = parse_index(s.substr(0, comma));
  if (!k) return false;
  v->engine = *k;
  while (comma != std::string_view::npos) {
    s.remove_prefix(comma + 1);
    comma = s.find(',');
    const std::string_view item = s.substr(0, comma);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return false;
    const std::int64_t type = knob_type(item.substr(0, eq));
    std::string_view value = item.substr(eq + 1);
    const bool negative = value.starts_with('-');
    if (negative) value.remove_prefix(1);
    const std::optional<std::int64_t> choice = parse_index(value);
    if (type < 0 || !choice) return false;
    v->knobs.emplace_back(type, negative ? -*choice : *choice);
  }
  return true;
}

// The older names, mapped to what they meant.
std::string_view canonical(std::string_view name) {
  if (name == "tf32") return "legacy+tf32";
  if (name == "find") return "legacy_find";
  if (name == "find+tf32") return "legacy_find+tf32";
  if (name == "graph") return "default";
  if (name == "graph+tf32") return "default+tf32";
  if (name == "graph:fallback") return "fallback";
  if (name == "graph:fallback+tf32") return "fallback+tf32";
  return name;
}

constexpr std::string_view kFusedBiasSuffix = "+fused_bias";
constexpr std::string_view kPrePostSuffix = "+pre_post";

}  // namespace

std::int64_t knob_type(std::string_view name) {
  for (std::size_t i = 1; i < std::size(kKnobNames); ++i)
    if (name == kKnobNames[i]) return static_cast<std::int64_t>(i);
  return -1;
}

const char* knob_name(std::int64_t type) {
  return type > 0 && type < static_cast<std::int64_t>(std::size(kKnobNames)) ? kKnobNames[type] : "";
}

std::optional<Variant> parse_variant(std::string_view name, std::string* error) {
  Variant v;
  v.name = std::string(name);
  std::string_view rest = name;
  if (rest.starts_with("graph:engine=")) rest.remove_prefix(std::string_view("graph:").size());
  rest = canonical(rest);
  // Suffixes in any order.
  for (int i = 0; i < 3; ++i) {
    if (rest.ends_with(kTf32Suffix) && !v.tf32) {
      v.tf32 = true;
      rest.remove_suffix(kTf32Suffix.size());
    }
    if (rest.ends_with(kFusedBiasSuffix) && !v.fused_bias) {
      v.fused_bias = true;
      rest.remove_suffix(kFusedBiasSuffix.size());
    }
    if (rest.ends_with(kPrePostSuffix) && !v.pre_post) {
      v.pre_post = true;
      rest.remove_suffix(kPrePostSuffix.size());
    }
  }
  bool known = true;
  if (rest == "default") v.graph = GraphSelection::heuristics;
  else if (rest == "autotune") v.graph = GraphSelection::autotune;
  else if (rest == "heur_b") v.graph = GraphSelection::heur_b;
  else if (rest == "fallback") v.graph = GraphSelection::fallback;
  else if (rest.starts_with(kEnginePrefix) && parse_engine(rest.substr(kEnginePrefix.size()), &v))
    v.graph = GraphSelection::engine;
  else if (rest == "legacy") {}
  else if (rest == "legacy_find") v.find = true;
  else if (rest.starts_with(kAlgoPrefix) && (v.algo = find_algorithm(rest.substr(kAlgoPrefix.size()))) != nullptr) {}
  else known = false;
  // The bias is fused, and the ends padded apart, only inside a graph.
  if (known && ((!v.fused_bias && !v.pre_post) || v.graph != GraphSelection::none)) return v;
  if (error)
    *error = "cudnn has no variant '" + std::string(name) +
             "': graph API: default, autotune, heur_b, fallback, engine=<K>[,<KNOB>=<v>...] (K a global engine "
             "index, KNOB a cudnn-frontend knob name such as TILE_SIZE); legacy API: legacy, legacy_find, "
             "algo=<NAME> with NAME one of BWD_DATA_ALGO_*, FWD_ALGO_*, BWD_FILTER_ALGO_*; append +tf32 to allow "
             "TF32, +fused_bias (graph variants) to add the bias inside the graph, +pre_post (graph variants) to pad "
             "asymmetric crops instead of staging them (tconv list-backends lists them)";
  return std::nullopt;
}

std::vector<std::string> variant_names() {
  std::vector<std::string> names;
  for (const char* g : {"default", "autotune", "heur_b", "fallback"}) {
    names.emplace_back(g);
    names.push_back(std::string(g) + "+tf32");
  }
  names.emplace_back("default+fused_bias");
  names.emplace_back("default+pre_post");
  names.emplace_back("autotune+pre_post");
  for (const char* n : {"legacy", "legacy+tf32", "legacy_find", "legacy_find+tf32"}) names.emplace_back(n);
  for (const AlgoInfo& a : kAlgorithms) names.push_back(std::string(kAlgoPrefix) + a.name);
  return names;
}

std::string engine_variant_name(std::int64_t engine, const std::vector<std::pair<std::int64_t, std::int64_t>>& knobs,
                                const Variant& like) {
  std::string name = std::string(kEnginePrefix) + std::to_string(engine);
  for (const auto& [type, choice] : knobs)
    if (*knob_name(type) != '\0') name += "," + std::string(knob_name(type)) + "=" + std::to_string(choice);
  if (like.tf32) name += kTf32Suffix;
  if (like.fused_bias) name += kFusedBiasSuffix;
  if (like.pre_post) name += kPrePostSuffix;
  return name;
}

PaddingForm padding_form(const Variant& v) {
  return v.graph != GraphSelection::none && v.pre_post ? PaddingForm::pre_post : PaddingForm::symmetric;
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
