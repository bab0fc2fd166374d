#include "backends/cudnn/raii.h"

#include <string>

namespace tconv::cudnn {

cudnnDataType_t cudnn_data_type(DType t) {
  switch (t) {
    case DType::f32: return CUDNN_DATA_FLOAT;
    case DType::f64: return CUDNN_DATA_DOUBLE;
    case DType::f16: return CUDNN_DATA_HALF;
    case DType::bf16: return CUDNN_DATA_BFLOAT16;
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // refused by the capabilities before any descriptor is made
  }
  return CUDNN_DATA_FLOAT;
}

cudnnDataType_t cudnn_compute_type(DType t) { return t == DType::f64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT; }

cudnnTensorFormat_t cudnn_format(Layout l) { return l == Layout::NHWC ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW; }

Status make_tensor(const TensorShape& t, DType dtype, Layout layout, const ConvPlan* plan, TensorDescriptor* out) {
  TCONV_CUDNN_CHECK(cudnnCreateTensorDescriptor(out->out()), plan);
  TCONV_CUDNN_CHECK(cudnnSetTensor4dDescriptor(out->get(), cudnn_format(layout), cudnn_data_type(dtype),
                                               static_cast<int>(t.n), static_cast<int>(t.c), static_cast<int>(t.h),
                                               static_cast<int>(t.w)),
                    plan);
  return Status::Ok();
}

Status make_filter(const ConvPlan& p, FilterDescriptor* out) {
  TCONV_CUDNN_CHECK(cudnnCreateFilterDescriptor(out->out()), &p);
  const cudnnTensorFormat_t format = p.filter_layout == Layout::IHWO ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW;
  TCONV_CUDNN_CHECK(cudnnSetFilter4dDescriptor(out->get(), cudnn_data_type(p.dtype), format, static_cast<int>(p.k),
                                               static_cast<int>(p.c), static_cast<int>(p.r), static_cast<int>(p.s)),
                    &p);
  return Status::Ok();
}

Status make_convolution(const ConvPlan& p, cudnnMathType_t math, ConvolutionDescriptor* out) {
  TCONV_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(out->out()), &p);
  // Cross-correlation: the transposed op's weights are used unflipped (docs/design.md section 2).
  TCONV_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(out->get(), static_cast<int>(p.pad_h), static_cast<int>(p.pad_w),
                                                    static_cast<int>(p.u), static_cast<int>(p.v),
                                                    static_cast<int>(p.dil_h), static_cast<int>(p.dil_w),
                                                    CUDNN_CROSS_CORRELATION, cudnn_compute_type(p.dtype)),
                    &p);
  TCONV_CUDNN_CHECK(cudnnSetConvolutionGroupCount(out->get(), static_cast<int>(p.groups)), &p);
  TCONV_CUDNN_CHECK(cudnnSetConvolutionMathType(out->get(), math), &p);
  return Status::Ok();
}

Status time_on_stream(cudaStream_t stream, const std::function<Status()>& work, double* ms) {
  Event start, stop;
  TCONV_CUDA_CHECK(cudaEventCreate(start.out()));
  TCONV_CUDA_CHECK(cudaEventCreate(stop.out()));
  TCONV_CUDA_CHECK(cudaEventRecord(start.get(), stream));
  TCONV_RETURN_IF_ERROR(work());
  TCONV_CUDA_CHECK(cudaEventRecord(stop.get(), stream));
  TCONV_CUDA_CHECK(cudaEventSynchronize(stop.get()));
  float elapsed = 0;
  TCONV_CUDA_CHECK(cudaEventElapsedTime(&elapsed, start.get(), stop.get()));
  *ms = elapsed;
  return Status::Ok();
}

}  // namespace tconv::cudnn
