// What the two wgmma kernels (phase_wgmma.cu, phase_wgmma_ws.cu) share: the CuTe element type
// of a CUDA one, a warpgroup's k-step (its wgmma batch on a stage), the epilogue (bias,
// conversion, paired stores through wg_tile.h's accumulator map), the launch (view, B
// orientation, data type) and the refusal (data types, shapes, any device but compute
// capability 9.0). nvcc only, sm_90a.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <string>
#include <type_traits>

#include "backends/api/status.h"
#include "backends/cuda/mma_gemm.h"
#include "backends/cuda/tc_ptx.h"
#include "backends/cuda/tc_refusal.h"
#include "backends/cuda/wg_cute.h"

namespace tconv::cuda::wg {

template <class T>
struct CuteOf;
template <>
struct CuteOf<__half> {
  using type = cute::half_t;
};
template <>
struct CuteOf<__nv_bfloat16> {
  using type = cute::bfloat16_t;
};

// One k-step of a warpgroup: its wgmma batch on the stage at `stage` (CuTe's descriptors over
// the layouts of wg_cute.h), committed, then a wait until at most MMA_IN_FLIGHT batches run:
// the previous batch has retired when this returns.
template <class Cu, class Cfg, class Mma, class Thr, class Acc, class CT>
__device__ __forceinline__ void wg_multiply_stage(Mma& tiled_mma, const Thr& thr, CT* stages, int stage, Acc& acc) {
  cute::Tensor sA = cute::make_tensor(cute::make_smem_ptr(stages + tc::stage_a<Cfg>(stage)), typename Cu::LayoutA{});
  cute::Tensor sB = cute::make_tensor(cute::make_smem_ptr(stages + tc::stage_b<Cfg>(stage)), typename Cu::LayoutB{});
  cute::Tensor tCrA = thr.make_fragment_A(thr.partition_A(sA));
  cute::Tensor tCrB = thr.make_fragment_B(thr.partition_B(sB));
  cute::warpgroup_fence_operand(acc);
  cute::warpgroup_arrive();
  cute::gemm(tiled_mma, tCrA, tCrB, acc);
  cute::warpgroup_commit_batch();
  cute::warpgroup_wait<Cfg::MMA_IN_FLIGHT>();
  cute::warpgroup_fence_operand(acc);
}

// The epilogue of one consumer thread (mma_tid: its rank among the 256 multiplying threads):
// its accumulator pairs, bias added, converted and stored two channels at a time.
template <class T, class View, class Acc>
__device__ __forceinline__ void wg_epilogue(const View& v, const tc::TcBlock& blk, const i64* c_rows, const i64* c_cols,
                                            int mma_tid, const Acc& acc, const T* bias, T* C) {
  for_each_wg_pair(blk, v.n_count(), c_rows, c_cols, mma_tid, [&](i64 off, int h, i64, i64 n) {
    float lo = acc(2 * h), hi = acc(2 * h + 1);
    if (bias) {
      const i64 bi = v.bias_at(blk.gi, n);
      lo += mma::Elem<T>::to_f(bias[bi]);
      hi += mma::Elem<T>::to_f(bias[bi + 1]);
    }
    tc::store_pair(C + off, lo, hi);
  });
}

// wgmma exists on compute capability 9.0 only (sm_90a); asked once per process. Without a
// device there is nothing to refuse (the backend reports no_device; the CPU tests emulate).
inline Status hopper_refusal(const char* family) {
  static const std::string why = [] {
    int count = 0, device = 0, major = 0, minor = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
      cudaGetLastError();  // clear the error for whoever asks next
      return std::string();
    }
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess ||
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device) != cudaSuccess)
      return std::string("the CUDA device did not tell its compute capability");
    if (major != 9 || minor != 0)
      return "needs a Hopper GPU (sm_90a: wgmma); this one is sm_" + std::to_string(major) + std::to_string(minor);
    return std::string();
  }();
  return why.empty() ? Status::Ok() : Status::Unsupported(std::string(family) + ": " + why);
}

// A wgmma family's launch: the direction's view and B orientation (the filter's contiguous
// axis, IHWO: n for fwd, k for bwd_data), the data type, and the operands in GEMM roles. kernel
// is a generic callable: kernel(view, std::bool_constant<BKN>, T{}, A, B, bias, C, name).
template <class Kernel>
Status launch_wgmma(const char* family, Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                    Kernel&& kernel) {
  auto typed = [&](const auto& view, auto bkn, const void* A, const void* bias, void* C, const char* direction) {
    const std::string name = std::string(family) + direction;
    if (t == DType::f16) return kernel(view, bkn, __half{}, A, ops.w, bias, C, name.c_str());
    return kernel(view, bkn, __nv_bfloat16{}, A, ops.w, bias, C, name.c_str());
  };
  if (d == Direction::fwd) return typed(mma::PhaseFwdView{g}, std::true_type{}, ops.x, ops.b, ops.y, "_fwd");
  return typed(mma::PhaseBwdDataView{g}, std::false_type{}, ops.dy, nullptr, ops.dx, "_bwd_data");
}

// The refusal of a wgmma family: f16 / bf16, the tile families' shape rule, a Hopper device.
inline Status wgmma_refusal(const char* family, Direction d, const ConvGeometry& g, DType t) {
  if (t != DType::f16 && t != DType::bf16)
    return Status::Unsupported(std::string(family) + ": dtype " + std::string(to_string(t)) +
                               " not supported (f16 and bf16 only)");
  if (Status s = tc::tile_refusal(family, d, g, WgCfg::CHUNK); !s.ok()) return s;
  return hopper_refusal(family);
}

}  // namespace tconv::cuda::wg
