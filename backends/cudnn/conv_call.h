// The three legacy cuDNN convolution calls behind one interface: descriptors of a plan,
// algorithm choice (pinned or heuristic), workspace query and the call itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backends/cudnn/algorithms.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/raii.h"

namespace tconv::cudnn {

// The math type a variant asks for: strict f32 = FMA only (no TF32), tf32 = tensor ops,
// f16/bf16 = tensor ops with f32 accumulation, f64 = default.
cudnnMathType_t requested_math(DType t, bool tf32);

struct ConvDescriptors {
  const ConvPlan* plan = nullptr;
  TensorDescriptor large, small;
  FilterDescriptor filter;
  ConvolutionDescriptor conv;
};

Status make_descriptors(const ConvPlan& plan, cudnnMathType_t math, ConvDescriptors* out);

// One successful entry of cuDNN's ranked answer for the plan's call: the heuristics
// (cudnnGet*Algorithm_v7, nothing runs) or a benchmark (cudnnFind*Algorithm, fastest first).
struct RankedAlgorithm {
  int algo = 0;
  std::size_t memory = 0;  // benchmark: workspace bytes it used
  bool deterministic = true;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};
enum class Ranking : std::uint8_t { heuristics, benchmark };
Status rank_algorithms(DeviceContext& ctx, const ConvDescriptors& d, Ranking how, std::vector<RankedAlgorithm>* out);

// "BWD_DATA_ALGO_1", or "algo N" for a value this build does not list.
std::string algorithm_name(ConvOp op, int algo);

struct ChosenAlgorithm {
  int algo = 0;
  std::string name;            // "BWD_DATA_ALGO_1"
  std::size_t workspace = 0;   // bytes
  bool deterministic = true;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};

// Pinned (variant.algo) or the first heuristic candidate that cuDNN accepts with the requested
// math and that fits workspace_limit. Sets the convolution descriptor's math type.
Status choose_algorithm(DeviceContext& ctx, ConvDescriptors& d, const Variant& variant, std::size_t workspace_limit,
                        ChosenAlgorithm* out);

// Device pointers of one call, in the plan's roles (large/small/filter).
struct ConvPointers {
  void* large = nullptr;
  void* small = nullptr;
  void* filter = nullptr;
  void* workspace = nullptr;
};

// output = conv(inputs) + beta * output (beta 0 or 1).
Status execute(DeviceContext& ctx, const ConvDescriptors& d, const ChosenAlgorithm& algo, const ConvPointers& p,
               double beta);

}  // namespace tconv::cudnn
