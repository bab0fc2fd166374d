// Kernel family v5, phase_wgmma (phase_wgmma.h): phase_tc's stride-phase implicit GEMM on
// Hopper's warpgroup MMA. The producer, the K walk, the grouped grid and the C terms are
// tc_tile.h's; the stage layouts and the accumulator map are wg_tile.h's; the wgmma
// descriptors come from CuTe (wg_cute.h) over those same layouts. phase_wgmma_emulator.h runs
// every block on the CPU against the oracle. Built for sm_90a only (wgmma is not in sm_90).
#include "backends/cuda/phase_wgmma.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cutlass/arch/barrier.h>

#include <string>

#include "backends/cuda/mma_gemm.h"
#include "backends/cuda/tc_launch.h"
#include "backends/cuda/tc_ptx.h"
#include "backends/cuda/tc_refusal.h"
#include "backends/cuda/wg_cute.h"

namespace tconv::cuda {
namespace wg {
namespace {

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

template <class T, bool BKN, class View>
__global__ void __launch_bounds__(WgCfg::THREADS) phase_wgmma_kernel(View v, const T* A, const T* B, const T* bias, T* C) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using Cu = WgCute<typename CuteOf<T>::type, BKN>;
  using CT = typename CuteOf<T>::type;
  using tc::TcBlock;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  // The stages start on a swizzle atom (1 KiB): the swizzle is a function of the address.
  auto* smem = reinterpret_cast<std::uint16_t*>((reinterpret_cast<std::uintptr_t>(smem_raw) + WgCfg::ALIGN_BYTES - 1) &
                                                ~std::uintptr_t{WgCfg::ALIGN_BYTES - 1});
  __shared__ i64 c_rows[WgCfg::BM], c_cols[WgCfg::BN];
  __shared__ mma::KAffine kaff;
  const TcBlock blk = tc::tc_block(v, blockIdx.x, blockIdx.y);
  const int tid = threadIdx.x;
  tc::fill_c_terms(v, blk, tid, c_rows, c_cols);
  const tc::ThreadRows<WgCfg> rows = tc::thread_rows<BKN, WgCfg>(v, blk, tid);
  if (tid == 0) kaff = mma::k_affine(v, blk.part, blk.gi, WgCfg::BK);
  __syncthreads();
  tc::ThreadK<BKN, WgCfg> at = tc::thread_k<BKN, WgCfg>(kaff, tid);
  const i64 steps = tc::tiles_of(blk.part.k, WgCfg::BK);
  auto issue = [&](i64 kt) {
    tc::for_each_chunk<BKN, WgCfg>(kaff, v, rows, at, tid, tc::stage_of<WgCfg>(kt), [&](int so, i64 go, bool is_b) {
      const T* base = is_b ? B : A;
      tc::cp_async16(smem + so, base + (go >= 0 ? go : 0), go >= 0);
    });
  };
  typename Cu::TiledMma tiled_mma;
  auto thr = tiled_mma.get_thread_slice(tid);
  cute::Tensor acc = cute::partition_fragment_C(tiled_mma, cute::Shape<typename Cu::BM, typename Cu::BN>{});
  cute::clear(acc);
  tiled_mma.accumulate_ = cute::GMMA::ScaleOut::One;
#pragma unroll
  for (int s = 0; s < tc::kLookahead<WgCfg>; ++s) {
    if (s < steps) issue(s);
    tc::cp_async_commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    tc::cp_async_wait<tc::kWaitDepth<WgCfg>>();
    cutlass::arch::fence_view_async_shared();  // cp.async wrote through the generic proxy; wgmma reads through the async one
    __syncthreads();  // step kt landed for every thread; every warpgroup retired step kt - 2 (waited below)
    if (tc::refill_step<WgCfg>(kt) < steps) issue(tc::refill_step<WgCfg>(kt));
    tc::cp_async_commit();
    const int st = tc::stage_of<WgCfg>(kt);
    auto* stage = reinterpret_cast<CT*>(smem);
    cute::Tensor sA = cute::make_tensor(cute::make_smem_ptr(stage + tc::stage_a<WgCfg>(st)), typename Cu::LayoutA{});
    cute::Tensor sB = cute::make_tensor(cute::make_smem_ptr(stage + tc::stage_b<WgCfg>(st)), typename Cu::LayoutB{});
    cute::Tensor tCrA = thr.make_fragment_A(thr.partition_A(sA));
    cute::Tensor tCrB = thr.make_fragment_B(thr.partition_B(sB));
    cute::warpgroup_fence_operand(acc);
    cute::warpgroup_arrive();
    cute::gemm(tiled_mma, tCrA, tCrB, acc);
    cute::warpgroup_commit_batch();
    cute::warpgroup_wait<WgCfg::MMA_IN_FLIGHT>();  // step kt's batch runs on; kt - 1's stage is free after the next barrier
    cute::warpgroup_fence_operand(acc);
  }
  cute::warpgroup_wait<0>();
  cute::warpgroup_fence_operand(acc);
  tc::cp_async_wait<0>();
  __syncthreads();  // the C terms are visible (also when the phase has no k-step)
  for_each_wg_pair(blk, v.n_count(), c_rows, c_cols, tid, [&](i64 off, int h, i64, i64 n) {
    float lo = acc(2 * h), hi = acc(2 * h + 1);
    if (bias) {
      const i64 bi = v.bias_at(blk.gi, n);
      lo += mma::Elem<T>::to_f(bias[bi]);
      hi += mma::Elem<T>::to_f(bias[bi + 1]);
    }
    tc::store_pair(C + off, lo, hi);
  });
#endif
}

template <class T, bool BKN, class View>
Status launch(const View& v, const void* A, const void* B, const void* bias, void* C, cudaStream_t stream,
              const char* name) {
  return tc::launch_tile_kernel<&phase_wgmma_kernel<T, BKN, View>>(v, WgCfg::THREADS, WgCfg::SMEM_BYTES, stream, name,
                               static_cast<const T*>(A), static_cast<const T*>(B),
                               static_cast<const T*>(bias), static_cast<T*>(C));
}

template <bool BKN, class View>
Status launch_for(const View& v, DType t, const void* A, const void* B, const void* bias, void* C, cudaStream_t s,
                  const char* name) {
  if (t == DType::f16) return launch<__half, BKN>(v, A, B, bias, C, s, name);
  return launch<__nv_bfloat16, BKN>(v, A, B, bias, C, s, name);
}

// wgmma exists on compute capability 9.0 only (sm_90a); asked once per process. Without a
// device there is nothing to refuse (the backend reports no_device; the CPU tests emulate).
Status device_refusal() {
  static const Status s = [] {
    int count = 0, device = 0, major = 0, minor = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
      cudaGetLastError();  // clear the error for whoever asks next
      return Status::Ok();
    }
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess ||
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device) != cudaSuccess)
      return Status::Unsupported("phase_wgmma: the CUDA device did not tell its compute capability");
    if (major != 9 || minor != 0)
      return Status::Unsupported("phase_wgmma: needs a Hopper GPU (sm_90a: wgmma); this one is sm_" +
                                 std::to_string(major) + std::to_string(minor));
    return Status::Ok();
  }();
  return s;
}

}  // namespace
}  // namespace wg

bool phase_wgmma_built() { return true; }

Status phase_wgmma_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("phase_wgmma: dtype " + std::string(to_string(t)) + " not supported (f16 and bf16 only)");
  if (Status s = tc::tile_refusal("phase_wgmma", d, g, wg::WgCfg::CHUNK); !s.ok()) return s;
  return wg::device_refusal();
}

Status launch_phase_wgmma(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status r = phase_wgmma_refuses(d, g, t); !r.ok()) return r;
  // B orientation follows the filter's contiguous axis (IHWO): n for fwd, k for bwd_data.
  if (d == Direction::fwd)
    return wg::launch_for<true>(mma::PhaseFwdView{g}, t, ops.x, ops.w, ops.b, ops.y, stream, "phase_wgmma_fwd");
  return wg::launch_for<false>(mma::PhaseBwdDataView{g}, t, ops.dy, ops.w, nullptr, ops.dx, stream,
                               "phase_wgmma_bwd_data");
}

}  // namespace tconv::cuda
