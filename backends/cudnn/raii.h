// Owning wrappers for cuDNN descriptors, device buffers and CUDA events: created by a checked
// init(), released in the destructor, never copied. Handles and streams live in
// device_context.h (one per device).
#pragma once

#include <cstddef>
#include <functional>
#include <utility>

#include <cuda_runtime.h>
#include <cudnn.h>

#include "backends/api/dtype.h"
#include "backends/api/layout.h"
#include "backends/cuda/device_memory.h"
#include "backends/cudnn/check.h"
#include "backends/cudnn/cudnn_plan.h"

namespace tconv::cudnn {

cudnnDataType_t cudnn_data_type(DType t);
cudnnDataType_t cudnn_compute_type(DType t);  // float for f32/f16/bf16 (f32 accumulation), double for f64
cudnnTensorFormat_t cudnn_format(Layout data_layout);

// Move-only owner of a pointer-like value with a destroy function.
template <class T, auto Destroy>
class Owned {
 public:
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& o) noexcept : v_(std::exchange(o.v_, nullptr)) {}
  Owned& operator=(Owned&& o) noexcept {
    if (this != &o) {
      reset();
      v_ = std::exchange(o.v_, nullptr);
    }
    return *this;
  }
  ~Owned() { reset(); }
  T get() const { return v_; }
  T* out() { reset(); return &v_; }
  void reset() {
    if (v_) Destroy(v_);
    v_ = nullptr;
  }

 private:
  T v_ = nullptr;
};

using TensorDescriptor = Owned<cudnnTensorDescriptor_t, cudnnDestroyTensorDescriptor>;
using FilterDescriptor = Owned<cudnnFilterDescriptor_t, cudnnDestroyFilterDescriptor>;
using ConvolutionDescriptor = Owned<cudnnConvolutionDescriptor_t, cudnnDestroyConvolutionDescriptor>;
using Event = Owned<cudaEvent_t, cudaEventDestroy>;

// The device time (ms) of the stream work `work` queues, between two events of its own.
Status time_on_stream(cudaStream_t stream, const std::function<Status()>& work, double* ms);

// A 4-d tensor in the plan's data format.
Status make_tensor(const TensorShape& t, DType dtype, Layout layout, const ConvPlan* plan, TensorDescriptor* out);
// The plan's filter (KCRS or KRSC) and convolution (pads, strides, dilation, groups, compute
// type, math type).
Status make_filter(const ConvPlan& plan, FilterDescriptor* out);
Status make_convolution(const ConvPlan& plan, cudnnMathType_t math, ConvolutionDescriptor* out);

// Device memory and the host <-> device copies: the custom CUDA backend's (one implementation).
using cuda::DeviceBuffer;
using cuda::download;
using cuda::upload;

}  // namespace tconv::cudnn
