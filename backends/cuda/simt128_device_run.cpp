#include "backends/cuda/simt128_device_run.h"

#include <cuda_runtime.h>

#include <utility>

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

Status run_simt128_on_device(const Problem& p, Direction d, const Operands& ops, Simt128Kernel k, int reps,
                             std::vector<float>* ms) {
  HostTensor* out = output_of(ops, d);
  if (out == nullptr) return Status::Invalid("run_simt128_on_device: no output operand");
  Status status;
  DeviceContext* ctx = device_context(&status);
  if (ctx == nullptr) return status;
  std::lock_guard<std::mutex> lock(ctx->mutex);
  cudaStream_t stream = ctx->stream;
  const ConvGeometry g = make_geometry(p);
  DeviceBuffer x, w, b, dy, o, ws;
  DeviceOperands dev;
  const std::pair<const HostTensor*, DeviceBuffer*> inputs[] = {{ops.x, &x}, {ops.w, &w}, {ops.b, &b}, {ops.dy, &dy}};
  for (const auto& [host, buf] : inputs)
    if (host != nullptr) TCONV_CU_RETURN_IF_ERROR(upload(*host, buf, stream));
  dev.x = x.get(), dev.w = w.get(), dev.dy = dy.get(), dev.b = b.get();
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
