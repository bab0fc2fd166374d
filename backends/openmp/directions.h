// The four directions of the OpenMP backend (one file each), on operands already checked by
// check_operands. Each returns a Status and never throws except std::bad_alloc, which the
// backend turns into out_of_memory.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backends/api/backend.h"
#include "backends/openmp/gemm.h"
#include "backends/openmp/workspace.h"

namespace tconv::openmp {

struct Options {
  bool fast_paths = true;  // pixel shuffle and identity columns; off in the "general" variant
  GemmProvider gemm = GemmProvider::portable;
  int threads = 1;
  std::size_t workspace_limit = std::size_t{256} << 20;  // bytes
  // Cap on the input pixels of one chunk; 0: chunk_pixel_cap(). Independent of the thread
  // count, like every other tiling choice.
  std::int64_t max_chunk_pixels = 0;
};

// Columns of about 4 MiB per chunk (in the 32 MiB L3 with room to spare, so col2im reads them
// from cache), but at least 512 pixels, so one packing of the weights inside the GEMM is
// amortised over enough columns. Measured on the benchmark shapes (README.md).
std::int64_t chunk_pixel_cap(const Problem& p, const Options& o);

Status forward(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);
Status backward_data(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);
Status backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);
Status backward_bias(const Problem& p, const Operands& ops, const Options& o);

// bwd_data NCHW f32 without columns (backward_data_direct.cpp): dy split into its stride
// phases, then an AVX-512 kernel over the shifted phase planes. Where the CPU has AVX-512, the
// padded rows waste little and its buffers fit the workspace limit.
bool use_direct_backward_data(const Problem& p, const Options& o);
Status direct_backward_data(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);

// bwd_weights f32 without columns (backward_weights_direct.cpp): x and the stride phases
// of dy, AVX-512 kernels that read them directly. Where C_in/g <= 64, the CPU has AVX-512,
// the padded rows waste little and its buffers fit the workspace limit.
bool use_direct_backward_weights(const Problem& p, const Options& o);
Status direct_backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);
// Its pixel-major form (backward_weights_pixel_major.cpp), NCHW and NHWC with C_in/g a
// multiple of 16: dy's phases and x with the channels innermost, an outer-product kernel.
bool pixel_major_backward_weights_fits(const Problem& p, const Options& o);
Status pixel_major_backward_weights(const Problem& p, const Operands& ops, const Options& o, Workspace& ws);

// The barrier-free path for batches of fwd and bwd_data: items of (group, images).
struct ItemPlan {
  bool use = false;
  std::int64_t images_per_item = 1, items = 0;
  std::size_t per_thread_floats = 0;  // columns (+ packed NCHW input) of one item
  int concurrency = 1;                // threads that get a buffer
};
ItemPlan plan_items(const Problem& p, const Options& o, std::size_t fixed_floats);
void forward_by_items(const Problem& p, const Operands& ops, const Options& o, const ItemPlan& plan,
                      const float* w, const float* bias, float* scratch);
// The same for bwd_data (backward_data_items.cpp): im2col and GEMM per item.
void backward_data_by_items(const Problem& p, const Operands& ops, const Options& o, const ItemPlan& plan,
                            const float* w, float* scratch);

// bwd_weights by items (backward_weights_items.cpp): per-item partial dW, summed in order.
struct WeightItems {
  ItemPlan plan;
  std::size_t partial_floats = 0;  // one dW_g per item
};
WeightItems plan_weight_items(const Problem& p, const Options& o, std::size_t fixed_floats);
// acc: NHWC dW [g][ci][tap, co]; NCHW dW^T [g][co, tap][ci].
void backward_weights_by_items(const Problem& p, const Operands& ops, const Options& o, const WeightItems& wi,
                               float* acc, float* partials, float* scratch);

// Depthwise (one input and one output channel per group), f32, fast paths on: direct loops
// (depthwise.cpp) instead of K = 1 GEMMs. The directions dispatch to these themselves.
bool use_depthwise_path(const Problem& p, const Options& o);
Status depthwise_forward(const Problem& p, const Operands& ops, const Options& o);
Status depthwise_backward_data(const Problem& p, const Operands& ops, const Options& o);
Status depthwise_backward_weights(const Problem& p, const Operands& ops, const Options& o);

// NHWC with one output channel (fast paths on): y is one plane per image, the same memory as
// in NCHW, so fwd uses NCHW's channel-major columns and kernels instead of pixel-major columns
// whose col2im moves one-float channel runs (README.md: fsrcnn NHWC fwd). x is transposed
// into the workspace per chunk (a TN GEMM), or read as a transposed operand per item (TT).
bool nhwc_as_planes(const Problem& p, const Options& o);
// The same for bwd_data / bwd_weights (f32): the NCHW paths over the same dy memory, x or dx
// transposed (nhwc_planes_gradients.cpp). The directions dispatch to it themselves.
bool nhwc_gradients_as_planes(const Problem& p, const Options& o);
Status nhwc_planes_gradient(const Problem& p, Direction d, const Operands& ops, const Options& o, Workspace& ws);

// The weight matrix layout each data layout's GEMMs use: IOHW for NCHW, IHWO for NHWC.
Layout gemm_weight_layout(const Problem& p);
// Whether the weights must be copied (converted) into gemm_weight_layout f32 first.
bool weights_need_copy(const Problem& p);

}  // namespace tconv::openmp
