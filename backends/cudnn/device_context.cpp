#include "backends/cudnn/device_context.h"

#include "backends/cuda/per_device.h"
#include "backends/cudnn/check.h"

namespace tconv::cudnn {

namespace {

Status create_context(int device, DeviceContext* c) {
  c->device = device;
  TCONV_CUDA_CHECK(cudaSetDevice(device));
  TCONV_CUDA_CHECK(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
  TCONV_CUDNN_CHECK(cudnnCreate(&c->handle), nullptr);
  TCONV_CUDNN_CHECK(cudnnSetStream(c->handle, c->stream), nullptr);
  return Status::Ok();
}

}  // namespace

DeviceContext* device_context(Status* status) {
  return cuda::per_device_context<DeviceContext>(status, create_context, [](cudaError_t e) {
    return cuda_failure(e, "cudaGetDevice(&device)", __FILE__, __LINE__);
  });
}

}  // namespace tconv::cudnn
