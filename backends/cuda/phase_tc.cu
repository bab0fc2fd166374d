// Kernel family v4, phase_tc (phase_tc.h). Every address, stage and fragment coordinate comes
// from tc_tile.h / mma_views.h, which phase_tc_emulator.h runs on the CPU against the oracle.
#include "backends/cuda/phase_tc.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <string>
#include <type_traits>

#include "backends/cuda/mma_gemm.h"
#include "backends/cuda/tc_ptx.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda {
namespace tc {
namespace {

using S = TcTile;

// Two outputs of adjacent channels as one 32-bit store (phase_tc_refuses makes the pair's
// offset even: channels per group are multiples of 8, NHWC).
template <class T>
__device__ __forceinline__ void store_pair(T* p, float a, float b) {
  if constexpr (std::is_same_v<T, __half>)
    *reinterpret_cast<__half2*>(p) = __floats2half2_rn(a, b);
  else
    *reinterpret_cast<__nv_bfloat162*>(p) = __floats2bfloat162_rn(a, b);
}

template <class T, bool BKN, class View>
__global__ void __launch_bounds__(S::THREADS) phase_tc_kernel(View v, const T* A, const T* B, const T* bias, T* C) {
  extern __shared__ __align__(16) std::uint16_t smem[];
  __shared__ i64 c_rows[S::BM], c_cols[S::BN];
  const TcBlock blk = tc_block(v, blockIdx.x, blockIdx.y);
  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  fill_c_terms(v, blk, tid, c_rows, c_cols);
  const ThreadRows rows = thread_rows<BKN>(v, blk, tid);
  const i64 steps = tiles_of(blk.part.k, S::BK);
  auto issue = [&](i64 kt) {
    for_each_chunk<BKN>(v, blk, rows, tid, kt, stage_of(kt), [&](int so, i64 go, bool is_b) {
      const T* base = is_b ? B : A;
      cp_async16(smem + so, base + (go >= 0 ? go : 0), go >= 0);
    });
  };
  float acc[S::MT][S::NT][4] = {};
#pragma unroll
  for (int s = 0; s < S::STAGES - 1; ++s) {
    if (s < steps) issue(s);
    cp_async_commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    cp_async_wait<kWaitDepth>();
    __syncthreads();
    if (refill_step(kt) < steps) issue(refill_step(kt));
    cp_async_commit();
    const std::uint16_t* As = smem + stage_a(stage_of(kt));
    const std::uint16_t* Bs = smem + stage_b(stage_of(kt));
#pragma unroll
    for (int ks = 0; ks < S::BK / 16; ++ks) {
      std::uint32_t a[S::MT][4], b[S::NT][2];
#pragma unroll
      for (int mt = 0; mt < S::MT; ++mt) {
        const Idx2 e = ldsm_a(warp, mt, ks, lane);
        ldmatrix_x4<false>(a[mt], As + smem_rk(e.row, e.k));
      }
#pragma unroll
      for (int np = 0; np < S::NT / 2; ++np) {
        std::uint32_t r[4];
        if constexpr (BKN) {
          const Idx2 e = ldsm_b_kn(warp, np, ks, lane);
          ldmatrix_x4<true>(r, Bs + smem_kn(e.k, e.row));
        } else {
          const Idx2 e = ldsm_b_rk(warp, np, ks, lane);
          ldmatrix_x4<false>(r, Bs + smem_rk(e.row, e.k));
        }
        b[2 * np][0] = r[0];
        b[2 * np][1] = r[1];
        b[2 * np + 1][0] = r[2];
        b[2 * np + 1][1] = r[3];
      }
#pragma unroll
      for (int mt = 0; mt < S::MT; ++mt)
#pragma unroll
        for (int nt = 0; nt < S::NT; ++nt) mma::mma_16816<std::is_same_v<T, __nv_bfloat16>>(acc[mt][nt], a[mt], b[nt]);
    }
  }
  cp_async_wait<0>();
  __syncthreads();  // the C terms are visible (also when the phase has no k-step)
  for_each_c_pair(blk, v.n_count(), c_rows, c_cols, warp, lane, [&](i64 off, int mt, int nt, int h, i64, i64 n) {
    float lo = acc[mt][nt][2 * h], hi = acc[mt][nt][2 * h + 1];
    if (bias) {
      const i64 bi = v.bias_at(blk.gi, n);
      lo += mma::Elem<T>::to_f(bias[bi]);
      hi += mma::Elem<T>::to_f(bias[bi + 1]);
    }
    store_pair(C + off, lo, hi);
  });
}

template <class T, bool BKN, class View>
Status launch(const View& v, const void* A, const void* B, const void* bias, void* C, cudaStream_t stream,
              const char* name) {
  const mma::Grid3 g3 = tc_grid(v);
  if (g3.x == 0 || g3.y == 0) return Status::Ok();
  auto* kernel = &phase_tc_kernel<T, BKN, View>;
  cudaError_t err = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, S::SMEM_BYTES);
  if (err == cudaSuccess) {
    kernel<<<dim3(static_cast<unsigned>(g3.x), static_cast<unsigned>(g3.y)), S::THREADS, S::SMEM_BYTES, stream>>>(
        v, static_cast<const T*>(A), static_cast<const T*>(B), static_cast<const T*>(bias), static_cast<T*>(C));
    err = cudaGetLastError();
  }
  if (err != cudaSuccess)
    return Status::Error(StatusCode::error, std::string(name) + ": launch failed: " + cudaGetErrorName(err) + " (" +
                                                cudaGetErrorString(err) + ")");
  return Status::Ok();
}

template <bool BKN, class View>
Status launch_for(const View& v, DType t, const void* A, const void* B, const void* bias, void* C, cudaStream_t s,
                  const char* name) {
  if (t == DType::f16) return launch<__half, BKN>(v, A, B, bias, C, s, name);
  return launch<__nv_bfloat16, BKN>(v, A, B, bias, C, s, name);
}

}  // namespace
}  // namespace tc

Status phase_tc_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (d != Direction::fwd && d != Direction::bwd_data) return Status::Unsupported("phase_tc: fwd and bwd_data only");
  if (t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("phase_tc: dtype " + std::string(to_string(t)) + " not supported (f16 and bf16 only)");
  if (!g.nhwc) return Status::Unsupported("phase_tc: NHWC only");
  if (g.cig() % 8 != 0 || g.cog() % 8 != 0)
    return Status::Unsupported("phase_tc: needs C_in/g and C_out/g multiples of 8 (16-byte channel chunks)");
  const mma::Grid3 g3 = d == Direction::fwd ? tc::tc_grid(mma::PhaseFwdView{g}) : tc::tc_grid(mma::PhaseBwdDataView{g});
  const std::string why = mma::grid_refusal(g3);
  return why.empty() ? Status::Ok() : Status::Unsupported("phase_tc: " + why);
}

Status launch_phase_tc(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status r = phase_tc_refuses(d, g, t); !r.ok()) return r;
  // B orientation follows the filter's contiguous axis (IHWO): n for fwd, k for bwd_data.
  if (d == Direction::fwd)
    return tc::launch_for<true>(mma::PhaseFwdView{g}, t, ops.x, ops.w, ops.b, ops.y, stream, "phase_tc_fwd");
  return tc::launch_for<false>(mma::PhaseBwdDataView{g}, t, ops.dy, ops.w, nullptr, ops.dx, stream,
                               "phase_tc_bwd_data");
}

}  // namespace tconv::cuda
