#include "backends/cuda/simt128_device_support.h"

#include <cuda_runtime.h>

#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/cuda_check.h"
#include "backends/cuda/device_context.h"
#include "backends/cuda/device_memory.h"
#include "backends/cuda/dispatch.h"
#include "backends/cuda/phase_gemm.h"
#include "backends/cuda/phase_simt128.h"
#include "backends/cuda/wgrad_simt128.h"

namespace tconv::cuda {

namespace {
constexpr std::size_t kWorkspaceLimit = std::size_t{1} << 30;
}  // namespace

Status run_simt128_on_device(const Problem& p, Direction d, const InputSet& in, Simt128Kernel k, int reps,
                             HostTensor* out, std::vector<float>* ms) {
  Status status;
  DeviceContext* ctx = device_context(&status);
  if (ctx == nullptr) return status;
  std::lock_guard<std::mutex> lock(ctx->mutex);
  cudaStream_t stream = ctx->stream;
  const ConvGeometry g = make_geometry(p);
  DeviceBuffer x, w, b, dy, o, ws;
  DeviceOperands dev;
  TCONV_CU_RETURN_IF_ERROR(upload(in.x, &x, stream));
  TCONV_CU_RETURN_IF_ERROR(upload(in.w, &w, stream));
  TCONV_CU_RETURN_IF_ERROR(upload(in.dy, &dy, stream));
  if (p.bias) TCONV_CU_RETURN_IF_ERROR(upload(in.b, &b, stream));
  dev.x = x.get(), dev.w = w.get(), dev.dy = dy.get(), dev.b = p.bias ? b.get() : nullptr;
  *out = d == Direction::bwd_weights ? HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups) : make_output(p, d);
  TCONV_CU_RETURN_IF_ERROR(o.allocate(out->bytes()));
  dev.y = dev.dx = dev.dw = o.get();
  WgradPlan plan;
  if (d == Direction::bwd_weights) {
    plan = k == Simt128Kernel::simt128 ? plan_wgrad_simt128(g, kWorkspaceLimit) : plan_bwd_weights_gemm(g, kWorkspaceLimit);
    const std::size_t bytes = k == Simt128Kernel::simt128 ? wgrad_simt128_workspace_bytes(g, plan)
                                                          : bwd_weights_gemm_workspace_bytes(g, plan);
    TCONV_CU_RETURN_IF_ERROR(ws.allocate(bytes));
  }
  DeviceEvent start, stop;
  TCONV_CU_RETURN_IF_ERROR(start.create());
  TCONV_CU_RETURN_IF_ERROR(stop.create());
  ms->clear();
  for (int r = 0; r < reps; ++r) {
    TCONV_CU_CHECK(cudaEventRecord(start.get(), stream));
    Status s;
    if (d == Direction::bwd_weights)
      s = k == Simt128Kernel::simt128 ? launch_wgrad_simt128(g, p.dtype, dev, plan, ws.get(), stream)
                                      : launch_bwd_weights_gemm(g, p.dtype, dev, plan, ws.get(), stream);
    else
      s = k == Simt128Kernel::simt128 ? launch_phase_simt128(d, g, p.dtype, dev, stream)
                                      : launch_phase_gemm(d, g, p.dtype, dev, stream);
    if (!s.ok()) return s;
    TCONV_CU_CHECK(cudaEventRecord(stop.get(), stream));
    TCONV_CU_CHECK(cudaEventSynchronize(stop.get()));
    float t = 0;
    TCONV_CU_CHECK(cudaEventElapsedTime(&t, start.get(), stop.get()));
    ms->push_back(t);
  }
  TCONV_CU_RETURN_IF_ERROR(download(o, out, stream));
  return Status::Ok();
}

}  // namespace tconv::cuda
