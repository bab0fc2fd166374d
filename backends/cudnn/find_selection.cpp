#include "backends/cudnn/find_selection.h"

#include <map>
#include <mutex>

namespace tconv::cudnn {

namespace {

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
  std::vector<RankedAlgorithm> results;  // cuDNN sorts them fastest first
  TCONV_RETURN_IF_ERROR(rank_algorithms(ctx, d, Ranking::benchmark, &results));
  std::string rejected;
  for (const RankedAlgorithm& m : results) {
    const std::string name = algorithm_name(plan->op, m.algo);
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
