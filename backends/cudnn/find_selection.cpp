#include "backends/cudnn/find_selection.h"

#include <array>
#include <map>
#include <mutex>

namespace tconv::cudnn {

namespace {

struct Measured {
  int algo = 0;
  float ms = 0;
  std::size_t memory = 0;
  bool deterministic = true;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};

template <class Perf>
void keep_successful(const Perf* perf, int count, std::vector<Measured>* out) {
  for (int i = 0; i < count; ++i)
    if (perf[i].status == CUDNN_STATUS_SUCCESS)
      out->push_back({static_cast<int>(perf[i].algo), perf[i].time, perf[i].memory,
                      perf[i].determinism == CUDNN_DETERMINISTIC, perf[i].mathType});
}

// cuDNN returns the results sorted by time, fastest first.
Status benchmark(DeviceContext& ctx, const ConvDescriptors& d, std::vector<Measured>* out) {
  constexpr int kMax = 16;
  int count = 0;
  const ConvPlan* plan = d.plan;
  switch (plan->op) {
    case ConvOp::backward_data: {
      std::array<cudnnConvolutionBwdDataAlgoPerf_t, kMax> perf{};
      TCONV_CUDNN_CHECK(cudnnFindConvolutionBackwardDataAlgorithm(ctx.handle, d.filter.get(), d.small.get(),
                                                                  d.conv.get(), d.large.get(), kMax, &count,
                                                                  perf.data()),
                        plan);
      keep_successful(perf.data(), count, out);
      break;
    }
    case ConvOp::forward: {
      std::array<cudnnConvolutionFwdAlgoPerf_t, kMax> perf{};
      TCONV_CUDNN_CHECK(cudnnFindConvolutionForwardAlgorithm(ctx.handle, d.large.get(), d.filter.get(), d.conv.get(),
                                                             d.small.get(), kMax, &count, perf.data()),
                        plan);
      keep_successful(perf.data(), count, out);
      break;
    }
    case ConvOp::backward_filter: {
      std::array<cudnnConvolutionBwdFilterAlgoPerf_t, kMax> perf{};
      TCONV_CUDNN_CHECK(cudnnFindConvolutionBackwardFilterAlgorithm(ctx.handle, d.large.get(), d.small.get(),
                                                                    d.conv.get(), d.filter.get(), kMax, &count,
                                                                    perf.data()),
                        plan);
      keep_successful(perf.data(), count, out);
      break;
    }
    case ConvOp::bias_reduction: return Status::Error(StatusCode::invalid, "no convolution for the bias reduction");
  }
  return Status::Ok();
}

std::string name_of(ConvOp op, int algo) {
  for (const AlgoInfo& a : all_algorithms())
    if (a.op == op && a.value == algo) return a.name;
  return "algo " + std::to_string(algo);
}

std::mutex g_cache_mutex;
std::map<std::string, ChosenAlgorithm>& cache() {
  static std::map<std::string, ChosenAlgorithm> c;
  return c;
}

}  // namespace

std::string find_cache_key(const ConvPlan& plan, bool tf32, std::size_t workspace_limit, int device) {
  return describe(plan) + (tf32 ? " tf32" : " strict") + " ws<=" + std::to_string(workspace_limit) + " device " +
         std::to_string(device);
}

Status find_fastest(DeviceContext& ctx, ConvDescriptors& d, bool tf32, std::size_t workspace_limit,
                    ChosenAlgorithm* out) {
  const ConvPlan* plan = d.plan;
  const std::string key = find_cache_key(*plan, tf32, workspace_limit, ctx.device);
  {
    std::lock_guard<std::mutex> lock(g_cache_mutex);
    if (auto it = cache().find(key); it != cache().end()) {
      *out = it->second;
      TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(d.conv.get(), out->math), plan);
      return Status::Ok();
    }
  }
  const bool strict_f32 = plan->dtype == DType::f32 && !tf32;
  // The descriptor's math type bounds what Find tries: FMA for strict f32.
  TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(d.conv.get(), requested_math(plan->dtype, tf32)), plan);
  std::vector<Measured> results;
  TCONV_RETURN_IF_ERROR(benchmark(ctx, d, &results));
  std::string rejected;
  for (const Measured& m : results) {
    const std::string name = name_of(plan->op, m.algo);
    if (m.math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION || (strict_f32 && m.math == CUDNN_TENSOR_OP_MATH)) {
      rejected += " " + name + " (math)";
      continue;
    }
    if (m.memory > workspace_limit) {
      rejected += " " + name + " (workspace " + std::to_string(m.memory) + " B)";
      continue;
    }
    *out = {m.algo, name, m.memory, m.deterministic, strict_f32 ? CUDNN_FMA_MATH : m.math};
    TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(d.conv.get(), out->math), plan);
    std::lock_guard<std::mutex> lock(g_cache_mutex);
    cache().emplace(key, *out);
    return Status::Ok();
  }
  return Status::Error(StatusCode::unsupported, std::string("cudnnFind for ") + cudnn_call_name(plan->op) + ": " +
                                                    std::to_string(results.size()) +
                                                    " algorithms ran, none usable:" +
                                                    (rejected.empty() ? " none succeeded" : rejected) +
                                                    "; descriptors: " + describe(*plan));
}

}  // namespace tconv::cudnn
