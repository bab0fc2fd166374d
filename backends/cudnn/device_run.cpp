#include "backends/cudnn/device_run.h"

#include <functional>
#include <mutex>

#include "backends/cudnn/conv_call.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/kernels.h"
#include "backends/cudnn/prepared_call.h"

namespace tconv::cudnn {

namespace {

std::size_t bytes_of(const TensorShape& t, DType d) {
  return static_cast<std::size_t>(t.n * t.c * t.h * t.w) * dtype_size(d);
}

// Copy between the problem's y/dy ([N, C_out, H_out, W_out]) and the staging buffer.
WindowCopy window(const ConvPlan& pl, bool to_output) {
  WindowCopy g;
  g.n = pl.large.n;
  g.c = pl.large.c;
  g.nhwc = pl.data_layout == Layout::NHWC;
  if (to_output) {  // staging -> y: crop / extend
    g.src_h = pl.rows.staging, g.src_w = pl.cols.staging, g.dst_h = pl.rows.output, g.dst_w = pl.cols.output;
    g.row_shift = pl.rows.offset, g.col_shift = pl.cols.offset;
  } else {          // dy -> staging: zero-extend / crop
    g.src_h = pl.rows.output, g.src_w = pl.cols.output, g.dst_h = pl.rows.staging, g.dst_w = pl.cols.staging;
    g.row_shift = -pl.rows.offset, g.col_shift = -pl.cols.offset;
  }
  return g;
}

// A staging window copy, timed apart from the convolution (RunInfo::staging_ms).
Status staged_copy(DeviceContext& ctx, const ConvPlan& pl, const void* src, void* dst, bool to_output,
                   const void* bias, RunInfo* info) {
  double ms = 0;
  TCONV_RETURN_IF_ERROR(time_on_stream(ctx.stream, [&]() -> Status {
    TCONV_CUDA_CHECK(launch_window_copy(src, dst, window(pl, to_output), pl.dtype, bias, ctx.stream));
    return Status::Ok();
  }, &ms));
  info->staging_ms = ms;
  return Status::Ok();
}

// dy on the device in the staging geometry cuDNN's forward / backward-filter read.
Status stage_dy(DeviceContext& ctx, const ConvPlan& pl, const HostTensor& dy, DeviceBuffer* dy_dev,
                DeviceBuffer* staging, void** large, RunInfo* info) {
  TCONV_RETURN_IF_ERROR(upload(dy, dy_dev, ctx.stream));
  if (!pl.staged) {
    *large = dy_dev->get();
    return Status::Ok();
  }
  TCONV_RETURN_IF_ERROR(staging->allocate(bytes_of(pl.large, pl.dtype)));
  TCONV_RETURN_IF_ERROR(staged_copy(ctx, pl, dy_dev->get(), staging->get(), false, nullptr, info));
  *large = staging->get();
  return Status::Ok();
}

// The per-call work between two events, the same for every variant: the cuDNN call and the
// bias, however the variant adds it (the legacy prefill before the call, the graph's
// separate add after it: PyTorch's per-call work too; fused in the graph). Plans are built
// before (prepare_call, cached per shape); uploads, host permutes and staging copies are
// outside, the staging copies timed on their own.
Status timed_execute(DeviceContext& ctx, const PreparedCall& call, const ConvPointers& p, double beta,
                     const std::function<Status()>& before, const std::function<Status()>& after, void* bias,
                     double* ms) {
  return time_on_stream(ctx.stream, [&]() -> Status {
    if (before) TCONV_RETURN_IF_ERROR(before());
    TCONV_RETURN_IF_ERROR(call.execute(ctx, p, beta, bias));
    if (after) TCONV_RETURN_IF_ERROR(after());
    return Status::Ok();
  }, ms);
}

Status run_convolution(DeviceContext& ctx, const Problem& p, Direction dir, const Operands& ops,
                       const Variant& variant, std::size_t limit, RunInfo* info, double* ms) {
  const ConvPlan pl = make_plan(p, dir, padding_form(variant));
  PreparedCall call;
  TCONV_RETURN_IF_ERROR(prepare_call(ctx, pl, variant, limit, &call));
  info->algorithm = call.name;
  info->workspace = call.workspace;
  info->deterministic = call.deterministic;
  info->staged = pl.staged;
  info->pre_post_padded = pl.pad_h != pl.post_pad_h || pl.pad_w != pl.post_pad_w;

  DeviceBuffer workspace, small, filter, large_buf, dy_dev, out;
  TCONV_RETURN_IF_ERROR(workspace.allocate(call.workspace));
  ConvPointers ptr;
  ptr.workspace = workspace.get();

  // Weights cuDNN cannot read (HWOI, OIHW_FLIPPED, or a format other than the data's) are
  // permuted on the host into the plan's filter layout.
  const bool weights_in = dir == Direction::fwd || dir == Direction::bwd_data;
  HostTensor converted;
  if (weights_in) {
    const HostTensor* w = ops.w;
    if (pl.filter_converted) w = &(converted = ops.w->to_layout(pl.filter_layout));
    TCONV_RETURN_IF_ERROR(upload(*w, &filter, ctx.stream));
  } else {
    TCONV_RETURN_IF_ERROR(filter.allocate(static_cast<std::size_t>(numel_w(p)) * dtype_size(p.dtype)));
  }
  ptr.filter = filter.get();

  switch (dir) {
    case Direction::fwd: {
      TCONV_RETURN_IF_ERROR(upload(*ops.x, &small, ctx.stream));
      ptr.small = small.get();
      TCONV_RETURN_IF_ERROR(large_buf.allocate(bytes_of(pl.large, p.dtype)));
      ptr.large = large_buf.get();
      DeviceBuffer bias;
      if (pl.bias) TCONV_RETURN_IF_ERROR(upload(*ops.b, &bias, ctx.stream));
      const bool nhwc = pl.data_layout == Layout::NHWC;
      std::function<Status()> fill_bias, add_bias;
      if (pl.bias && call.bias == BiasForm::prefill)  // beta = 1: cuDNN adds the prefilled b
        fill_bias = [&]() -> Status {
          TCONV_CUDA_CHECK(launch_fill_bias(ptr.large, pl.large, nhwc, p.dtype, bias.get(), ctx.stream));
          return Status::Ok();
        };
      if (pl.bias && call.bias == BiasForm::separate)
        add_bias = [&]() -> Status {
          TCONV_CUDA_CHECK(launch_add_bias(ptr.large, pl.large, nhwc, p.dtype, bias.get(), ctx.stream));
          return Status::Ok();
        };
      TCONV_RETURN_IF_ERROR(
          timed_execute(ctx, call, ptr, pl.bias ? 1.0 : 0.0, fill_bias, add_bias, bias.get(), ms));
      if (!pl.staged) return download(large_buf, ops.y, ctx.stream);
      TCONV_RETURN_IF_ERROR(out.allocate(ops.y->bytes()));
      TCONV_RETURN_IF_ERROR(staged_copy(ctx, pl, ptr.large, out.get(), true, pl.bias ? bias.get() : nullptr, info));
      return download(out, ops.y, ctx.stream);
    }
    case Direction::bwd_data: {
      TCONV_RETURN_IF_ERROR(stage_dy(ctx, pl, *ops.dy, &dy_dev, &large_buf, &ptr.large, info));
      TCONV_RETURN_IF_ERROR(small.allocate(ops.dx->bytes()));
      ptr.small = small.get();
      TCONV_RETURN_IF_ERROR(timed_execute(ctx, call, ptr, 0.0, nullptr, nullptr, nullptr, ms));
      return download(small, ops.dx, ctx.stream);
    }
    case Direction::bwd_weights: {
      TCONV_RETURN_IF_ERROR(stage_dy(ctx, pl, *ops.dy, &dy_dev, &large_buf, &ptr.large, info));
      TCONV_RETURN_IF_ERROR(upload(*ops.x, &small, ctx.stream));
      ptr.small = small.get();
      TCONV_RETURN_IF_ERROR(timed_execute(ctx, call, ptr, 0.0, nullptr, nullptr, nullptr, ms));
      if (!pl.filter_converted) return download(filter, ops.dw, ctx.stream);
      HostTensor dw(p.dtype, pl.filter_layout, p.w_dims(), p.groups);
      TCONV_RETURN_IF_ERROR(download(filter, &dw, ctx.stream));
      *ops.dw = dw.to_layout(p.weight_layout);
      return Status::Ok();
    }
    case Direction::bwd_bias: break;
  }
  return Status::Error(StatusCode::invalid, "bwd_bias has no convolution");
}

Status run_bias_reduction(DeviceContext& ctx, const Problem& p, const Operands& ops, RunInfo* info, double* ms) {
  info->algorithm = "bias reduction kernel";
  info->workspace = 0;
  info->deterministic = true;
  info->staged = false;
  DeviceBuffer dy, db;
  TCONV_RETURN_IF_ERROR(upload(*ops.dy, &dy, ctx.stream));
  TCONV_RETURN_IF_ERROR(db.allocate(ops.db->bytes()));
  const TensorShape shape{p.n, p.c_out, p.h_out(), p.w_out()};
  TCONV_RETURN_IF_ERROR(time_on_stream(ctx.stream, [&]() -> Status {
    TCONV_CUDA_CHECK(launch_bias_reduction(dy.get(), db.get(), shape, p.layout == Layout::NHWC, p.dtype, ctx.stream));
    return Status::Ok();
  }, ms));
  return download(db, ops.db, ctx.stream);
}

}  // namespace

Status run_on_device(const Problem& p, Direction d, const Operands& ops, const Variant& variant,
                     std::size_t workspace_limit, RunInfo* info, double* device_ms) {
  Status status;
  DeviceContext* ctx = device_context(&status);
  if (ctx == nullptr) return status;
  std::lock_guard<std::mutex> lock(ctx->mutex);
  TCONV_CUDA_CHECK(cudaSetDevice(ctx->device));
  Status s = d == Direction::bwd_bias ? run_bias_reduction(*ctx, p, ops, info, device_ms)
                                      : run_convolution(*ctx, p, d, ops, variant, workspace_limit, info, device_ms);
  // Buffers are freed on return; make sure no queued work still uses them after an error.
  cudaStreamSynchronize(ctx->stream);
  return s;
}

Status device_support(const Problem& p, Direction d, const Variant& variant) {
  // find benchmarks in run() (cached there); default always has a candidate or says why in run().
  const bool asks_device = variant.algo != nullptr || variant.graph != GraphSelection::none;
  if (!asks_device || d == Direction::bwd_bias || !no_gpu_reason().empty()) return Status::Ok();
  Status status;
  DeviceContext* ctx = device_context(&status);
  if (ctx == nullptr) return Status::Ok();  // run() reports the device problem
  std::lock_guard<std::mutex> lock(ctx->mutex);
  const ConvPlan pl = make_plan(p, d, padding_form(variant));
  PreparedCall call;
  Status s = prepare_call(*ctx, pl, variant, ~std::size_t{0}, &call);
  if (s.ok() || s.code != StatusCode::unsupported) return Status::Ok();  // other errors surface in run()
  return Status::Unsupported(s.message);
}

}  // namespace tconv::cudnn
