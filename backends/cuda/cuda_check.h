// Every CUDA runtime call of the custom CUDA backend goes through TCONV_CU_CHECK: a failure
// returns a Status naming the error, the call's text, file:line and the CUDA error string.
// Own macros (not cudnn/check.h's) so this backend does not depend on the cuDNN library.
#pragma once

#include <string>

#include <cuda_runtime.h>

#include "backends/api/status.h"

namespace tconv::cuda {

// StatusCode of a CUDA error: allocation -> out_of_memory, no device / driver -> no_device.
inline StatusCode cuda_status_code(cudaError_t e) {
  switch (e) {
    case cudaErrorMemoryAllocation: return StatusCode::out_of_memory;
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorNoKernelImageForDevice: return StatusCode::no_device;
    default: return StatusCode::error;
  }
}

// "cudaErrorMemoryAllocation (out of memory) from cudaMalloc(&p, n) at device_memory.cpp:12"
inline Status cuda_error(cudaError_t e, const char* call, const char* file, int line) {
  const char* base = file;
  for (const char* p = file; *p; ++p)
    if (*p == '/') base = p + 1;
  return Status::Error(cuda_status_code(e), std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) +
                                                ") from " + call + " at " + base + ":" + std::to_string(line));
}

}  // namespace tconv::cuda

#define TCONV_CU_CHECK(call)                                                         \
  do {                                                                               \
    const cudaError_t tconv_cu_error_ = (call);                                      \
    if (tconv_cu_error_ != cudaSuccess)                                              \
      return ::tconv::cuda::cuda_error(tconv_cu_error_, #call, __FILE__, __LINE__);  \
  } while (0)

// After a kernel launch: the launch's own error (bad configuration, no kernel image), naming
// the kernel. Clears the (non-sticky) error so the next call starts clean.
#define TCONV_CU_CHECK_LAUNCH(kernel_name)                                                             \
  do {                                                                                                 \
    const cudaError_t tconv_cu_error_ = cudaGetLastError();                                            \
    if (tconv_cu_error_ != cudaSuccess)                                                                \
      return ::tconv::cuda::cuda_error(tconv_cu_error_, "launch of " kernel_name, __FILE__, __LINE__); \
  } while (0)

#define TCONV_CU_RETURN_IF_ERROR(expr)    \
  do {                                    \
    ::tconv::Status tconv_cu_s_ = (expr); \
    if (!tconv_cu_s_.ok()) return tconv_cu_s_; \
  } while (0)
