#include "backends/cudnn/conv_call.h"

#include <array>

namespace tconv::cudnn {

cudnnMathType_t requested_math(DType t, bool tf32) {
  switch (t) {
    case DType::f32: return tf32 ? CUDNN_TENSOR_OP_MATH : CUDNN_FMA_MATH;
    case DType::f16:
    case DType::bf16: return CUDNN_TENSOR_OP_MATH;
    case DType::f64: return CUDNN_DEFAULT_MATH;
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // refused by the capabilities
  }
  return CUDNN_DEFAULT_MATH;
}

Status make_descriptors(const ConvPlan& plan, cudnnMathType_t math, ConvDescriptors* out) {
  if (plan.post_pad_h != plan.pad_h || plan.post_pad_w != plan.pad_w)
    return Status::Error(StatusCode::invalid, "the legacy API takes one pad per dimension, not pre / post padding: " +
                                                  describe(plan) + " (make_plan with PaddingForm::symmetric)");
  out->plan = &plan;
  TCONV_RETURN_IF_ERROR(make_tensor(plan.large, plan.dtype, plan.data_layout, &plan, &out->large));
  TCONV_RETURN_IF_ERROR(make_tensor(plan.small, plan.dtype, plan.data_layout, &plan, &out->small));
  TCONV_RETURN_IF_ERROR(make_filter(plan, &out->filter));
  TCONV_RETURN_IF_ERROR(make_convolution(plan, math, &out->conv));
  return Status::Ok();
}

namespace {

Status workspace_size(DeviceContext& ctx, const ConvDescriptors& d, int algo, std::size_t* bytes) {
  const ConvPlan* plan = d.plan;
  switch (plan->op) {
    case ConvOp::backward_data:
      TCONV_CUDNN_CHECK(cudnnGetConvolutionBackwardDataWorkspaceSize(ctx.handle, d.filter.get(), d.small.get(),
                                                                     d.conv.get(), d.large.get(),
                                                                     static_cast<cudnnConvolutionBwdDataAlgo_t>(algo), bytes),
                        plan);
      return Status::Ok();
    case ConvOp::forward:
      TCONV_CUDNN_CHECK(cudnnGetConvolutionForwardWorkspaceSize(ctx.handle, d.large.get(), d.filter.get(), d.conv.get(),
                                                                d.small.get(), static_cast<cudnnConvolutionFwdAlgo_t>(algo),
                                                                bytes),
                        plan);
      return Status::Ok();
    case ConvOp::backward_filter:
      TCONV_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterWorkspaceSize(ctx.handle, d.large.get(), d.small.get(),
                                                                       d.conv.get(), d.filter.get(),
                                                                       static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo),
                                                                       bytes),
                        plan);
      return Status::Ok();
    case ConvOp::bias_reduction: break;
  }
  return Status::Error(StatusCode::invalid, "no convolution for the bias reduction");
}

// Runs one ranking call (Get_v7 and Find take the same arguments per direction) and keeps
// its successful entries.
template <class Perf, class Call>
Status keep_ranked(const Call& call, const char* call_name, const ConvPlan* plan, std::vector<RankedAlgorithm>* out) {
  constexpr int kMax = 16;
  std::array<Perf, kMax> perf{};
  int count = 0;
  if (const cudnnStatus_t s = call(kMax, &count, perf.data()); s != CUDNN_STATUS_SUCCESS)
    return cudnn_failure(s, call_name, __FILE__, __LINE__, plan);
  for (int i = 0; i < count; ++i)
    if (perf[i].status == CUDNN_STATUS_SUCCESS)
      out->push_back({static_cast<int>(perf[i].algo), perf[i].memory,
                      perf[i].determinism == CUDNN_DETERMINISTIC, perf[i].mathType});
  return Status::Ok();
}

std::string mib(std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

}  // namespace

Status rank_algorithms(DeviceContext& ctx, const ConvDescriptors& d, Ranking how, std::vector<RankedAlgorithm>* out) {
  const bool bench = how == Ranking::benchmark;
  const ConvPlan* plan = d.plan;
  switch (plan->op) {
    case ConvOp::backward_data: {
      auto* call = bench ? cudnnFindConvolutionBackwardDataAlgorithm : cudnnGetConvolutionBackwardDataAlgorithm_v7;
      return keep_ranked<cudnnConvolutionBwdDataAlgoPerf_t>(
          [&](int n, int* count, cudnnConvolutionBwdDataAlgoPerf_t* perf) {
            return call(ctx.handle, d.filter.get(), d.small.get(), d.conv.get(), d.large.get(), n, count, perf);
          },
          bench ? "cudnnFindConvolutionBackwardDataAlgorithm" : "cudnnGetConvolutionBackwardDataAlgorithm_v7", plan, out);
    }
    case ConvOp::forward: {
      auto* call = bench ? cudnnFindConvolutionForwardAlgorithm : cudnnGetConvolutionForwardAlgorithm_v7;
      return keep_ranked<cudnnConvolutionFwdAlgoPerf_t>(
          [&](int n, int* count, cudnnConvolutionFwdAlgoPerf_t* perf) {
            return call(ctx.handle, d.large.get(), d.filter.get(), d.conv.get(), d.small.get(), n, count, perf);
          },
          bench ? "cudnnFindConvolutionForwardAlgorithm" : "cudnnGetConvolutionForwardAlgorithm_v7", plan, out);
    }
    case ConvOp::backward_filter: {
      auto* call = bench ? cudnnFindConvolutionBackwardFilterAlgorithm : cudnnGetConvolutionBackwardFilterAlgorithm_v7;
      return keep_ranked<cudnnConvolutionBwdFilterAlgoPerf_t>(
          [&](int n, int* count, cudnnConvolutionBwdFilterAlgoPerf_t* perf) {
            return call(ctx.handle, d.large.get(), d.small.get(), d.conv.get(), d.filter.get(), n, count, perf);
          },
          bench ? "cudnnFindConvolutionBackwardFilterAlgorithm" : "cudnnGetConvolutionBackwardFilterAlgorithm_v7", plan,
          out);
    }
    case ConvOp::bias_reduction: break;
  }
  return Status::Error(StatusCode::invalid, "no convolution for the bias reduction");
}

