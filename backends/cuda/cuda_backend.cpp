#include "backends/cuda/cuda_backend.h"

#include "backends/cuda/bias_reduce.h"
#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/depthwise_wgrad.h"
#include "backends/cuda/device_run.h"
#include "backends/cuda/wgrad_simt128.h"

namespace tconv::cuda {

Capabilities cuda_capabilities(const CudaVariant& v) {
  Capabilities c;
  c.dtypes = {DType::f32, DType::f16, DType::bf16};
  if (!v.family || *v.family == Family::gather) c.dtypes.push_back(DType::f64);  // default falls back to gather
  c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
  // Layouts other than the device filter format (IOHW / IHWO) are permuted on the host.
  c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
  if (v.family) c.directions = family_directions(*v.family);
  c.on_device = true;
  c.deterministic = true;  // fixed summation orders everywhere, split-K reduced in order
  return c;
}

Capabilities CudaBackend::capabilities() const { return cuda_capabilities(variant_); }

Status CudaBackend::check(const Problem& p, Direction d) const {
  if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return s;
  const Choice c = choose_family(variant_, d, make_geometry(p), p.dtype);
  if (!c.family) return c.refusal;
  return Status::Ok();
}

Status CudaBackend::run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) {
  last_ms_.reset();
  details_ = {};
  if (Status s = check_operands(p, d, ops); !s.ok()) return s;
  if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return s;
  const Choice c = choose_family(variant_, d, make_geometry(p), p.dtype);
  if (!c.family) return c.refusal;
  double ms = 0;
  std::size_t workspace = 0;
  Status s = run_family_on_device(p, d, ops, *c.family, ctx.workspace_limit, &ms, &workspace);
  if (!s.ok()) return s;
  last_ms_ = ms;
  // Every family is deterministic (fixed-order reductions, no atomics).
  details_ = {std::string(family_name(*c.family)), static_cast<std::int64_t>(workspace), true};
  return s;
}

MathMode CudaBackend::declared_math(const Problem& p, Direction d, const RunDetails& ran) const {
  std::optional<Family> family;
  for (Family f : all_families())
    if (ran.algorithm == family_name(f)) family = f;
  if (!family && validate(p).ok()) family = choose_family(variant_, d, make_geometry(p), p.dtype).family;
  MathMode m = one_rounding_math(p.dtype, AlgorithmClass::direct);
  if (!family || is_integer(p.dtype)) return m;
  const bool low_precision = p.dtype == DType::f16 || p.dtype == DType::bf16;
  switch (*family) {
    case Family::gather:
    case Family::depthwise:   // gather's summation order (memory_bound_test.cpp)
    case Family::small_cout: break;
    case Family::depthwise_wgrad:
      m.split_k = static_cast<int>(plan_depthwise_wgrad(make_geometry(p)).splits);
      m.u_split = 0x1p-24;  // f32 workspace
      break;
    case Family::bias_reduce:
      m.split_k = static_cast<int>(plan_bias_reduce(make_geometry(p)).splits);  // partial sums, added in order
      m.u_split = p.dtype == DType::f64 ? 0x1p-53 : 0x1p-24;                      // kept in the accumulator type
      break;
    case Family::phase_tc_tf32:
      m = tf32_math();
      m.algorithm = AlgorithmClass::implicit_gemm;
      break;
    case Family::phase_simt128: m.algorithm = AlgorithmClass::implicit_gemm; break;  // one fmaf chain per output
    case Family::wgrad_simt128:
      m.algorithm = AlgorithmClass::implicit_gemm;
      m.split_k = static_cast<int>(plan_wgrad_simt128(make_geometry(p), RunContext{}.workspace_limit).splits);
      m.u_split = 0x1p-24;  // f32 workspace
      break;
    case Family::phase_gemm:
    case Family::k_equals_s:
    case Family::phase_tc:
    case Family::phase_wgmma:
    case Family::phase_wgmma_ws:
      m.algorithm = AlgorithmClass::implicit_gemm;
      m.truncating_acc = low_precision;  // mma.sync / wgmma with f32 accumulation
      break;
    case Family::bwd_weights_gemm: {
      m.algorithm = AlgorithmClass::implicit_gemm;
      const WgradPlan plan = plan_bwd_weights_gemm(make_geometry(p), RunContext{}.workspace_limit);
      m.split_k = static_cast<int>(plan.splits);
      m.u_split = 0x1p-24;  // f32 workspace
      break;
    }
  }
  return m;
}

std::string CudaBackend::explain_choice(const Problem& p, Direction d) const {
  if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return "cuda:" + variant_.name + " refuses: " + s.message;
  if (variant_.family) {
    const Choice c = choose_family(variant_, d, make_geometry(p), p.dtype);
    return c.family ? "cuda:" + variant_.name + " runs its own family only (cuda:default chooses by cost model)"
                    : "refuses: " + c.refusal.message;
  }
  return describe_choice(choose_family(variant_, d, make_geometry(p), p.dtype), active_calibration());
}

BackendFactory cuda_backend_factory() {
  return {"cuda",
          "custom CUDA kernels: direct gather (every direction), stride-phase implicit GEMM (64x64 tiles; "
          "128x128 tensor-core phase_tc for f16/bf16 NHWC and its +tf32, phase_wgmma (and its warp-specialised "
          "phase_wgmma_ws) on Hopper's wgmma; 128x128 "
          "CUDA-core phase_simt128 "
          "for f32), k == s fast path, split-K implicit GEMM for bwd_weights (and wgrad_simt128), depthwise / "
          "few channels per group, C_out <= 4; default runs the family a calibrated cost model predicts "
          "fastest (never TF32), each family is a variant",
          [] { return cuda_variant_names(); },
          [](const std::string& name) -> Result<std::unique_ptr<Backend>> {
            Result<CudaVariant> v = parse_cuda_variant(name);
            if (!v.ok()) return v.status();
            return std::unique_ptr<Backend>(std::make_unique<CudaBackend>(std::move(v).value()));
          }};
}

}  // namespace tconv::cuda
