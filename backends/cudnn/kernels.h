// The few device kernels the cuDNN backend needs around cuDNN's calls: the staging window
// copy (window_copy.h), the bias prefill of fwd, and the bias reduction of bwd_bias (f32
// accumulation, f64 for f64; fixed summation order, so deterministic). Each returns the
// launch's error (cudaSuccess when queued).
#pragma once

#include <cuda_runtime.h>

#include "backends/api/dtype.h"
#include "backends/cudnn/cudnn_plan.h"
#include "backends/cudnn/window_copy.h"

namespace tconv::cudnn {

// dst = src shifted by the window; positions without a source get bias[channel] (or 0 when
// bias is null).
cudaError_t launch_window_copy(const void* src, void* dst, const WindowCopy& g, DType t, const void* bias,
                               cudaStream_t stream);

// dst[n, c, h, w] = bias[c] (so that cuDNN's beta = 1 adds the bias before its one rounding).
cudaError_t launch_fill_bias(void* dst, const TensorShape& shape, bool nhwc, DType t, const void* bias,
                             cudaStream_t stream);

// y[n, c, h, w] += bias[c], one rounding (the bias added after the convolution, as PyTorch does).
cudaError_t launch_add_bias(void* y, const TensorShape& shape, bool nhwc, DType t, const void* bias,
                            cudaStream_t stream);

// db[c] = sum over n, h, w of dy[n, c, h, w].
cudaError_t launch_bias_reduction(const void* dy, void* db, const TensorShape& shape, bool nhwc, DType t,
                                  cudaStream_t stream);

}  // namespace tconv::cudnn