std::string algorithm_name(ConvOp op, int algo) {
  for (const AlgoInfo& a : all_algorithms())
    if (a.op == op && a.value == algo) return a.name;
  return "algo " + std::to_string(algo);
}

Status choose_algorithm(DeviceContext& ctx, ConvDescriptors& d, const Variant& variant, std::size_t workspace_limit,
                        ChosenAlgorithm* out) {
  const ConvPlan* plan = d.plan;
  const cudnnMathType_t requested = requested_math(plan->dtype, variant.tf32);
  if (variant.algo != nullptr) {
    const AlgoInfo& a = *variant.algo;
    std::size_t bytes = 0;
    if (Status s = workspace_size(ctx, d, a.value, &bytes); !s.ok()) {
      s.message = "algo=" + std::string(a.name) + ": " + s.message;
      return s;
    }
    if (bytes > workspace_limit)
      return Status::Error(StatusCode::unsupported, "algo=" + std::string(a.name) + " needs " + mib(bytes) +
                                                        " of workspace, over the limit of " + mib(workspace_limit));
    *out = {a.value, a.name, bytes, a.deterministic, requested};
    return Status::Ok();
  }

  std::vector<RankedAlgorithm> candidates;
  TCONV_RETURN_IF_ERROR(rank_algorithms(ctx, d, Ranking::heuristics, &candidates));
  const bool strict_f32 = plan->dtype == DType::f32 && !variant.tf32;
  std::string rejected;
  for (const RankedAlgorithm& c : candidates) {
    if (c.math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;  // would round f32 inputs to f16
    if (strict_f32 && c.math == CUDNN_TENSOR_OP_MATH) continue;      // TF32: the tf32 variant's business
    // Strict f32 always runs with FMA math (DEFAULT would allow TF32); others as ranked.
    const cudnnMathType_t math = strict_f32 ? CUDNN_FMA_MATH : c.math;
    TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(d.conv.get(), math), plan);
    std::size_t bytes = 0;
    const std::string name = algorithm_name(plan->op, c.algo);
    if (Status s = workspace_size(ctx, d, c.algo, &bytes); !s.ok()) {
      rejected += " " + name + " (" + s.message.substr(0, s.message.find(' ')) + ")";
      continue;
    }
    if (bytes > workspace_limit) {
      rejected += " " + name + " (workspace " + mib(bytes) + ")";
      continue;
    }
    *out = {c.algo, name, bytes, c.deterministic, math};
    return Status::Ok();
  }
  return Status::Error(StatusCode::unsupported,
                       std::string("no cuDNN algorithm for ") + cudnn_call_name(plan->op) + " fits: " +
                           std::to_string(candidates.size()) + " heuristic candidates, rejected:" +
                           (rejected.empty() ? " none usable (tensor-op or conversion math only)" : rejected) +
                           "; workspace limit " + mib(workspace_limit) + "; descriptors: " + describe(*plan));
}

Status execute(DeviceContext& ctx, const ConvDescriptors& d, const ChosenAlgorithm& a, const ConvPointers& p,
               double beta) {
  const ConvPlan* plan = d.plan;
  // alpha / beta are double for double data, float otherwise (cuDNN's scaling-parameter rule).
  const float alpha_f = 1.0f, beta_f = static_cast<float>(beta);
  const double alpha_d = 1.0, beta_d = beta;
  const bool dbl = plan->dtype == DType::f64;
  const void* alpha = dbl ? static_cast<const void*>(&alpha_d) : &alpha_f;
  const void* beta_p = dbl ? static_cast<const void*>(&beta_d) : &beta_f;
  TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(d.conv.get(), a.math), plan);
  switch (plan->op) {
    case ConvOp::backward_data:
      TCONV_CUDNN_CHECK(cudnnConvolutionBackwardData(ctx.handle, alpha, d.filter.get(), p.filter, d.small.get(), p.small,
                                                     d.conv.get(), static_cast<cudnnConvolutionBwdDataAlgo_t>(a.algo),
                                                     p.workspace, a.workspace, beta_p, d.large.get(), p.large),
                        plan);
      return Status::Ok();
    case ConvOp::forward:
      TCONV_CUDNN_CHECK(cudnnConvolutionForward(ctx.handle, alpha, d.large.get(), p.large, d.filter.get(), p.filter,
                                                d.conv.get(), static_cast<cudnnConvolutionFwdAlgo_t>(a.algo),
                                                p.workspace, a.workspace, beta_p, d.small.get(), p.small),
                        plan);
      return Status::Ok();
    case ConvOp::backward_filter:
      TCONV_CUDNN_CHECK(cudnnConvolutionBackwardFilter(ctx.handle, alpha, d.large.get(), p.large, d.small.get(), p.small,
                                                       d.conv.get(), static_cast<cudnnConvolutionBwdFilterAlgo_t>(a.algo),
                                                       p.workspace, a.workspace, beta_p, d.filter.get(), p.filter),
                        plan);
      return Status::Ok();
    case ConvOp::bias_reduction: break;
  }
  return Status::Error(StatusCode::invalid, "no convolution for the bias reduction");
}

}  // namespace tconv::cudnn
