// Kernel family `small_cout` (small_cout.h): fwd with C_out <= 4.
//
// CPU reference: the oracle; small_cout_test.cpp runs the thread function for every pixel.
//
// Kernel versions:
//   v1  one thread per output pixel (grid-stride), every output channel in registers.
//   v2  "lines" (small_cout_lines.h): the same pixels and sums; taps tabulated per block, pixels
//       walked without divisions, the channel's group carried, a capped grid. v1 remains for
//       outputs whose tap table does not fit.
#include "backends/cuda/small_cout.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <string>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/grid_stride.h"
#include "backends/cuda/small_cout_lines.h"

namespace tconv::cuda {

namespace {

template <class T, class Acc>
__global__ void __launch_bounds__(kSmallCoutThreads)
    small_cout_fwd_v1(ConvGeometry g, std::int64_t total, const T* x, const T* w, const T* b, T* y) {
  for_each_grid_index(total, [&](std::int64_t p) { small_cout_fwd_thread<T, Acc>(g, p, x, w, b, y); });
}

template <class T, class Acc>
__global__ void __launch_bounds__(kLinesThreads)
    small_cout_lines_v2(SmallCoutPlan p, const T* x, const T* w, const T* b, T* y) {
  extern __shared__ LineTaps table[];
  fill_tap_table(p.table, true, threadIdx.x, p.threads, table);
  __syncthreads();
  small_cout_lines_thread<T, Acc>(p, table, blockIdx.x, threadIdx.x, x, w, b, y);
}

template <class T, class Acc>
Status launch_typed(const ConvGeometry& g, const DeviceOperands& ops, cudaStream_t stream) {
  if (small_cout_lines_fit(g)) {
    const SmallCoutPlan p = plan_small_cout_lines(g, lines_max_blocks());
    small_cout_lines_v2<T, Acc><<<static_cast<unsigned>(p.blocks), p.threads, tap_table_bytes(p.table), stream>>>(
        p, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w), static_cast<const T*>(ops.b),
        static_cast<T*>(ops.y));
    TCONV_CU_CHECK_LAUNCH("small_cout_lines_v2");
    return Status::Ok();
  }
  const std::int64_t total = g.n * g.h_out * g.w_out;
  small_cout_fwd_v1<T, Acc><<<grid_blocks(total, kSmallCoutThreads), kSmallCoutThreads, 0, stream>>>(
      g, total, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w), static_cast<const T*>(ops.b),
      static_cast<T*>(ops.y));
  TCONV_CU_CHECK_LAUNCH("small_cout_fwd_v1");
  return Status::Ok();
}

}  // namespace

Status small_cout_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::fwd) return Status::Unsupported("small_cout: runs fwd only");
  if (t != DType::f32 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("small_cout: f32, f16 and bf16 only");
  if (g.c_out > kSmallCoutMax)
    return Status::Unsupported("small_cout: needs C_out <= " + std::to_string(kSmallCoutMax) +
                               " (C_out = " + std::to_string(g.c_out) + ")");
  return Status::Ok();
}

Status launch_small_cout(const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status s = small_cout_refuses(Direction::fwd, g, t); !s.ok()) return s;
  switch (t) {
    case DType::f32: return launch_typed<float, float>(g, ops, stream);
    case DType::f16: return launch_typed<__half, float>(g, ops, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16, float>(g, ops, stream);
    default: break;
  }
  return Status::Error(StatusCode::invalid, "small_cout: unknown dtype");
}

}  // namespace tconv::cuda
