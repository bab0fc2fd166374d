// The cuDNN graph API (backend descriptors) form of a ConvPlan, as plain data: which backend
// operation, the three tensors with their unique ids, dims and strides, and the convolution
// descriptor's values. No cuDNN type here, so every value is tested on the CPU against the
// legacy plan it comes from (same roles, same staging geometry).
//
// The graph API names tensors in forward-convolution terms whatever the operation: X is the
// "large" side (the transposed op's y/dy, i.e. the staging buffer), W the filter [K, C, R, S],
// Y the "small" side (the transposed op's x/dx). Dims are always given in N, C, H, W order;
// the strides carry the memory format (NCHW or NHWC; KCRS or KRSC). Groups are implied by
// X's channels over W's C (no group attribute in the graph API).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "backends/cudnn/cudnn_plan.h"

namespace tconv::cudnn {

// Unique ids of the variant pack: one per role, the same in every direction.
inline constexpr std::int64_t kLargeUid = 1;   // X / DX
inline constexpr std::int64_t kFilterUid = 2;  // W / DW
inline constexpr std::int64_t kSmallUid = 3;   // Y / DY
// cudaMalloc returns 256-byte aligned pointers and every tensor starts at its buffer's start.
inline constexpr std::int64_t kTensorAlignment = 16;

struct GraphTensor {
  std::int64_t uid = 0;
  std::array<std::int64_t, 4> dims{};     // N, C, H, W (filter: K, C, R, S)
  std::array<std::int64_t, 4> strides{};  // in elements
  bool operator==(const GraphTensor&) const = default;
};

struct GraphPlan {
  ConvOp op = ConvOp::backward_data;
  DType dtype = DType::f32;
  DType compute = DType::f32;  // f32 accumulation for f32/f16/bf16, f64 for f64
  GraphTensor x, w, y;         // forward-convolution names (see above)
  std::array<std::int64_t, 2> pre_padding{}, post_padding{}, stride{}, dilation{};
  double alpha = 1.0, beta = 0.0;  // beta 1: fwd with bias accumulates into the prefilled y
};

// The backend operation descriptor type's name for the plan's op, for messages:
// "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR", ...
const char* graph_operation_name(ConvOp op);

// Dense strides of a [N, C, H, W] tensor stored NCHW, or NHWC when channels_last.
std::array<std::int64_t, 4> dense_strides(const std::array<std::int64_t, 4>& dims, bool channels_last);

// Precondition: plan.op is a convolution (not the bias reduction).
GraphPlan make_graph_plan(const ConvPlan& plan);

// One line for messages: "backward-data graph: X(uid 1) [2,4,10,10] strides [...] ...".
std::string describe(const GraphPlan& g);

}  // namespace tconv::cudnn
