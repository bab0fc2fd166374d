#include "backends/cudnn/kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace tconv::cudnn {

namespace {

// Loads and stores through the accumulation type: one rounding per stored value.
__device__ inline float load(const float* p) { return *p; }
__device__ inline double load(const double* p) { return *p; }
__device__ inline float load(const __half* p) { return __half2float(*p); }
__device__ inline float load(const __nv_bfloat16* p) { return __bfloat162float(*p); }
__device__ inline void store(float* p, float v) { *p = v; }
__device__ inline void store(double* p, double v) { *p = v; }
__device__ inline void store(__half* p, float v) { *p = __float2half_rn(v); }
__device__ inline void store(__nv_bfloat16* p, float v) { *p = __float2bfloat16_rn(v); }

template <class T>
__global__ void window_copy_kernel(const T* src, T* dst, WindowCopy g, const T* bias) {
  const std::int64_t total = g.dst_elements();
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{gridDim.x} * blockDim.x) {
    const std::int64_t from = g.source_offset(i);
    if (from >= 0) dst[i] = src[from];
    else if (bias) dst[i] = bias[g.channel_of(i)];
    else store(dst + i, 0.0f);
  }
}

// y += bias[channel], in the accumulation type, one rounding: PyTorch's separate bias add.
template <class T>
__global__ void add_bias_kernel(T* y, WindowCopy g, const T* bias) {
  const std::int64_t total = g.dst_elements();
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{gridDim.x} * blockDim.x)
    store(y + i, load(y + i) + load(bias + g.channel_of(i)));
}

constexpr int kReduceThreads = 256;

template <class T, class Acc>
__global__ void bias_reduction_kernel(const T* dy, T* db, TensorShape s, bool nhwc) {
  const std::int64_t ch = blockIdx.x;
  const std::int64_t hw = s.h * s.w, count = s.n * hw;
  Acc sum = 0;
  for (std::int64_t j = threadIdx.x; j < count; j += kReduceThreads) {
    const std::int64_t at = nhwc ? j * s.c + ch : (j / hw * s.c + ch) * hw + j % hw;
    sum += static_cast<Acc>(load(dy + at));
  }
  __shared__ Acc partial[kReduceThreads];
  partial[threadIdx.x] = sum;
  __syncthreads();
  for (int half = kReduceThreads / 2; half > 0; half /= 2) {  // fixed tree: deterministic
    if (threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) store(db + ch, partial[0]);
}

unsigned blocks_for(std::int64_t n) {
  const std::int64_t b = (n + 255) / 256;
  return static_cast<unsigned>(b < 65535 ? (b > 0 ? b : 1) : 65535);
}

template <class T>
cudaError_t window_copy(const void* src, void* dst, const WindowCopy& g, const void* bias, cudaStream_t stream) {
  window_copy_kernel<T><<<blocks_for(g.dst_elements()), 256, 0, stream>>>(
      static_cast<const T*>(src), static_cast<T*>(dst), g, static_cast<const T*>(bias));
  return cudaGetLastError();
}

template <class T>
cudaError_t add_bias(void* y, const WindowCopy& g, const void* bias, cudaStream_t stream) {
  add_bias_kernel<T><<<blocks_for(g.dst_elements()), 256, 0, stream>>>(static_cast<T*>(y), g,
                                                                        static_cast<const T*>(bias));
  return cudaGetLastError();
}

// The geometry of a whole [N, C, H, W] tensor as a window (channel_of, dst_elements).
WindowCopy whole(const TensorShape& s, bool nhwc) {
  WindowCopy g;
  g.n = s.n;
  g.c = s.c;
  g.dst_h = s.h;
  g.dst_w = s.w;
  g.nhwc = nhwc;
  return g;
}

template <class T, class Acc>
cudaError_t bias_reduction(const void* dy, void* db, const TensorShape& s, bool nhwc, cudaStream_t stream) {
  bias_reduction_kernel<T, Acc><<<static_cast<unsigned>(s.c), kReduceThreads, 0, stream>>>(
      static_cast<const T*>(dy), static_cast<T*>(db), s, nhwc);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_window_copy(const void* src, void* dst, const WindowCopy& g, DType t, const void* bias,
                               cudaStream_t stream) {
  switch (t) {
    case DType::f32: return window_copy<float>(src, dst, g, bias, stream);
    case DType::f64: return window_copy<double>(src, dst, g, bias, stream);
    case DType::f16: return window_copy<__half>(src, dst, g, bias, stream);
    case DType::bf16: return window_copy<__nv_bfloat16>(src, dst, g, bias, stream);
  }
  return cudaErrorInvalidValue;
}

cudaError_t launch_fill_bias(void* dst, const TensorShape& s, bool nhwc, DType t, const void* bias,
                             cudaStream_t stream) {
  // A window copy from an empty source: every element takes the fill.
  return launch_window_copy(nullptr, dst, whole(s, nhwc), t, bias, stream);
}

cudaError_t launch_add_bias(void* y, const TensorShape& s, bool nhwc, DType t, const void* bias, cudaStream_t stream) {
  switch (t) {
    case DType::f32: return add_bias<float>(y, whole(s, nhwc), bias, stream);
    case DType::f64: return add_bias<double>(y, whole(s, nhwc), bias, stream);
    case DType::f16: return add_bias<__half>(y, whole(s, nhwc), bias, stream);
    case DType::bf16: return add_bias<__nv_bfloat16>(y, whole(s, nhwc), bias, stream);
  }
  return cudaErrorInvalidValue;
}

cudaError_t launch_bias_reduction(const void* dy, void* db, const TensorShape& s, bool nhwc, DType t,
                                  cudaStream_t stream) {
  switch (t) {
    case DType::f32: return bias_reduction<float, float>(dy, db, s, nhwc, stream);
    case DType::f64: return bias_reduction<double, double>(dy, db, s, nhwc, stream);
    case DType::f16: return bias_reduction<__half, float>(dy, db, s, nhwc, stream);
    case DType::bf16: return bias_reduction<__nv_bfloat16, float>(dy, db, s, nhwc, stream);
  }
  return cudaErrorInvalidValue;
}

}  // namespace tconv::cudnn
