// The abstract conformance suite on the CPU: a test-only backend `cuda_emulated` that runs the
// cuda backend's host pipeline (capabilities, dispatcher, weight permutation, dw permuted
// back) with the gather, bwd_weights_gemm, depthwise, small_cout, bias_reduce and depthwise_wgrad kernels emulated thread by thread instead of
// launched, in every dtype (f16 / bf16 through the same __half / __nv_bfloat16 types and
// conversions the kernels use); phase_gemm and k_equals_s run through their block-by-block
// emulator (mma_emulator.h), tensor-core fragments included, phase_tc, phase_wgmma and
// phase_wgmma_ws through theirs.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "backends/cuda/bwd_weights_gemm_emulate.h"
#include "backends/cuda/cuda_backend.h"
#include "backends/cuda/emulation_test_support.h"
#include "backends/cuda/gather_emulate.h"
#include "backends/cuda/memory_bound_emulate.h"
#include "backends/cuda/mma_emulator.h"
#include "backends/cuda/phase_tc_emulator.h"
#include "backends/cuda/phase_wgmma_emulator.h"
#include "backends/cuda/phase_wgmma_ws_emulator.h"
#include "backends/cuda/simt128_emulate.h"
#include "backends/testing/backend_conformance.h"

namespace tconv::cuda {
namespace {

template <class T, class Acc>
void emulate_family(Family f, Direction d, DType t, const ConvGeometry& g, const DeviceOperands& ops) {
  const void* in = d == Direction::fwd ? ops.x : ops.dy;
  void* out = d == Direction::fwd ? ops.y : ops.dx;
  if (f == Family::phase_gemm)
    mma::emulate_phase_gemm(d, g, t, in, ops.w, ops.b, out);
  else if (f == Family::k_equals_s)
    mma::emulate_k_equals_s(d, g, t, in, ops.w, ops.b, out);
  else if (f == Family::bwd_weights_gemm)
    emulate_bwd_weights_gemm<T, Acc>(g, plan_bwd_weights_gemm(g, RunContext{}.workspace_limit), ops);
  else if (f == Family::depthwise)
    emulate_depthwise<T, Acc>(d, g, ops);
  else if (f == Family::small_cout)
    emulate_small_cout<T, Acc>(g, ops);
  else if (f == Family::bias_reduce)
    emulate_bias_reduce<T, Acc>(g, ops);
  else if (f == Family::depthwise_wgrad)
    emulate_depthwise_wgrad<T, Acc>(g, ops);
  else if (f == Family::phase_tc || f == Family::phase_tc_tf32)
    tc::emulate_phase_tc(d, g, t, in, ops.w, ops.b, out);
  else if (f == Family::phase_wgmma)
    wg::emulate_phase_wgmma(d, g, t, in, ops.w, ops.b, out);
  else if (f == Family::phase_wgmma_ws)
    wg::emulate_phase_wgmma_ws(d, g, t, in, ops.w, ops.b, out);
  else if (f == Family::phase_simt128)
    simt128::emulate_phase_simt128(d, g, static_cast<const float*>(in), static_cast<const float*>(ops.w),
                                   static_cast<const float*>(ops.b), static_cast<float*>(out));
  else if (f == Family::wgrad_simt128)
    simt128::emulate_wgrad_simt128(g, plan_wgrad_simt128(g, RunContext{}.workspace_limit),
                                   static_cast<const float*>(ops.x), static_cast<const float*>(ops.dy),
                                   static_cast<float*>(ops.dw));
  else
    emulate_gather<T, Acc>(d, g, ops);
}

class EmulatedCuda final : public Backend {
 public:
  explicit EmulatedCuda(CudaVariant v) : variant_(std::move(v)) {}
  std::string name() const override { return "cuda_emulated"; }
  std::string variant() const override { return variant_.name; }
  Capabilities capabilities() const override { return cuda_capabilities(variant_); }
  Status check(const Problem& p, Direction d) const override {
    if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return s;
    const Choice c = choose_family(variant_, d, make_geometry(p), p.dtype);
    if (!c.family) return c.refusal;
    return Status::Ok();
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const Choice c = choose_family(variant_, d, make_geometry(p), p.dtype);
    if (!c.family) return c.refusal;
    const Family f = *c.family;
    const InputSet in{ops.x ? *ops.x : HostTensor{}, ops.w ? *ops.w : HostTensor{}, ops.b ? *ops.b : HostTensor{},
                      ops.dy ? *ops.dy : HostTensor{}};
    HostTensor out = run_emulated(p, d, in, [&](const ConvGeometry& g, const DeviceOperands& dev) {
      switch (p.dtype) {
        case DType::f64: emulate_family<double, double>(f, d, p.dtype, g, dev); break;
        case DType::f16: emulate_family<__half, float>(f, d, p.dtype, g, dev); break;
        case DType::bf16: emulate_family<__nv_bfloat16, float>(f, d, p.dtype, g, dev); break;
        default: emulate_family<float, float>(f, d, p.dtype, g, dev); break;
      }
    });
    HostTensor* dst = d == Direction::fwd ? ops.y : d == Direction::bwd_data ? ops.dx
                    : d == Direction::bwd_weights ? ops.dw : ops.db;
    *dst = std::move(out);
    return Status::Ok();
  }

 private:
  CudaVariant variant_;
};

BackendFactory emulated_factory() {
  return {"cuda_emulated", "the cuda backend's host pipeline with its kernels emulated on the CPU",
          [] { return cuda_variant_names(); },
          [](const std::string& name) -> Result<std::unique_ptr<Backend>> {
            Result<CudaVariant> v = parse_cuda_variant(name);
            if (!v.ok()) return v.status();
            return std::unique_ptr<Backend>(std::make_unique<EmulatedCuda>(std::move(v).value()));
          }};
}

}  // namespace
}  // namespace tconv::cuda

TCONV_BACKEND_CONFORMANCE(CudaEmulated, tconv::cuda::emulated_factory());
