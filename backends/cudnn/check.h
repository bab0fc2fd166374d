// Every cuDNN and CUDA call goes through these macros: a failure returns a Status naming the
// status, the call text, file:line and (when given) the plan's descriptor values.
// Use inside functions returning tconv::Status.
#pragma once

#include <cuda_runtime.h>
#include <cudnn.h>

#include "backends/cudnn/errors.h"

namespace tconv::cudnn {

inline const char* base_name(const char* path) {
  const char* b = path;
  for (const char* p = path; *p; ++p)
    if (*p == '/') b = p + 1;
  return b;
}

inline Status cudnn_failure(cudnnStatus_t s, const char* call, const char* file, int line, const ConvPlan* plan) {
  return failure_status({cudnnGetErrorString(s), call, base_name(file), line, plan});
}

inline Status cuda_failure(cudaError_t e, const char* call, const char* file, int line) {
  cudaGetLastError();  // clear a non-sticky error so the next call starts clean
  return failure_status({cudaGetErrorName(e), call, base_name(file), line, nullptr});
}

}  // namespace tconv::cudnn

// plan: a const ConvPlan* (or nullptr) whose values explain the failure.
#define TCONV_CUDNN_CHECK(call, plan)                                                         \
  do {                                                                                        \
    const cudnnStatus_t tconv_status_ = (call);                                               \
    if (tconv_status_ != CUDNN_STATUS_SUCCESS)                                                \
      return ::tconv::cudnn::cudnn_failure(tconv_status_, #call, __FILE__, __LINE__, (plan)); \
  } while (0)

#define TCONV_CUDA_CHECK(call)                                                        \
  do {                                                                                \
    const cudaError_t tconv_error_ = (call);                                          \
    if (tconv_error_ != cudaSuccess)                                                  \
      return ::tconv::cudnn::cuda_failure(tconv_error_, #call, __FILE__, __LINE__);   \
  } while (0)

#define TCONV_RETURN_IF_ERROR(expr)             \
  do {                                          \
    ::tconv::Status tconv_s_ = (expr);          \
    if (!tconv_s_.ok()) return tconv_s_;        \
  } while (0)
