// Kernel family `depthwise` (depthwise.h): few channels per group, fwd and bwd_data.
//
// CPU reference: the oracle; depthwise_test.cpp runs every thread function on the CPU against it.
//
// Kernel versions:
//   v1  one thread per run of 4 consecutive output elements (grid-stride), vector stores where
//       the run is whole and aligned, vector loads for NHWC one-channel-per-group.
//   v2  "lines" (depthwise_lines.h): the same runs and sums; taps tabulated per block in shared
//       memory, rows walked without divisions, a capped grid. v1 remains for problems whose
//       tap table does not fit (more than about 4,000 rows plus columns).
#include "backends/cuda/depthwise.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <string>

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/depthwise_lines.h"
#include "backends/cuda/grid_stride.h"

namespace tconv::cuda {

namespace {

template <class T, class Acc>
__global__ void __launch_bounds__(kDepthwiseThreads)
    depthwise_fwd_v1(ConvGeometry g, std::int64_t total, const T* x, const T* w, const T* b, T* y) {
  for_each_grid_index(total, [&](std::int64_t v) { depthwise_fwd_thread<T, Acc>(g, v, x, w, b, y); });
}

template <class T, class Acc>
__global__ void __launch_bounds__(kDepthwiseThreads)
    depthwise_bwd_data_v1(ConvGeometry g, std::int64_t total, const T* dy, const T* w, T* dx) {
  for_each_grid_index(total, [&](std::int64_t v) { depthwise_bwd_data_thread<T, Acc>(g, v, dy, w, dx); });
}

template <class T, class Acc, bool kNhwc>
__global__ void __launch_bounds__(kLinesThreads)
    depthwise_lines_v2(LinesPlan p, const T* src, const T* w, const T* bias, T* dst) {
  extern __shared__ LineTaps table[];
  fill_tap_table(p.table, p.fwd, threadIdx.x, p.threads, table);
  __syncthreads();
  lines_thread<T, Acc, kNhwc>(p, table, blockIdx.x, threadIdx.x, src, w, bias, dst);
}

template <class T, class Acc>
Status launch_lines(Direction d, const ConvGeometry& g, const DeviceOperands& ops, cudaStream_t stream) {
  const LinesPlan p = plan_depthwise_lines(d, g, lines_max_blocks());
  const bool fwd = d == Direction::fwd;
  auto* kernel = g.nhwc ? depthwise_lines_v2<T, Acc, true> : depthwise_lines_v2<T, Acc, false>;
  kernel<<<static_cast<unsigned>(p.blocks), p.threads, lines_table_bytes(d, g), stream>>>(
      p, static_cast<const T*>(fwd ? ops.x : ops.dy), static_cast<const T*>(ops.w),
      static_cast<const T*>(fwd ? ops.b : nullptr), static_cast<T*>(fwd ? ops.y : ops.dx));
  TCONV_CU_CHECK_LAUNCH("depthwise_lines_v2");
  return Status::Ok();
}

template <class T, class Acc>
Status launch_typed(Direction d, const ConvGeometry& g, const DeviceOperands& ops, cudaStream_t stream) {
  if (lines_fit(d, g)) return launch_lines<T, Acc>(d, g, ops, stream);
  if (d == Direction::fwd) {
    const std::int64_t total = run_threads(g.n, g.c_out, g.h_out, g.w_out, g.nhwc);
    depthwise_fwd_v1<T, Acc><<<grid_blocks(total, kDepthwiseThreads), kDepthwiseThreads, 0, stream>>>(
        g, total, static_cast<const T*>(ops.x), static_cast<const T*>(ops.w), static_cast<const T*>(ops.b),
        static_cast<T*>(ops.y));
    TCONV_CU_CHECK_LAUNCH("depthwise_fwd_v1");
    return Status::Ok();
  }
  const std::int64_t total = run_threads(g.n, g.c_in, g.h_in, g.w_in, g.nhwc);
  depthwise_bwd_data_v1<T, Acc><<<grid_blocks(total, kDepthwiseThreads), kDepthwiseThreads, 0, stream>>>(
      g, total, static_cast<const T*>(ops.dy), static_cast<const T*>(ops.w), static_cast<T*>(ops.dx));
  TCONV_CU_CHECK_LAUNCH("depthwise_bwd_data_v1");
  return Status::Ok();
}

}  // namespace

// Few channels per group: the runs keep every channel of a group in registers.
Status depthwise_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::fwd && d != Direction::bwd_data) return Status::Unsupported("depthwise: runs fwd and bwd_data only");
  if (t != DType::f32 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("depthwise: f32, f16 and bf16 only");
  return few_channels_per_group_refuses("depthwise", g);
}

Status few_channels_per_group_refuses(const std::string& family, const ConvGeometry& g) {
  if (g.cig() > kDepthwiseMaxPerGroup || g.cog() > kDepthwiseMaxPerGroup)
    return Status::Unsupported(family + ": needs at most " + std::to_string(kDepthwiseMaxPerGroup) +
                               " channels per group in and out (C_in/g = " + std::to_string(g.cig()) +
                               ", C_out/g = " + std::to_string(g.cog()) + ")");
  return Status::Ok();
}

Status launch_depthwise(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status s = depthwise_refuses(d, g, t); !s.ok()) return s;
  switch (t) {
    case DType::f32: return launch_typed<float, float>(d, g, ops, stream);
    case DType::f16: return launch_typed<__half, float>(d, g, ops, stream);
    case DType::bf16: return launch_typed<__nv_bfloat16, float>(d, g, ops, stream);
    default: break;
  }
  return Status::Error(StatusCode::invalid, "depthwise: unknown dtype");
}

}  // namespace tconv::cuda
