#include "backends/cuda/device_context.h"

#include "backends/cuda/cuda_check.h"
#include "backends/cuda/per_device.h"

namespace tconv::cuda {

namespace {

Status create_context(int device, DeviceContext* c) {
  c->device = device;
  TCONV_CU_CHECK(cudaSetDevice(device));
  TCONV_CU_CHECK(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
  return Status::Ok();
}

}  // namespace

DeviceContext* device_context(Status* status) {
  return per_device_context<DeviceContext>(status, create_context, [](cudaError_t e) {
    return cuda_error(e, "cudaGetDevice(&device)", __FILE__, __LINE__);
  });
}

}  // namespace tconv::cuda
